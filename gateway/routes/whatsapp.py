"""The WhatsApp Business Cloud API's webhook (Meta calls it; register
{public URL}/webhooks/whatsapp in the app's WhatsApp configuration).

GET is Meta's verification handshake. POST carries residents' messages and the status
of messages the city sent, signed `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw
body with the app secret>`. Each message and status becomes an event for the whatsapp
adapter, and the answer is 200 at once: Meta retries anything else, for days.

Meta signs no timestamp, and it retries a delivery byte for byte, so a request seen
before cannot be refused as a replay (its retry would be refused forever); the adapter
and intake key everything by WhatsApp's message id instead.
"""

import hashlib
import hmac
import re
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from gateway.body import parse_json, read_limited
from gateway.errors import ApiError
from gateway.routes.channels import envelope, invalid, text
from services.contracts.events import EventType

SIGNATURE = re.compile(r"sha256=[0-9a-fA-F]{64}")
NUMBER = re.compile(r"[0-9]{8,15}")  # what the adapter takes as a number (E.164 digits)
TIMESTAMP = re.compile(r"[0-9]{1,10}")  # up to the year 2286: never overflows
MEDIA_ID = re.compile(r"[A-Za-z0-9._\-]{1,100}")
# Meta's challenge is a number; anything else is not echoed back.
CHALLENGE = re.compile(r"[A-Za-z0-9._\-]{1,200}")
STATUSES = ("sent", "delivered", "read", "failed")
MAX_ITEMS = 100


async def verify(request: Request) -> PlainTextResponse:
    """Meta's handshake: hub.mode=subscribe, our verify token, and its challenge echoed."""
    token = request.app.state.settings.whatsapp_verify_token
    if not token:
        raise not_configured("ADUAN_WHATSAPP_VERIFY_TOKEN")
    query = request.query_params
    if query.get("hub.mode") != "subscribe":
        raise invalid("hub.mode", "must be subscribe")
    challenge = query.get("hub.challenge", "")
    if not CHALLENGE.fullmatch(challenge):
        raise invalid("hub.challenge", "must be the challenge Meta sends (letters and digits)")
    given = query.get("hub.verify_token", "")
    if not hmac.compare_digest(token.encode(), given.encode()):
        raise ApiError("forbidden", "hub.verify_token does not match the configured token")
    return PlainTextResponse(challenge)


async def receive(request: Request) -> JSONResponse:
    settings = request.app.state.settings
    if not settings.whatsapp_app_secret:
        raise not_configured("ADUAN_WHATSAPP_APP_SECRET")
    raw = await read_limited(request, settings.max_body)
    check_signature(settings.whatsapp_app_secret, request.headers.get("x-hub-signature-256"), raw)
    messages, statuses = read_payload(parse_json(raw))
    throttle = request.app.state.sender_throttle
    for data in messages:
        who = "whatsapp:" + data["sender"].lstrip("+")
        throttle.check(who, data["message_id"], "messages from this sender")
    # Published one by one: when RabbitMQ fails halfway the answer is 503 and Meta sends
    # the whole payload again; what was queued already is known by its message id.
    for data in messages:
        await request.app.state.rpc.publish(envelope(EventType.WHATSAPP_RECEIVED, data))
    for data in statuses:
        await request.app.state.rpc.publish(envelope(EventType.WHATSAPP_STATUS, data))
    return JSONResponse({"accepted": True, "messages": len(messages), "statuses": len(statuses)})


def check_signature(secret: str, header: str | None, raw: bytes) -> None:
    if not header or not SIGNATURE.fullmatch(header):
        raise ApiError(
            "invalid_signature",
            "send X-Hub-Signature-256: sha256= and the HMAC-SHA256 of the body (64 hex digits)",
        )
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), header.lower().encode()):
        raise ApiError("invalid_signature", "X-Hub-Signature-256 does not match the body")


def read_payload(body: object) -> tuple[list[dict], list[dict]]:
    """The messages and statuses of a Cloud API webhook payload, as the adapter's
    events carry them; any part not of the documented shape is a 422 naming it."""
    if not isinstance(body, dict):
        raise ApiError("invalid_json", "the body must be a JSON object")
    if body.get("object") != "whatsapp_business_account":
        raise invalid("object", "must be whatsapp_business_account")
    received_at = datetime.now(UTC).isoformat()
    messages: list[dict] = []
    statuses: list[dict] = []
    for e, entry in enumerate(items(body, "entry", "entry")):
        for c, change in enumerate(items(entry, "changes", f"entry[{e}].changes")):
            where = f"entry[{e}].changes[{c}]"
            value = change.get("value")
            if not isinstance(value, dict):
                raise invalid(f"{where}.value", "must be an object")
            if change.get("field") != "messages":
                continue  # other subscriptions (account updates...) carry nothing for us
            for m, message in enumerate(items(value, "messages", f"{where}.value.messages", True)):
                messages.append(read_message(message, f"{where}.value.messages[{m}]", received_at))
            for s, status in enumerate(items(value, "statuses", f"{where}.value.statuses", True)):
                found = read_status(status, f"{where}.value.statuses[{s}]")
                if found is not None:
                    statuses.append(found)
    if len(messages) + len(statuses) > MAX_ITEMS:
        raise invalid("entry", f"at most {MAX_ITEMS} messages and statuses per request")
    return messages, statuses


def items(body: dict, name: str, field: str, optional: bool = False) -> list[dict]:
    value = body.get(name)
    if value is None and optional:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid(field, "must be a list of objects")
    if len(value) > MAX_ITEMS:
        raise invalid(field, f"must have at most {MAX_ITEMS} items")
    return value


def read_message(message: dict, where: str, received_at: str) -> dict:
    sender = text(message, "from", 20, f"{where}.from")
    if not NUMBER.fullmatch(sender):
        raise invalid(f"{where}.from", "must be the sender's WhatsApp number (digits)")
    kind = text(message, "type", 40, f"{where}.type")
    data = {
        "message_id": text(message, "id", 200, f"{where}.id"),
        "sender": "+" + sender,
        "kind": kind if kind in ("text", "image", "location") else "unsupported",
        "text": "",
        "sent_at": moment(message, f"{where}.timestamp"),
        "received_at": received_at,
    }
    if kind == "text":
        part = obj(message, "text", where)
        data["text"] = text(part, "body", 4096, f"{where}.text.body")
    elif kind == "image":
        part = obj(message, "image", where)
        media_id = text(part, "id", 100, f"{where}.image.id")
        if not MEDIA_ID.fullmatch(media_id):
            raise invalid(f"{where}.image.id", "must be a media id")
        mime_type = text(part, "mime_type", 100, f"{where}.image.mime_type", required=False)
        data["media"] = {"id": media_id, "mime_type": mime_type or ""}
        data["text"] = text(part, "caption", 1024, f"{where}.image.caption", required=False) or ""
    elif kind == "location":
        part = obj(message, "location", where)
        location = {
            "lat": coordinate(part, "latitude", 90, where),
            "lon": coordinate(part, "longitude", 180, where),
        }
        for name in ("name", "address"):
            found = text(part, name, 300, f"{where}.location.{name}", required=False)
            if found:
                location[name] = found
        data["location"] = location
    return data


def read_status(status: dict, where: str) -> dict | None:
    """A status of a message the city sent; None for a status WhatsApp may add later
    (refusing it would make Meta retry it for days)."""
    state = text(status, "status", 40, f"{where}.status")
    data = {
        "message_id": text(status, "id", 200, f"{where}.id"),
        "status": state,
        "at": moment(status, f"{where}.timestamp"),
    }
    if state not in STATUSES:
        return None
    errors = status.get("errors", [])
    if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
        raise invalid(f"{where}.errors", "must be a list of objects")
    if errors:
        first = errors[0]
        said = " ".join(str(first.get(k)) for k in ("code", "title") if first.get(k) is not None)
        data["error"] = " ".join(said.split())[:300] or "unspecified"
    return data


def obj(message: dict, name: str, where: str) -> dict:
    value = message.get(name)
    if not isinstance(value, dict):
        raise invalid(f"{where}.{name}", "must be an object")
    return value


def coordinate(part: dict, name: str, limit: float, where: str) -> float:
    value = part.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit:
        raise invalid(f"{where}.location.{name}", f"must be a number from -{limit} to {limit}")
    return float(value)


def moment(body: dict, field: str) -> str:
    """Meta's Unix seconds (a string of digits) as an ISO 8601 moment."""
    value = body.get("timestamp")
    if not isinstance(value, str) or not TIMESTAMP.fullmatch(value):
        raise invalid(field, "must be Unix seconds in digits")
    return datetime.fromtimestamp(int(value), UTC).isoformat()


def not_configured(variable: str) -> ApiError:
    return ApiError("channel_not_configured", f"this webhook is off until {variable} is set")
