"""A calendar recompute against a real SecantusDB: only the clocks whose deadline moves
are written, in bulk, and a clock changed meanwhile is recomputed, not overwritten."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.chassis.aggregates import Aggregates, Change, public_state
from services.chassis.domain import to_change
from services.contracts.events import EventType
from services.contracts.reference import Scope
from services.sla import core, recompute_store
from services.sla.calendar_edits import DayChange
from services.sla.policy import PERWAL_5_2023
from services.sla.store import Calendar, Clocks

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 in Semarang
DAY_OFF = DayChange(date(2026, 11, 30), False, "Cuti bersama tambahan (uji)")
MOVED = "calendar: 2026-11-30 day off (Cuti bersama tambahan (uji))"


@pytest.fixture
def db(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    database = client[f"it_{uuid.uuid4().hex[:8]}"]
    database.clocks.create_index([("running", 1), ("next_at", 1)])
    database.clocks.create_index(recompute_store.INDEX)
    Aggregates(database.clocks).ensure_indexes()
    yield database
    client.drop_database(database.name)


def store_clocks(db, calendar: Calendar, count: int) -> list[dict]:
    """Clocks received over the last 30 days: some classified, some paused, a few
    stopped; stored as the sla service stores them."""
    rng = random.Random(11)
    working = calendar.get()
    docs = []
    for n in range(count):
        received = NOW - timedelta(minutes=rng.randrange(1, 60 * 24 * 30))
        state, _ = core.start_clock(received, PERWAL_5_2023, working)
        state["_id"] = f"SMG-2026-{n:06d}"
        scope = rng.choice([Scope.SINGLE_AGENCY] * 5 + [Scope.CROSS_AGENCY])
        if scope != Scope.SINGLE_AGENCY:
            state, _ = core.rescope(state, str(scope), PERWAL_5_2023, working, received)
        if rng.random() < 0.1:
            state, _ = core.pause(state, NOW)
        if rng.random() < 0.05:
            state, _ = core.stop_clock(state, NOW)
        docs.append({**state, "_v": 1, "_applied": []})
    db.clocks.insert_many(docs)
    return docs


def test_a_recompute_over_thousands_of_clocks_writes_only_those_that_move(db):
    calendar = Calendar(db, 2026, 2027)
    before = store_clocks(db, calendar, 3000)
    clocks = Clocks(Aggregates(db.clocks), db, calendar)
    answer = clocks.change_day(DAY_OFF, "supervisor1", NOW)
    after = calendar.reload()
    expected = {}
    for doc in before:
        decided = core.recompute(public_state(doc), PERWAL_5_2023, after, MOVED, NOW)
        if decided is not None:
            expected[doc["_id"]] = decided[0]["due_at"]
    assert 500 < len(expected) < len(before) / 2

    assert clocks.recompute_pending(NOW) == len(expected)

    status = clocks.recompute_status(answer["recompute"])
    assert status["state"] == "done" and status["deadlines_moved"] == len(expected)
    # Read: the clocks that may span the day (those that moved, and the paused or
    # due-on-the-day ones whose deadline stays), not the thousands around them.
    assert len(expected) <= status["clocks_read"] < 1.2 * len(expected)
    for doc in db.clocks.find():
        if doc["_id"] in expected:
            assert doc["_v"] == 2 and doc["due_at"] == expected[doc["_id"]]
            [event] = doc["_outbox"]
            assert event["type"] == EventType.DEADLINE_SET and event["data"]["reason"] == MOVED
            assert doc["history"][-1]["reason"] == MOVED and doc["_pending"]
        else:
            assert doc["_v"] == 1 and "_outbox" not in doc, doc["_id"]
    relayed = {unpublished.key: unpublished for unpublished in clocks.clocks.to_relay}
    assert set(relayed) == set(expected)
    assert all(item.version == 2 and len(item.events) == 1 for item in relayed.values())
    # Nothing moves twice.
    clocks.change_day(DAY_OFF, "supervisor1", NOW)
    assert clocks.recompute_pending(NOW) == 0


class Meddling:
    """The clocks collection, where another worker changes a clock just after the
    recompute has read the page holding it."""

    def __init__(self, collection, meddle) -> None:
        self.collection = collection
        self.meddle = meddle
        self.meddled: str | None = None

    def __getattr__(self, name: str):
        return getattr(self.collection, name)

    def find(self, *args, **kwargs):
        docs = list(self.collection.find(*args, **kwargs))
        if docs and self.meddled is None:
            self.meddled = docs[-1]["_id"]
            self.meddle(self.meddled)
        return docs


def test_a_clock_changed_meanwhile_is_recomputed_not_overwritten(db):
    calendar = Calendar(db, 2026, 2027)
    # Received Monday to Thursday: every deadline spans Monday 30 November.
    for n in range(40):
        received = datetime(2026, 11, 23, 2, 0, tzinfo=UTC) + n * timedelta(hours=2)
        state, _ = core.start_clock(received, PERWAL_5_2023, calendar.get())
        db.clocks.insert_one({**state, "_id": f"SMG-2026-{n:06d}", "_v": 1, "_applied": []})
    other_worker = Aggregates(db.clocks)

    def pause(ticket: str) -> None:
        # An officer asks the reporter a question: the clock pauses (its own event).
        other_worker.change(ticket, lambda clock: to_change(ticket, core.pause(clock, NOW), NOW))

    meddling = Meddling(db.clocks, pause)
    clocks = Clocks(Aggregates(meddling), db, calendar)
    answer = clocks.change_day(DAY_OFF, "supervisor1", NOW)
    assert clocks.recompute_pending(NOW) == 40
    assert clocks.recompute_status(answer["recompute"])["deadlines_moved"] == 40

    paused = db.clocks.find_one({"_id": meddling.meddled})
    assert paused["paused_since"] == NOW and paused["_v"] == 3  # both changes kept
    assert [e["type"] for e in paused["_outbox"]] == [EventType.SLA_PAUSED, EventType.DEADLINE_SET]
    assert paused["history"][-1]["reason"] == MOVED and paused["timers"] == []
    [relayed] = [u for u in clocks.clocks.to_relay if u.key == meddling.meddled]
    assert relayed.version == 3 and relayed.events == paused["_outbox"]


def test_save_many_saves_each_change_at_the_version_read_only(db):
    things = Aggregates(db.things)
    for key in ("a", "b", "c"):
        things.change(key, lambda _: Change({"n": 0}))
    read = list(db.things.find())
    db.things.update_one({"_id": "b"}, {"$set": {"n": 7}, "$inc": {"_v": 1}})
    saved = things.save_many(
        [
            (doc, to_change(doc["_id"], ({"n": 1}, [(EventType.DEADLINE_SET, {})]), NOW))
            for doc in read
        ]
    )
    assert saved == {"a", "c"}
    assert {doc["_id"]: (doc["n"], doc["_v"]) for doc in db.things.find()} == {
        "a": (1, 2),
        "b": (7, 2),
        "c": (1, 2),
    }
    assert sorted((u.key, u.version) for u in things.to_relay) == [("a", 2), ("c", 2)]
    assert things.save_many([]) == set()
