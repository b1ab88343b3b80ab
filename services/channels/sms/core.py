"""The SMS channel's pure core: messages in (parts joined), short replies out.

Replies fit one SMS: 160 characters of the GSM 7-bit alphabet, so they stay plain
ASCII (no ellipsis character, which would force UCS-2 and a 70-character limit).
Standard library only.
"""

from dataclasses import dataclass

from services.chassis import fields

SMS_LIMIT = 160
MAX_PARTS = 10


@dataclass(frozen=True)
class Part:
    ref: str
    index: int
    total: int


@dataclass(frozen=True)
class Message:
    message_id: str
    sender: str
    text: str
    part: Part | None

    def idempotency_key(self) -> str:
        """One complaint per provider message, or per joined multipart message."""
        if self.part is not None:
            return f"sms:{self.sender}:part:{self.part.ref}"
        return f"sms:{self.message_id}"


def parse_message(data: dict) -> Message:
    """An inbound SMS as the gateway's webhook accepted it (see contracts.SmsReceived)."""
    body = fields.obj(data, "", ("message_id", "sender", "text", "received_at", "part"))
    sender = normalise_number(fields.text(body, "sender", "sender", max_len=20))
    part = None
    if body.get("part") is not None:
        given = fields.obj(body["part"], "part", ("ref", "index", "total"))
        ref = fields.text(given, "ref", "part.ref", max_len=40)
        index, total = given.get("index"), given.get("total")
        if not (isinstance(total, int) and 1 <= total <= MAX_PARTS):
            raise fields.invalid("part.total", f"must be a whole number from 1 to {MAX_PARTS}")
        if not (isinstance(index, int) and 1 <= index <= total):
            raise fields.invalid("part.index", "must be from 1 to part.total")
        part = Part(ref, index, total)
    text = body.get("text") or ""
    if not isinstance(text, str) or len(text) > 1600:
        raise fields.invalid("text", "must be a string of at most 1600 characters")
    return Message(
        message_id=fields.text(body, "message_id", "message_id", max_len=100),
        sender=sender,
        text=text,  # not stripped: the parts of a long SMS split anywhere
        part=part,
    )


def normalise_number(number: str) -> str:
    """Indonesian numbers in one form, +62..., so 0812... and 62812... are one sender."""
    return fields.phone(number, "sender")


def joined(parts: dict[str, str], total: int) -> str | None:
    """The whole message once every part is in, else None. Parts are keyed "1".."total"."""
    if any(str(i) not in parts for i in range(1, total + 1)):
        return None
    return "".join(parts[str(i)] for i in range(1, total + 1))


def joined_with_gaps(parts: dict[str, str], total: int) -> str:
    """What arrived of a message whose other parts never came: nothing is dropped."""
    return " ".join(parts.get(str(i), "[...]") for i in range(1, total + 1))


def complaint_body(message_text: str, sender: str) -> dict:
    return {"reporter": {"phone": sender}, "text": message_text}


def reply_text(about: str, ticket: str, details: dict, tracking_url: str) -> str:
    """The notice as one SMS, in Bahasa Indonesia."""
    if about == "received":
        return fit(f"Pengaduan Anda diterima, nomor {ticket}. Pantau: ", tracking_url, "")
    if about == "forwarded":
        return fit(f"Pengaduan {ticket} diteruskan ke ", details.get("agency_name", ""), ".")
    if about == "info_requested":
        return fit(
            f"Pengaduan {ticket}: mohon keterangan tambahan: ",
            details.get("question", ""),
            f" Balas dgn menyebut {ticket}.",
        )
    if about == "rejected":
        return fit(f"Pengaduan {ticket} tidak dapat diproses. Alasan: ", details["reason"], "")
    return fit(
        f"Pengaduan {ticket} selesai ditindaklanjuti: ",
        details["follow_up"],
        f" {RATE_HINT}",
    )


# Said in the result SMS: how to rate it (services/chassis/rating_text.py reads it).
RATE_HINT = "Nilai 1-5? Balas NILAI 5, atau NILAI 1 alasannya."


def rating_answer(text: str) -> str:
    """The answer to a rating (services/chassis/rating_text.py words it) as one SMS."""
    return fit("", text, "")


def reply_received(ticket: str) -> str:
    return f"Keterangan tambahan untuk pengaduan {ticket} telah kami terima. Terima kasih."


REFUSAL = (
    "Pesan Anda belum dapat kami catat sebagai pengaduan. Tuliskan masalahnya dan "
    "lokasinya (kecamatan), minimal 10 huruf, lalu kirim ulang."
)


def fit(prefix: str, detail: str, suffix: str, limit: int = SMS_LIMIT) -> str:
    """prefix + detail + suffix within `limit` characters, shortening the detail."""
    detail = to_gsm(detail)
    room = limit - len(prefix) - len(suffix)
    if len(detail) > room:
        detail = detail[: max(room - 3, 0)].rstrip() + "..."
    return (prefix + detail + suffix)[:limit]


def to_gsm(text: str) -> str:
    """Plain ASCII: typographic quotes and dashes to their ASCII kin, the rest dropped."""
    table = str.maketrans(
        {
            "\u2018": "'",
            "\u2019": "'",
            "\u201c": '"',
            "\u201d": '"',
            "\u2013": "-",
            "\u2014": "-",
            "\u2026": "...",
        }
    )
    return " ".join(text.translate(table).encode("ascii", "ignore").decode().split())
