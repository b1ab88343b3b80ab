"""The WhatsApp adapter's records in a real MongoDB: the 24-hour session, what a
complaint takes along (decided once), status callbacks that overtake their send, and
what is forgotten."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.channels.whatsapp import core
from services.channels.whatsapp.store import WhatsAppBook
from services.chassis.aggregates import Aggregates
from services.chassis.cloud_api import CloudApi
from services.chassis.outbound import Deliveries

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
SENDER = "+6281234567890"


@pytest.fixture
def book(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    db = client[f"it_{uuid.uuid4().hex[:8]}"]
    deliveries = Deliveries(Aggregates(db.deliveries), max_attempts=3, retry_base=2.0)
    api = CloudApi("", "", "")
    yield WhatsAppBook(db, deliveries, "https://aduan.example", timedelta(minutes=10), api)
    client.drop_database(db.name)


def message(kind: str = "text", at: datetime = NOW, **fields) -> core.Message:
    text = fields.pop("text", "Jalan berlubang di Tembalang" if kind == "text" else "")
    return core.Message(f"wamid.{uuid.uuid4().hex}", SENDER, kind, text, at, **fields)


def test_the_session_runs_from_the_latest_message_whatever_the_order(book):
    book.seen(message(at=NOW - timedelta(hours=2)), NOW)
    book.seen(message(at=NOW - timedelta(hours=30)), NOW)  # a late delivery of an old one
    assert book.db.senders.find_one({"_id": SENDER})["last_inbound_at"] == NOW - timedelta(hours=2)


def test_a_complaint_takes_what_came_shortly_before_and_the_same_on_redelivery(book):
    old = message("image", NOW - timedelta(minutes=30), media_id="m-old")
    photo = message("image", NOW - timedelta(minutes=5), media_id="m1")
    where = message("location", NOW - timedelta(minutes=2), location={"lat": -7.0, "lon": 110.0})
    for kept in (old, photo, where):
        book.keep(kept, NOW)
    text = message()
    plan = book.gathered(text, NOW)
    assert plan["media"] == ["m1"] and plan["location"] == {"lat": -7.0, "lon": 110.0}
    # A photo arriving meanwhile does not change what this message's complaint is.
    book.keep(message("image", NOW - timedelta(minutes=1), media_id="m2"), NOW)
    assert book.gathered(text, NOW)["media"] == ["m1"]
    book.opened(text, "SMG-2026-000001", plan, NOW)
    # Taken: the sender's next complaint does not take them again.
    assert book.gathered(message(at=NOW + timedelta(minutes=1)), NOW)["media"] == ["m2"]
    # Each photo or location alone was answered once, with what to do next.
    answers = list(book.db.deliveries.find({"about": "kept"}))
    assert len(answers) == 4 and all("tuliskan masalahnya" in a["text"] for a in answers)


def test_a_status_before_its_send_is_saved_is_applied_by_the_sweep(book):
    book.deliveries.enqueue("SMG-2026-000002", "n1", "received", {"phone": SENDER}, "Hai", NOW)
    early = core.Status("wamid.X", "delivered", NOW, None)
    assert not book.status(early, NOW)
    assert [s.message_id for s in book.unmatched_statuses(NOW, timedelta(minutes=10))] == [
        "wamid.X"
    ]
    delivery = book.deliveries.claim("n1", NOW, timedelta(seconds=60))
    book.deliveries.delivered(delivery, "wamid.X", NOW)
    for status in book.unmatched_statuses(NOW, timedelta(minutes=10)):
        assert book.status(status, NOW)
        book.matched(status)
    assert book.unmatched_statuses(NOW, timedelta(minutes=10)) == []
    saved = book.db.deliveries.find_one({"_id": "n1"})
    assert saved["whatsapp_status"] == "delivered"
    reported = [e for e in saved.get("_outbox", []) if e["type"] == "reporter.delivery"]
    assert [e["data"]["status"] for e in reported] == ["delivered", "delivered"]
    # One that never matches (another sender's message) is forgotten after the window.
    book.status(core.Status("wamid.staff", "read", NOW, None), NOW)
    later = NOW + timedelta(minutes=11)
    assert book.unmatched_statuses(later, timedelta(minutes=10)) == []
    assert book.db.statuses.count_documents({}) == 0


def test_waiting_photos_and_plans_are_forgotten_after_the_redelivery_window(book):
    book.keep(message("image", media_id="m1"), NOW)
    book.gathered(message(), NOW)
    book.forget_gathered(NOW + timedelta(days=1), timedelta(days=2))
    assert book.db.drafts.count_documents({}) == 1 and book.db.gathered.count_documents({}) == 1
    book.forget_gathered(NOW + timedelta(days=3), timedelta(days=2))
    assert book.db.drafts.count_documents({}) == 0 and book.db.gathered.count_documents({}) == 0
