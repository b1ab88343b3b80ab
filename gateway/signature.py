"""Webhook signatures: HMAC-SHA256 over the timestamp and the raw body, shared secret.

A provider sends
    X-Aduan-Timestamp: <unix seconds>
    X-Aduan-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>
and a request older or newer than the tolerance is refused, so a captured request
cannot be replayed later.
"""

import hashlib
import hmac
import re

from gateway.errors import ApiError

TOLERANCE_SECONDS = 300
# Only ASCII digits and lowercase hex: headers arrive as Latin-1 text, and int() or
# compare_digest would raise on superscript digits or non-ASCII characters.
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"sha256=[0-9a-fA-F]{64}")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float):
    if not timestamp or not signature:
        raise ApiError(
            "invalid_signature",
            "send X-Aduan-Timestamp and X-Aduan-Signature (HMAC-SHA256, see docs/channels.md)",
        )
    if not TIMESTAMP.fullmatch(timestamp):
        raise ApiError("invalid_signature", "X-Aduan-Timestamp must be Unix seconds in digits")
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise ApiError(
            "invalid_signature", "X-Aduan-Timestamp is not within 5 minutes of the server time"
        )
    if not SIGNATURE.fullmatch(signature):
        raise ApiError("invalid_signature", "X-Aduan-Signature must be sha256= and 64 hex digits")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.lower().encode()):
        raise ApiError("invalid_signature", "X-Aduan-Signature does not match the body")
