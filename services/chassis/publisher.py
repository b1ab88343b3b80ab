"""Publishes event envelopes: persistent, confirmed by the broker, and mandatory.

A mandatory publish that no queue takes raises instead of vanishing, so the event
stays in its outbox until the bus is declared.
"""

from nameko.amqp.publish import Publisher

from services.chassis.topology import events_exchange
from services.contracts.events import Envelope


class EventPublisher:
    def __init__(self, amqp_uri: str) -> None:
        self._publisher = Publisher(amqp_uri, use_confirms=True, mandatory=True)
        self._exchange = events_exchange()

    def __call__(self, event: Envelope) -> None:
        self._publisher.publish(
            event,
            exchange=self._exchange,
            routing_key=event["type"],
            message_id=event["event_id"],
            retry=False,
        )

    def send_raw(self, message, queue: str, headers: dict, expiration_ms: int | None) -> None:
        """Puts a consumed message, its bytes unchanged, into one queue (retry or dead),
        with its own headers and properties and `headers` added."""
        properties = message.properties
        self._publisher.publish(
            message.body,
            exchange=None,
            routing_key=queue,
            headers={**(message.headers or {}), **headers},
            content_type=message.content_type or "application/json",
            content_encoding=message.content_encoding or "utf-8",
            message_id=properties.get("message_id"),
            expiration=expiration_ms / 1000 if expiration_ms else None,
            retry=False,
        )

    def send_to_queue(self, body: dict, queue: str, headers: dict, expiration_ms: int | None):
        """Puts a message straight into one queue through the default exchange."""
        self._publisher.publish(
            body,
            exchange=None,
            routing_key=queue,
            extra_headers=headers,
            expiration=expiration_ms / 1000 if expiration_ms else None,
            retry=False,
        )
