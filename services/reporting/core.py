"""Reporting's pure core: a complaint's view folded from its events, what the public
may see of it, and the monthly summary.

Events reach reporting through several queues and may arrive in any order, so the
view is always recomputed from all events seen, sorted by when they occurred.
"""

import re
from datetime import datetime

from services.chassis import fields
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import SUBSCRIPTIONS, EventType
from services.contracts.lifecycle import (
    STATUS_AFTER_EVENT,
    STATUS_LABELS,
    TASK_LABELS,
    WORKLIST_STATUSES,
    Status,
    TaskStatus,
)
from services.contracts.reference import CATEGORY_LABELS, JAKARTA, KECAMATAN, Category, Channel
from services.reporting import analytics

MONTH_PATTERN = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")

LIFECYCLE_ORDER = {event: rank for rank, event in enumerate(EventType)}

# Event types reporting does not subscribe to: the channels' raw messages, which carry
# the sender's number or account. Versions before this one consumed every event type;
# what they kept of these is removed at start-up (ReportingStore.migrate).
UNSUBSCRIBED_EVENTS: tuple[str, ...] = tuple(
    str(t) for t in EventType if t not in SUBSCRIPTIONS["reporting"]
)
# Channel messages have no ticket yet ("" in their envelope), so older versions folded
# all of them into the one view of this non-ticket.
NO_TICKET = ""
RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)

# Staff roles bound to one agency (gateway/identity.py AGENCY_ROLES): their worklist
# holds that agency's complaints only.
AGENCY_ROLES = ("agency_admin", "agency_head")

# Which staff role works on which statuses.


# Marks views folded by this version of fold(): a view of another version (or none) is
# folded again from its events rather than extended.
FOLD_VERSION = 4


def record(view: dict | None, ticket: str, event: dict) -> tuple[dict, list]:
    """The view after one more event. An event later than every one applied (the usual
    case) is applied to the stored view alone; one that arrived out of order, or a view
    of another fold version, is folded again from all the events in order. Both give
    the same view (tests/unit/test_reporting_core.py)."""
    applied = (view or {}).get("events", [])
    current = bool(view and applied and view.get("fold_version") == FOLD_VERSION)
    if current and _order(event) >= _order(applied[-1]):
        extended = _copy_for_apply(view)
        _apply(extended, event)
        extended |= worklist_fields(extended)
        return {**extended, "facts": analytics.facts(extended), "events": [*applied, event]}, []
    return rebuilt(ticket, [*applied, event]), []


def rebuilt(ticket: str, events: list[dict]) -> dict:
    """The view of all of a complaint's events, folded in order: what record() gives
    after the last of them (aduan-admin rebuild-reporting folds each complaint so)."""
    events = sorted(events, key=_order)
    view = fold(ticket, events)
    return {**view, "facts": analytics.facts(view), "fold_version": FOLD_VERSION, "events": events}


def _order(event: dict) -> tuple[str, int]:
    return (event["occurred_at"], LIFECYCLE_ORDER.get(event["type"], 0))


def _copy_for_apply(view: dict) -> dict:
    """The stored view as fold() leaves it, with fresh copies of what _apply changes in
    place: the stored lists and dicts stay as they were read, so the saved update sets
    only the fields that changed."""
    state = {k: v for k, v in view.items() if k != "events"}
    state["timeline"] = list(view["timeline"])
    state["sla"] = {**view["sla"]}
    return state


def fold(ticket: str, events: list[dict]) -> dict:
    view = {
        "ticket": ticket,
        "status": None,
        "received_at": None,
        "month": None,
        "channel": None,
        "title": None,
        "description": None,
        "confidential": False,
        "location": None,
        "suggested_category": None,
        "suggestions": None,
        "urgent": False,
        "category": None,
        "scope": None,
        "agencies": [],
        "agency": None,
        "tasks": [],
        "referrals": [],
        "deadline": None,
        "timeline": [],
        "sla": {"warned": False, "breached": False, "paused": False, "stage_overdue": []},
        "sla_state": "on_track",
    }
    for event in events:
        _apply(view, event)
    return {**view, **worklist_fields(view)}


def worklist_fields(view: dict) -> dict:
    """What the worklist's filters match in one indexed query (SecantusDB reads every
    view for an $or): the category an officer sees (the officer's, else triage's
    suggestion) and the title and description as one lower-case text."""
    text = " ".join(f"{view.get('title') or ''} {view.get('description') or ''}".split())
    tasks = view_tasks(view)
    return {
        "work_category": view.get("category") or view.get("suggested_category"),
        "search_text": text.casefold(),
        # Who may read the complaint (every agency with a task, open or done), and whose
        # queue holds it (the agencies whose task is still to do).
        "task_agencies": [t["agency"] for t in tasks],
        "queue_agencies": [t["agency"] for t in tasks if t["status"] in OPEN_TASK_STATUSES],
        "public_category": public_category(view),
    }


OPEN_TASK_STATUSES = (str(TaskStatus.FORWARDED), str(TaskStatus.ACCEPTED))


def view_tasks(view: dict) -> list[dict]:
    """The complaint's tasks; a view folded before multi-agency cases has its agency's."""
    if view.get("tasks") or view.get("agency") is None:
        return view.get("tasks") or []
    status = view["status"] if view.get("status") in OPEN_TASK_STATUSES else "resolved"
    return [{"agency": view["agency"], "lead": True, "status": status}]


def public_category(view: dict) -> str | None:
    """The category the public reads (Open311's service_code, which its public list
    filters on): the officer's, else the one the reporter chose, never triage's guess."""
    return view.get("category") or view.get("category_hint")


def _apply(view: dict, event: dict) -> None:
    kind, data = EventType(event["type"]), event["data"]
    at = datetime.fromisoformat(event["occurred_at"])
    note = None
    extra: dict = {}  # what a timeline entry holds besides its note (the agency forwarded to)
    if kind == EventType.COMPLAINT_RECEIVED:
        received_at = datetime.fromisoformat(data["received_at"])
        view |= {
            "received_at": received_at,
            "month": received_at.astimezone(JAKARTA).strftime("%Y-%m"),
            "channel": data["channel"],
            # The reporter's category (a hint for officers; Open311's service_code).
            "category_hint": data.get("category_hint"),
            "title": data["title"],
            "description": data["description"],
            "confidential": data["confidential"],
            "location": data["location"],
            "attachments": data.get("attachments", []),
            "media": data.get("media", []),
        }
    elif kind == EventType.COMPLAINT_TRIAGED:
        view["suggested_category"] = data["suggested_category"]
        view["urgent"] = data.get("urgent", False)
        view["suggestions"] = {k: v for k, v in data.items() if k != "suggested_category"}
    elif kind == EventType.COMPLAINT_CLASSIFIED:
        view |= {k: data[k] for k in ("category", "scope", "agencies")}
    elif kind == EventType.COMPLAINT_REJECTED:
        note = f"Alasan: {data['reason']}"
    elif kind == EventType.COMPLAINT_FORWARDED:
        tasks = data.get("tasks") or [{"agency": data["agency"], "lead": True}]
        view["agency"] = data["agency"]
        view["tasks"] = [_task(t["agency"], t["lead"], TaskStatus.FORWARDED, at) for t in tasks]
        view["referrals"] = [{"institution": i, "sent_on": None} for i in data.get("referrals", [])]
        others = [t["agency"] for t in tasks if not t["lead"]]
        note = f"Diteruskan ke {data['agency']}"
        if others:
            note += f" (koordinator), bersama {', '.join(others)}"
        if view["referrals"]:
            note += f"; melibatkan {', '.join(data['referrals'])}"
        extra["agency"] = data["agency"]
    elif kind == EventType.COMPLAINT_ACCEPTED:
        _lead_task(view, TaskStatus.ACCEPTED, at)
    elif kind in (EventType.COMPLAINT_RETURNED, EventType.COMPLAINT_REOPENED):
        view |= {"agency": None, "tasks": [], "referrals": []}
        if kind == EventType.COMPLAINT_REOPENED:
            note = f"Dibuka kembali: {data['reason']}"
    elif kind in TASK_STEPS:
        status, note = TASK_STEPS[kind]
        _set_task(view, data["agency"], status, at, data)
        note = f"{data['agency']}: {note}"
        extra["agency"] = data["agency"]
    elif kind == EventType.TASK_REASSIGNED:
        _reassign(view, data, at)
        note = f"Tugas {data['from_agency']} dialihkan ke {data['agency']}: {data['reason']}"
        extra["agency"] = data["agency"]
    elif kind == EventType.REFERRAL_RECORDED:
        referral = {k: data[k] for k in ("institution", "sent_on", "answer", "answered_on")}
        view["referrals"] = [
            referral if r["institution"] == data["institution"] else r
            for r in view.get("referrals", [])
        ]
        note = f"Disampaikan kepada {data['institution']} pada {data['sent_on']}"
        if data.get("answer"):
            note += f"; dijawab {data['answered_on']}: {data['answer']}"
    elif kind == EventType.COMPLAINT_LINKED:
        view["linked_to"] = data["primary"]
        note = f"Digabungkan dengan pengaduan {data['primary']}"
    elif kind == EventType.COMPLAINT_UNLINKED:
        view["linked_to"] = None
        note = f"Tidak lagi digabungkan dengan pengaduan {data['primary']}"
    elif kind == EventType.COMPLAINT_RESOLVED:
        _lead_task(view, TaskStatus.RESOLVED, at)
        note = f"Tindak lanjut: {data['follow_up']}"
    elif kind == EventType.REPORTER_RATED:
        rated_at = datetime.fromisoformat(data["rated_at"])
        view["rating"] = {k: data[k] for k in ("rating", "comment", "cycle", "channel")}
        view["rating"]["at"] = rated_at
        view["rating_month"] = rated_at.astimezone(JAKARTA).strftime("%Y-%m")
        note = f"Pelapor memberi nilai {data['rating']} dari 5"
    elif kind == EventType.COMPLAINT_DISPUTED:
        note = "Pelapor belum puas dengan hasilnya; petugas meninjau ulang"
    elif kind == EventType.COMPLAINT_CLOSED:
        note = CLOSED_NOTES.get(data.get("reason", ""))
        if data.get("reason") == "no_dispute":
            days = data["working_days"]
            note = f"Ditutup otomatis: tidak ada sanggahan dalam {days} hari kerja"
    elif kind == EventType.SLA_CLOSING_DUE:
        return
    elif kind == EventType.REPORTER_NOTIFIED:
        note = NOTIFIED_NOTES.get(data["about"], "Pemberitahuan dikirim kepada pelapor")
    elif kind == EventType.NOTICE_DELIVERY:
        return
    elif kind == EventType.REPORTER_REPLIED:
        view["replies"] = [*view.get("replies", []), {"text": data["text"], "at": at}]
        note = "Pelapor menyampaikan keterangan tambahan"
    elif kind in SLA_FLAGS:
        _flag(view["sla"], kind, data)
        view["sla_state"] = sla_state(view["sla"])
        return
    elif kind == EventType.DEADLINE_SET:
        view["deadline"] = {
            "due_at": datetime.fromisoformat(data["due_at"]),
            "working_days": data["working_days"],
            "scope": data["scope"],
            "policy": data["policy"],
        }
        return
    status = STATUS_AFTER_EVENT.get(kind)
    if status is not None:
        view["status"] = str(status)
    entry = {"event": str(kind), "status": view["status"], "at": at, "note": note}
    view["timeline"].append(entry | extra)


TASK_STEPS = {
    EventType.TASK_ACCEPTED: (TaskStatus.ACCEPTED, "tugas diterima"),
    EventType.TASK_RETURNED: (TaskStatus.RETURNED, "tugas dikembalikan, bukan kewenangannya"),
    EventType.TASK_RESOLVED: (TaskStatus.RESOLVED, "tugas selesai ditindaklanjuti"),
    EventType.TASK_CLOSED: (TaskStatus.CLOSED, "tugas ditutup oleh koordinator"),
}


def _task(agency: str, lead: bool, status: TaskStatus, at: datetime) -> dict:
    return {"agency": agency, "lead": lead, "status": str(status), "at": at}


def _lead_task(view: dict, status: TaskStatus, at: datetime) -> None:
    view["tasks"] = [
        {**t, "status": str(status), "at": at} if t["lead"] else t for t in view["tasks"]
    ]


def _set_task(view: dict, agency: str, status: TaskStatus, at: datetime, data: dict) -> None:
    said = {k: data[k] for k in ("follow_up", "reason") if k in data}
    view["tasks"] = [
        {**t, "status": str(status), "at": at, **said} if t["agency"] == agency else t
        for t in view["tasks"]
    ]


def _reassign(view: dict, data: dict, at: datetime) -> None:
    """The task starts afresh with its new agency; the old one no longer has it."""
    moved = {**_task(data["agency"], data["lead"], TaskStatus.FORWARDED, at)}
    moved["from"] = data["from_agency"]
    view["tasks"] = [moved if t["agency"] == data["from_agency"] else t for t in view["tasks"]]
    if data["lead"]:
        view["agency"] = data["agency"]
        view["status"] = str(Status.FORWARDED)


NOTIFIED_NOTES = {
    "received": "Tanda terima dikirim kepada pelapor",
    "forwarded": "Pelapor diberi tahu bahwa pengaduan diteruskan",
    "info_requested": "Pelapor diminta melengkapi keterangan",
    "rejected": "Alasan penolakan disampaikan kepada pelapor",
    "resolved": "Hasil disampaikan kepada pelapor",
}

CLOSED_NOTES = {"satisfied": "Ditutup: pelapor menyatakan puas"}

SLA_FLAGS = (
    EventType.SLA_WARNING,
    EventType.SLA_BREACHED,
    EventType.SLA_STAGE_OVERDUE,
    EventType.SLA_PAUSED,
    EventType.SLA_RESUMED,
)


def _flag(sla: dict, kind: EventType, data: dict) -> None:
    if kind == EventType.SLA_WARNING:
        sla["warned"] = True
    elif kind == EventType.SLA_BREACHED:
        sla["breached"] = True
    elif kind == EventType.SLA_STAGE_OVERDUE:
        sla["stage_overdue"] = [*sla["stage_overdue"], data["label"]]
    else:
        sla["paused"] = kind == EventType.SLA_PAUSED


def sla_state(sla: dict) -> str:
    if sla["paused"]:
        return "paused"
    if sla["breached"]:
        return "overdue"
    return "due_soon" if sla["warned"] or sla["stage_overdue"] else "on_track"


def public_view(view: dict) -> dict:
    """What anyone holding the ticket may see: never the reporter, and no description
    when the report is confidential."""
    status = Status(view["status"]) if view["status"] else Status.RECEIVED
    deadline = view.get("deadline")
    category = view.get("category")
    return {
        "ticket": view["ticket"],
        "status": str(status),
        "status_label": STATUS_LABELS[status],
        "category": category,
        "category_label": CATEGORY_LABELS[Category(category)] if category else None,
        "agency": view.get("agency"),
        # Each agency's part, and the outside institutions' (cross_institution).
        "tasks": [
            {
                "agency": t["agency"],
                "lead": t["lead"],
                "status": t["status"],
                "status_label": TASK_LABELS[TaskStatus(t["status"])],
                "follow_up": t.get("follow_up"),
            }
            for t in view_tasks(view)
        ],
        "referrals": [
            {k: r.get(k) for k in ("institution", "sent_on", "answer", "answered_on")}
            for r in view.get("referrals", [])
        ],
        "received_at": _iso(view.get("received_at")),
        "title": None if view.get("confidential") else view.get("title"),
        "description": None if view.get("confidential") else view.get("description"),
        "kecamatan": (view.get("location") or {}).get("kecamatan"),
        "deadline": _public_deadline(deadline),
        "sla_state": view.get("sla_state", "on_track"),
        "timeline": [
            {
                "status": e["status"],
                "label": STATUS_LABELS.get(e["status"]) if e["status"] else None,
                "event": e["event"],
                "at": _iso(e["at"]),
                "note": e["note"],
                "agency": e.get("agency"),
            }
            for e in view["timeline"]
        ],
    }


def staff_view(view: dict, agency: str | None = None) -> dict:
    """Tracking plus what staff work with (still without the reporter's identity); an
    agency admin (`agency`) sees only complaints forwarded to that agency."""
    if agency is not None and agency not in [t["agency"] for t in view_tasks(view)]:
        raise CommandRejected(ErrorCode.FORBIDDEN, "this complaint is not your agency's")
    public = public_view(view)
    return {
        **public,
        "title": view.get("title"),
        "description": view.get("description"),
        "confidential": view.get("confidential"),
        "location": view.get("location"),
        "attachments": view.get("attachments", []),
        "media": view.get("media", []),
        "replies": [{"text": r["text"], "at": _iso(r["at"])} for r in view.get("replies", [])],
        "rating": _staff_rating(view.get("rating")),
        "suggested_category": view.get("suggested_category"),
        "suggestions": view.get("suggestions"),
        "urgent": view.get("urgent", False),
        "scope": view.get("scope"),
        "agencies": view.get("agencies"),
        "channel": view.get("channel"),
        # Staff also read why a task was returned or closed (the public never does).
        "tasks": [
            {**part, "reason": task.get("reason")}
            for part, task in zip(public["tasks"], view_tasks(view), strict=True)
        ],
    }


MAX_WORKLIST = 200


def worklist_query(role: str, agency: str | None, limit: int) -> tuple[list[str], dict, int]:
    """The statuses a role works on, what else a view must match, and a bounded page
    size. An agency's liaison works on the complaints where its own task is to do (a
    cross-agency complaint is in each agency's queue until its part is done); its head
    follows every complaint the agency has a part in."""
    statuses = WORKLIST_STATUSES.get(role)
    if statuses is None:
        raise CommandRejected(ErrorCode.FORBIDDEN, f"role {role!r} has no worklist")
    if role in AGENCY_ROLES and not agency:
        raise CommandRejected(ErrorCode.FORBIDDEN, "an agency admin needs an agency")
    limit = max(1, min(int(limit), MAX_WORKLIST))
    match = {}
    if role in AGENCY_ROLES:
        match = {"queue_agencies" if role == "agency_admin" else "task_agencies": agency}
    return [str(s) for s in statuses], match, limit


WORKLIST_FILTERS = ("status", "category", "kecamatan", "channel", "q")
MAX_PAGES = 1000


def worklist_filter(role: str, filters: dict | None, page: int) -> tuple[dict, int]:
    """Checked filters of a worklist page and the page number: `status` one the role
    works on, `category` a category (officer's or suggested), `kecamatan` one of the
    city's, `channel` a channel, `q` 2-100 characters searched in title and
    description. Returns what to match ({} for none) and the page (1 .. MAX_PAGES)."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    unknown = sorted(set(filters) - set(WORKLIST_FILTERS))
    if unknown:
        raise fields.invalid(unknown[0], f"unknown filter; filters: {', '.join(WORKLIST_FILTERS)}")
    for name, value in filters.items():
        if not isinstance(value, str):
            raise fields.invalid(name, "must be a string")
    chosen: dict = {}
    if "status" in filters:
        allowed = [str(s) for s in WORKLIST_STATUSES.get(role, ())]
        if filters["status"] not in allowed:
            raise fields.invalid("status", f"must be one of this worklist's: {', '.join(allowed)}")
        chosen["status"] = filters["status"]
    for name, known in (("category", list(Category)), ("channel", list(Channel))):
        if name in filters:
            if filters[name] not in {str(k) for k in known}:
                raise fields.invalid(name, f"must be one of: {', '.join(str(k) for k in known)}")
            chosen[name] = filters[name]
    if "kecamatan" in filters:
        if filters["kecamatan"] not in KECAMATAN:
            raise fields.invalid("kecamatan", "must be a kecamatan of Kota Semarang")
        chosen["kecamatan"] = filters["kecamatan"]
    if "q" in filters:
        text = " ".join(filters["q"].split())
        if not 2 <= len(text) <= 100:
            raise fields.invalid("q", "search text: 2 to 100 characters")
        chosen["q"] = text.casefold()
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_PAGES:
        raise fields.invalid("page", f"must be a whole number from 1 to {MAX_PAGES}")
    return chosen, page


def worklist_item(view: dict) -> dict:
    deadline = view.get("deadline")
    return {
        "ticket": view["ticket"],
        "status": view["status"],
        "title": view.get("title"),
        "category": view.get("category") or view.get("suggested_category"),
        "agency": view.get("agency"),
        "received_at": _iso(view.get("received_at")),
        "due_at": _iso(deadline["due_at"]) if deadline else None,
        "sla_state": view.get("sla_state", "on_track"),
        "urgent": view.get("urgent", False),
        "needs_attention": (view.get("suggestions") or {}).get("needs_attention", False),
    }


def monthly_summary(month: str, counts: list[tuple[str | None, str | None, int]]) -> dict:
    """Counts by category and status, and the share of valid complaints resolved."""
    by_category = {str(c): 0 for c in Category} | {"unclassified": 0}
    by_status = {str(s): 0 for s in Status}
    for category, status, n in counts:
        by_category[category or "unclassified"] += n
        by_status[status or str(Status.RECEIVED)] += n
    total = sum(by_status.values())
    resolved = sum(by_status[str(s)] for s in RESOLVED_STATUSES)
    # A linked complaint is counted once, as the complaint it repeats.
    valid = total - by_status[str(Status.REJECTED)] - by_status[str(Status.LINKED)]
    return {
        "month": month,
        "total": total,
        "by_category": by_category,
        "by_status": by_status,
        "resolved": resolved,
        "rejected": by_status[str(Status.REJECTED)],
        "resolution_rate": round(resolved / valid, 4) if valid else None,
    }


def channel_counts(rows: list[tuple[str | None, int]]) -> dict[str, int]:
    """The month's complaints by the channel they came in on, every channel named."""
    counts = {str(c): 0 for c in Channel}
    for channel, n in rows:
        if channel in counts:
            counts[channel] += n
    return counts


def rating_summary(rows: list[tuple[str | None, str | None, int, int]]) -> dict:
    """Ratings given in the month (each complaint counted with its latest rating): rows
    of (agency, category, rating, count). Counts and averages only, never a comment."""

    def group(key_index: int) -> list[dict]:
        grouped: dict[str, list[int]] = {}
        for row in rows:
            key = row[key_index] or "unassigned"
            grouped.setdefault(key, [0] * 6)[row[2]] += row[3]
        return [_rating_row({"key": key}, counts) for key, counts in sorted(grouped.items())]

    total = [0] * 6
    for _, _, rating, n in rows:
        total[rating] += n
    return {
        **_rating_row({}, total),
        "by_agency": [{"agency": r.pop("key"), **r} for r in group(0)],
        "by_category": [{"category": r.pop("key"), **r} for r in group(1)],
    }


def _rating_row(row: dict, counts: list[int]) -> dict:
    rated = sum(counts)
    average = sum(value * counts[value] for value in range(1, 6)) / rated if rated else None
    return {
        **row,
        "rated": rated,
        "average": None if average is None else round(average, 2),
        "disputed": counts[1] + counts[2],
        "by_rating": {str(value): counts[value] for value in range(1, 6)},
    }


def parse_month(month: object) -> str:
    if not isinstance(month, str) or not MONTH_PATTERN.match(month):
        raise fields.invalid("month", "must be a month written YYYY-MM, such as 2026-03")
    return month


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in Asia/Jakarta."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=JAKARTA)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=JAKARTA)
    return start, end


def _staff_rating(rating: dict | None) -> dict | None:
    return None if rating is None else {**rating, "at": _iso(rating["at"])}


def _public_deadline(deadline: dict | None) -> dict | None:
    if deadline is None:
        return None
    return {
        "due_at": _iso(deadline["due_at"]),
        "working_days": deadline["working_days"],
        "scope": deadline["scope"],
    }


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(JAKARTA).isoformat() if value else None
