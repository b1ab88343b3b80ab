"""Calls Nameko services over RabbitMQ from asyncio, speaking Nameko's RPC protocol,
and publishes the events the gateway itself originates (channel webhooks).

A pika BlockingConnection lives in one thread of its own (pika connections are not
thread-safe); coroutines hand it requests with add_callback_threadsafe and await a
future that the reply resolves. Requests are mandatory, so a service with no queue
answers at once as unavailable instead of timing out. Events go out on a second channel
in confirm mode: persistent and mandatory, so `publish` returns only once the broker
has queued the event, and raises when no queue takes it.
"""

import asyncio
import json
import logging
import threading
import uuid
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from gateway.errors import ApiError, BackendUnavailable

log = logging.getLogger(__name__)

RPC_EXCHANGE = "nameko-rpc"
EVENTS_EXCHANGE = "aduan.events"


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float) -> None:
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self._pending: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future]] = {}
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None
        self._events: BlockingChannel | None = None
        self._reply_to = uuid.uuid4().hex
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rpc-client", daemon=True)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def start(self, wait: float = 5.0) -> None:
        self._thread.start()
        self._ready.wait(wait)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    async def call(self, service: str, method: str, **kwargs: Any) -> Any:
        connection = self._connection
        if not self.ready or connection is None:
            raise BackendUnavailable("the message bus is not reachable; try again shortly")
        loop = asyncio.get_running_loop()
        correlation_id = uuid.uuid4().hex
        future = loop.create_future()
        self._pending[correlation_id] = (loop, future)
        body = json.dumps({"args": [], "kwargs": kwargs})
        try:
            connection.add_callback_threadsafe(
                lambda: self._publish(f"{service}.{method}", body, correlation_id)
            )
            reply = await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise BackendUnavailable(f"the {service} service did not answer in time") from None
        except (pika.exceptions.AMQPError, RuntimeError):
            raise BackendUnavailable(
                "the message bus is not reachable; try again shortly"
            ) from None
        finally:
            self._pending.pop(correlation_id, None)
        return unpack(service, reply)

    async def publish(self, event: dict) -> None:
        """Publishes an event envelope; returns once RabbitMQ confirmed it is queued."""
        connection = self._connection
        if not self.ready or connection is None:
            raise BackendUnavailable("the message bus is not reachable; try again shortly")
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def send() -> None:
            properties = pika.BasicProperties(
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=event["event_id"],
            )
            try:
                self._events.basic_publish(
                    EVENTS_EXCHANGE, event["type"], json.dumps(event), properties, mandatory=True
                )
            except Exception as error:
                log.warning("could not publish %s: %r", event["type"], error)
                unavailable = BackendUnavailable("the message could not be queued; try again")
                loop.call_soon_threadsafe(_settle, future, None, unavailable)
                return
            loop.call_soon_threadsafe(_settle, future, None, None)

        try:
            connection.add_callback_threadsafe(send)
            await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise BackendUnavailable("the message bus did not confirm in time") from None
        except (pika.exceptions.AMQPError, RuntimeError):
            raise BackendUnavailable(
                "the message bus is not reachable; try again shortly"
            ) from None

    def _publish(self, routing_key: str, body: str, correlation_id: str) -> None:
        properties = pika.BasicProperties(
            reply_to=self._reply_to,
            correlation_id=correlation_id,
            content_type="application/json",
            delivery_mode=2,
        )
        try:
            self._channel.basic_publish(RPC_EXCHANGE, routing_key, body, properties, mandatory=True)
        except Exception as error:
            self._fail(correlation_id, BackendUnavailable(f"could not send the request: {error}"))

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._serve()
            except Exception as error:
                log.warning("RPC connection lost: %r", error)
            finally:
                self._ready.clear()
                self._fail_all(BackendUnavailable("the message bus connection was lost"))
            self._stopping.wait(1)

    def _serve(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        try:
            channel = connection.channel()
            channel.exchange_declare(RPC_EXCHANGE, "topic", durable=True)
            queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
            channel.queue_bind(queue, RPC_EXCHANGE, routing_key=self._reply_to)
            channel.basic_consume(queue, self._on_reply, auto_ack=True)
            channel.add_on_return_callback(self._on_return)
            events = connection.channel()
            events.confirm_delivery()
            self._connection, self._channel, self._events = connection, channel, events
            self._ready.set()
            while not self._stopping.is_set():
                connection.process_data_events(time_limit=0.5)
        finally:
            self._connection = self._channel = self._events = None
            if connection.is_open:
                connection.close()

    def _on_reply(self, channel, method, properties, body: bytes) -> None:
        self._resolve(properties.correlation_id, json.loads(body))

    def _on_return(self, channel, method, properties, body: bytes) -> None:
        service = method.routing_key.split(".")[0]
        self._fail(
            properties.correlation_id, BackendUnavailable(f"the {service} service is not running")
        )

    def _resolve(self, correlation_id: str, reply: dict) -> None:
        entry = self._pending.get(correlation_id)
        if entry:
            loop, future = entry
            loop.call_soon_threadsafe(_settle, future, reply, None)

    def _fail(self, correlation_id: str, error: Exception) -> None:
        entry = self._pending.get(correlation_id)
        if entry:
            loop, future = entry
            loop.call_soon_threadsafe(_settle, future, None, error)

    def _fail_all(self, error: Exception) -> None:
        for correlation_id in list(self._pending):
            self._fail(correlation_id, error)


def _settle(future: asyncio.Future, result, error) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def unpack(service: str, reply: dict) -> Any:
    """A Nameko reply's result, or its error as an ApiError."""
    error = reply.get("error")
    if error is None:
        return reply.get("result")
    if error.get("exc_type") == "CommandRejected":
        code, message, field = (list(error.get("exc_args", [])) + [None, None, None])[:3]
        raise ApiError(code or "invalid_field", message or "rejected", field)
    log.error("%s failed: %s: %s", service, error.get("exc_type"), error.get("value"))
    raise ApiError("internal_error", f"the {service} service failed; operators have the details")
