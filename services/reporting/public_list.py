"""The public list of complaints, which the Open311 GeoReport API's `GET requests`
reads (docs/open311.md): its checked filters, and each complaint as the public may see
it. What the public may see is `core.public_view`'s rule (never the reporter; no title
or description when the report is confidential); the list adds where the problem is,
and for a confidential report no more of that than its kecamatan.
"""

from dataclasses import dataclass
from datetime import datetime

from services.chassis import fields
from services.contracts.lifecycle import STATUS_AFTER_EVENT, Status
from services.contracts.reference import TICKET_PATTERN, Category
from services.reporting import core

MAX_ITEMS = 1000
# The location fields a non-confidential complaint shows besides its kecamatan: where
# the problem is, as the reporter placed it (the reporter's own address is intake's).
PUBLIC_LOCATION_FIELDS = ("address", "kelurahan", "lat", "lon")
STATUS_EVENTS = frozenset(str(event) for event in STATUS_AFTER_EVENT)


@dataclass(frozen=True)
class PublicQuery:
    """Complaints received in [start, end], newest first, at most `limit`; `tickets`,
    when given, instead of every other filter."""

    tickets: tuple[str, ...] | None
    categories: tuple[str, ...] | None
    statuses: tuple[str, ...] | None
    start: datetime
    end: datetime
    limit: int


def public_query(
    tickets: object, categories: object, statuses: object, start: object, end: object, limit: object
) -> PublicQuery:
    """The filters as given over RPC (lists of strings or None, ISO 8601 instants with
    their offset, a whole number), checked."""
    return PublicQuery(
        tickets=_choices(tickets, "tickets", lambda t: bool(TICKET_PATTERN.match(t))),
        categories=_choices(categories, "categories", lambda c: c in set(Category)),
        statuses=_choices(statuses, "statuses", lambda s: s in set(Status)),
        start=_instant(start, "start"),
        end=_instant(end, "end"),
        limit=_limit(limit),
    )


def mongo_filter(query: PublicQuery) -> dict:
    """One top-level clause per filter (no $or, which SecantusDB answers by reading
    every view); the range of `received_at` is the index it walks."""
    if query.tickets is not None:
        return {"_id": {"$in": list(query.tickets)}}
    found: dict = {"received_at": {"$gte": query.start, "$lte": query.end}}
    if query.statuses is not None:
        found["status"] = {"$in": list(query.statuses)}
    if query.categories is not None:
        found["public_category"] = {"$in": list(query.categories)}
    return found


def public_item(view: dict) -> dict:
    """One complaint of the list: tracking's public view without its timeline, with when
    its status last changed, the note of that change and the place of the problem."""
    shown = core.public_view(view)
    changes = [entry for entry in shown.pop("timeline") if entry["event"] in STATUS_EVENTS]
    last = changes[-1] if changes else None
    return shown | {
        "updated_at": last["at"] if last else shown["received_at"],
        "status_note": last["note"] if last else None,
        "public_category": core.public_category(view),
        "location": public_location(view),
        "media": [] if view.get("confidential") else list(view.get("media") or []),
    }


def public_location(view: dict) -> dict:
    """The kecamatan, and for a report that is not confidential where it is within it."""
    location = view.get("location") or {}
    shown = {"kecamatan": location.get("kecamatan")}
    if not view.get("confidential"):
        shown |= {k: location[k] for k in PUBLIC_LOCATION_FIELDS if location.get(k) is not None}
    return shown


def _choices(value: object, field: str, valid) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fields.invalid(field, "must be a list of strings")
    if not value or len(value) > MAX_ITEMS:
        raise fields.invalid(field, f"must name 1 to {MAX_ITEMS}")
    wrong = [v for v in value if not valid(v)]
    if wrong:
        raise fields.invalid(field, f"{wrong[0][:40]!r} is not one")
    return tuple(dict.fromkeys(value))


def _instant(value: object, field: str) -> datetime:
    try:
        instant = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise fields.invalid(field, "must be an ISO 8601 instant with its offset")
    return instant


def _limit(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ITEMS:
        raise fields.invalid("limit", f"must be a whole number from 1 to {MAX_ITEMS}")
    return value
