"""Satisfaction and closing, the pure parts: the rating a reporter may give (intake) and
when an undisputed complaint closes (sla), with time and calendar injected."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.intake import core as intake
from services.sla import core as sla
from services.sla.calendar import WorkingDays
from services.sla.policy import PERWAL_5_2023

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
RESULT = {"about": "resolved", "details": {"follow_up": "Sudah diperbaiki."}}


def complaint(results: int = 1, ratings: list | None = None) -> dict:
    notices = [{"about": "received"}, *([RESULT] * results)]
    return {"notifications": notices, "ratings": ratings or []}


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 0},
        {"rating": 6},
        {"rating": "abc"},
        {"rating": "4"},
        {"rating": 4.5},
        {"rating": True},
        {},
        {"rating": 4, "comment": "x" * 1001},
        {"rating": 4, "comment": {"$gt": ""}},
        {"rating": 4, "extra": 1},
        [4],
    ],
)
def test_a_rating_outside_1_to_5_or_a_huge_comment_is_refused_naming_the_field(body):
    with pytest.raises(CommandRejected) as caught:
        intake.parse_rating(body)
    assert caught.value.code == "invalid_field"


def test_a_rating_with_or_without_a_comment():
    assert intake.parse_rating({"rating": 5}) == (5, None)
    assert intake.parse_rating({"rating": 1, "comment": "  Masih bocor "}) == (1, "Masih bocor")


def test_no_rating_before_the_result_reached_the_reporter():
    with pytest.raises(CommandRejected) as caught:
        intake.rate(complaint(results=0), 4, None, "sapambakita", "r1", NOW)
    assert caught.value.code == "no_result_yet"


def test_one_rating_per_result_and_again_after_the_next_result():
    state, [(event_type, data)] = intake.rate(complaint(), 2, "Belum", "sms", "r1", NOW)
    assert event_type == EventType.REPORTER_RATED
    assert data == {
        "channel": "sms",
        "rating": 2,
        "comment": "Belum",
        "cycle": 1,
        "rated_at": NOW.isoformat(),
    }
    rated = complaint(ratings=state["ratings"])
    assert intake.rate(rated, 2, "Belum", "sms", "r1", NOW) is None  # redelivered: no-op
    with pytest.raises(CommandRejected) as caught:
        intake.rate(rated, 5, None, "sms", "r2", NOW)
    assert caught.value.code == "already_rated"
    # reopened and resolved again: the second result is rated on its own
    state, [(_, data)] = intake.rate(
        complaint(results=2, ratings=state["ratings"]), 5, None, "sms", "r3", NOW
    )
    assert data["cycle"] == 2 and len(state["ratings"]) == 2


def test_the_reporter_is_told_what_the_rating_does():
    assert "meninjau ulang" in intake.rating_thanks(1)
    assert "tutup" in intake.rating_thanks(4)
    assert intake.rating_answer("T", {"rating": 2, "cycle": 1})["disputed"] is True


# Friday 2026-12-04, 10:00 in Semarang; Christmas and the cuti bersama on the 24th off.
CONVEYED = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
CALENDAR = WorkingDays(holidays={date(2026, 12, 24), date(2026, 12, 25)})


def conveyed_clock() -> dict:
    clock, _ = sla.start_clock(CONVEYED - timedelta(days=3), PERWAL_5_2023, CALENDAR)
    clock = {**clock, "_id": "SMG-2026-000001"}
    state, events = sla.result_conveyed(clock, CONVEYED, CALENDAR, 10)
    assert events == []
    return state


def test_the_closing_falls_at_the_end_of_the_tenth_working_day_after_the_result():
    clock = conveyed_clock()
    # the deadline clock stopped: the city's step 6 is done, nothing breaches any more
    assert clock["running"] is False and clock["timers"] == [] and clock["next_at"] is None
    # 7-11 and 14-18 December: ten working days after Friday the 4th
    assert clock["closing_at"].isoformat() == "2026-12-18T23:59:59+07:00"
    later = datetime(2026, 12, 17, 3, tzinfo=UTC)
    holidays = sla.result_conveyed(conveyed_clock(), later, CALENDAR, 10)
    # from Thursday the 17th: 18, 21, 22, 23, 28, 29, 30, 31 Dec, 1 (no holiday set), 4 Jan
    assert holidays[0]["closing_at"].astimezone(sla.JAKARTA).date() == date(2027, 1, 4)


def test_the_closing_timer_fires_once_when_due_and_not_before():
    clock = conveyed_clock()
    assert sla.closing_due(clock, clock["closing_at"] - timedelta(seconds=1)) is None
    due = clock["closing_at"] + timedelta(seconds=1)
    state, [(event_type, data)] = sla.closing_due(clock, due)
    assert event_type == EventType.SLA_CLOSING_DUE
    assert data["working_days"] == 10 and data["at"] == "2026-12-18T23:59:59+07:00"
    assert state["closing_at"] is None
    assert sla.closing_due(state, due + timedelta(days=30)) is None


def test_reopening_or_closing_cancels_the_closing_timer():
    clock = conveyed_clock()
    reopened, _ = sla.reopen(clock, PERWAL_5_2023, CALENDAR, CONVEYED + timedelta(days=1))
    assert reopened["closing_at"] is None and reopened["running"] is True
    closed, _ = sla.stop_clock(clock, CONVEYED + timedelta(days=1))
    assert closed["closing_at"] is None
    assert sla.stop_clock(closed, CONVEYED + timedelta(days=2)) is None


def test_the_months_ratings_by_agency_and_category_hold_counts_and_averages_only():
    from services.reporting.core import rating_summary

    summary = rating_summary(
        [("dpu", "infrastruktur_fasum", 5, 3), ("dpu", "infrastruktur_fasum", 1, 1)]
        + [("dlh", "lingkungan_perumahan", 4, 2), (None, None, 2, 1)]
    )
    assert (summary["rated"], summary["average"], summary["disputed"]) == (7, 3.71, 2)
    assert summary["by_agency"][1] == {
        "agency": "dpu",
        "rated": 4,
        "average": 4.0,
        "disputed": 1,
        "by_rating": {"1": 1, "2": 0, "3": 0, "4": 0, "5": 3},
    }
    assert [r["category"] for r in summary["by_category"]] == [
        "infrastruktur_fasum",
        "lingkungan_perumahan",
        "unassigned",
    ]
    assert rating_summary([])["average"] is None
