"""The worklist's filters as reporting checks them (pure)."""

import pytest

from services.contracts.errors import CommandRejected
from services.reporting.core import MAX_PAGES, worklist_filter


def test_no_filter_is_no_condition_and_blank_ones_are_ignored():
    assert worklist_filter("officer", None, 1) == ({}, 1)
    assert worklist_filter("officer", {"status": "", "q": None}, 3) == ({}, 3)


def test_each_filter_is_kept_as_checked():
    chosen, page = worklist_filter(
        "officer",
        {
            "status": "returned",
            "category": "infrastruktur_fasum",
            "kecamatan": "Tembalang",
            "channel": "sms",
            "q": "  jalan   berlubang ",
        },
        2,
    )
    assert chosen == {
        "status": "returned",
        "category": "infrastruktur_fasum",
        "kecamatan": "Tembalang",
        "channel": "sms",
        "q": "jalan berlubang",
    }
    assert page == 2


@pytest.mark.parametrize(
    ("role", "filters", "page", "field"),
    [
        ("officer", {"status": "forwarded"}, 1, "status"),  # not in the officer's queue
        ("agency_admin", {"status": "awaiting_review"}, 1, "status"),
        ("officer", {"category": "banjir"}, 1, "category"),
        ("officer", {"kecamatan": "Menteng"}, 1, "kecamatan"),
        ("officer", {"channel": "fax"}, 1, "channel"),
        ("officer", {"q": "a"}, 1, "q"),
        ("officer", {"q": "x" * 101}, 1, "q"),
        ("officer", {"agency": "dpu"}, 1, "agency"),  # not a filter: never silently ignored
        ("officer", {"q": ["jalan"]}, 1, "q"),
        ("officer", {}, 0, "page"),
        ("officer", {}, MAX_PAGES + 1, "page"),
        ("officer", {}, True, "page"),
    ],
)
def test_a_filter_outside_the_rules_is_refused_naming_it(role, filters, page, field):
    with pytest.raises(CommandRejected) as refused:
        worklist_filter(role, filters, page)
    assert refused.value.field == field
