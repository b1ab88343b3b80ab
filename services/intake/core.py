"""Intake's pure core: what a valid complaint is, its ticket number, and what the
reporter is told. Standard library only; `now` is always passed in."""

import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.chassis import fields
from services.contracts.events import EventType
from services.contracts.reference import KECAMATAN, Category, Channel

JAKARTA = ZoneInfo("Asia/Jakarta")
TICKET_PREFIX = "SMG"
PHONE_PATTERN = re.compile(r"^\+?[0-9]{8,15}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")

SUBMISSION_FIELDS = ("reporter", "title", "description", "location", "category")
REPORTER_FIELDS = ("name", "phone", "email", "anonymous", "confidential")
LOCATION_FIELDS = ("kecamatan", "kelurahan", "address", "lat", "lon")
KECAMATAN_BY_KEY = {name.casefold(): name for name in KECAMATAN}


@dataclass(frozen=True)
class Reporter:
    name: str
    phone: str | None
    email: str | None
    anonymous: bool
    confidential: bool


@dataclass(frozen=True)
class Submission:
    channel: str
    reporter: Reporter
    title: str
    description: str
    location: dict
    category_hint: str | None

    def fingerprint(self) -> str:
        """Identifies the content, to tell a retry from a reused idempotency key."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def parse_submission(channel: str, body: object) -> Submission:
    if channel not in set(Channel):
        raise fields.invalid("channel", f"must be one of: {', '.join(Channel)}")
    body = fields.obj(body, "", SUBMISSION_FIELDS)
    return Submission(
        channel=channel,
        reporter=parse_reporter(body.get("reporter")),
        title=fields.text(body, "title", "title", min_len=5, max_len=200),
        description=fields.text(body, "description", "description", min_len=10, max_len=5000),
        location=parse_location(body.get("location")),
        category_hint=fields.choice(body, "category", "category", Category, required=False),
    )


def parse_reporter(value: object) -> Reporter:
    if value is None:
        raise fields.invalid("reporter", "is required")
    body = fields.obj(value, "reporter", REPORTER_FIELDS)
    phone = fields.text(body, "phone", "reporter.phone", max_len=32, required=False)
    if phone is not None:
        phone = re.sub(r"[\s\-().]", "", phone)
        if not PHONE_PATTERN.match(phone):
            raise fields.invalid("reporter.phone", "must be a phone number such as 081234567890")
    email = fields.text(body, "email", "reporter.email", max_len=254, required=False)
    if email is not None and not EMAIL_PATTERN.match(email):
        raise fields.invalid("reporter.email", "must be an email address such as nama@contoh.id")
    if phone is None and email is None:
        raise fields.invalid(
            "reporter.phone", "give a phone number or an email, so the result can reach you"
        )
    return Reporter(
        name=fields.text(body, "name", "reporter.name", min_len=2, max_len=120),
        phone=phone,
        email=email,
        anonymous=fields.flag(body, "anonymous", "reporter.anonymous"),
        confidential=fields.flag(body, "confidential", "reporter.confidential"),
    )


def parse_location(value: object) -> dict:
    if value is None:
        raise fields.invalid("location", "is required")
    body = fields.obj(value, "location", LOCATION_FIELDS)
    kecamatan = fields.text(body, "kecamatan", "location.kecamatan", max_len=60)
    canonical = KECAMATAN_BY_KEY.get(kecamatan.casefold())
    if canonical is None:
        raise fields.invalid(
            "location.kecamatan", f"must be a kecamatan of Kota Semarang: {', '.join(KECAMATAN)}"
        )
    location = {
        "kecamatan": canonical,
        "kelurahan": fields.text(
            body, "kelurahan", "location.kelurahan", max_len=100, required=False
        ),
        "address": fields.text(body, "address", "location.address", max_len=300, required=False),
        "lat": fields.number(body, "lat", "location.lat", -90, 90),
        "lon": fields.number(body, "lon", "location.lon", -180, 180),
    }
    return {k: v for k, v in location.items() if v is not None}


def ticket_year(now: datetime) -> int:
    return now.astimezone(JAKARTA).year


def ticket_number(year: int, sequence: int) -> str:
    return f"{TICKET_PREFIX}-{year}-{sequence:06d}"


def receive(
    submission: Submission, ticket: str, now: datetime, tracking_token: str
) -> tuple[dict, list]:
    """The complaint as recorded, with the reporter's receipt notice, and the event
    announcing it (without the reporter). The tracking token lets the reporter, anonymous
    or not, read their notices."""
    # MongoDB keeps milliseconds; the answer to a retry must match the first answer.
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    receipt = {
        "about": "received",
        "channel": submission.channel,
        "message": receipt_notice(ticket),
        "at": now,
    }
    state = {
        "ticket": ticket,
        "channel": submission.channel,
        "received_at": now,
        "reporter": asdict(submission.reporter),
        "title": submission.title,
        "description": submission.description,
        "location": submission.location,
        "category_hint": submission.category_hint,
        "tracking_token": tracking_token,
        "notifications": [receipt],
    }
    event = {
        "channel": submission.channel,
        "received_at": now.isoformat(),
        "title": submission.title,
        "description": submission.description,
        "location": submission.location,
        "category_hint": submission.category_hint,
        "anonymous": submission.reporter.anonymous,
        "confidential": submission.reporter.confidential,
    }
    return state, [(EventType.COMPLAINT_RECEIVED, event)]


def receipt_notice(ticket: str) -> str:
    return (
        f"Pengaduan Anda telah kami terima dengan nomor {ticket}. Simpan nomor ini untuk "
        "memantau perkembangannya; kami akan mengabarkan hasilnya."
    )


def token_matches(stored: str | None, given: object) -> bool:
    return (
        isinstance(stored, str)
        and isinstance(given, str)
        and hmac.compare_digest(stored.encode(), given.encode())
    )


def public_notice(notice: dict) -> dict:
    return {
        "about": notice["about"],
        "channel": notice["channel"],
        "message": notice["message"],
        "at": notice["at"].isoformat(),
    }


def result_notice(ticket: str, event_type: str, data: dict) -> str:
    """What the reporter is told, in Bahasa Indonesia."""
    if event_type == EventType.COMPLAINT_REJECTED:
        return (
            f"Pengaduan Anda nomor {ticket} tidak dapat kami proses. "
            f"Alasan: {data['reason']}. Anda dapat mengajukan pengaduan baru "
            "dengan keterangan yang lebih lengkap."
        )
    return (
        f"Pengaduan Anda nomor {ticket} telah ditindaklanjuti. "
        f"Tindak lanjut: {data['follow_up']}. Terima kasih telah menyampaikan pengaduan."
    )


def notify(complaint: dict, event_type: str, data: dict, now: datetime) -> tuple[dict, list]:
    """Records the notice for the reporter's channel and announces it."""
    message = result_notice(complaint["ticket"], event_type, data)
    about = "rejected" if event_type == EventType.COMPLAINT_REJECTED else "resolved"
    notice = {"about": about, "channel": complaint["channel"], "message": message, "at": now}
    state = {"notifications": [*complaint.get("notifications", []), notice]}
    event = {"channel": complaint["channel"], "about": about, "message": message}
    return state, [(EventType.REPORTER_NOTIFIED, event)]
