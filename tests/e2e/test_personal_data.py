"""Reporting holds no personal data (issue 9, item 5): it never consumes the channels'
raw messages, its database never holds a sender's number or account, what older versions
left is removed when it starts, and staff read recipients only masked."""

import itertools
import json
import time

import pika
import pytest
from bson import json_util

from services.chassis.topology import queue_name
from tests.conftest import SMS_SECRET, SOCIAL_SECRET
from tests.support.api import Api, new_phone, ticket_in
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

CHANNEL_EVENTS = ("channel.sms.received", "channel.media_sosial.received")
REPORTING_CHANNEL_QUEUES = [
    queue_name("reporting", event) + suffix
    for event in CHANNEL_EVENTS
    for suffix in ("", ".retry", ".dead")
]
_posts = itertools.count(int(time.time() * 1000))


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def consumers(vhost, queue: str) -> int:
    """The queue's consumers; 0 when it does not exist."""
    try:
        return vhost.consumers(queue)
    except pika.exceptions.ChannelClosedByBroker as error:
        assert error.reply_code == 404
        return 0


def reporting_dump(stack) -> str:
    """Every document of every collection of reporting's database, as text."""
    db = stack.database("reporting")
    return "\n".join(
        json_util.dumps(doc) for name in db.list_collection_names() for doc in db[name].find()
    )


def staff_notices(api, ticket: str) -> list[dict]:
    response = api.http.get(
        f"/api/v1/complaints/{ticket}/notifications", headers=api.login("officer1")
    )
    assert response.status_code == 200, response.text
    return response.json()["notifications"]


def test_channel_messages_leave_no_sender_in_reporting(api, stack, providers):
    phone = new_phone()  # 0857..., sent on as +62857...: its digits after the 0 are in both
    sms = {
        "message_id": f"pd-{phone}",
        "from": phone,
        "text": "Saluran air di Jalan Pandanaran Semarang Tengah tersumbat, banjir tiap hujan.",
    }
    handle = f"warga_pd_{next(_posts)}"
    post = {
        "platform": "x",
        "post_id": f"p{next(_posts)}",
        "kind": "mention",
        "author": {"handle": handle, "name": "Warga Semarang"},
        "text": "@pemkotsemarang Lampu PJU di Jl. Majapahit Gayamsari mati sejak seminggu.",
        "media": [],
    }
    assert api.webhook("sms/messages", sms, SMS_SECRET).status_code == 202
    assert api.webhook("social/messages", post, SOCIAL_SECRET).status_code == 202

    sms_receipt = wait_for(
        lambda: [m for m in providers["sms"].messages() if m["to"] == "+62" + phone[1:]],
        30,
        "SMS receipt",
    )[0]
    social_receipt = wait_for(
        lambda: [m for m in providers["social"].messages() if m["in_reply_to"] == post["post_id"]],
        30,
        "social receipt",
    )[0]
    tickets = [ticket_in(sms_receipt["text"]), ticket_in(social_receipt["text"])]
    for ticket in tickets:  # reporting folded the complaint's own events by now
        api.wait_status(ticket, "awaiting_review")
    time.sleep(1)

    db = stack.database("reporting")
    assert db.views.find_one({"_id": ""}) is None
    dump = reporting_dump(stack)
    assert phone[1:] not in dump and handle not in dump
    assert not [q for q in REPORTING_CHANNEL_QUEUES if consumers(stack.vhost, q)]

    # Staff read the recipient masked; the whole number and account appear nowhere.
    sms_notices, social_notices = (staff_notices(api, ticket) for ticket in tickets)
    assert {n["to"] for n in sms_notices} == {f"+62 ••• ••• {phone[-4:]}"}
    assert {n["to"] for n in social_notices} == {"x:@wa•••"}
    shown = json.dumps([sms_notices, social_notices])
    assert phone[1:] not in shown and handle not in shown


def test_reporting_removes_what_older_versions_left_when_it_starts(stack):
    """An older reporting kept channel messages in the view of ticket "" and in queues of
    its own; the one starting now removes both."""
    phone = "+6285799990000"
    leftover = {
        "event_id": "old-1",
        "type": "channel.sms.received",
        "version": 1,
        "occurred_at": "2026-01-05T02:30:00+00:00",
        "ticket": "",
        "data": {"message_id": "old", "sender": phone, "text": "x", "received_at": ""},
    }
    views = stack.database("reporting").views
    views.replace_one({"_id": ""}, {"ticket": "", "events": [leftover], "_v": 1}, upsert=True)
    connection = pika.BlockingConnection(pika.URLParameters(stack.vhost.uri))
    try:
        channel = connection.channel()
        for name in REPORTING_CHANNEL_QUEUES:
            channel.queue_declare(name, durable=True)
            channel.basic_publish("", name, json.dumps(leftover))
    finally:
        connection.close()

    stack.kill("reporting")
    stack.start("reporting")
    stack.wait_service("reporting")

    wait_for(lambda: views.find_one({"_id": ""}) is None, 30, 'the view of "" removed')
    wait_for(
        lambda: not [q for q in REPORTING_CHANNEL_QUEUES if stack.vhost.has_queue(q)],
        30,
        "reporting's channel queues deleted",
    )
    assert "85799990000" not in reporting_dump(stack)
