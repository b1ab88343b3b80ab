"""The weekly digest is recorded once, however many sla instances try."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.chassis.aggregates import Aggregates
from services.sla import core
from services.sla.policy import PERWAL_5_2023
from services.sla.store import Calendar, Clocks

pytestmark = pytest.mark.integration

MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 09:00 in Semarang


def test_concurrent_instances_record_one_digest_per_week(mongo):
    db = MongoClient(mongo.uri, tz_aware=True)[f"it_{uuid.uuid4().hex[:8]}"]
    calendar = Calendar(db, 2026, 2027)
    for n, agency in enumerate(("dpu", "dpu", "dlh", None)):
        state, _ = core.start_clock(MONDAY - timedelta(days=20), PERWAL_5_2023, calendar.get())
        db.clocks.insert_one({**state, "_id": f"SMG-2026-{n:06d}", "agency": agency, "_v": 1})
    results = []

    def attempt() -> None:
        clocks = Clocks(Aggregates(db.clocks), db, calendar)
        results.append(clocks.weekly_digest(MONDAY))

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorded = [r for r in results if r]
    assert len(recorded) == 1 and db.digests.count_documents({}) == 1
    assert {a["agency"]: a["overdue"] for a in recorded[0]["agencies"]} == {
        "dpu": 2,
        "dlh": 1,
        "belum_diteruskan": 1,
    }
    # Its event is in the same document's outbox, for staff_notices to deliver.
    [event] = db.digests.find_one({"_id": "2026-W49"})["_outbox"]
    assert event["type"] == "sla.weekly_digest" and event["ticket"] == ""
    assert event["data"]["week"] == "2026-W49" and event["data"]["total_overdue"] == 4
    assert sorted(event["data"]["recipients"]) == [
        "agency_head:dlh",
        "agency_head:dpu",
        "supervisor",
    ]
    latest = Clocks(Aggregates(db.clocks), db, calendar).latest_digest()
    assert latest["week"] == "2026-W49" and latest["total_overdue"] == 4
    assert "_outbox" not in latest and "_v" not in latest
    db.client.drop_database(db.name)


def test_a_recompute_runs_once_and_a_stalled_one_is_taken_over(mongo):
    from services.sla.calendar_edits import DayChange

    db = MongoClient(mongo.uri, tz_aware=True)[f"it_{uuid.uuid4().hex[:8]}"]
    calendar = Calendar(db, 2026, 2027)
    for n in range(3):
        state, _ = core.start_clock(MONDAY, PERWAL_5_2023, calendar.get())
        db.clocks.insert_one({**state, "_id": f"SMG-2026-{n:06d}", "_v": 1, "_applied": []})
    clocks = Clocks(Aggregates(db.clocks), db, calendar)
    answer = clocks.change_day(
        DayChange(MONDAY.date() + timedelta(days=2), False, "Cuti bersama tambahan"),
        "supervisor1",
        MONDAY,
    )
    moved: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: moved.append(
                Clocks(Aggregates(db.clocks), db, calendar).recompute_pending(MONDAY)
            )
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(moved) == [0, 0, 0, 3]
    assert clocks.recompute_status(answer["recompute"])["deadlines_moved"] == 3
    assert [h["reason"][:9] for h in db.clocks.find_one()["history"]] == ["received", "calendar:"]

    stalled = {
        "_id": "stalled",
        "day": "2026-12-03",
        "reason": "calendar: x",
        "requested_at": MONDAY,
        "state": "running",
        "started_at": MONDAY - timedelta(hours=2),
    }
    db.recomputes.insert_one(stalled)
    clocks.recompute_pending(MONDAY)
    assert clocks.recompute_status("stalled")["state"] == "done"
    db.client.drop_database(db.name)
