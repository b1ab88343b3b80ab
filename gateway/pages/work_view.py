"""The staff pages' views of complaints as the templates read them: every key present,
ids turned into Indonesian labels and agency codes into names."""

from gateway.errors import ApiError
from gateway.identity import Role, Staff
from gateway.pages import labels
from services.contracts.lifecycle import STATUS_LABELS, WORKLIST_STATUSES, Status
from services.contracts.reference import CATEGORY_LABELS, KECAMATAN, Category

ROLE_LABELS: dict[str, str] = {
    Role.OFFICER: "Petugas (Tim Pengelola)",
    Role.ADMIN: "Admin",
    Role.AGENCY_ADMIN: "Admin penghubung",
    Role.AGENCY_HEAD: "Kepala perangkat daerah",
    Role.SUPERVISOR: "Supervisor",
}
# What each role's worklist holds (the reporting service chooses the statuses).
QUEUE_TITLES: dict[str, str] = {
    Role.OFFICER: "Pengaduan menunggu verifikasi",
    Role.ADMIN: "Pengaduan terverifikasi, siap diteruskan",
    Role.AGENCY_ADMIN: "Pengaduan untuk {agency}",
    Role.AGENCY_HEAD: "Pengaduan {agency}",
    Role.SUPERVISOR: "Semua pengaduan yang masih terbuka",
}
# The badge's colour class for each SLA state.
SLA_BADGES: dict[str, str] = {
    "on_track": "ok",
    "due_soon": "warn",
    "paused": "info",
    "overdue": "bad",
    "breached": "bad",
    "stopped": "info",
}


def status_label(status: object) -> str:
    try:
        return STATUS_LABELS[Status(str(status))]
    except ValueError:
        return "Diterima"


def category_label(category: object) -> str | None:
    try:
        return CATEGORY_LABELS[Category(str(category))] if category else None
    except ValueError:
        return str(category)


def sla_badge(state: object) -> dict:
    state = str(state or "on_track")
    return {
        "text": labels.label(labels.DEADLINE_STATE_LABELS, state, "Sesuai jadwal"),
        "kind": SLA_BADGES.get(state, "info"),
    }


def staff_model(staff: Staff, names: dict[str, str]) -> dict:
    return {
        "username": staff.username,
        "role": ROLE_LABELS.get(staff.role, str(staff.role)),
        "agency": names.get(staff.agency or "", staff.agency),
        # The supervisors' pages are linked in the staff bar for them alone.
        "supervisor": staff.role == Role.SUPERVISOR,
        # The service desk is the officers' (gateway/routes/desk.py DESK_OFFICERS).
        "officer": staff.role == Role.OFFICER,
    }


def worklist_item(item: dict, names: dict[str, str]) -> dict:
    return {
        "ticket": item["ticket"],
        "title": item.get("title") or "",
        "status": status_label(item.get("status")),
        "category": category_label(item.get("category")),
        "agency": names.get(item.get("agency") or "", item.get("agency")),
        "received_at": item.get("received_at"),
        "due_at": item.get("due_at"),
        "sla": sla_badge(item.get("sla_state")),
        "urgent": bool(item.get("urgent")),
        "needs_attention": bool(item.get("needs_attention")),
    }


def suggestion_model(view: dict, review: dict | None, names: dict[str, str]) -> dict | None:
    """Triage's suggestion: the review's (with the duplicate's similarity and words) for
    those who review, otherwise what the complaint's view keeps of it."""
    found = _suggestion(view, review, names)
    if found is not None:
        found["confidence_text"] = percent(found["confidence"])
        found["similarity_text"] = percent(found["duplicate_similarity"])
    return found


def _suggestion(view: dict, review: dict | None, names: dict[str, str]) -> dict | None:
    full = (review or {}).get("suggestion")
    if full:
        return {
            "category": full.get("category"),
            "category_label": category_label(full.get("category")),
            "confidence": full.get("confidence"),
            "needs_attention": bool(full.get("needs_attention")),
            "words": list(full.get("category_words") or []),
            "agencies": list(full.get("agencies") or []),
            "agency_names": [names.get(a, a) for a in full.get("agencies") or []],
            "scope": full.get("scope"),
            "urgent_words": list(full.get("urgent_words") or []),
            "validity_flags": list(full.get("validity_flags") or []),
            "duplicate_of": full.get("duplicate_of"),
            "duplicate_similarity": full.get("duplicate_similarity"),
            "duplicate_words": list(full.get("duplicate_words") or []),
        }
    kept = view.get("suggestions")
    if not kept:
        return None
    agencies = list(kept.get("suggested_agencies") or [])
    return {
        "category": view.get("suggested_category"),
        "category_label": category_label(view.get("suggested_category")),
        "confidence": kept.get("confidence"),
        "needs_attention": bool(kept.get("needs_attention")),
        "words": list(kept.get("matched_keywords") or []),
        "agencies": agencies,
        "agency_names": [names.get(a, a) for a in agencies],
        "scope": kept.get("suggested_scope"),
        "urgent_words": list(kept.get("urgent_words") or []),
        "validity_flags": list(kept.get("validity_flags") or []),
        "duplicate_of": kept.get("possible_duplicate_of"),
        "duplicate_similarity": None,
        "duplicate_words": [],
    }


def percent(value: object) -> str:
    return f"{round(float(value) * 100)}%" if isinstance(value, int | float) else "-"


# Why reporting refused a worklist filter, for the field it named.
FILTER_ERRORS: dict[str, str] = {
    "status": "Status itu tidak termasuk daftar kerja Anda.",
    "category": "Kategori itu tidak dikenal.",
    "kecamatan": "Kecamatan itu tidak dikenal.",
    "channel": "Saluran itu tidak dikenal.",
    "q": "Kata yang dicari harus 2 sampai 100 karakter.",
    "page": "Halaman itu tidak ada.",
}


def filter_choices(role: str) -> dict[str, list[tuple[str, str]]]:
    """The worklist form's choices: the role's statuses, categories, kecamatan, channels."""
    return {
        "status": [(str(s), STATUS_LABELS[s]) for s in WORKLIST_STATUSES.get(role, ())],
        "kategori": [(str(c), CATEGORY_LABELS[c]) for c in Category],
        "kecamatan": [(k, k) for k in KECAMATAN],
        "saluran": list(labels.CHANNEL_LABELS.items()),
    }


def filter_error(refused: ApiError) -> str:
    return FILTER_ERRORS.get(refused.field or "", "Saringan itu tidak dapat dipakai.")
