"""Aduan's statuses as Open311's open and closed: one table, every status in it."""

import pytest

from gateway.open311.status import OPEN311_STATUS, aduan_statuses, open311_status
from services.contracts.lifecycle import Status


def test_every_status_of_the_lifecycle_is_open_or_closed():
    assert set(OPEN311_STATUS) == set(Status)
    assert set(OPEN311_STATUS.values()) == {"open", "closed"}


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("received", "open"),
        ("awaiting_review", "open"),
        ("forwarded", "open"),
        ("returned", "open"),
        ("disputed", "open"),  # the reporter disputes the result: officers review it
        ("resolved", "closed"),  # the agency resolved it: the spec's "it has been resolved"
        ("closed", "closed"),
        ("rejected", "closed"),
        ("linked", "closed"),  # a duplicate, the spec's own example of a closed request
    ],
)
def test_a_status_as_open311_shows_it(status, shown):
    assert open311_status(status) == shown


def test_a_view_without_status_yet_is_open():
    assert open311_status(None) == "open"
    assert open311_status("a status of a later version") == "open"


def test_a_status_filter_names_the_aduan_statuses_it_matches():
    closed = aduan_statuses(("closed",))
    assert sorted(closed) == ["closed", "linked", "rejected", "resolved"]
    opened = aduan_statuses(("open",))
    assert set(opened) | set(closed) == {str(s) for s in Status}
    assert not set(opened) & set(closed)
    assert aduan_statuses(("open", "closed")) is None
