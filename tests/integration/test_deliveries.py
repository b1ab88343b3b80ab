"""Outbound deliveries against a real MongoDB: one per notice, one sender at a time,
retries with growing delays, and a record of the end either way."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.chassis.aggregates import OUTBOX, Aggregates
from services.chassis.http import DeliveryFailed
from services.chassis.outbound import Deliveries, backoff
from tests.support.mongo import CommandCounter

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


@pytest.fixture
def deliveries(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    db = client[f"it_{uuid.uuid4().hex[:8]}"]
    db.deliveries.create_index([("open", 1), ("due_at", 1)])
    yield Deliveries(Aggregates(db.deliveries), max_attempts=3, retry_base=2.0)
    client.drop_database(db.name)


def enqueue(deliveries: Deliveries, notice_id: str = "n1") -> bool:
    to = {"phone": "+6281234567890"}
    return deliveries.enqueue("SMG-2026-000001", notice_id, "received", to, "Diterima", NOW)


def reports(deliveries: Deliveries, key: str = "n1") -> list[dict]:
    doc = deliveries.aggregates.collection.find_one({"_id": key})
    return [event["data"] for event in doc.get(OUTBOX, [])]


def test_a_notice_is_enqueued_once(deliveries):
    assert enqueue(deliveries) is True
    assert enqueue(deliveries) is False
    assert deliveries.due(NOW) == ["n1"]


def test_due_deliveries_come_by_ticket_each_in_the_order_enqueued(deliveries):
    """Tickets may be sent side by side; one ticket's notices go in their own order."""
    to = {"phone": "+6281234567890"}
    steps = [("B", "b-received"), ("A", "a-received"), ("B", "b-answer"), ("A", "a-answer")]
    for minute, (ticket, notice) in reversed(list(enumerate(steps))):  # stored out of order
        deliveries.enqueue(ticket, notice, "x", to, "teks", NOW + timedelta(minutes=minute))
    deliveries.enqueue("", "no-ticket", "refused", to, "teks", NOW)
    later = NOW + timedelta(hours=1)
    groups = deliveries.due_by_ticket(later)
    assert sorted(groups) == [["a-received", "a-answer"], ["b-received", "b-answer"], ["no-ticket"]]
    assert sorted(deliveries.due(later)) == sorted(n for _, n in steps) + ["no-ticket"]


def test_only_one_of_racing_senders_takes_a_delivery(deliveries):
    enqueue(deliveries)
    taken = []

    def sender():
        found = deliveries.claim("n1", NOW, LEASE)
        if found is not None:
            taken.append(found)

    threads = [threading.Thread(target=sender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 1 and taken[0]["status"] == "sending"
    assert deliveries.due(NOW) == []  # leased
    assert deliveries.due(NOW + LEASE) == ["n1"]  # a crashed sender's lease runs out


def test_a_failure_is_retried_later_and_gives_up_after_the_last_attempt(deliveries):
    enqueue(deliveries)
    moment = NOW
    for attempt in (1, 2):
        delivery = deliveries.claim("n1", moment, LEASE)
        assert deliveries.attempt_failed(delivery, DeliveryFailed("HTTP 503"), moment) == "retry"
        assert deliveries.due(moment) == []
        moment += backoff(attempt, 2.0)
        assert deliveries.due(moment) == ["n1"]
    delivery = deliveries.claim("n1", moment, LEASE)
    assert deliveries.attempt_failed(delivery, DeliveryFailed("HTTP 503"), moment) == "failed"
    [report] = reports(deliveries)
    assert report["status"] == "failed" and report["attempts"] == 3
    assert deliveries.due(moment + timedelta(days=1)) == []


def test_a_refused_message_fails_at_once_and_a_delivered_one_is_reported(deliveries):
    enqueue(deliveries, "n1")
    enqueue(deliveries, "n2")
    refused = deliveries.claim("n1", NOW, LEASE)
    bad_number = DeliveryFailed("HTTP 400 invalid number", permanent=True)
    assert deliveries.attempt_failed(refused, bad_number, NOW) == "failed"
    assert reports(deliveries, "n1")[0]["error"].startswith("HTTP 400")

    sent = deliveries.claim("n2", NOW, LEASE)
    deliveries.delivered(sent, "provider-77", NOW)
    [report] = reports(deliveries, "n2")
    assert report == {
        "notice_id": "n2",
        "status": "delivered",
        "attempts": 1,
        "at": NOW.isoformat(),
    }
    [listed] = [d for d in deliveries.for_ticket("SMG-2026-000001") if d["id"] == "n2"]
    assert listed["provider_ref"] == "provider-77" and listed["status"] == "delivered"


def test_retry_delays_double_up_to_five_minutes():
    assert [backoff(n, 2.0).total_seconds() for n in (1, 2, 3, 10)] == [2, 4, 8, 300]


def test_a_delivery_costs_a_read_and_two_writes_from_claim_to_delivered(mongo):
    """Claimed at the version read and recorded on the claimed copy: no read-backs (a
    burst of 200 SMS spends most of its time in the store)."""
    commands = CommandCounter(("find", "insert", "update"))
    client = MongoClient(mongo.uri, tz_aware=True, event_listeners=[commands])
    db = client[f"it_{uuid.uuid4().hex[:8]}"]
    try:
        deliveries = Deliveries(Aggregates(db.deliveries), max_attempts=3, retry_base=2.0)
        enqueue(deliveries)
        commands.names.clear()
        delivery = deliveries.claim("n1", NOW, LEASE)
        assert delivery["status"] == "sending" and delivery["text"] == "Diterima"
        deliveries.delivered(delivery, "provider-1", NOW)
        assert commands.names == ["find", "update", "update"]
        stored = db.deliveries.find_one({"_id": "n1"})
        assert (stored["status"], stored["provider_ref"], stored["open"]) == (
            "delivered",
            "provider-1",
            False,
        )
        assert reports(deliveries) == [
            {"notice_id": "n1", "status": "delivered", "attempts": 1, "at": NOW.isoformat()}
        ]
    finally:
        client.drop_database(db.name)


def test_an_outcome_is_recorded_after_another_sender_took_the_delivery_over(deliveries):
    enqueue(deliveries)
    slow = deliveries.claim("n1", NOW, LEASE)
    taken_over = deliveries.claim("n1", NOW + LEASE, LEASE)  # the first lease ran out
    assert taken_over is not None
    deliveries.delivered(slow, "provider-1", NOW + LEASE)  # the slow send did get through
    stored = deliveries.aggregates.get("n1")
    assert (stored["status"], stored["open"], stored["provider_ref"]) == (
        "delivered",
        False,
        "provider-1",
    )
