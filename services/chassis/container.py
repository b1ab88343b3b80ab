"""The Nameko container every Aduan service runs in.

Nameko kills the whole container when any worker thread raises, and a worker raises
when the broker connection is gone at the moment it settles its message: publishing
an RPC reply (after the publisher's own retries), acking or requeueing an event. One
lost reply would then end every other worker of the process. Here that worker ends
alone, logged. Nothing is lost: its message was not acked, so RabbitMQ hands it out
again once the connection is back (every handler is idempotent), and the RPC caller
answers 503 after its own timeout, which a client retries with the same key.

An RPC method that failed because MongoDB (or, calling another service, RabbitMQ)
was unreachable answers `backend_unavailable`, which callers treat as "try again"
(the gateway: 503), rather than an unexpected error.
"""

import logging
from collections.abc import Callable
from typing import Any

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from nameko.containers import ServiceContainer
from nameko.rpc import Rpc
from pymongo.errors import ConnectionFailure

from services.contracts.errors import CommandRejected, ErrorCode

log = logging.getLogger(__name__)

# What kombu and py-amqp raise when the broker cannot be reached or dropped the
# connection (kombu wraps socket errors as OperationalError once its retries are spent).
BROKER_LOST = (OperationalError, AmqpConnectionError, OSError)
# Failures of a backend, not of the request: retrying the same request may succeed.
BACKEND_DOWN = (ConnectionFailure, OperationalError)

HandleResult = Callable[[Any, Any, Any], tuple[Any, Any]]


class AduanContainer(ServiceContainer):
    def stop(self) -> None:
        super().stop()
        self._close_dependencies()

    def kill(self, exc_info=None) -> None:
        super().kill(exc_info)
        self._close_dependencies()

    def _close_dependencies(self) -> None:
        """Releases what dependencies hold beyond the container's life (MongoDB clients),
        now that none of its threads can use it."""
        for dependency in self.dependencies:
            close = getattr(dependency, "close", None)
            if callable(close):
                try:
                    close()
                except Exception as error:
                    log.warning("closing %s failed: %r", dependency, error)

    def spawn_worker(self, entrypoint, args, kwargs, context_data=None, handle_result=None):
        if handle_result is not None:
            if isinstance(entrypoint, Rpc):
                handle_result = answer_backend_down(handle_result)
            handle_result = survive_lost_broker(handle_result)
        return super().spawn_worker(
            entrypoint, args, kwargs, context_data=context_data, handle_result=handle_result
        )


def survive_lost_broker(handle_result: HandleResult) -> HandleResult:
    """handle_result that logs a lost broker instead of raising it into the container.

    The worker's result still reaches the dependencies (metrics, the outbox relay),
    which Nameko skips when handle_result raises."""

    def handle(worker_ctx, result, exc_info):
        try:
            return handle_result(worker_ctx, result, exc_info)
        except BROKER_LOST as error:
            log.warning(
                "%s: its message could not be settled, the broker connection is gone (%r); "
                "RabbitMQ delivers it again after reconnecting",
                worker_ctx,
                error,
            )
            return result, exc_info

    return handle


def answer_backend_down(handle_result: HandleResult) -> HandleResult:
    """handle_result of an RPC method that replies backend_unavailable when the method
    failed on an unreachable backend; the dependencies still see the real error."""

    def handle(worker_ctx, result, exc_info):
        if exc_info is None or not isinstance(exc_info[1], BACKEND_DOWN):
            return handle_result(worker_ctx, result, exc_info)
        refusal = CommandRejected(
            ErrorCode.BACKEND_UNAVAILABLE,
            f"the {worker_ctx.service_name} service cannot reach its backend; try again shortly",
        )
        result, _ = handle_result(worker_ctx, result, (CommandRejected, refusal, exc_info[2]))
        return result, exc_info

    return handle
