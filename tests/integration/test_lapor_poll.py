"""The LAPOR! poll lease against a real MongoDB: one instance polls at a time, and the
ticks between polls cost no command."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.channels.lapor.store import LaporBook, PollSchedule
from tests.support.mongo import CommandCounter

pytestmark = pytest.mark.integration

EVERY = timedelta(seconds=60)
LEASE = timedelta(seconds=120)


@pytest.fixture
def database(mongo):
    commands = CommandCounter(("find", "insert", "update"))
    client = MongoClient(mongo.uri, tz_aware=True, event_listeners=[commands])
    name = f"it_lapor_{uuid.uuid4().hex[:8]}"
    yield client[name], commands
    client.drop_database(name)


def instance(db) -> LaporBook:
    """One bridge process: its own schedule, the shared database."""
    return LaporBook(db, deliveries=None, client=None, every=EVERY, schedule=PollSchedule())


def test_one_instance_polls_and_the_ticks_between_polls_send_nothing(database):
    db, commands = database
    first, second = instance(db), instance(db)
    start = datetime.now(UTC)

    assert first.claim_poll(start, LEASE) == ""
    assert second.claim_poll(start, LEASE) is None  # held by the first
    first.advance("c1", start + timedelta(seconds=1))

    commands.names.clear()
    for tick in range(1, 100):  # fifty seconds of ticks, two a second
        now = start + timedelta(seconds=1 + tick / 2)
        assert first.claim_poll(now, LEASE) is None
    assert commands.names == []

    # The second instance last read the first's lease: it reads again when that would have
    # ended, sees the later due time, and then waits for it without commands too.
    assert second.claim_poll(start + LEASE + timedelta(seconds=1), LEASE) == "c1"


def test_the_instance_that_did_not_poll_takes_over_when_the_poller_stops(database):
    db, _ = database
    first, second = instance(db), instance(db)
    start = datetime.now(UTC)
    assert first.claim_poll(start, LEASE) == ""
    first.advance("c1", start)
    assert second.claim_poll(start + timedelta(seconds=30), LEASE) is None
    # The first process died: once the poll is due, the second takes it.
    assert second.claim_poll(start + EVERY + timedelta(seconds=1), LEASE) == "c1"
    assert first.claim_poll(start + EVERY + timedelta(seconds=2), LEASE) is None
