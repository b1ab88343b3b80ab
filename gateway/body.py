"""Reads a request's JSON body within the size limit."""

import json

from starlette.requests import Request

from gateway.errors import ApiError


async def read_limited(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise _too_large(limit)
    return bytes(raw)


async def json_body(request: Request, required: bool = True) -> object:
    raw = await read_limited(request, request.app.state.settings.max_body)
    if not raw:
        if required:
            raise ApiError("invalid_json", "the request needs a JSON body")
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError("invalid_json", f"the body is not valid JSON: {error}") from None


def _too_large(limit: int) -> ApiError:
    return ApiError("body_too_large", f"the body is larger than {limit} bytes")
