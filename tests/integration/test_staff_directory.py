"""staff_notices' directory and deliveries against a real MongoDB: an SLA event is
enqueued once per person and medium however often it comes, a disabled account is told
nothing, and an account snapshot older than the one kept changes nothing."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.chassis.aggregates import Aggregates
from services.chassis.outbound import Deliveries
from services.staff_notices.store import StaffBook

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


@pytest.fixture
def book(mongo):
    db = MongoClient(mongo.uri, tz_aware=True)[f"it_{uuid.uuid4().hex[:8]}"]
    deliveries = Deliveries(Aggregates(db.deliveries), 20, 1.0, announce=False)
    yield StaffBook(db, deliveries, "https://lapor.semarangkota.go.id")
    db.client.drop_database(db.name)


def account(username: str, role: str, agency, active: bool, at: datetime) -> dict:
    return {
        "username": username,
        "role": role,
        "agency": agency,
        "active": active,
        "changed_at": at.isoformat(),
    }


def breach(event_id: str) -> dict:
    return {
        "event_id": event_id,
        "type": "sla.breached",
        "version": 1,
        "occurred_at": NOW.isoformat(),
        "ticket": "SMG-2026-000007",
        "data": {
            "kind": "breach",
            "label": "due",
            "at": NOW.isoformat(),
            "due_at": NOW.isoformat(),
            "agency": "dpu",
            "stage": "agency_response",
            "recipients": ["agency_admin:dpu", "supervisor", "agency_head:dpu"],
        },
    }


def test_an_event_is_enqueued_once_and_a_disabled_account_is_told_nothing(book):
    book.account(account("kadis-dpu", "agency_head", "dpu", True, NOW))
    contact = {"email": "kadis@dpu.go.id", "whatsapp": "+6281234567001"}
    book.set_contact("kadis-dpu", "agency_head", "dpu", contact, NOW)
    book.set_contact("pengawas1", "supervisor", None, {"email": "p1@go.id", "whatsapp": None}, NOW)
    assert book.notify(breach("e1"), NOW) == 3
    assert book.notify(breach("e1"), NOW) == 0  # redelivered: nothing new
    book.account(account("kadis-dpu", "agency_head", "dpu", False, NOW + timedelta(seconds=1)))
    # An older snapshot (an event overtaken by a newer one) does not enable it again.
    book.account(account("kadis-dpu", "agency_head", "dpu", True, NOW - timedelta(seconds=5)))
    assert book.notify(breach("e2"), NOW) == 1  # the supervisor only
    listed = book.deliveries_for("SMG-2026-000007")
    assert sorted(d["id"] for d in listed) == [
        "e1:kadis-dpu:email",
        "e1:kadis-dpu:whatsapp",
        "e1:pengawas1:email",
        "e2:pengawas1:email",
    ]
    assert {d["status"] for d in listed} == {"pending"}
    assert book.contact("kadis-dpu") == {"username": "kadis-dpu", **contact}
