"""The SMS adapter answers a receipt that overtook its own record of the sender by asking
intake, instead of waiting for a retry; a ticket nobody knows is still retried."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.channels.sms import core
from services.channels.sms.store import SmsBook
from services.chassis.aggregates import Aggregates
from services.chassis.outbound import Deliveries

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
NOTICE = {"notice_id": "n1", "about": "received", "details": {}}


@pytest.fixture
def book(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    db = client[f"it_{uuid.uuid4().hex[:8]}"]
    deliveries = Deliveries(Aggregates(db.deliveries), max_attempts=3, retry_base=2.0)
    yield SmsBook(db, deliveries, "https://aduan.example", timedelta(minutes=10))
    client.drop_database(db.name)


def queued_to(book: SmsBook, notice_id: str = "n1") -> str:
    return book.db.deliveries.find_one({"_id": notice_id})["to"]["phone"]


def test_a_receipt_before_the_conversation_is_saved_goes_to_the_sender_intake_knows(book):
    asked = []

    def intake(ticket: str) -> str:
        asked.append(ticket)
        return "+6281234567890"

    book.reply("SMG-2026-000001", NOTICE, NOW, intake)
    assert asked == ["SMG-2026-000001"]
    assert queued_to(book) == "+6281234567890"


def test_a_saved_conversation_is_used_without_asking_intake(book):
    message = core.Message("m1", "+6289876543210", "Jalan rusak", None)
    book.opened(message, "SMG-2026-000002", NOW)

    def intake(ticket: str) -> str:
        raise AssertionError("intake asked although the conversation is saved")

    book.reply("SMG-2026-000002", NOTICE, NOW, intake)
    assert queued_to(book) == "+6289876543210"


def test_a_ticket_neither_knows_is_retried_not_dropped(book):
    with pytest.raises(LookupError):
        book.reply("SMG-2026-000003", NOTICE, NOW, lambda ticket: None)
    assert book.db.deliveries.count_documents({}) == 0
