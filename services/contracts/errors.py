"""Errors a service returns to a caller over RPC: a machine-readable code and a message.

The gateway maps codes to HTTP statuses; the message is meant for the person who
sent the request, so it says what to change.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_FIELD = "invalid_field"
    NOT_FOUND = "not_found"
    ILLEGAL_TRANSITION = "illegal_transition"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    FORBIDDEN = "forbidden"
    # A rating before the result reached the reporter, or a second one for the same result.
    NO_RESULT_YET = "no_result_yet"
    ALREADY_RATED = "already_rated"
    # The lead resolves a cross-agency complaint only after every other task is done.
    TASKS_OPEN = "tasks_open"
    # MongoDB or RabbitMQ unreachable: the same request may be sent again later.
    BACKEND_UNAVAILABLE = "backend_unavailable"


class CommandRejected(Exception):
    """A command the domain refused; nothing was changed."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        # Nameko sends exc_args over the wire; a missing field is left out, not "None".
        super().__init__(str(code), message, *([field] if field else []))
        self.code = str(code)
        self.message = message
        self.field = field
