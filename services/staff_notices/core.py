"""staff_notices' pure core: staff contact details, who is told of an SLA event, and
what each is told (Bahasa Indonesia). Standard library only; `now` is passed in.

A notice is one delivery per person and medium, keyed `{event_id}:{username}:{medium}`:
the sla service relays an event with the same id however often it is republished, and
the deliveries collection refuses a key it holds, so nobody is told twice.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from services.chassis import fields
from services.contracts.events import Envelope, EventType
from services.contracts.reference import JAKARTA

EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
CONTACT_FIELDS = ("email", "whatsapp")
MEDIA = ("email", "whatsapp")
ABOUT = {
    EventType.SLA_WARNING: "warning",
    EventType.SLA_STAGE_OVERDUE: "stage_overdue",
    EventType.SLA_BREACHED: "breach",
    EventType.SLA_DIGEST: "digest",
}
STAGE_LABELS = {
    "review": "verifikasi petugas",
    "forward": "penerusan ke perangkat daerah",
    "agency_response": "tanggapan perangkat daerah",
}


@dataclass(frozen=True)
class Notice:
    notice_id: str
    about: str
    # Where it goes: medium, address, username, and the e-mail's subject (the provider
    # needs it beside the text; a WhatsApp message starts with it).
    to: dict
    text: str


def parse_contact(body: object) -> dict:
    """`{"email"?: str|null, "whatsapp"?: str|null}` -> both fields, normalised; an empty
    string or null clears one."""
    body = fields.obj(body, "", CONTACT_FIELDS)
    email = fields.text(body, "email", "email", min_len=0, max_len=254, required=False)
    if email and not EMAIL.fullmatch(email):
        raise fields.invalid("email", "must be an e-mail address such as nama@semarangkota.go.id")
    number = fields.text(body, "whatsapp", "whatsapp", min_len=0, max_len=20, required=False)
    whatsapp = fields.phone(number, "whatsapp") if number else None
    return {"email": email.lower() if email else None, "whatsapp": whatsapp}


def account_from(data: dict) -> dict:
    """The directory fields of a staff.account event."""
    return {
        "role": data["role"],
        "agency": data.get("agency"),
        "active": bool(data["active"]),
        "account_at": datetime.fromisoformat(data["changed_at"]),
    }


def roles_of(recipients: Iterable[str]) -> list[str]:
    """The plain roles named by recipients such as `agency_head:dpu`, for one query."""
    return sorted({r.partition(":")[0] for r in recipients})


def is_recipient(member: dict, recipient: str) -> bool:
    role, _, agency = recipient.partition(":")
    return (
        bool(member.get("active"))
        and member.get("role") == role
        and (not agency or member.get("agency") == agency)
    )


def addressees(recipients: list[str], staff: Iterable[dict]) -> list[tuple[dict, str]]:
    """Each active member named by a recipient, once, with the first recipient that named
    them (a digest tells an agency's head of that agency, a supervisor of all)."""
    found: dict[str, tuple[dict, str]] = {}
    for member in sorted(staff, key=lambda m: m["_id"]):
        for recipient in recipients:
            if member["_id"] not in found and is_recipient(member, recipient):
                found[member["_id"]] = (member, recipient)
    return list(found.values())


def notices(event: Envelope, staff: Iterable[dict], public_url: str) -> list[Notice]:
    """Every delivery an SLA event or digest makes: per addressee, per medium they gave."""
    about = ABOUT[EventType(event["type"])]
    made = []
    for member, recipient in addressees(event["data"]["recipients"], staff):
        subject, body = compose(about, event, recipient, public_url)
        for medium in MEDIA:
            address = member.get(medium)
            if not address:
                continue
            to = {"medium": medium, "address": address, "username": member["_id"]}
            to["subject"] = subject
            text = body if medium == "email" else f"*{subject}*\n{body}"
            made.append(Notice(f"{event['event_id']}:{member['_id']}:{medium}", about, to, text))
    return made


def compose(about: str, event: Envelope, recipient: str, public_url: str) -> tuple[str, str]:
    """The subject and text of a notice, in Bahasa Indonesia."""
    if about == "digest":
        return _digest(event["data"], recipient, public_url)
    data, ticket = event["data"], event["ticket"]
    due = _date(data["due_at"])
    link = f"Buka pengaduan: {public_url}/kerja/{ticket}"
    if about == "warning":
        subject = f"Peringatan batas waktu: pengaduan {ticket}"
        lead = (
            f"Pengaduan {ticket} telah melewati {data['label']} dari batas waktu "
            f"penyelesaiannya. Jatuh tempo: {due}."
        )
    elif about == "stage_overdue":
        stage = STAGE_LABELS.get(data["label"], data["label"])
        subject = f"Tahap {stage} terlambat: pengaduan {ticket}"
        lead = (
            f"Tahap {stage} untuk pengaduan {ticket} melewati target waktunya. Jatuh tempo: {due}."
        )
    else:
        subject = f"Melewati batas waktu: pengaduan {ticket}"
        lead = (
            f"Pengaduan {ticket} melewati batas waktu penyelesaian ({due}) dan belum "
            "selesai ditindaklanjuti."
        )
    agency = data.get("agency")
    handler = f"Ditangani oleh: {agency.upper()}." if agency else "Belum diteruskan."
    return subject, "\n\n".join((lead, handler, "Mohon segera ditindaklanjuti.", link, _footer()))


def _digest(data: dict, recipient: str, public_url: str) -> tuple[str, str]:
    _, _, own = recipient.partition(":")
    agencies = [a for a in data["agencies"] if not own or a["agency"] == own]
    total = sum(a["overdue"] for a in agencies)
    subject = f"Ringkasan mingguan {data['week']}: {total} pengaduan melewati batas waktu"
    lines = [
        f"- {_agency_label(a['agency'])}: {a['overdue']} pengaduan ({', '.join(a['tickets'])})"
        for a in agencies
    ]
    body = [
        f"Pengaduan yang melewati batas waktu per {data['week']}:",
        "\n".join(lines) or "Tidak ada. Terima kasih.",
        f"Daftar kerja: {public_url}/kerja",
        _footer(),
    ]
    return subject, "\n\n".join(body)


def _agency_label(code: str) -> str:
    return "Belum diteruskan" if code == "belum_diteruskan" else code.upper()


def _date(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(JAKARTA).strftime("%d-%m-%Y")


def _footer() -> str:
    return (
        "Pesan ini dikirim otomatis oleh sistem pengaduan Kota Semarang. Ubah alamat "
        "e-mail atau nomor WhatsApp Anda di halaman Kontak Saya."
    )
