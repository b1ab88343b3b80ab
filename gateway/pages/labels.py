"""What residents read for the services' ids: events of the timeline, notices, deadline
states and scopes, in Bahasa Indonesia, and dates as they are written in Indonesia.

The statuses' own labels come from the reporting service (tracking's `status_label`);
these are the words for what the pages show besides them.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from services.contracts.events import EventType

JAKARTA = ZoneInfo("Asia/Jakarta")

# One line of the public timeline per event the read model records there.
EVENT_LABELS: dict[str, str] = {
    EventType.COMPLAINT_RECEIVED: "Pengaduan diterima",
    EventType.COMPLAINT_TRIAGED: "Diperiksa sistem, menunggu verifikasi petugas",
    EventType.COMPLAINT_CLASSIFIED: "Diverifikasi dan dikelompokkan oleh petugas",
    EventType.COMPLAINT_REJECTED: "Tidak dapat diproses",
    EventType.COMPLAINT_FORWARDED: "Diteruskan ke perangkat daerah",
    EventType.COMPLAINT_ACCEPTED: "Diterima perangkat daerah untuk ditangani",
    EventType.COMPLAINT_RETURNED: "Dikembalikan kepada petugas untuk ditinjau ulang",
    EventType.TASK_ACCEPTED: "Bagian tugas diterima perangkat daerah",
    EventType.TASK_RETURNED: "Bagian tugas dikembalikan perangkat daerah",
    EventType.TASK_RESOLVED: "Bagian tugas selesai ditindaklanjuti",
    EventType.TASK_CLOSED: "Bagian tugas ditutup oleh perangkat daerah koordinator",
    EventType.TASK_REASSIGNED: "Bagian tugas dialihkan ke perangkat daerah lain",
    EventType.REFERRAL_RECORDED: "Disampaikan kepada instansi di luar Pemerintah Kota",
    EventType.COMPLAINT_RESOLVED: "Selesai ditindaklanjuti perangkat daerah",
    EventType.COMPLAINT_CLOSED: "Selesai, pengaduan ditutup",
    EventType.REPORTER_RATED: "Pelapor memberi penilaian atas hasil",
    EventType.COMPLAINT_DISPUTED: "Hasil disanggah pelapor, ditinjau ulang petugas",
    EventType.COMPLAINT_REOPENED: "Dibuka kembali untuk ditinjau ulang",
    EventType.COMPLAINT_LINKED: "Digabungkan dengan pengaduan lain atas kejadian yang sama",
    EventType.COMPLAINT_UNLINKED: "Dipisahkan kembali dari pengaduan lain",
    EventType.REPORTER_NOTIFIED: "Pemberitahuan kepada pelapor",
    EventType.REPORTER_REPLIED: "Pelapor menyampaikan keterangan tambahan",
}
# Events the read model keeps out of the timeline (clock flags, deliveries, and the
# channels' raw messages, which never reach it): no label is needed for them.
NOT_IN_TIMELINE = frozenset(
    {
        EventType.NOTICE_DELIVERY,
        EventType.DEADLINE_SET,
        EventType.SLA_WARNING,
        EventType.SLA_STAGE_OVERDUE,
        EventType.SLA_BREACHED,
        EventType.SLA_PAUSED,
        EventType.SLA_RESUMED,
        EventType.SLA_DIGEST,
        EventType.STAFF_ACCOUNT,
        EventType.SLA_CLOSING_DUE,
        EventType.SMS_RECEIVED,
        EventType.SOCIAL_RECEIVED,
        EventType.WHATSAPP_RECEIVED,
        EventType.WHATSAPP_STATUS,
    }
)

NOTICE_LABELS: dict[str, str] = {
    "received": "Tanda terima",
    "forwarded": "Pengaduan diteruskan",
    "info_requested": "Permintaan keterangan tambahan",
    "rejected": "Pengaduan tidak dapat diproses",
    "resolved": "Hasil tindak lanjut",
}

DELIVERY_LABELS: dict[str, str] = {
    "in_app": "dapat dibaca di halaman ini",
    "pending": "menunggu dikirim",
    "delivered": "terkirim",
    "read": "terkirim dan dibaca",
    "failed": "gagal dikirim",
    "ready": "surat siap dikirim",
}

# The clock's live state (tracking's deadline.state) and the read model's sla_state.
DEADLINE_STATE_LABELS: dict[str, str] = {
    "on_track": "Sesuai jadwal",
    "due_soon": "Mendekati batas waktu",
    "paused": "Dihentikan sementara, menunggu keterangan pelapor",
    "breached": "Melewati batas waktu",
    "overdue": "Melewati batas waktu",
    # Stopped: rejected, closed, or the result conveyed (a dispute waits on an officer).
    "stopped": "Batas waktu tidak lagi dihitung",
}

CHANNEL_LABELS: dict[str, str] = {
    "sapambakita": "SapaMbakIta / situs web",
    "sms": "SMS",
    "media_sosial": "Media sosial",
    "whatsapp": "WhatsApp",
    "lapor": "SP4N-LAPOR!",
    "tatap_muka": "Tatap muka",
    "surat": "Surat",
    "open311": "Open311 (aplikasi mitra)",
}

SCOPE_LABELS: dict[str, str] = {
    "single_agency": "ditangani satu perangkat daerah",
    "cross_agency": "ditangani beberapa perangkat daerah",
    "cross_institution": "melibatkan instansi di luar Pemerintah Kota Semarang",
}

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def event_label(entry: dict) -> str:
    """The timeline line for one entry; an event this version does not know yet is
    shown by the status it led to, so a new event type never breaks the page."""
    return EVENT_LABELS.get(entry.get("event") or "") or entry.get("label") or "Perubahan status"


def label(table: dict[str, str], key: object, fallback: str = "-") -> str:
    return table.get(str(key), fallback) if key is not None else fallback


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=JAKARTA)


def date_text(value: object) -> str:
    """'5 Desember 2026' (Asia/Jakarta), or '-' when there is no date."""
    local = _local(value)
    return "-" if local is None else f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def time_text(value: object) -> str:
    """'5 Desember 2026, 14.05 WIB' (Indonesian writes the time with a dot)."""
    local = _local(value)
    return "-" if local is None else f"{date_text(value)}, {local:%H.%M} WIB"


def _local(value: object) -> datetime | None:
    moment = parse_time(value)
    return None if moment is None else moment.astimezone(JAKARTA)


# The sla service's reasons for a deadline (its history, GET .../sla) and for a
# recomputation, as the staff pages say them; an unknown one is shown as it is.
DEADLINE_REASONS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^received$"), "Ditetapkan sementara saat pengaduan diterima"),
    (re.compile(r"^classified$"), "Ditetapkan saat pengaduan diverifikasi"),
    (
        re.compile(r"^resumed after (\d+) working days paused$"),
        "Diperpanjang {0} hari kerja karena jeda menunggu keterangan pelapor",
    ),
    (
        re.compile(r"^reopened \(cycle (\d+)\)$"),
        "Ditetapkan ulang saat pengaduan dibuka kembali (putaran {0})",
    ),
    (
        re.compile(r"^calendar: (\d{4}-\d\d-\d\d) day off \((.*)\)$", re.DOTALL),
        "Perubahan kalender: {0} menjadi hari libur ({1})",
    ),
    (
        re.compile(r"^calendar: (\d{4}-\d\d-\d\d) working day \((.*)\)$", re.DOTALL),
        "Perubahan kalender: {0} menjadi hari kerja ({1})",
    ),
)


def deadline_reason(reason: object) -> str:
    text = str(reason or "")
    for pattern, indonesian in DEADLINE_REASONS:
        found = pattern.match(text)
        if found:
            groups = [
                date_text(g) if re.fullmatch(r"\d{4}-\d\d-\d\d", g) else g for g in found.groups()
            ]
            return indonesian.format(*groups)
    return text or "-"


def timeline(view: dict, names: dict[str, str]) -> list[dict]:
    """The timeline's lines: the event's words, when, and its note; a forwarding names
    the agency (the read model keeps its code)."""
    lines = []
    for entry in view.get("timeline", []):
        note = entry.get("note")
        agency = entry.get("agency")
        if agency:
            note = f"Diteruskan ke {names.get(agency, agency)}"
        lines.append({"label": event_label(entry), "at": entry.get("at"), "note": note})
    return lines


def _reason(task: dict) -> str | None:
    return f"Alasan: {task['reason']}" if task.get("reason") else None


def parts(view: dict, names: dict[str, str]) -> list[dict]:
    """Rows of the complaint's parts: each agency's task (the lead first), then each
    outside institution's referral, with names and states in Bahasa Indonesia."""
    rows = [
        {
            "code": t["agency"],
            "name": names.get(t["agency"], t["agency"]),
            "role": "koordinator" if t.get("lead") else "",
            "state": t.get("status_label") or "",
            # Staff see why a task was returned or closed; the public view has no reason.
            "follow_up": t.get("follow_up") or _reason(t),
        }
        for t in view.get("tasks") or []
    ]
    for r in view.get("referrals") or []:
        state = f"Disampaikan {r['sent_on']}" if r.get("sent_on") else "Belum disampaikan"
        if r.get("answered_on"):
            state += f", dijawab {r['answered_on']}"
        name = names.get(r["institution"], r["institution"])
        rows.append(
            {"name": name, "role": "instansi luar", "state": state, "follow_up": r.get("answer")}
        )
    return rows
