"""The analytics read model, pure: each complaint's facts, derived from its view alone,
and a month's figures aggregated from the facts (docs/reports.md, "Figures and how they
are counted").

Facts are a pure function of the view, and the view does not depend on the order its
events arrived in (core.record), so the facts and every figure summed from them do not
either; a redelivered event changes neither. They are saved with the view, in the same
update (no write of their own), and read back by month through indexes on `facts.*`.
"""

from datetime import date, datetime

from services.chassis.working_days import national_calendar
from services.contracts.events import EventType
from services.contracts.lifecycle import Status
from services.contracts.reference import JAKARTA
from services.reporting import overview

# The dimensions a month's figures are broken down by; each complaint's value of each.
DIMENSIONS = ("category", "agency", "channel", "kecamatan", "scope")
# Before a complaint has a value (not classified, not forwarded, no kecamatan given).
NONE_KEY = "none"
# Where handling is under way at a month's end (the supervisors' overview's list).
OPEN_STATUSES = frozenset(str(s) for s in overview.OPEN_STATUSES)
RESOLVED_STATUSES = frozenset({str(Status.RESOLVED), str(Status.CLOSED)})
# Working days to resolve beyond this are counted in one last bucket ("60 or more").
HISTOGRAM_DAYS = 60
FIGURES = (
    "received",
    "rejected",
    "forwarded",
    "resolved",
    "closed",
    "open_at_month_end",
    "resolved_within_deadline",
    "resolved_with_deadline",
    "breaches",
    "returns",
    "reopenings",
    "duplicates_linked",
)


def month_of(moment: datetime) -> str:
    return moment.astimezone(JAKARTA).strftime("%Y-%m")


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _jakarta_day(moment: datetime) -> date:
    return moment.astimezone(JAKARTA).date()


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days after the day of `start` up to and including the day of `end`, by
    weekends and national holidays (0 for a complaint resolved on its day of receipt)."""
    first, last = _jakarta_day(start), _jakarta_day(end)
    return national_calendar(first.year).between(first, last)


def facts(view: dict) -> dict | None:
    """What the analytics count of one complaint, as of its view (None before the view
    has its complaint.received)."""
    received_at = view.get("received_at")
    if received_at is None:
        return None
    timeline = view.get("timeline") or []
    kinds = [entry["event"] for entry in timeline]
    status = view.get("status")
    resolved_at = None
    if status in RESOLVED_STATUSES:
        resolutions = [e["at"] for e in timeline if e["event"] == EventType.COMPLAINT_RESOLVED]
        resolved_at = max(resolutions) if resolutions else None
    deadline = view.get("deadline")
    within = None
    if resolved_at is not None and deadline is not None:
        within = resolved_at <= deadline["due_at"]
    rating = view.get("rating")
    open_months, open_from = _open_month_ends(received_at, timeline)
    return {
        "month": month_of(received_at),
        "category": view.get("category") or NONE_KEY,
        "agency": view.get("agency") or NONE_KEY,
        "channel": view.get("channel") or NONE_KEY,
        "kecamatan": (view.get("location") or {}).get("kecamatan") or NONE_KEY,
        "scope": view.get("scope") or NONE_KEY,
        "status": status,
        "forwarded": EventType.COMPLAINT_FORWARDED in kinds,
        "resolved_at": resolved_at,
        "within_deadline": within,
        "working_days": (
            None if resolved_at is None else working_days_between(received_at, resolved_at)
        ),
        "breached": bool((view.get("sla") or {}).get("breached")),
        "returns": kinds.count(EventType.COMPLAINT_RETURNED),
        "reopenings": kinds.count(EventType.COMPLAINT_REOPENED),
        "linked": status == Status.LINKED,
        "rating": None if rating is None else rating["rating"],
        # The months at whose end the complaint was open, and, when it is open now, the
        # first month at whose end it is open still (and every month after it).
        "open_months": open_months,
        "open_from": open_from,
    }


def _open_month_ends(received_at: datetime, timeline: list[dict]) -> tuple[list[str], str | None]:
    """A complaint is open at a month's end when the status it had then (that of its
    last timeline entry before the first instant of the next month, Asia/Jakarta) is an
    open one. Closed-off stretches give months; an open last stretch gives where it
    starts, open for every month from there on."""
    steps = [(e["at"], e["status"]) for e in timeline if e.get("status")]
    if not steps:
        steps = [(received_at, str(Status.RECEIVED))]
    months: list[str] = []
    for (at, status), (until, _) in zip(steps, steps[1:], strict=False):
        if status not in OPEN_STATUSES:
            continue
        month = month_of(at)
        # The month ends inside [at, until): each month from at's up to until's own
        # (exclusive), as the end of until's month is after until.
        while month < month_of(until):
            months.append(month)
            month = next_month(month)
    last_at, last_status = steps[-1]
    open_from = month_of(last_at) if last_status in OPEN_STATUSES else None
    return sorted(set(months)), open_from


def is_open_at_end(fact: dict, month: str) -> bool:
    return month in fact["open_months"] or (
        fact["open_from"] is not None and fact["open_from"] <= month
    )


def empty_cell() -> dict:
    return {
        **dict.fromkeys(FIGURES, 0),
        "histogram": [0] * (HISTOGRAM_DAYS + 1),
        "ratings": [0] * 6,
    }


def add(cell: dict, fact: dict, month: str) -> None:
    """Counts one complaint in a cell of `month`: its receipt when received in the
    month (and everything that followed it), its state at the month's end when open."""
    if fact["month"] == month:
        status = fact["status"]
        cell["received"] += 1
        cell["rejected"] += status == Status.REJECTED
        cell["forwarded"] += fact["forwarded"]
        cell["resolved"] += fact["resolved_at"] is not None
        cell["closed"] += status == Status.CLOSED
        cell["resolved_with_deadline"] += fact["within_deadline"] is not None
        cell["resolved_within_deadline"] += fact["within_deadline"] is True
        cell["breaches"] += fact["breached"]
        cell["returns"] += fact["returns"]
        cell["reopenings"] += fact["reopenings"]
        cell["duplicates_linked"] += fact["linked"]
        if fact["working_days"] is not None:
            cell["histogram"][min(fact["working_days"], HISTOGRAM_DAYS)] += 1
        if fact["rating"] is not None:
            cell["ratings"][fact["rating"]] += 1
    cell["open_at_month_end"] += is_open_at_end(fact, month)


def percentile(histogram: list[int], share: float) -> int | None:
    """The smallest number of working days d such that at least `share` of the counted
    complaints took d or fewer (the nearest-rank percentile); the last bucket is "60 or
    more". None when none is counted."""
    total = sum(histogram)
    if not total:
        return None
    needed, running = share * total, 0
    for days, count in enumerate(histogram):
        running += count
        if running >= needed:
            return days
    return len(histogram) - 1


def figures(cell: dict) -> dict:
    """A cell as the API gives it (docs/reports.md)."""
    counts = {k: cell[k] for k in FIGURES}
    with_deadline = cell["resolved_with_deadline"]
    ratings = cell["ratings"]
    rated = sum(ratings)
    average = sum(v * ratings[v] for v in range(1, 6)) / rated if rated else None
    return {
        **counts,
        "within_deadline_share": (
            round(cell["resolved_within_deadline"] / with_deadline, 4) if with_deadline else None
        ),
        "working_days_to_resolve": {
            "counted": sum(cell["histogram"]),
            "median": percentile(cell["histogram"], 0.5),
            "p90": percentile(cell["histogram"], 0.9),
        },
        "ratings": {
            "rated": rated,
            "average": None if average is None else round(average, 2),
            "by_rating": {str(v): ratings[v] for v in range(1, 6)},
        },
    }


def month_analytics(month: str, by: str, found: list[dict]) -> dict:
    """The month's figures in total and by one dimension, from the facts of the
    complaints received in the month or open at its end (others are ignored)."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
    total, cells = empty_cell(), {}
    for fact in found:
        if fact["month"] != month and not is_open_at_end(fact, month):
            continue
        add(total, fact, month)
        add(cells.setdefault(fact[by], empty_cell()), fact, month)
    return {
        "month": month,
        "by": by,
        "total": figures(total),
        "rows": [{"key": key, **figures(cells[key])} for key in sorted(cells)],
    }
