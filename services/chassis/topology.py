"""Exchanges and queues of the event bus, all derived from contracts.SUBSCRIPTIONS.

For each (service, event type) there are three durable queues:
- aduan.<service>.<event type>: bound to the events exchange; the service consumes it;
- ....retry: failed events wait here (per-message TTL) and then dead-letter back;
- ....dead: events that kept failing, parked for an operator, with the last error.
"""

from kombu import Connection, Exchange, Queue
from kombu.exceptions import ChannelError

from services.contracts.events import EXCHANGE, SUBSCRIPTIONS, EventType


class NotSubscribed(Exception):
    """A handler for an event its service's row of contracts.SUBSCRIPTIONS does not list."""


def require_subscription(service: str, event_type: EventType) -> None:
    """Refuses a consumer outside the table: only the table's queues are declared with
    their .retry and .dead queues, so any other queue would requeue a failure forever."""
    if event_type not in SUBSCRIPTIONS.get(service, ()):
        raise NotSubscribed(
            f"{service} has a handler for {event_type}, which contracts.SUBSCRIPTIONS "
            f"does not list for {service}: its queue would have no retry or dead queue. "
            "Add the event to the table or remove the handler."
        )


def events_exchange() -> Exchange:
    return Exchange(EXCHANGE, type="topic", durable=True)


def queue_name(service: str, event_type: EventType | str) -> str:
    return f"aduan.{service}.{event_type}"


def inbox_queue(service: str, event_type: EventType | str) -> Queue:
    return Queue(
        queue_name(service, event_type),
        exchange=events_exchange(),
        routing_key=str(event_type),
        durable=True,
    )


def retry_queue(service: str, event_type: EventType | str) -> Queue:
    return Queue(
        queue_name(service, event_type) + ".retry",
        durable=True,
        queue_arguments={
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": queue_name(service, event_type),
        },
    )


def dead_queue(service: str, event_type: EventType | str) -> Queue:
    return Queue(queue_name(service, event_type) + ".dead", durable=True)


def subscription_queue_names(service: str, event_type: EventType | str) -> list[str]:
    """The inbox, .retry and .dead queue names of one (service, event type)."""
    return [make(service, event_type).name for make in (inbox_queue, retry_queue, dead_queue)]


def all_queues() -> list[Queue]:
    return [
        make(service, event_type)
        for service, event_types in SUBSCRIPTIONS.items()
        for event_type in event_types
        for make in (inbox_queue, retry_queue, dead_queue)
    ]


def declare(amqp_uri: str) -> None:
    """Declares the whole bus; idempotent, so every service runs it at start-up."""
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        events_exchange()(channel).declare()
        for queue in all_queues():
            queue(channel).declare()


def delete_queues(amqp_uri: str, names: list[str]) -> dict[str, int]:
    """Deletes those of the named queues that exist, whatever they hold; returns the
    deleted ones with the number of messages each held. Idempotent."""
    deleted: dict[str, int] = {}
    with Connection(amqp_uri) as connection:
        for name in names:
            # A passive declare of a missing queue closes its channel: one channel each.
            channel = connection.channel()
            try:
                try:
                    channel.queue_declare(name, passive=True)
                except ChannelError:
                    continue  # not there: nothing to delete
                deleted[name] = channel.queue_delete(name) or 0
            finally:
                if channel.is_open:
                    channel.close()
    return deleted
