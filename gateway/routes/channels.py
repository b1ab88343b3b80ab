"""Webhooks of the SMS gateway and the social-media relay.

A verified message is published as an event for its channel's adapter and answered
202 at once: the adapter may be stopped, and the message waits in its queue. The
ticket reaches the sender as a reply through the channel.
"""

import re
import time
import uuid
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway import signature
from gateway.body import parse_json, read_limited
from gateway.errors import ApiError
from services.contracts.events import SCHEMA_VERSION, EventType

PLATFORMS = ("x", "instagram", "facebook", "tiktok", "youtube")
URL = re.compile(r"^https?://\S{3,500}$")


async def sms(request: Request) -> JSONResponse:
    settings = request.app.state.settings
    body, signed = await verified_json(request, settings.sms_secret, "ADUAN_SMS_WEBHOOK_SECRET")
    data = {
        "message_id": text(body, "message_id", 100),
        "sender": text(body, "from", 20),
        # Parts of a long SMS split anywhere, spaces included: kept as sent.
        "text": text(body, "text", 1600, required=False, strip=False) or "",
        "received_at": datetime.now(UTC).isoformat(),
    }
    if not re.fullmatch(r"\+?[0-9][0-9\s\-]{6,18}", data["sender"]):
        raise invalid("from", "must be the sender's phone number, e.g. +6281234567890")
    if body.get("part") is not None:
        data["part"] = sms_part(body["part"])
    sender_key = re.sub(r"\D", "", data["sender"])[-10:]
    request.app.state.sender_throttle.check(
        f"sms:{sender_key}", data["message_id"], "messages from this sender"
    )
    return await accept(request, EventType.SMS_RECEIVED, data, data["message_id"], signed)


async def social(request: Request) -> JSONResponse:
    settings = request.app.state.settings
    body, signed = await verified_json(
        request, settings.social_secret, "ADUAN_SOCIAL_WEBHOOK_SECRET"
    )
    platform = text(body, "platform", 20)
    if platform not in PLATFORMS:
        raise invalid("platform", f"must be one of: {', '.join(PLATFORMS)}")
    kind = text(body, "kind", 20)
    if kind not in ("mention", "direct_message"):
        raise invalid("kind", "must be mention or direct_message")
    author = body.get("author")
    if not isinstance(author, dict):
        raise invalid("author", "must be an object with a handle")
    media = body.get("media", [])
    if (
        not isinstance(media, list)
        or len(media) > 10
        or not all(isinstance(m, str) and URL.match(m) for m in media)
    ):
        raise invalid("media", "must be a list of at most 10 http(s) links")
    data = {
        "platform": platform,
        "post_id": text(body, "post_id", 100),
        "kind": kind,
        "author": {"handle": text(author, "handle", 100, "author.handle")},
        "text": text(body, "text", 5000, required=False) or "",
        "media": media,
        "received_at": datetime.now(UTC).isoformat(),
    }
    name = author.get("name")
    if isinstance(name, str) and name.strip():
        data["author"]["name"] = name.strip()[:120]
    who = f"social:{platform}:{data['author']['handle'].casefold()}"
    request.app.state.sender_throttle.check(who, data["post_id"], "messages from this sender")
    return await accept(request, EventType.SOCIAL_RECEIVED, data, data["post_id"], signed)


async def verified_json(request: Request, secret: str, variable: str) -> tuple[dict, str]:
    """The webhook's JSON object and its verified signature."""
    if not secret:
        raise ApiError("channel_not_configured", f"this webhook is off until {variable} is set")
    raw = await read_limited(request, request.app.state.settings.max_body)
    signed = request.headers.get("x-aduan-signature")
    signature.verify(secret, request.headers.get("x-aduan-timestamp"), signed, raw, time.time())
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise ApiError("invalid_json", "the body must be a JSON object")
    return body, signed


async def accept(
    request: Request, event_type: EventType, data: dict, message_id: str, signed: str
) -> JSONResponse:
    """Queues a valid message once per signed request: the same request replayed
    (captured and sent again within the signature's window) is refused."""
    if not await run_in_threadpool(request.app.state.replays.first_use, signed):
        raise ApiError(
            "replayed_request",
            "this signed request was received already; sign each delivery anew "
            "(a new X-Aduan-Timestamp)",
        )
    try:
        await request.app.state.rpc.publish(envelope(event_type, data))
    except ApiError:
        # Not queued: the provider's retry of this very request must be accepted.
        await run_in_threadpool(request.app.state.replays.forget, signed)
        raise
    return JSONResponse({"accepted": True, "message_id": message_id}, status_code=202)


def envelope(event_type: EventType, data: dict) -> dict:
    """A channel's message as an event: no ticket yet (intake gives it)."""
    return {
        "event_id": uuid.uuid4().hex,
        "type": str(event_type),
        "version": SCHEMA_VERSION,
        "occurred_at": datetime.now(UTC).isoformat(),
        "ticket": "",
        "data": data,
    }


def sms_part(part: object) -> dict:
    if not isinstance(part, dict):
        raise invalid("part", "must be an object {ref, index, total}")
    ref = text(part, "ref", 40, "part.ref")
    index, total = part.get("index"), part.get("total")
    if not (isinstance(total, int) and 1 <= total <= 10):
        raise invalid("part.total", "must be a whole number from 1 to 10")
    if not (isinstance(index, int) and 1 <= index <= total):
        raise invalid("part.index", "must be from 1 to part.total")
    return {"ref": ref, "index": index, "total": total}


def text(body: dict, name: str, max_len: int, field: str | None = None, required=True, strip=True):
    value = body.get(name)
    field = field or name
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid(field, "is required and must be a string")
    if len(value) > max_len:
        raise invalid(field, f"must be at most {max_len} characters")
    return value.strip() if strip else value


def invalid(field: str, message: str) -> ApiError:
    return ApiError("invalid_field", f"{field}: {message}", field)
