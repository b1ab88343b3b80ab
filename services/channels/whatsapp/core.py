"""The WhatsApp channel's pure core: residents' messages in (text, a photo, a shared
location), notices out as WhatsApp messages, and what WhatsApp says became of them.

WhatsApp lets a business answer freely only within 24 hours of the resident's last
message (a "session"); outside it only a template Meta approved may be sent, here one
whose single body parameter carries the notice. Standard library only; `now` is always
passed in.
"""

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.chassis import fields

KINDS = ("text", "image", "location", "unsupported")
SESSION = timedelta(hours=24)
TEXT_LIMIT = 4096  # a text message's body
# A template's text parameter: at most 1,024 characters, and no new lines, tabs or more
# than four spaces in a row (Meta refuses the message otherwise).
PARAMETER_LIMIT = 1024
MAX_PHOTO_BYTES = 5 * 1024 * 1024  # what intake takes per file (ADUAN_MAX_FILE's default)
# Photos intake stores, by the bytes they start with (a declared type proves nothing).
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}
# What became of a sent message, in the order WhatsApp reaches them; callbacks may come
# out of order, and a later one never undoes an earlier one ("read" stays read).
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


@dataclass(frozen=True)
class Message:
    message_id: str
    sender: str
    kind: str
    text: str
    sent_at: datetime
    media_id: str | None = None
    location: dict | None = None

    def idempotency_key(self) -> str:
        """One complaint, reply or rating per WhatsApp message id (wamid)."""
        return f"whatsapp:{self.message_id}"


@dataclass(frozen=True)
class Status:
    message_id: str
    status: str
    at: datetime
    error: str | None


def parse_message(data: dict) -> Message:
    """A message as the gateway's webhook accepted it (see contracts.WhatsAppReceived)."""
    allowed = ("message_id", "sender", "kind", "text", "sent_at", "received_at", "media")
    body = fields.obj(data, "", (*allowed, "location"))
    kind = fields.choice(body, "kind", "kind", KINDS)
    media_id = None
    if kind == "image":
        media = fields.obj(body.get("media"), "media", ("id", "mime_type"))
        media_id = fields.text(media, "id", "media.id", max_len=100)
    location = None
    if kind == "location":
        given = fields.obj(body.get("location"), "location", ("lat", "lon", "name", "address"))
        location = {
            "lat": fields.number(given, "lat", "location.lat", -90, 90),
            "lon": fields.number(given, "lon", "location.lon", -180, 180),
        }
        if None in location.values():
            raise fields.invalid("location", "needs lat and lon")
        where = [given.get(k) for k in ("name", "address") if isinstance(given.get(k), str)]
        if any(w.strip() for w in where):
            location["address"] = ", ".join(w.strip() for w in where if w.strip())[:300]
    return Message(
        message_id=fields.text(body, "message_id", "message_id", max_len=200),
        sender=fields.phone(fields.text(body, "sender", "sender", max_len=20), "sender"),
        kind=kind,
        text=fields.text(body, "text", "text", min_len=0, max_len=5000, required=False) or "",
        sent_at=moment(body, "sent_at"),
        media_id=media_id,
        location=location,
    )


def parse_status(data: dict) -> Status:
    """A status callback as the gateway accepted it (see contracts.WhatsAppStatus)."""
    body = fields.obj(data, "", ("message_id", "status", "at", "error"))
    return Status(
        message_id=fields.text(body, "message_id", "message_id", max_len=200),
        status=fields.choice(body, "status", "status", STATUS_RANK),
        at=moment(body, "at"),
        error=fields.text(body, "error", "error", max_len=300, required=False),
    )


def moment(body: dict, name: str) -> datetime:
    try:
        found = datetime.fromisoformat(fields.text(body, name, name, max_len=40))
    except ValueError:
        raise fields.invalid(name, "must be an ISO 8601 moment") from None
    if found.tzinfo is None:
        raise fields.invalid(name, "must name its time zone")
    return found


def last_inbound(message: Message, received_at: datetime) -> datetime:
    """When the resident's session window starts: WhatsApp's own time for the message,
    never later than we got it (a clock ahead must not stretch the window)."""
    return min(message.sent_at, received_at)


def in_session(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < SESSION


def outgoing(
    to: str, text: str, last_inbound_at: datetime | None, now: datetime, template: str
) -> dict:
    """The messages endpoint's body for a notice: a text within the resident's session,
    the template (Indonesian, `id`) carrying the text outside it."""
    number = to.lstrip("+")
    if in_session(last_inbound_at, now):
        body = {"preview_url": False, "body": text[:TEXT_LIMIT]}
        return {"to": number, "type": "text", "text": body}
    parameter = {"type": "text", "text": template_text(text)}
    return {
        "to": number,
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": "id"},
            "components": [{"type": "body", "parameters": [parameter]}],
        },
    }


def template_text(text: str) -> str:
    """The notice as a template parameter: one line, at most PARAMETER_LIMIT."""
    flat = " ".join(text.split())
    if len(flat) > PARAMETER_LIMIT:
        flat = flat[: PARAMETER_LIMIT - 3].rstrip() + "..."
    return flat


def status_moves(current: str | None, new: str) -> bool:
    """Whether a callback changes what is recorded: only ever forward."""
    return STATUS_RANK[new] > STATUS_RANK.get(current or "", 0)


# The callbacks reported to intake, as the other adapters report (reporter.delivery):
# "sent" is what the messages endpoint's answer already reported as delivered.
REPORTED = {"delivered": "delivered", "read": "read", "failed": "failed"}


def complaint_body(text: str, sender: str, location: dict | None) -> dict:
    body: dict = {"reporter": {"phone": sender}, "text": text}
    if location:
        body["location"] = location
    return body


def photo_file(content: bytes, message_id: str, index: int) -> dict | None:
    """A photo as intake takes an upload; None when it is no JPEG or PNG by its bytes,
    or larger than intake's limit (it is then left out of the complaint)."""
    if len(content) > MAX_PHOTO_BYTES:
        return None
    for magic, (content_type, extension) in PHOTO_TYPES.items():
        if content.startswith(magic):
            safe = "".join(c for c in message_id if c.isalnum())[-24:] or "foto"
            return {
                "filename": f"whatsapp-{safe}-{index}.{extension}",
                "content_type": content_type,
                "content_b64": base64.b64encode(content).decode(),
            }
    return None


def reply_text(about: str, ticket: str, message: str, tracking_url: str) -> str:
    """The notice as a WhatsApp message: intake's own words (WhatsApp carries them
    whole), with the tracking link on the receipt and how to rate on the result."""
    if about == "received":
        return f"{message}\n\nPantau pengaduan Anda: {tracking_url}"
    if about == "info_requested":
        return f"{message}\n\nBalas pesan ini dengan menyebut nomor {ticket}."
    if about == "resolved":
        return f"{message}\n\n{RATE_HINT}\nSelengkapnya: {tracking_url}"
    return message


# Said in the result message: how to rate it (services/chassis/rating_text.py reads it).
RATE_HINT = "Beri nilai 1-5: balas NILAI 5, atau NILAI 1 dan alasannya."


def reply_received(ticket: str) -> str:
    return f"Terima kasih, keterangan tambahan untuk pengaduan {ticket} telah kami terima."


REFUSAL = (
    "Terima kasih. Pesan ini belum dapat kami catat sebagai pengaduan: mohon tuliskan "
    "masalahnya dan lokasinya (kecamatan/kelurahan) dalam satu pesan, minimal 10 huruf."
)
KEPT = {
    "image": "Foto Anda kami terima.",
    "location": "Lokasi yang Anda bagikan kami terima.",
}
KEPT_HINT = (
    " Sekarang tuliskan masalahnya dalam satu pesan (minimal 10 huruf); foto dan lokasi "
    "yang Anda kirim dalam {minutes} menit sebelumnya kami lampirkan pada pengaduan itu."
)
UNSUPPORTED = (
    "Mohon maaf, kami hanya dapat membaca pesan teks, foto dan lokasi yang dibagikan. "
    "Tuliskan masalahnya dan lokasinya dalam satu pesan."
)


def kept_answer(kind: str, gather: timedelta) -> str:
    """The answer to a photo or a location that came without words."""
    minutes = max(1, int(gather.total_seconds() // 60))
    return KEPT[kind] + KEPT_HINT.format(minutes=minutes)
