"""Poison on every queue: a message no handler can take (undecodable bytes, an unknown
envelope, or one that makes the handler raise) is parked in its .dead queue within the
configured attempts, on every queue of every service, and nothing spins afterwards."""

import os
import time
import uuid

import pika
import pytest

from services.chassis.topology import queue_name
from services.contracts.events import SUBSCRIPTIONS
from tests.support.api import Api, complaint
from tests.support.processes import wait_for

pytestmark = pytest.mark.integration

UNDECODABLE = b'\xff\xfe{"not": json'
UNKNOWN_ENVELOPE = b'{"version": 99, "type": "nothing.we.know"}'
# The right version, but nothing a handler can use: a ticket no document can have as
# its id, data that is not an object, text MongoDB cannot store.
RAISES = (
    b'{"event_id": {"x": 1}, "type": "t", "version": 1, "occurred_at": "x",'
    b' "ticket": ["SMG"], "data": "\\ud800 not an object"}'
)
POISON = (UNDECODABLE, UNKNOWN_ENVELOPE, RAISES)


def where_is(stack, ticket: str, queues: list[str]) -> str:
    fields = {"_outbox.type": 1, "_pending": 1, "_lease": 1, "_v": 1, "status": 1}
    intake = stack.database("intake").complaints.find_one({"_id": ticket}, fields)
    review = stack.database("triage").reviews.find_one({"_id": ticket}, fields)
    view = stack.database("reporting").views.find_one({"_id": ticket}, {"status": 1})
    waiting = {q: n for q in queues if (n := stack.vhost.messages(q))}
    return f"intake {intake}; triage {review}; reporting {view}; queued {waiting}"


def put(channel, queue: str, body: bytes) -> None:
    channel.basic_publish(
        "",
        queue,
        body,
        pika.BasicProperties(
            content_type="application/json", delivery_mode=2, message_id=uuid.uuid4().hex
        ),
        mandatory=True,
    )


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_poison_on_every_queue_is_parked_and_work_flows_meanwhile(stack):
    queues = [
        queue_name(service, event_type)
        for service, event_types in SUBSCRIPTIONS.items()
        for event_type in event_types
    ]
    dead_before = {queue: stack.vhost.messages(queue + ".dead") for queue in queues}
    connection = pika.BlockingConnection(pika.URLParameters(stack.vhost.uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for queue in queues:
            for body in POISON:
                put(channel, queue, body)
    finally:
        connection.close()

    # Meanwhile a real complaint goes through the whole pipeline.
    api = Api(stack.url)
    ticket = api.submit(complaint()).json()["ticket"]
    try:
        api.wait_status(ticket, "awaiting_review", timeout=60)
    except AssertionError as stuck:  # say where it stopped: an outbox, a queue, a view
        raise AssertionError(f"{stuck}; {where_is(stack, ticket, queues)}") from None

    def all_parked() -> bool:
        return all(
            stack.vhost.messages(queue + ".dead") >= dead_before[queue] + len(POISON)
            for queue in queues
        )

    try:
        wait_for(all_parked, 120, "every poison message parked", 1)
    except TimeoutError as stuck:  # name the queues that did not park
        missing = {
            queue: stack.vhost.messages(queue + ".dead") - dead_before[queue]
            for queue in queues
            if stack.vhost.messages(queue + ".dead") < dead_before[queue] + len(POISON)
        }
        raise AssertionError(f"{stuck}; parked so far: {missing}") from None
    for queue in queues:
        assert stack.vhost.messages(queue) == 0, queue
        assert stack.vhost.messages(queue + ".retry") == 0, queue

    # Parked means at rest: no process keeps working on them.
    pids = {name: process.pid for name, process in stack.processes.items()}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(3)
    for name, pid in pids.items():
        share = (cpu_seconds(pid) - before[name]) / 3
        assert share < 0.2, f"{name} uses {share:.0%} of a core after parking"
