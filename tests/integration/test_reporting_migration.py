"""reporting's start-up migration removes what versions that consumed the channels' raw
messages left: the view of ticket "" with senders' numbers and accounts, such a message in
a complaint's view, and the queues aduan.reporting.channel.* still holding them."""

import json
import logging
import uuid

import pika
import pymongo
import pytest

from services.chassis.config import Settings
from services.chassis.topology import queue_name
from services.reporting import store as reporting_store

pytestmark = pytest.mark.integration

PHONE = "+6285700001234"
LEFTOVER_QUEUES = [
    queue_name("reporting", event_type) + suffix
    for event_type in ("channel.sms.received", "channel.media_sosial.received")
    for suffix in ("", ".retry", ".dead")
]


class FakeContainer:
    service_name = "reporting"


def channel_event(kind: str, data: dict) -> dict:
    return {
        "event_id": uuid.uuid4().hex,
        "type": kind,
        "version": 1,
        "occurred_at": "2026-03-05T02:30:00+00:00",
        "ticket": "",
        "data": data,
    }


SMS = channel_event("channel.sms.received", {"message_id": "m1", "sender": PHONE, "text": "x"})
SOCIAL = channel_event(
    "channel.media_sosial.received", {"author": {"handle": "warga_migrasi"}, "text": "x"}
)


@pytest.fixture
def store(mongo, fresh_vhost):
    settings = Settings.from_env(
        "reporting",
        {
            "ADUAN_MONGO_URI": mongo.uri,
            "ADUAN_AMQP_URI": fresh_vhost.uri,
            "ADUAN_DB_PREFIX": f"m{uuid.uuid4().hex[:8]}",
        },
    )
    container = FakeContainer()  # extensions hold their container weakly
    provider = reporting_store.ReportingStore().bind(container, "views")
    provider.settings = settings
    client = pymongo.MongoClient(settings.mongo_uri, tz_aware=True)
    provider.db = client[settings.database]
    yield provider
    client.drop_database(settings.database)
    client.close()


def leave_queues_behind(vhost) -> None:
    """As the consumer of older versions declared them, each holding a message."""
    connection = pika.BlockingConnection(pika.URLParameters(vhost.uri))
    try:
        channel = connection.channel()
        for name in LEFTOVER_QUEUES:
            channel.queue_declare(name, durable=True)
            channel.basic_publish("", name, json.dumps(SMS))
    finally:
        connection.close()


def test_the_migration_removes_senders_left_by_older_versions(store, fresh_vhost, caplog):
    views = store.db.views
    views.insert_one({"_id": "", "ticket": "", "events": [SMS, SOCIAL], "_v": 2})
    # A complaint's view that somehow holds a channel message, and one that does not.
    received = {"type": "complaint.received", "event_id": "r1"}
    views.insert_one(
        {
            "_id": "SMG-2026-000001",
            "events": [received, SOCIAL],
            "timeline": [{"event": "complaint.received"}, {"event": SOCIAL["type"]}],
            "_v": 1,
        }
    )
    kept = {"_id": "SMG-2026-000002", "events": [], "status": "received", "_v": 1}
    views.insert_one(kept)
    leave_queues_behind(fresh_vhost)

    with caplog.at_level(logging.INFO, logger="services.reporting.store"):
        store.migrate()

    assert sorted(doc["_id"] for doc in views.find()) == ["SMG-2026-000001", "SMG-2026-000002"]
    cleaned = views.find_one({"_id": "SMG-2026-000001"})
    assert cleaned["events"] == [received]
    assert cleaned["timeline"] == [{"event": "complaint.received"}]
    # Untouched but for the worklist filters' fields, the public category (tests below)
    # and the analytics' facts (none without a complaint.received).
    assert views.find_one({"_id": "SMG-2026-000002"}) == {
        **kept,
        "work_category": None,
        "search_text": "",
        "task_agencies": [],
        "queue_agencies": [],
        "public_category": None,
        "facts": None,
    }
    # The events the views held are copied into the event log, once.
    assert [doc["_id"] for doc in store.db.events.find()] == ["r1"]
    scanned = store.db.migrations.find_one({"_id": reporting_store.VIEWS_SCANNED})
    assert scanned["views_cleaned"] == 1
    assert not [name for name in LEFTOVER_QUEUES if fresh_vhost.has_queue(name)]
    logged = caplog.text
    assert "ticket ''" in logged and "from 1 complaint views" in logged
    for name in LEFTOVER_QUEUES:
        assert f"deleted queue {name} with 1 messages" in logged
    assert PHONE not in logged and "8570000" not in logged

    # Idempotent: run again (every start does) with nothing left, it removes nothing.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="services.reporting.store"):
        store.migrate()
    assert "migration" not in caplog.text
    assert views.count_documents({}) == 2

    # The "" view is checked at every start (an older instance may still be running).
    views.insert_one({"_id": "", "ticket": "", "events": [SMS], "_v": 1})
    store.migrate()
    assert views.find_one({"_id": ""}) is None


def test_views_folded_before_the_worklist_filters_get_their_fields_once(store):
    views = store.db.views
    views.insert_one(
        {
            "_id": "SMG-2026-000003",
            "status": "awaiting_review",
            "title": "Lampu  PJU mati",
            "description": "Di Jalan PEMUDA",
            "category": None,
            "suggested_category": "penerangan_transportasi",
            "_v": 1,
        }
    )
    store.migrate()
    view = views.find_one({"_id": "SMG-2026-000003"})
    assert view["work_category"] == "penerangan_transportasi"
    assert view["search_text"] == "lampu pju mati di jalan pemuda"
    done = store.db.migrations.find_one({"_id": reporting_store.WORKLIST_FIELDS_ADDED})
    assert done["views"] == 1
    views.update_one({"_id": "SMG-2026-000003"}, {"$unset": {"search_text": ""}})
    store.migrate()  # recorded as done: not scanned again
    assert "search_text" not in views.find_one({"_id": "SMG-2026-000003"})


def test_views_forwarded_before_multi_agency_cases_stay_in_their_agencys_queue(store):
    views = store.db.views
    for ticket, status in (("SMG-2026-000006", "accepted"), ("SMG-2026-000007", "resolved")):
        views.insert_one(
            {"_id": ticket, "status": status, "agency": "dpu", "search_text": "x", "_v": 1}
        )
    store.migrate()
    queued = views.find_one({"_id": "SMG-2026-000006"})
    assert queued["queue_agencies"] == ["dpu"] and queued["task_agencies"] == ["dpu"]
    done = views.find_one({"_id": "SMG-2026-000007"})
    assert done["queue_agencies"] == [] and done["task_agencies"] == ["dpu"]


def test_views_folded_before_the_public_list_get_their_public_category_once(store):
    views = store.db.views
    views.insert_one(
        {
            "_id": "SMG-2026-000004",
            "status": "closed",
            "category": "infrastruktur_fasum",
            "search_text": "jalan berlubang",  # the worklist's fields came earlier
            "_v": 1,
        }
    )
    views.insert_one(
        {"_id": "SMG-2026-000005", "status": "received", "category": None}
        | {"category_hint": "penegakan_perda", "search_text": "pkl", "_v": 1}
    )
    store.db.migrations.insert_one({"_id": reporting_store.WORKLIST_FIELDS_ADDED})
    store.migrate()
    assert views.find_one({"_id": "SMG-2026-000004"})["public_category"] == "infrastruktur_fasum"
    assert views.find_one({"_id": "SMG-2026-000005"})["public_category"] == "penegakan_perda"
    done = store.db.migrations.find_one({"_id": reporting_store.PUBLIC_CATEGORY_ADDED})
    assert done["views"] == 2
