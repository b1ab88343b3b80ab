"""The one reader of every JSON document the gateway accepts: request bodies, the
`complaint` field of a multipart upload, and the channels' webhooks.

What passes is JSON that every later hop can carry unchanged: UTF-8 without unpaired
surrogates or NUL characters (RabbitMQ's JSON, BSON and our responses all encode it),
nested at most MAX_DEPTH levels (Python's parser and BSON both have limits), numbers that
fit a 64-bit integer or a finite double (what MongoDB stores), and no key given twice.
Text is normalised to Unicode NFC, so the same words typed on two keyboards compare
equal. Anything else is refused here with a 4xx naming the field, and nothing is stored.
"""

import json
import unicodedata

from starlette.requests import Request

from gateway.errors import ApiError

MAX_DEPTH = 32
# A 64-bit signed integer has at most 19 digits; longer digit runs are refused before
# Python converts them (its own limit is 4,300 digits, and the error is a ValueError).
MAX_INT_DIGITS = 20
INT64 = (-(2**63), 2**63 - 1)
JSON_TYPES = ("application/json",)


class JsonRefused(ApiError):
    """Raised by the parser's hooks; carries the API error to answer with."""


async def read_limited(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it passes `limit` bytes, whatever the
    client declared (a chunked request declares nothing)."""
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise _too_large(limit)
    return bytes(raw)


async def json_body(request: Request, required: bool = True) -> object:
    """The request's JSON body (see the module's rules); `{}` for an optional empty one."""
    raw = await read_limited(request, request.app.state.settings.max_body)
    if not raw:
        if required:
            raise ApiError("invalid_json", "the request needs a JSON body")
        return {}
    require_json_type(request)
    return parse_json(raw)


def json_object(body: object, allowed: tuple[str, ...], shape: str) -> dict:
    """A body that must be an object of `allowed` fields (`shape` says it to the caller);
    a missing field is the caller's to refuse."""
    if not isinstance(body, dict):
        raise ApiError("invalid_field", f"body: a JSON object {shape}")
    for name in body:
        if name not in allowed:
            raise ApiError("invalid_field", f"{name}: unknown field", name)
    return body


def require_json_type(request: Request) -> None:
    """A body sent as a form or as text is refused, so a browser form from another
    site cannot post JSON-looking text to the API (and clients learn their mistake)."""
    declared = request.headers.get("content-type", "")
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type in JSON_TYPES or (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return
    raise ApiError(
        "unsupported_media_type",
        f"send the body as JSON with Content-Type: application/json "
        f"(got {printable(media_type) or 'no Content-Type'})",
    )


def parse_json(raw: bytes | str, where: str = "") -> object:
    """The JSON document in `raw`, checked and normalised; `where` names a form field."""
    label = f"{where}: " if where else ""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(
                "invalid_json", f"{label}the body is not UTF-8 text (byte {error.start})"
            ) from None
    try:
        document = json.loads(
            raw,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_refuse_constant,
            object_pairs_hook=_object_without_repeats,
        )
    except JsonRefused as refused:
        raise ApiError(
            refused.code, label + refused.message, refused.field or where or None
        ) from None
    except json.JSONDecodeError as error:
        raise ApiError("invalid_json", f"{label}the body is not valid JSON: {error}") from None
    except RecursionError:
        raise _too_deep(label) from None
    return _checked(document, where, 0, label)


def _checked(value: object, path: str, depth: int, label: str) -> object:
    """The value with its text normalised; refuses what later hops cannot carry."""
    if depth > MAX_DEPTH:
        raise _too_deep(label)
    if isinstance(value, str):
        return _text(value, path)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        if not INT64[0] <= value <= INT64[1]:
            raise ApiError(
                "invalid_field", f"{path or 'body'}: the number is too large", path or None
            )
        return value
    if isinstance(value, list):
        return [_checked(item, f"{path}[{i}]", depth + 1, label) for i, item in enumerate(value)]
    checked = {}
    for key, item in value.items():
        field = f"{path}.{printable(key)}" if path else printable(key)
        checked[_text(key, field)] = _checked(item, field, depth + 1, label)
    return checked


def checked_text(value: str, field: str) -> str:
    """Text that came in another form than JSON (a form field) under the same rules."""
    return _text(value, field)


def _text(value: str, field: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ApiError(
            "invalid_field",
            f"{field or 'body'}: the text holds an unpaired UTF-16 surrogate at character "
            f"{error.start}, which is not a character; send proper UTF-8 text",
            field or None,
        ) from None
    if "\x00" in value:
        raise ApiError(
            "invalid_field",
            f"{field or 'body'}: the text holds a NUL character (\\u0000); remove it",
            field or None,
        )
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def printable(text: str) -> str:
    """Text safe to echo in an error message (unpaired surrogates escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonRefused(
            "invalid_json", f"a number has {len(digits)} digits; numbers must fit in 64 bits"
        )
    return int(digits)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise JsonRefused("invalid_json", f"the number {literal[:40]} is out of range")
    return value


def _refuse_constant(name: str) -> None:
    raise JsonRefused("invalid_json", f"{name} is not a JSON number")


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        repeated = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise JsonRefused(
            "invalid_json", f"the key {printable(repeated)!r} is given twice in one object"
        )
    return document


def _too_deep(label: str) -> ApiError:
    return ApiError("invalid_json", f"{label}the JSON is nested deeper than {MAX_DEPTH} levels")


def _too_large(limit: int) -> ApiError:
    return ApiError("body_too_large", f"the body is larger than {limit} bytes")
