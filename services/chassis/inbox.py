"""The entrypoint that consumes one event type, with bounded, delayed retries.

Nameko's own event handler acks an event whose handler raised, which drops it. Here
a failed event goes to its .retry queue, comes back after a delay, and after
max_attempts tries is parked in its .dead queue with the error. A failure of the
infrastructure (MongoDB unreachable) is retried without counting against the event.
"""

import logging

import eventlet
from kombu.exceptions import OperationalError
from nameko.messaging import Consumer
from pymongo.errors import ConnectionFailure, OperationFailure

from services.chassis import metrics
from services.chassis.config import Settings
from services.chassis.http import DeliveryFailed
from services.chassis.publisher import EventPublisher
from services.chassis.topology import (
    dead_queue,
    inbox_queue,
    require_subscription,
    retry_queue,
)
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import SCHEMA_VERSION, EventType

log = logging.getLogger(__name__)

ATTEMPTS_HEADER = "x-aduan-attempts"
TRANSIENT_ERRORS = (ConnectionFailure, OperationalError)


class UnsupportedEvent(Exception):
    """An envelope this service cannot read (unknown schema version)."""


class Subscription(Consumer):
    def __init__(self, event_type: EventType, **kwargs) -> None:
        self.event_type = EventType(event_type)
        # kombu raises out of its consumer loop on a body it cannot decode, which kills
        # the container: such a message is parked instead.
        kwargs.setdefault("on_decode_error", self._on_decode_error)
        super().__init__(queue=None, requeue_on_error=False, **kwargs)

    def setup(self) -> None:
        service = self.container.service_name
        # Before anything else: a handler outside the table stops the service here.
        require_subscription(service, self.event_type)
        self.settings = Settings.from_env(service)
        self.queue = inbox_queue(service, self.event_type)
        self.retry_name = retry_queue(service, self.event_type).name
        self.dead_name = dead_queue(service, self.event_type).name
        self.publisher = EventPublisher(self.settings.amqp_uri)
        metrics.initialise_event_series(service, self.event_type)
        super().setup()

    def _on_decode_error(self, message, error: Exception) -> None:
        self._park(message, UnsupportedEvent(f"undecodable message: {error!r:.300}"))

    def handle_message(self, body, message) -> None:
        if not isinstance(body, dict) or body.get("version") != SCHEMA_VERSION:
            self._park(message, UnsupportedEvent(f"unsupported envelope: {body!r:.200}"))
            return
        if not well_formed(body):  # no handler could use it: parked at once, for every one
            self._park(message, UnsupportedEvent(f"malformed envelope: {body!r:.200}"))
            return
        super().handle_message(body, message)

    def handle_message_processed(self, message, result=None, exc_info=None) -> None:
        service = self.container.service_name
        if exc_info is None:
            metrics.EVENTS_HANDLED.labels(service, self.event_type).inc()
            self.consumer.ack_message(message)
            return
        error = exc_info[1]
        metrics.EVENTS_FAILED.labels(service, self.event_type).inc()
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0))
        if not self._is_transient(error):
            attempts += 1
        if attempts >= self.settings.max_attempts:
            self._park(message, error)
        else:
            self._retry(message, attempts, error)

    def _is_transient(self, error: BaseException) -> bool:
        if isinstance(error, OperationFailure):
            return error.has_error_label("RetryableWriteError")
        if isinstance(error, CommandRejected):  # a service called over RPC had a backend down
            return error.code == ErrorCode.BACKEND_UNAVAILABLE
        if isinstance(error, DeliveryFailed):
            # A provider the handler reads from (WhatsApp's media API) is down or not yet
            # configured: like a database down, the event waits without using its tries.
            return not error.permanent
        return isinstance(error, TRANSIENT_ERRORS)

    def _retry(self, message, attempts: int, error: BaseException) -> None:
        log.warning(
            "%s: retrying %s (attempt %d): %r",
            self.queue.name,
            message.properties.get("message_id"),
            attempts,
            error,
        )
        self._move(
            message, self.retry_name, {ATTEMPTS_HEADER: attempts}, self.settings.retry_delay_ms
        )

    def _park(self, message, error: BaseException) -> None:
        log.error(
            "%s: parking %s in %s: %r",
            self.queue.name,
            message.properties.get("message_id"),
            self.dead_name,
            error,
        )
        metrics.EVENTS_PARKED.labels(self.container.service_name, self.event_type).inc()
        headers = {"x-aduan-error": repr(error)[:1000], "x-aduan-queue": self.queue.name}
        self._move(message, self.dead_name, headers, None)

    def _move(self, message, queue: str, headers: dict, delay_ms: int | None) -> None:
        """Moves the message, byte for byte (so a body that cannot be decoded or encoded
        again still moves), then acks it. Published and confirmed before the ack: a
        crash in between only duplicates."""
        try:
            self.publisher.send_raw(message, queue, headers, delay_ms)
        except Exception:
            # The broker did not take it: wait before the message comes back, so that
            # nothing spins while RabbitMQ is unwell.
            log.exception("%s: could not move message to %s; requeueing", self.queue.name, queue)
            eventlet.sleep(self.settings.retry_delay_ms / 1000)
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)


def well_formed(envelope: dict) -> bool:
    """The envelope's fields have the types services/contracts/events.py gives them
    (`ticket` is "" on the channels' events)."""
    return (
        isinstance(envelope.get("event_id"), str)
        and bool(envelope["event_id"])
        and isinstance(envelope.get("type"), str)
        and isinstance(envelope.get("occurred_at"), str)
        and isinstance(envelope.get("ticket"), str)
        and isinstance(envelope.get("data"), dict)
    )


subscribe = Subscription.decorator
