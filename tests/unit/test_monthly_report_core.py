"""When a month's report is due and how its archive is listed (pure:
services/reporting/monthly_report.py), and the documents' tables drawn from a snapshot."""

from datetime import UTC, date, datetime

import pytest

from gateway.documents import csv_file
from gateway.documents.tables import cell_text, monthly_report, percent
from services.chassis.working_days import national_calendar
from services.contracts.errors import CommandRejected
from services.reporting import monthly_report as core


def working(day: date) -> bool:
    return national_calendar(day.year).is_working_day(day)


def test_the_report_is_due_at_eight_wib_on_the_first_working_day_after_the_month():
    # 1 November 2026 is a Sunday: October's report is due Monday 2 November, 08:00 WIB.
    assert core.due_at("2026-10", working) == datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    # 1 January is New Year's Day (a day off): December 2026's is due on 4 January 2027
    # (2 and 3 January are a weekend).
    assert core.due_at("2026-12", working).date() == date(2027, 1, 4)
    # A leap of the year in the month arithmetic.
    assert core.previous_month("2027-01") == "2026-12"


def test_the_month_due_changes_at_the_due_time_not_at_midnight():
    before = datetime(2026, 11, 2, 0, 59, tzinfo=UTC)  # 07:59 WIB on the due day
    after = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    assert core.report_due(before, working) == "2026-09"
    assert core.report_due(after, working) == "2026-10"


def test_a_future_month_cannot_be_reported_and_versions_are_numbers():
    now = datetime(2026, 12, 3, tzinfo=UTC)
    assert core.reportable("2026-12", now) == "2026-12"
    with pytest.raises(CommandRejected):
        core.reportable("2027-01", now)
    for bad in (0, -1, True, "1", 1.5):
        with pytest.raises(CommandRejected):
            core.version(bad)
    assert core.version(None) is None and core.version(3) == 3


def test_the_archive_numbers_each_months_versions_by_generation_time():
    at = [datetime(2026, 12, 1, 1, 0, tzinfo=UTC), datetime(2026, 12, 2, 3, 0, tzinfo=UTC)]
    entries = [
        {"_id": "2026-11/x", "month": "2026-11", "trigger": "requested", "generated_at": at[1]},
        {
            "_id": "2026-11/scheduled",
            "month": "2026-11",
            "trigger": "scheduled",
            "generated_at": at[0],
        },
        {
            "_id": "2026-10/scheduled",
            "month": "2026-10",
            "trigger": "scheduled",
            "generated_at": at[0],
        },
    ]
    listed = core.listing(entries)
    assert [(e["month"], e["version"], e["trigger"]) for e in listed] == [
        ("2026-11", 2, "requested"),
        ("2026-11", 1, "scheduled"),
        ("2026-10", 1, "scheduled"),
    ]
    assert core.archive_id("2026-11", core.SCHEDULED, at[1]) == core.scheduled_id("2026-11")


def figures(received: int, resolved: int) -> dict:
    return {
        "received": received,
        "rejected": 0,
        "forwarded": received,
        "resolved": resolved,
        "closed": 0,
        "open_at_month_end": received - resolved,
        "returns": 0,
        "reopenings": 0,
        "duplicates_linked": 0,
        "resolved_with_deadline": resolved,
        "resolved_within_deadline": resolved,
        "within_deadline_share": 1.0 if resolved else None,
        "working_days_to_resolve": {"median": 2, "p90": 4},
        "breaches": 0,
    }


def test_the_tables_name_agencies_and_the_csv_carries_every_scope():
    archived = {
        "month": "2026-11",
        "version": 1,
        "trigger": "scheduled",
        "generated_at": "2026-12-01T01:00:00+00:00",
        "figures": {
            "total": figures(3, 1),
            "by": {"agency": [{"key": "dpu", **figures(2, 1)}, {"key": "none", **figures(1, 0)}]},
            "agencies": {
                "dpu": {
                    "total": figures(2, 1),
                    "by": {"channel": [{"key": "sms", **figures(2, 1)}]},
                }
            },
        },
    }
    report = monthly_report(archived, {"dpu": "Dinas Pekerjaan Umum"})
    rows = report.city.breakdowns[0].rows
    assert [r.label for r in rows] == ["Dinas Pekerjaan Umum", "Belum diteruskan"]
    assert report.month_name == "November 2026" and report.agencies[0].agency == "dpu"
    lines = csv_file.render(report).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("bulan,cakupan,nama_cakupan,dimensi,kode,nama,received")
    assert any(line.startswith("2026-11,dpu,Dinas Pekerjaan Umum,channel,sms,") for line in lines)
    own = monthly_report(archived, {"dpu": "Dinas Pekerjaan Umum"}, agency="dpu")
    assert own.city.title == "Dinas Pekerjaan Umum" and own.agencies == []
    assert percent(0.875) == "87,5 %" and cell_text("received", 1234) == "1.234"
