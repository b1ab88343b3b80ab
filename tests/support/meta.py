"""Meta's side of WhatsApp in tests: a local stand-in of the Graph API (the messages
endpoint, and media served by id and then by a download link, both behind the bearer
token), and the webhook payloads Meta posts, signed as Meta signs them."""

import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlparse

from tests.support.providers import StandIn, _Handler

APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "meta-verify-token-for-tests"
# Smallest files that are what they claim by their first bytes.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


class GraphApi(StandIn):
    """The messages endpoint as StandIn records it (with WhatsApp's message id in
    messages[0].id), and media: add_media(id, bytes) makes GET /{id} answer a download
    link, and GET on that link the bytes."""

    def __init__(self, token: str = "graph-token") -> None:
        self.media: dict[str, tuple[bytes, str]] = {}
        self.downloads: list[str] = []
        self.media_failures_left = 0
        super().__init__(token, _GraphHandler)

    def add_media(self, content: bytes, mime_type: str = "image/jpeg") -> str:
        media_id = str(uuid.uuid4().int)[:16]
        with self.lock:
            self.media[media_id] = (content, mime_type)
        return media_id

    def fail_media_next(self, count: int) -> None:
        """The next `count` media requests (look-ups or downloads) answer 503."""
        with self.lock:
            self.media_failures_left = count

    def sent_to(self, number: str) -> list[dict]:
        """The messages to a number (as the API takes it: digits, no +), in order."""
        return sorted(
            (m for m in self.messages("/messages") if m.get("to") == number.lstrip("+")),
            key=lambda m: m["_at"],
        )


class _GraphHandler(_Handler):
    stand_in: GraphApi

    def do_GET(self) -> None:
        stand_in = self.stand_in
        if not self._authorized():
            return
        path = urlparse(self.path).path.strip("/")
        download = path.startswith("files/")
        media_id = path.removeprefix("files/")
        with stand_in.lock:
            failing = stand_in.media_failures_left > 0
            stand_in.media_failures_left -= 1 if failing else 0
            found = stand_in.media.get(media_id)
            if download and found and not failing:
                stand_in.downloads.append(media_id)
        if failing:
            self._answer(503, {"error": {"message": "Service temporarily unavailable"}})
            return
        if found is None:
            self._answer(404, {"error": {"message": "Unsupported get request", "code": 100}})
            return
        content, mime_type = found
        if not download:
            url = f"{stand_in.url}/files/{media_id}"
            self._answer(200, {"url": url, "mime_type": mime_type, "id": media_id})
            return
        self.send_response(200)
        self.send_header("content-type", mime_type)
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


def sign(raw: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def payload(messages: list[dict] = (), statuses: list[dict] = (), number_id: str = "") -> dict:
    """The body Meta posts: one entry, one change of field "messages"."""
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6224000000", "phone_number_id": number_id},
    }
    if messages:
        senders = {m["from"] for m in messages}
        value["contacts"] = [{"profile": {"name": "Warga"}, "wa_id": s} for s in senders]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }


def message(sender: str, kind: str, part: dict, message_id: str = "", sent_at=None) -> dict:
    """One inbound message: `sender` in digits (62...), `part` the kind's object."""
    return {
        "from": sender.lstrip("+"),
        "id": message_id or f"wamid.{uuid.uuid4().hex}",
        "timestamp": str(int(sent_at if sent_at is not None else time.time())),
        "type": kind,
        kind: part,
    }


def status(wamid: str, state: str, recipient: str, errors: list | None = None) -> dict:
    found = {
        "id": wamid,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": recipient.lstrip("+"),
    }
    if errors:
        found["errors"] = errors
    return found


def raw(body: dict) -> bytes:
    # Meta escapes non-ASCII as \\uXXXX; the signature is over these very bytes.
    return json.dumps(body).encode()
