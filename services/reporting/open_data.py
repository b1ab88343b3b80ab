"""Open data, pure: which complaints a query asks for, and each complaint as a row anyone
may download and republish (docs/open-data.md is the data dictionary of its columns).

A row is built from reporting's view, which never holds the reporter (intake keeps
name, phone, e-mail and address), and from it only named fields are copied: the
ticket, when each step happened, what the complaint is about and where (the kecamatan,
never the exact place, which may be the reporter's own door), who handled it and how
fast. The title and description are added only when the city publishes free text,
and even then never for a confidential complaint, nor for one no officer has reviewed
(classified) yet: a text waiting in the queue may be abuse, or hold someone's details.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from services.chassis import fields
from services.contracts.events import EventType
from services.contracts.open_data import (
    MAX_PAGE,
    MAX_PER_PAGE,
    OPEN_DATA_COLUMNS,
    OPEN_DATA_FILTERS,
)
from services.contracts.reference import CATEGORY_LABELS, JAKARTA, KECAMATAN, Category
from services.reporting import core

AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
FILTERS = OPEN_DATA_FILTERS

# The first time each step happened (a reopened complaint is forwarded again later;
# its row says when it first was).
FIRST_STEPS = {
    "classified_at": EventType.COMPLAINT_CLASSIFIED,
    "forwarded_at": EventType.COMPLAINT_FORWARDED,
    "accepted_at": EventType.COMPLAINT_ACCEPTED,
    "rejected_at": EventType.COMPLAINT_REJECTED,
}


@dataclass(frozen=True)
class OpenDataQuery:
    month: str | None
    category: str | None
    agency: str | None
    kecamatan: str | None
    page: int
    per_page: int
    with_text: bool


def open_data_query(filters: object, page: object, per_page: object, with_text: object):
    """The query as given over RPC (a dict of the FILTERS, each a string), checked."""
    if filters is None:
        filters = {}
    if not isinstance(filters, dict) or not set(filters) <= set(FILTERS):
        raise fields.invalid("filters", f"may name only: {', '.join(FILTERS)}")
    chosen = {key: filters.get(key) for key in FILTERS}
    if not all(value is None or isinstance(value, str) for value in chosen.values()):
        raise fields.invalid("filters", "each filter is a string")
    if chosen["month"] is not None:
        core.parse_month(chosen["month"])
    if chosen["category"] is not None and chosen["category"] not in set(Category):
        raise fields.invalid("category", f"must be one of: {', '.join(Category)}")
    if chosen["agency"] is not None and not AGENCY_CODE.match(chosen["agency"]):
        raise fields.invalid("agency", "must be an agency code, such as dpu")
    if chosen["kecamatan"] is not None and chosen["kecamatan"] not in KECAMATAN:
        raise fields.invalid("kecamatan", "must be one of Kota Semarang's 16 kecamatan")
    return OpenDataQuery(
        **chosen,
        page=_bounded(page, "page", MAX_PAGE),
        per_page=_bounded(per_page, "per_page", MAX_PER_PAGE),
        with_text=with_text is True,
    )


def mongo_filter(query: OpenDataQuery) -> dict:
    """One top-level clause per filter (no $or, which SecantusDB answers by reading every
    view); only views that have their complaint.received (a received_at)."""
    found: dict = {"received_at": {"$ne": None}}
    if query.month is not None:
        start, end = core.month_bounds(query.month)
        found["received_at"] = {"$gte": start, "$lt": end}
    for key in ("category", "agency", "kecamatan"):
        value = getattr(query, key)
        if value is not None:
            found[f"facts.{key}"] = value
    return found


# Newest last, and the ticket to break ties, so that pages neither overlap nor skip.
ORDER = [("received_at", 1), ("_id", 1)]


def row(view: dict, with_text: bool) -> dict:
    """One complaint as open data: OPEN_DATA_COLUMNS, nothing else."""
    facts = view.get("facts") or {}
    timeline = view.get("timeline") or []
    deadline = view.get("deadline") or {}
    category = view.get("category")
    reviewed = category is not None
    text_shown = with_text and reviewed and not view.get("confidential")
    closings = [e["at"] for e in timeline if e["event"] == EventType.COMPLAINT_CLOSED]
    shown = {
        "ticket": view["ticket"],
        "month": facts.get("month"),
        "received_at": _iso(view.get("received_at")),
        **{name: _iso(_first(timeline, kind)) for name, kind in FIRST_STEPS.items()},
        "resolved_at": _iso(facts.get("resolved_at")),
        "closed_at": _iso(max(closings)) if closings and view.get("status") == "closed" else None,
        "channel": view.get("channel"),
        "category": category,
        "category_label": CATEGORY_LABELS[Category(category)] if reviewed else None,
        "scope": view.get("scope"),
        "agency": view.get("agency"),
        "kecamatan": (view.get("location") or {}).get("kecamatan"),
        "status": view.get("status"),
        "duplicate_of": view.get("linked_to"),
        "deadline_working_days": deadline.get("working_days"),
        "due_at": _iso(deadline.get("due_at")),
        "working_days_taken": facts.get("working_days"),
        "within_deadline": facts.get("within_deadline"),
        "title": view.get("title") if text_shown else None,
        "description": view.get("description") if text_shown else None,
    }
    return {column: shown[column] for column in OPEN_DATA_COLUMNS}


def _first(timeline: list[dict], kind: EventType) -> datetime | None:
    times = [entry["at"] for entry in timeline if entry["event"] == kind]
    return min(times) if times else None


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(JAKARTA).isoformat() if value else None


def _bounded(value: object, field: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise fields.invalid(field, f"must be a whole number from 1 to {high}")
    return value
