"""The aggregate store and the outbox relay against a real MongoDB and RabbitMQ."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pika
import pytest
from kombu import Connection
from nameko.amqp.publish import UndeliverableMessage
from pymongo import MongoClient
from pymongo.errors import DuplicateKeyError

from services.chassis import topology
from services.chassis.aggregates import Aggregates, Change
from services.chassis.publisher import EventPublisher
from services.chassis.relay import Relay
from services.contracts.events import EventType

pytestmark = pytest.mark.integration


@pytest.fixture
def store(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    collection = client[f"it_{uuid.uuid4().hex[:8]}"]["things"]
    aggregates = Aggregates(collection)
    aggregates.ensure_indexes()
    yield aggregates
    client.drop_database(collection.database.name)


def event(kind: EventType = EventType.COMPLAINT_CLOSED) -> dict:
    return {
        "event_id": uuid.uuid4().hex,
        "type": str(kind),
        "version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "ticket": "T-1",
        "data": {},
    }


def counting(doc):
    n = (doc or {}).get("n", 0)
    return Change({"n": n + 1}, [event()])


def test_an_event_is_applied_once_however_often_it_arrives(store):
    for _ in range(3):
        store.change("T-1", counting, applying="event-1")
    doc = store.get("T-1")
    assert doc["n"] == 1 and doc["_applied"] == ["event-1"] and len(doc["_outbox"]) == 1
    [saved] = store.to_relay
    assert saved.key == "T-1" and saved.version == 1 and saved.events == doc["_outbox"]


def test_concurrent_changes_are_serialised_not_lost(store):
    store.change("T-1", lambda doc: Change({"n": 0}))
    threads = [
        threading.Thread(
            target=store.change,
            args=("T-1", counting),
            kwargs={"applying": f"e{i}", "attempts": 50},
        )
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    doc = store.get("T-1")
    assert doc["n"] == 8 and sorted(doc["_applied"]) == sorted(f"e{i}" for i in range(8))
    assert len(doc["_outbox"]) == 8


def test_create_reports_a_taken_unique_key(store):
    store.collection.create_index("key", unique=True)
    store.create("A", Change({"key": "k"}))
    with pytest.raises(DuplicateKeyError):
        store.create("B", Change({"key": "k"}))


def test_a_claim_keeps_other_relays_away_until_the_lease_ends(store):
    store.change("T-1", counting)
    lease = timedelta(seconds=30)
    assert store.unpublished(datetime.now(UTC), lease, 10) == []  # the worker's own lease
    now = datetime.now(UTC) + store.fresh_lease + timedelta(seconds=1)
    [claimed] = store.unpublished(now, lease, 10)
    assert claimed.key == "T-1" and len(claimed.events) == 1 and claimed.version == 1
    assert store.unpublished(now, lease, 10) == []
    [again] = store.unpublished(now + timedelta(seconds=31), lease, 10)
    store.mark_published("T-1", [e["event_id"] for e in again.events], again.version)
    assert store.backlog() == 0 and store.get("T-1")["_outbox"] == []


def test_events_saved_after_a_claim_are_not_cleared_with_it(store):
    store.change("T-1", counting)
    later = datetime.now(UTC) + timedelta(minutes=1)
    [claimed] = store.unpublished(later, timedelta(seconds=30), 10)
    store.change("T-1", counting)  # a second event while the first is being published
    store.mark_published("T-1", [e["event_id"] for e in claimed.events], claimed.version)
    doc = store.get("T-1")
    assert len(doc["_outbox"]) == 1 and doc["_pending"] is True
    assert doc["_outbox"][0]["event_id"] == store.to_relay[-1].events[-1]["event_id"]


def test_an_unroutable_event_stays_in_the_outbox_until_the_bus_exists(store, fresh_vhost):
    # The exchange exists but no queue yet: without mandatory, RabbitMQ would confirm
    # the event and drop it.
    with Connection(fresh_vhost.uri) as connection:
        topology.events_exchange()(connection.default_channel).declare()
    relay = Relay(EventPublisher(fresh_vhost.uri))
    store.change("T-1", counting)
    with pytest.raises(UndeliverableMessage):
        relay.relay(store.to_relay[-1])
    assert store.backlog() == 1

    topology.declare(fresh_vhost.uri)
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert relay.sweep([store], later) == 1
    assert store.backlog() == 0
    assert fresh_vhost.messages("aduan.sla.complaint.closed") == 1
    assert fresh_vhost.messages("aduan.reporting.complaint.closed") == 1


def test_a_sweep_the_broker_fails_partway_leaves_the_rest_to_the_next_sweep(store):
    for ticket in ("T-1", "T-2", "T-3"):
        store.change(ticket, counting)
    published: list[str] = []

    def publish_once_then_fail(envelope) -> None:
        if published:
            raise ConnectionError("broker gone")
        published.append(envelope["event_id"])

    later = datetime.now(UTC) + timedelta(minutes=5)
    with pytest.raises(ConnectionError):
        Relay(publish_once_then_fail).sweep([store], later)
    assert store.backlog() == 2  # one relayed and cleared, two still to publish

    # Without the release the other two would be held for the whole lease (30 s).
    again: list[str] = []
    assert Relay(lambda envelope: again.append(envelope["event_id"])).sweep([store], later) == 2
    everything = {e["event_id"] for item in store.to_relay for e in item.events}
    assert set(again) == everything - set(published)
    assert store.backlog() == 0


def test_a_released_claim_taken_over_meanwhile_keeps_its_new_lease(store):
    store.change("T-1", counting)
    later = datetime.now(UTC) + timedelta(minutes=5)
    [first] = store.unpublished(later, timedelta(seconds=30), 10)
    [second] = store.unpublished(later + timedelta(seconds=31), timedelta(seconds=30), 10)
    store.release([first])
    assert store.unpublished(later + timedelta(seconds=32), timedelta(seconds=30), 10) == []
    store.release([second])
    assert len(store.unpublished(later + timedelta(seconds=32), timedelta(seconds=30), 10)) == 1


def test_published_events_are_persistent_json_with_their_id(store, fresh_vhost):
    topology.declare(fresh_vhost.uri)
    relay = Relay(EventPublisher(fresh_vhost.uri))
    change = store.change("T-9", counting)
    relay.relay(store.to_relay[-1])
    connection = pika.BlockingConnection(pika.URLParameters(fresh_vhost.uri))
    try:
        method, properties, body = connection.channel().basic_get(
            "aduan.reporting.complaint.closed", auto_ack=True
        )
    finally:
        connection.close()
    assert properties.delivery_mode == 2
    assert properties.content_type == "application/json"
    assert properties.message_id == change.events[0]["event_id"]
    assert method.routing_key == "complaint.closed"


def test_published_outboxes_are_emptied_in_one_batch_keeping_later_events(store, fresh_vhost):
    topology.declare(fresh_vhost.uri)
    relay = Relay(EventPublisher(fresh_vhost.uri), defer_clearing=True)
    for key in ("A", "B", "C"):
        store.change(key, counting)
    for unpublished in list(store.to_relay):
        relay.relay(unpublished)
    store.change("C", counting)  # C changes again before the batch: its new event stays
    assert store.backlog() == 3
    assert relay.clear_published() == 3
    assert store.backlog() == 1
    doc = store.get("C")
    assert [e["event_id"] for e in doc["_outbox"]] == [store.to_relay[-1].events[-1]["event_id"]]
    assert relay.clear_published() == 0
