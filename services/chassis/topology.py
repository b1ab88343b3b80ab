"""Exchanges and queues of the event bus, all derived from contracts.SUBSCRIPTIONS.

For each (service, event type) there are three durable queues:
- aduan.<service>.<event type>: bound to the events exchange; the service consumes it;
- ....retry: failed events wait here (per-message TTL) and then dead-letter back;
- ....dead: events that kept failing, parked for an operator, with the last error.
"""

from kombu import Connection, Exchange, Queue

from services.contracts.events import EXCHANGE, SUBSCRIPTIONS, EventType


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
