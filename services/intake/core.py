"""Intake's pure core: what a valid complaint is, its ticket number, and what the
reporter is told. Standard library only; `now` is always passed in."""

import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum

from services.chassis import fields
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import EventType
from services.contracts.reference import JAKARTA, KECAMATAN, Category, Channel

TICKET_PREFIX = "SMG"
PHONE_PATTERN = re.compile(r"^\+?[0-9]{8,15}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")

SUBMISSION_FIELDS = ("reporter", "title", "description", "location", "category", "media")
# Channels that deliver free text: intake derives title and kecamatan from it.
TEXT_CHANNELS = (Channel.SMS, Channel.MEDIA_SOSIAL, Channel.WHATSAPP)
# A WhatsApp message may carry a shared location (lat, lon) beside the text.
MESSAGE_FIELDS = ("reporter", "text", "media", "location")
URL_PATTERN = re.compile(r"^https?://[^\s]{3,500}$")
KECAMATAN_IN_TEXT = [
    (re.compile(rf"\b{re.escape(name.casefold())}\b"), name)
    for name in sorted(KECAMATAN, key=len, reverse=True)
]
REPORTER_FIELDS = ("name", "phone", "email", "address", "handle", "anonymous", "confidential")
LOCATION_FIELDS = ("kecamatan", "kelurahan", "address", "lat", "lon")
KECAMATAN_BY_KEY = {name.casefold(): name for name in KECAMATAN}


@dataclass(frozen=True)
class ChannelRule:
    """What a channel must give: how the answer reaches the reporter, and where."""

    contact: tuple[str, ...]  # reporter fields, one of which is required
    contact_hint: str
    named: bool  # the reporter's name is required
    located: bool  # location.kecamatan is required (text channels: officers complete it)
    # An anonymous reporter of this channel reads notices only through the tracking link.
    anonymous_by_link: bool
    # The channel sends a description and no title (Open311): the title is its first
    # sentence, and a kecamatan named in the address or the text is the location's.
    titled_from_text: bool = False


CHANNEL_RULES: dict[str, ChannelRule] = {
    Channel.SAPAMBAKITA: ChannelRule(
        ("phone", "email"),
        "give a phone number or an email, so the result can reach you",
        named=True,
        located=True,
        anonymous_by_link=True,
    ),
    Channel.TATAP_MUKA: ChannelRule(
        ("phone", "email", "address"),
        "give the reporter's phone, email or postal address",
        named=True,
        located=True,
        anonymous_by_link=True,
    ),
    Channel.SURAT: ChannelRule(
        ("address",),
        "give the postal address the reply letter goes to",
        named=True,
        located=True,
        anonymous_by_link=True,
    ),
    Channel.SMS: ChannelRule(
        ("phone",),
        "the sender's number is required",
        named=False,
        located=False,
        anonymous_by_link=False,
    ),
    Channel.WHATSAPP: ChannelRule(
        ("phone",),
        "the sender's WhatsApp number is required",
        named=False,
        located=False,
        anonymous_by_link=False,
    ),
    Channel.MEDIA_SOSIAL: ChannelRule(
        ("handle",),
        "the author's handle is required",
        named=False,
        located=False,
        anonymous_by_link=False,
    ),
    # LAPOR! answers its own users; the city never contacts them directly.
    Channel.LAPOR: ChannelRule((), "", named=False, located=False, anonymous_by_link=False),
    # Open311 apps send lat/long or an address, seldom a kecamatan: officers complete it.
    Channel.OPEN311: ChannelRule(
        ("phone", "email"),
        "give a phone number or an email, or none at all to report anonymously",
        named=False,
        located=False,
        anonymous_by_link=True,
        titled_from_text=True,
    ),
}
# Channels whose reporter reads notices in the app that sent the complaint (the app
# polls the secret link; an Open311 app reads the request's status): no adapter carries them.
IN_APP_CHANNELS = (Channel.SAPAMBAKITA, Channel.OPEN311)

ATTACHMENT_FIELDS = ("id", "filename", "content_type", "size", "sha256")
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class Reporter:
    name: str | None
    phone: str | None
    email: str | None
    address: str | None
    handle: str | None
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
    attachments: tuple[dict, ...] = ()
    recorded_by: str | None = None
    media: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """Identifies the content, to tell a retry from a reused idempotency key."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def phone_key(phone: str | None) -> str:
    """A number without its country or trunk prefix: 0812..., 62812... and +62812... agree."""
    return re.sub(r"\D", "", phone or "")[-10:]


# Channels whose provider vouches for the sender (a signed webhook carries the number or
# the account). Only there is "the same reporter" known: a phone or e-mail typed into the
# app or at a desk proves nothing, and matching on it would let anyone confirm who
# reported a complaint by re-sending its text with a guessed number.
VERIFIED_SENDER = {
    Channel.SMS: "phone",
    Channel.WHATSAPP: "phone",
    Channel.MEDIA_SOSIAL: "handle",
}


def sender_on(complaint: dict, channel: str) -> str | None:
    """The verified sender (phone or handle) of a complaint that came in on `channel`;
    None for a complaint from any other channel, so an adapter learns only its own."""
    field = VERIFIED_SENDER.get(channel)
    if field is None or complaint["channel"] != channel:
        return None
    return complaint["reporter"].get(field)


def content_key(submission: Submission) -> str | None:
    """The same verified sender on the same channel with the same text, whatever the
    key or the spacing: a resubmission. None where the sender is not verified."""
    field = VERIFIED_SENDER.get(submission.channel)
    sender = getattr(submission.reporter, field) if field else None
    if not sender:
        return None
    identity = phone_key(sender) if field == "phone" else sender.casefold()
    text = " ".join(re.findall(r"\w+", f"{submission.title} {submission.description}".casefold()))
    return hashlib.sha256("|".join([submission.channel, identity, text]).encode()).hexdigest()


def parse_submission(channel: str, body: object, recorded_by: str | None = None) -> Submission:
    """A complaint from any channel; `recorded_by` is the officer at a service desk.
    Attachments are added once stored (`with_attachments`)."""
    if channel not in set(Channel):
        raise fields.invalid("channel", f"must be one of: {', '.join(Channel)}")
    rule = CHANNEL_RULES[channel]
    if channel in TEXT_CHANNELS and isinstance(body, dict) and "text" in body:
        body = from_text(body)
    body = fields.obj(body, "", SUBMISSION_FIELDS)
    if rule.titled_from_text:
        body = with_title_from_text(body)
    return Submission(
        channel=channel,
        reporter=parse_reporter(body.get("reporter"), rule),
        title=fields.text(body, "title", "title", min_len=5, max_len=200),
        description=fields.text(body, "description", "description", min_len=10, max_len=5000),
        location=parse_location(body.get("location"), rule.located),
        category_hint=fields.choice(body, "category", "category", Category, required=False),
        recorded_by=recorded_by,
        media=parse_media(body),
    )


def with_title_from_text(body: dict) -> dict:
    """A body without a title given one from its description, and a kecamatan named in
    its address or description (when it names none itself); the rules stay intake's."""
    description = fields.text(body, "description", "description", min_len=10, max_len=5000)
    body = {**body, "title": body.get("title") or title_of(description)}
    location = body.get("location")
    if isinstance(location, dict) and not location.get("kecamatan"):
        kecamatan = kecamatan_in(f"{location.get('address') or ''} {description}")
        if kecamatan:
            body["location"] = {**location, "kecamatan": kecamatan}
    return body


def from_text(message: dict) -> dict:
    """A complaint body from a free-text message: its first sentence is the title, the
    whole text the description, and a kecamatan named in it the location."""
    message = fields.obj(message, "", MESSAGE_FIELDS)
    text = fields.text(message, "text", "text", min_len=10, max_len=5000)
    body = {"reporter": message.get("reporter"), "title": title_of(text), "description": text}
    location = message.get("location", {})
    kecamatan = kecamatan_in(text)
    if kecamatan and isinstance(location, dict):
        location = {**location, "kecamatan": kecamatan}
    if location != {}:  # parse_location refuses one that is not an object
        body["location"] = location
    if "media" in message:
        body["media"] = message["media"]
    return body


# Words that end in a full stop without ending the sentence ("Jl. Pemuda No. 148").
ABBREVIATIONS = frozenset(
    {"jl", "jln", "gg", "no", "kec", "kel", "kab", "prov", "rt", "rw", "bpk", "pak", "bu"}
    | {"ibu", "sdr", "dr", "ir", "h", "hj", "km", "dll", "dsb", "dst"}
)
SENTENCE_END = re.compile(r"([.!?])\s+|\n")
# A first "sentence" shorter than this is a greeting ("Halo.", "Pagi min!").
MIN_TITLE_WORDS = 3


def sentences(text: str) -> list[str]:
    found, start = [], 0
    for end in SENTENCE_END.finditer(text):
        before = text[start : end.start()].rsplit(None, 1)
        if end.group(1) == "." and before and before[-1].casefold() in ABBREVIATIONS:
            continue
        found.append(text[start : end.start() + (1 if end.group(1) else 0)].strip())
        start = end.end()
    found.append(text[start:].strip())
    return [sentence for sentence in found if sentence]


def title_of(text: str, limit: int = 80) -> str:
    """The first real sentence (or line), cut at a word when longer than `limit`."""
    candidates = sentences(text.strip()) or [text.strip()]
    first = next((s for s in candidates if len(s.split()) >= MIN_TITLE_WORDS), candidates[0])
    if len(first) < 5:
        first = text.strip()
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "..."


def kecamatan_in(text: str) -> str | None:
    folded = text.casefold()
    for pattern, name in KECAMATAN_IN_TEXT:
        if pattern.search(folded):
            return name
    return None


def parse_media(body: dict) -> tuple[str, ...]:
    links = fields.text_list(body, "media", "media", max_items=10)
    for link in links:
        if not URL_PATTERN.match(link):
            raise fields.invalid("media", "must be http(s) links")
    return tuple(links)


def with_attachments(submission: Submission, stored: list[dict]) -> Submission:
    """The submission naming its stored files (the gateway checked type and size)."""
    return replace(submission, attachments=parse_attachments(stored))


def parse_attachments(attachments: list[dict]) -> tuple[dict, ...]:
    if len(attachments) > MAX_ATTACHMENTS:
        raise fields.invalid("attachments", f"at most {MAX_ATTACHMENTS} files per complaint")
    return tuple({k: item[k] for k in ATTACHMENT_FIELDS} for item in attachments)


def parse_reporter(value: object, rule: ChannelRule = CHANNEL_RULES[Channel.SAPAMBAKITA]):
    if value is None:
        raise fields.invalid("reporter", "is required")
    body = fields.obj(value, "reporter", REPORTER_FIELDS)
    anonymous = fields.flag(body, "anonymous", "reporter.anonymous")
    phone = fields.text(body, "phone", "reporter.phone", max_len=32, required=False)
    if phone is not None:
        phone = re.sub(r"[\s\-().]", "", phone)
        if not PHONE_PATTERN.match(phone):
            raise fields.invalid("reporter.phone", "must be a phone number such as 081234567890")
    email = fields.text(body, "email", "reporter.email", max_len=254, required=False)
    if email is not None and not EMAIL_PATTERN.match(email):
        raise fields.invalid("reporter.email", "must be an email address such as nama@contoh.id")
    reporter = Reporter(
        name=fields.text(
            body,
            "name",
            "reporter.name",
            min_len=2,
            max_len=120,
            required=rule.named and not anonymous,
        ),
        phone=phone,
        email=email,
        address=fields.text(body, "address", "reporter.address", max_len=300, required=False),
        handle=fields.text(body, "handle", "reporter.handle", max_len=100, required=False),
        anonymous=anonymous,
        confidential=fields.flag(body, "confidential", "reporter.confidential"),
    )
    # An anonymous reporter of a tracking-link channel needs no contact at all.
    needs_contact = rule.contact and not (anonymous and rule.anonymous_by_link)
    if needs_contact and all(getattr(reporter, name) is None for name in rule.contact):
        raise fields.invalid(f"reporter.{rule.contact[0]}", rule.contact_hint)
    return reporter


def parse_location(value: object, required: bool = True) -> dict:
    if value is None:
        if required:
            raise fields.invalid("location", "is required")
        return {}
    body = fields.obj(value, "location", LOCATION_FIELDS)
    kecamatan = fields.text(body, "kecamatan", "location.kecamatan", max_len=60, required=required)
    canonical = None
    if kecamatan is not None:
        canonical = KECAMATAN_BY_KEY.get(kecamatan.casefold())
        if canonical is None:
            raise fields.invalid(
                "location.kecamatan",
                f"must be a kecamatan of Kota Semarang: {', '.join(KECAMATAN)}",
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
    submission: Submission, ticket: str, now: datetime, tracking_token: str, notice_id: str
) -> tuple[dict, list]:
    """The complaint as recorded, with the reporter's receipt notice, and the events
    announcing it (without the reporter). The tracking token lets the reporter, anonymous
    or not, read their notices."""
    # MongoDB keeps milliseconds; the answer to a retry must match the first answer.
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    state = {
        "ticket": ticket,
        "channel": submission.channel,
        "received_at": now,
        "reporter": asdict(submission.reporter),
        "title": submission.title,
        "description": submission.description,
        "location": submission.location,
        "category_hint": submission.category_hint,
        "attachments": list(submission.attachments),
        "media": list(submission.media),
        "recorded_by": submission.recorded_by,
        "tracking_token": tracking_token,
        "notifications": [],
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
        "attachments": [
            {k: a[k] for k in ("id", "filename", "content_type", "size")}
            for a in submission.attachments
        ],
        "media": list(submission.media),
    }
    noticed, notified = notify(state, Notice.RECEIVED, {}, now, notice_id)
    return state | noticed, [(EventType.COMPLAINT_RECEIVED, event), *notified]


class Notice(StrEnum):
    RECEIVED = "received"
    FORWARDED = "forwarded"
    INFO_REQUESTED = "info_requested"
    REJECTED = "rejected"
    RESOLVED = "resolved"


def notice_text(ticket: str, about: Notice, details: dict) -> str:
    """What the reporter is told, in Bahasa Indonesia."""
    if about == Notice.RECEIVED:
        return (
            f"Pengaduan Anda telah kami terima dengan nomor {ticket}. Simpan nomor ini untuk "
            "memantau perkembangannya; kami akan mengabarkan hasilnya."
        )
    if about == Notice.FORWARDED:
        return (
            f"Pengaduan Anda nomor {ticket} telah diteruskan kepada {details['agency_name']} "
            "untuk ditindaklanjuti."
        )
    if about == Notice.INFO_REQUESTED:
        return (
            f"Untuk menindaklanjuti pengaduan nomor {ticket}, petugas memerlukan keterangan "
            f"tambahan: {_sentence(details['question'])} Mohon sampaikan melalui saluran yang sama "
            "dengan menyebut nomor pengaduan."
        )
    if about == Notice.REJECTED:
        return (
            f"Pengaduan Anda nomor {ticket} tidak dapat kami proses. "
            f"Alasan: {_sentence(details['reason'])} Anda dapat mengajukan pengaduan baru "
            "dengan keterangan yang lebih lengkap."
        )
    if details.get("primary"):
        return (
            f"Pengaduan Anda nomor {ticket} menyangkut kejadian yang sama dengan pengaduan "
            f"nomor {details['primary']}, yang telah ditindaklanjuti. Tindak lanjut: "
            f"{_sentence(details['follow_up'])} Terima kasih telah menyampaikan pengaduan."
        )
    return (
        f"Pengaduan Anda nomor {ticket} telah ditindaklanjuti. "
        f"Tindak lanjut: {_sentence(details['follow_up'])} Terima kasih telah menyampaikan "
        "pengaduan."
    )


def _sentence(text: str) -> str:
    """Staff's words as a sentence of the notice: a full stop unless they end with one
    (a question already ends with "?"; "terdekat.." read as a typo)."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def delivered_through_channel(complaint: dict) -> bool:
    """False when the reporter reads notices only through the tracking link."""
    rule = CHANNEL_RULES[complaint["channel"]]
    return not (complaint["reporter"]["anonymous"] and rule.anonymous_by_link)


# The recipient of a notice nothing carries: the reporter reads it through the link.
TRACKING_LINK = "tracking link"


def recipient(complaint: dict) -> str:
    """Whom a channel's notice reaches, recorded with it (staff read it masked:
    staff_recipient)."""
    reporter, channel = complaint["reporter"], complaint["channel"]
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return reporter["phone"]
    if channel == Channel.MEDIA_SOSIAL:
        return reporter["handle"]
    if channel == Channel.LAPOR:
        return "SP4N-LAPOR!"
    if channel == Channel.SURAT:
        return f"{reporter['name']}, {reporter['address']}"
    if channel == Channel.TATAP_MUKA:
        return f"{reporter['name']} (loket pengaduan)"
    if channel == Channel.OPEN311:
        return "aplikasi Open311"
    return "aplikasi SapaMbakIta"


# Staff read a notice's recipient masked. Officers and supervisors need to tell which
# notice went where (and to confirm "the number ending 7890" when a reporter calls the
# desk), not to contact or identify the sender: only the adapter answering needs the
# whole number or account, and it keeps its own (see docs/channels.md).
MASK = "•••"
PHONE_KEPT_DIGITS = 4
HANDLE_KEPT_CHARACTERS = 2


def staff_notice(notice: dict, reporter: dict) -> dict:
    """A notice as staff see it: with its delivery and its recipient, masked."""
    to = notice.get("to")
    if to is not None and to != TRACKING_LINK:
        to = staff_recipient(notice["channel"], reporter)
    return public_notice(notice) | {"id": notice.get("id"), "to": to}


def staff_recipient(channel: str, reporter: dict) -> str:
    """Whom a channel's notice reached, as much of it as staff may read: the last four
    digits of an SMS number, the first two characters of a social account, and a desk
    reporter's name (given to an officer at the desk or signed on the letter) but never
    the postal address, which the desk asks for only to print the letter."""
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return masked_phone(reporter.get("phone") or "")
    if channel == Channel.MEDIA_SOSIAL:
        return masked_handle(reporter.get("handle") or "")
    if channel == Channel.SURAT:
        return f"{reporter.get('name') or 'pelapor'} (surat ke alamat pelapor)"
    return recipient({"channel": channel, "reporter": reporter})


def masked_phone(phone: str) -> str:
    """+6281234567890 -> "+62 ••• ••• 7890"; a number too short to hide is all masked."""
    digits = re.sub(r"\D", "", phone)
    country = "+62 " if phone.lstrip().startswith(("+62", "62", "0")) else ""
    if len(digits) < 2 * PHONE_KEPT_DIGITS:
        return f"{country}{MASK}"
    return f"{country}{MASK} {MASK} {digits[-PHONE_KEPT_DIGITS:]}"


def masked_handle(handle: str) -> str:
    """x:@warga_gayamsari -> "x:@wa•••": the platform, and no more than half the name."""
    platform, _, account = handle.rpartition(":")
    name = account.lstrip("@")
    kept = name[: min(HANDLE_KEPT_CHARACTERS, len(name) // 2)]
    return f"{platform + ':' if platform else ''}@{kept}{MASK}"


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
        "delivery": notice.get("delivery", {"status": "in_app"}),
    }


def notice_for_event(event_type: str, data: dict, agency_names: dict) -> tuple[Notice, dict]:
    """Which notice an event gives the reporter, and its variable parts."""
    if event_type == EventType.COMPLAINT_REJECTED:
        return Notice.REJECTED, {"reason": data["reason"]}
    if event_type == EventType.COMPLAINT_FORWARDED:
        agency = data["agency"]
        return Notice.FORWARDED, {"agency": agency, "agency_name": agency_names.get(agency, agency)}
    if event_type == EventType.SLA_PAUSED:
        return Notice.INFO_REQUESTED, {"question": data["question"]}
    return Notice.RESOLVED, {"follow_up": data["follow_up"]}


def notify(
    complaint: dict, about: Notice, details: dict, now: datetime, notice_id: str
) -> tuple[dict, list]:
    """Records a notice for the reporter and announces it to the channel's adapter.

    The notice's delivery starts pending when an adapter carries it, and is read in the
    app or through the tracking link otherwise."""
    deliver = delivered_through_channel(complaint)
    channel = complaint["channel"]
    message = notice_text(complaint["ticket"], about, details)
    carried = deliver and channel not in IN_APP_CHANNELS
    notice = {
        "id": notice_id,
        "about": str(about),
        "channel": channel,
        "to": recipient(complaint) if deliver else TRACKING_LINK,
        "message": message,
        "details": details,
        "at": now,
        "delivery": {"status": "pending" if carried else "in_app"},
    }
    state = {"notifications": [*complaint.get("notifications", []), notice]}
    event = {
        "notice_id": notice_id,
        "channel": channel,
        "about": str(about),
        "message": message,
        "deliver": deliver,
        "details": details,
    }
    return state, [(EventType.REPORTER_NOTIFIED, event)]


def latest_result(complaint: dict) -> str | None:
    """The follow-up the reporter was last told, if the complaint was resolved."""
    results = [n for n in complaint.get("notifications", []) if n["about"] == Notice.RESOLVED]
    return results[-1].get("details", {}).get("follow_up") if results else None


def linked(complaint: dict, primary: str | None) -> tuple[dict, list]:
    return {"linked_to": primary}, []


def duplicates_changed(complaint: dict, ticket: str, joined: bool) -> tuple[dict, list]:
    """The primary's list of complaints that repeat it, whose reporters share its result."""
    others = [t for t in complaint.get("linked", []) if t != ticket]
    return {"linked": [*others, ticket] if joined else others}, []


def parse_reply(text: object) -> str:
    return fields.text({"text": text}, "text", "text", min_len=2, max_len=2000)


def from_the_reporter(complaint: dict, proof: dict) -> bool:
    """Whether a reply comes from the complaint's reporter: the same number or account
    on their channel, or the tracking token (the app, and anonymous reporters)."""
    reporter = complaint["reporter"]
    if "token" in proof:
        return token_matches(complaint.get("tracking_token"), proof["token"])
    if "phone" in proof and reporter.get("phone"):
        return phone_key(reporter["phone"]) == phone_key(proof["phone"])
    if "handle" in proof and reporter.get("handle"):
        return reporter["handle"].casefold() == str(proof["handle"]).casefold()
    return False


def add_reply(
    complaint: dict, text: str, channel: str, reply_id: str, now: datetime
) -> tuple[dict, list] | None:
    """The reply recorded once per id (a redelivered message adds nothing)."""
    if any(r.get("id") == reply_id for r in complaint.get("replies", [])):
        return None
    reply = {"id": reply_id, "text": text, "channel": channel, "at": now}
    state = {"replies": [*complaint.get("replies", []), reply]}
    return state, [(EventType.REPORTER_REPLIED, {"channel": channel, "text": text})]


def record_delivery(complaint: dict, data: dict) -> tuple[dict, list] | None:
    """An adapter's report on a notice: delivered, or failed for good after retries."""
    notices = complaint.get("notifications", [])
    if not any(n.get("id") == data["notice_id"] for n in notices):
        return None
    delivery = {k: data[k] for k in ("status", "attempts", "at") if k in data}
    if data.get("error"):
        delivery["error"] = data["error"]
    updated = [
        n | {"delivery": delivery} if n.get("id") == data["notice_id"] else n for n in notices
    ]
    return {"notifications": updated}, []


# Ratings of the result: 1-5, one per result the reporter was told (a second for the
# same result is refused, so a reporter cannot undo a dispute or a closing by rating
# again); after a reopened complaint's next result, it may be rated again.
RATING_FIELDS = ("rating", "comment")
MAX_RATING_COMMENT = 1000
DISPUTED_BELOW = 3


def parse_rating(body: object) -> tuple[int, str | None]:
    body = fields.obj(body, "", RATING_FIELDS)
    rating = body.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise fields.invalid("rating", "must be a whole number from 1 (very poor) to 5 (very good)")
    comment = fields.text(
        body, "comment", "comment", min_len=0, max_len=MAX_RATING_COMMENT, required=False
    )
    return rating, comment or None


def result_cycle(complaint: dict) -> int:
    """How many results the reporter has been told (0: none yet)."""
    return sum(1 for n in complaint.get("notifications", []) if n["about"] == Notice.RESOLVED)


def rating_thanks(rating: int) -> str:
    """What the reporter is told once the rating is recorded, in Bahasa Indonesia."""
    if rating < DISPUTED_BELOW:
        return (
            "Terima kasih atas penilaian Anda. Karena Anda belum puas, petugas akan meninjau "
            "ulang hasil penanganan pengaduan ini."
        )
    return "Terima kasih atas penilaian Anda. Pengaduan ini kami tutup sebagai selesai."


def rate(
    complaint: dict,
    rating: int,
    comment: str | None,
    channel: str,
    rating_id: str,
    now: datetime,
) -> tuple[dict, list] | None:
    """The reporter's rating of the latest result; None when this rating_id was
    recorded already (a redelivered message), refused before any result or when the
    result has been rated."""
    cycle = result_cycle(complaint)
    ratings = complaint.get("ratings", [])
    if any(r["id"] == rating_id for r in ratings):
        return None
    if cycle == 0:
        raise CommandRejected(
            ErrorCode.NO_RESULT_YET,
            "this complaint has no result to rate yet; you can rate it once you are told "
            "what was done",
        )
    if any(r["cycle"] == cycle for r in ratings):
        raise CommandRejected(
            ErrorCode.ALREADY_RATED,
            "this result has already been rated; a result is rated once",
        )
    record = {
        "id": rating_id,
        "rating": rating,
        "comment": comment,
        "channel": channel,
        "cycle": cycle,
        "at": now,
    }
    event = {
        "channel": channel,
        "rating": rating,
        "comment": comment,
        "cycle": cycle,
        "rated_at": now.isoformat(),
    }
    return {"ratings": [*ratings, record]}, [(EventType.REPORTER_RATED, event)]


def rating_answer(ticket: str, record: dict) -> dict:
    return {
        "ticket": ticket,
        "rating": record["rating"],
        "cycle": record["cycle"],
        "disputed": record["rating"] < DISPUTED_BELOW,
        "message": rating_thanks(record["rating"]),
    }
