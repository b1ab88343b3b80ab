"""Message handling of the running services: duplicates, poison events, metrics."""

import json
import time
import uuid
from datetime import UTC, datetime

import httpx
import pika
import pytest

from tests.support.processes import wait_for

pytestmark = pytest.mark.integration


def publish(vhost, envelope: dict) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(vhost.uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "aduan.events",
            envelope["type"],
            json.dumps(envelope),
            pika.BasicProperties(
                content_type="application/json", delivery_mode=2, message_id=envelope["event_id"]
            ),
            mandatory=True,
        )
    finally:
        connection.close()


def received(ticket: str, **data) -> dict:
    now = datetime.now(UTC).isoformat()
    return {
        "event_id": uuid.uuid4().hex,
        "type": "complaint.received",
        "version": 1,
        "occurred_at": now,
        "ticket": ticket,
        "data": {
            "channel": "sms",
            "received_at": now,
            "title": "Lampu jalan mati",
            "description": "Lampu jalan mati sejak minggu lalu",
            "location": {"kecamatan": "Tugu"},
            "category_hint": None,
            "anonymous": False,
            "confidential": False,
            **data,
        },
    }


def test_a_redelivered_event_has_one_effect(stack):
    ticket = f"SMG-2099-{uuid.uuid4().int % 10**6:06d}"
    event = received(ticket)
    for _ in range(3):
        publish(stack.vhost, event)
    views = stack.database("reporting").views
    wait_for(
        lambda: views.find_one(
            {"_id": ticket, "status": "awaiting_review", "deadline": {"$ne": None}}
        ),
        20,
        "the view",
    )
    time.sleep(1.5)  # let any duplicate work finish
    review = stack.database("triage").reviews.find_one({"_id": ticket})
    assert review["_applied"] == [event["event_id"]]
    view = views.find_one({"_id": ticket})
    assert [e["type"] for e in view["events"]].count("complaint.triaged") == 1
    assert [e["type"] for e in view["events"]].count("complaint.received") == 1


def test_a_poison_event_is_retried_then_parked_and_the_service_carries_on(stack):
    dead = "aduan.triage.complaint.received.dead"
    before = stack.vhost.messages(dead)
    poison = received(f"SMG-2099-{uuid.uuid4().int % 10**6:06d}")
    del poison["data"]["title"]
    publish(stack.vhost, poison)
    wait_for(lambda: stack.vhost.messages(dead) == before + 1, 30, "the parked event", 0.3)
    assert stack.vhost.messages("aduan.triage.complaint.received") == 0
    assert stack.vhost.messages("aduan.triage.complaint.received.retry") == 0

    connection = pika.BlockingConnection(pika.URLParameters(stack.vhost.uri))
    try:
        messages = []
        while True:
            method, properties, body = connection.channel().basic_get(dead, auto_ack=False)
            if method is None:
                break
            messages.append((properties, body))
    finally:
        connection.close()  # unacked: they stay parked
    parked = [(p, b) for p, b in messages if poison["event_id"].encode() in b]
    assert len(parked) == 1
    properties, _ = parked[0]
    assert "KeyError" in properties.headers["x-aduan-error"]

    # an event from an unknown schema version is parked at once
    future = {**received("SMG-2099-000001"), "version": 99}
    publish(stack.vhost, future)
    wait_for(lambda: stack.vhost.messages(dead) == before + 2, 30, "the unknown version")

    # the service still works
    good = received(f"SMG-2099-{uuid.uuid4().int % 10**6:06d}")
    publish(stack.vhost, good)
    reviews = stack.database("triage").reviews
    wait_for(lambda: reviews.find_one({"_id": good["ticket"]}), 20, "the good event")


def test_services_and_gateway_export_metrics(stack):
    event = received(f"SMG-2099-{uuid.uuid4().int % 10**6:06d}")
    publish(stack.vhost, event)
    reviews = stack.database("triage").reviews
    wait_for(lambda: reviews.find_one({"_id": event["ticket"]}), 20, "the event")
    httpx.get(stack.url + "/healthz")
    gateway = httpx.get(stack.url + "/metrics").text
    assert 'aduan_gateway_requests_total{method="GET",route="/healthz",status="200"}' in gateway
    assert "aduan_gateway_request_seconds_bucket" in gateway

    triage = httpx.get(f"http://127.0.0.1:{stack.metrics_ports['triage']}/metrics").text
    assert 'aduan_events_handled_total{event_type="complaint.received",service="triage"}' in triage
    assert "aduan_worker_seconds_bucket" in triage
    assert 'aduan_outbox_backlog{service="triage"}' in triage
    assert "aduan_events_relayed_total" in triage
