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
    latest = Clocks(Aggregates(db.clocks), db, calendar).latest_digest()
    assert latest["week"] == "2026-W49" and latest["total_overdue"] == 4
    db.client.drop_database(db.name)
