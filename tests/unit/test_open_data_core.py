"""Open data's rows and query (services/reporting/open_data.py), pure."""

import pytest

from gateway.licences import licence
from services.contracts.errors import CommandRejected
from services.contracts.open_data import OPEN_DATA_COLUMNS
from services.reporting import open_data
from tests.unit.test_reporting_core import LIFE, build


def public_life() -> list[dict]:
    received = {**LIFE[0], "data": {**LIFE[0]["data"], "confidential": False}}
    return [received, *LIFE[1:]]


def test_a_row_has_every_column_and_each_step_of_the_complaint():
    row = open_data.row(build(public_life()), with_text=False)
    assert tuple(row) == OPEN_DATA_COLUMNS
    assert row["ticket"] == "SMG-2026-000001" and row["month"] == "2026-04"
    assert row["received_at"] == "2026-04-01T01:00:00+07:00"
    assert row["classified_at"] == "2026-04-01T01:03:00+07:00"
    assert row["forwarded_at"] == "2026-04-01T01:04:00+07:00"
    assert row["accepted_at"] == "2026-04-01T01:05:00+07:00"
    assert row["resolved_at"] == "2026-04-01T01:06:00+07:00"
    assert row["closed_at"] == "2026-04-01T01:08:00+07:00"
    assert row["rejected_at"] is None
    assert (row["category"], row["agency"], row["kecamatan"], row["channel"]) == (
        "lingkungan_perumahan",
        "dlh",
        "Genuk",
        "sms",
    )
    assert row["status"] == "closed" and row["scope"] == "single_agency"
    assert row["deadline_working_days"] == 5 and row["due_at"] == "2026-04-08T23:59:59+07:00"
    assert row["working_days_taken"] == 0 and row["within_deadline"] is True


def test_free_text_only_when_published_and_never_for_a_confidential_complaint():
    public = build(public_life())
    assert open_data.row(public, with_text=False)["description"] is None
    shown = open_data.row(public, with_text=True)
    assert shown["title"] == "Sampah menumpuk"
    assert shown["description"] == "Sampah tidak diangkut seminggu"
    confidential = build(LIFE)
    hidden = open_data.row(confidential, with_text=True)
    assert hidden["title"] is None and hidden["description"] is None


def test_no_free_text_before_an_officer_reviewed_the_complaint():
    waiting = build(public_life()[:3])  # received, deadline set, triaged
    row = open_data.row(waiting, with_text=True)
    assert row["status"] == "awaiting_review" and row["category"] is None
    assert row["title"] is None and row["description"] is None


def test_a_row_never_holds_where_exactly_the_problem_is_or_its_attachments():
    view = build(public_life())
    view["location"] = {"kecamatan": "Genuk", "address": "Jl. Rahasia 7", "lat": -7.1}
    view["attachments"] = [{"url": "/files/x"}]
    text = repr(open_data.row(view, with_text=True))
    assert "Rahasia" not in text and "-7.1" not in text and "/files/" not in text


def test_the_query_checks_each_filter_and_the_page():
    query = open_data.open_data_query({"month": "2026-04", "agency": "dlh"}, 2, 50, True)
    assert (query.month, query.agency, query.page, query.per_page, query.with_text) == (
        "2026-04",
        "dlh",
        2,
        50,
        True,
    )
    found = open_data.mongo_filter(query)
    assert set(found) == {"received_at", "facts.agency"}
    for filters, page, per_page, field in (
        ({"month": "2026-13"}, 1, 10, "month"),
        ({"category": "cuaca"}, 1, 10, "category"),
        ({"agency": "DPU; drop"}, 1, 10, "agency"),
        ({"kecamatan": "Bandung"}, 1, 10, "kecamatan"),
        ({"reporter": "x"}, 1, 10, "filters"),
        ({"month": 202604}, 1, 10, "filters"),
        ({}, 0, 10, "page"),
        ({}, 1, 1001, "per_page"),
        ({}, True, 10, "page"),
    ):
        with pytest.raises(CommandRejected) as refused:
            open_data.open_data_query(filters, page, per_page, False)
        assert refused.value.field == field, (filters, page, per_page)


def test_free_text_is_off_unless_asked_for_with_true():
    assert open_data.open_data_query(None, 1, 10, "yes").with_text is False


def test_the_licence_is_chosen_by_its_spdx_identifier():
    assert licence("").id == "CC-BY-4.0"
    assert licence("ODbL-1.0").url == "https://opendatacommons.org/licenses/odbl/1-0/"
    own = licence("LicenseRef-Semarang-1", "https://data.semarangkota.go.id/lisensi")
    assert (own.id, own.url) == ("LicenseRef-Semarang-1", "https://data.semarangkota.go.id/lisensi")
    with pytest.raises(ValueError, match="ADUAN_OPEN_DATA_LICENSE_URL"):
        licence("LicenseRef-Semarang-1")
