"""API errors: {"error": CODE, "message": ..., "field"?: ...} with a fitting status."""

import logging

from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)

STATUS_BY_CODE = {
    "invalid_json": 400,
    "invalid_body": 400,
    "invalid_header": 400,
    "invalid_field": 422,
    "unauthorized": 401,
    "invalid_credentials": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "illegal_transition": 409,
    "no_result_yet": 409,
    "already_rated": 409,
    "tasks_open": 409,
    "idempotency_key_reused": 422,
    "body_too_large": 413,
    "unsupported_media_type": 415,
    "replayed_request": 409,
    "own_account": 409,
    "invalid_signature": 401,
    "too_many_requests": 429,
    "channel_not_configured": 503,
    "backend_unavailable": 503,
    "internal_error": 500,
}


class ApiError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = STATUS_BY_CODE.get(code, 400)


class BackendUnavailable(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__("backend_unavailable", message)


def error_response(error: ApiError) -> JSONResponse:
    """The error's JSON answer. It cannot fail: text that UTF-8 cannot carry (an echoed
    field name holding an unpaired surrogate) is replaced, never raised on."""
    body = {"error": error.code, "message": _sendable(error.message)}
    if error.field:
        body["field"] = _sendable(error.field)
    headers = None
    if error.status == 401 and error.code != "invalid_signature":
        headers = {"WWW-Authenticate": "Bearer"}
    if error.status == 503:
        headers = {"Retry-After": "5"}
    if error.status == 429:
        headers = {"Retry-After": str(getattr(error, "retry_after", 60))}
    return JSONResponse(body, status_code=error.status, headers=headers)


async def on_api_error(request: Request, error: ApiError) -> JSONResponse:
    return error_response(error)


async def on_http_exception(request: Request, error: HTTPException) -> JSONResponse:
    if error.status_code == 404:
        return error_response(ApiError("not_found", f"there is no {request.url.path}"))
    if error.status_code == 405:
        return error_response(
            ApiError("method_not_allowed", f"{request.method} is not allowed on this path")
        )
    body = {"error": "http_error", "message": _sendable(str(error.detail))}
    return JSONResponse(body, status_code=error.status_code)


async def on_database_down(request: Request, error: ConnectionFailure) -> JSONResponse:
    log.warning("MongoDB unreachable on %s: %r", request.url.path, error)
    return error_response(BackendUnavailable("the database is not reachable; try again shortly"))


async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(
        ApiError("internal_error", "an internal error occurred; the operators have the details")
    )


def _sendable(text: str) -> str:
    return str(text).encode("utf-8", "replace").decode("utf-8")


HANDLERS = {
    ApiError: on_api_error,
    HTTPException: on_http_exception,
    ConnectionFailure: on_database_down,
    Exception: on_unexpected,
}
