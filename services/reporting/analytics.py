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


# The analytics as counters: each complaint's facts contribute increments to cells,
# one per month, dimension and value ("total" for the whole city), and a month's
# figures are read from its cells instead of summed from every complaint's facts
# (services/reporting/cells_store.py keeps them). Received figures count in the month
# of receipt; "open at the month's end" counts in `open_months` of each month a closed-off
# stretch spans, and in `open_from` of the month a complaint still open became so, which
# counts it open at the end of that month and every one after.
TOTAL = "total"
CELL_DIMENSIONS = (TOTAL, *DIMENSIONS)
RECEIVED_FIGURES = tuple(f for f in FIGURES if f != "open_at_month_end")


def cell_id(month: str, dimension: str, key: str) -> str:
    return f"{month}|{dimension}|{key}"


def contribution(fact: dict | None) -> dict[str, dict[str, int]]:
    """The increments one complaint's facts make, by cell id (fields `h.D` and `r.N`:
    the working-days histogram and the ratings). A month is in `open_months` or at or
    after `open_from`, never both (_open_month_ends), so the two counts add up."""
    if fact is None:
        return {}
    status = fact["status"]
    received = {
        "received": 1,
        "rejected": int(status == Status.REJECTED),
        "forwarded": int(fact["forwarded"]),
        "resolved": int(fact["resolved_at"] is not None),
        "closed": int(status == Status.CLOSED),
        "resolved_with_deadline": int(fact["within_deadline"] is not None),
        "resolved_within_deadline": int(fact["within_deadline"] is True),
        "breaches": int(fact["breached"]),
        "returns": fact["returns"],
        "reopenings": fact["reopenings"],
        "duplicates_linked": int(fact["linked"]),
    }
    if fact["working_days"] is not None:
        received[f"h.{min(fact['working_days'], HISTOGRAM_DAYS)}"] = 1
    if fact["rating"] is not None:
        received[f"r.{fact['rating']}"] = 1
    cells: dict[str, dict[str, int]] = {}
    for dimension in CELL_DIMENSIONS:
        key = TOTAL if dimension == TOTAL else fact[dimension]
        _add(cells, cell_id(fact["month"], dimension, key), received)
        for month in fact["open_months"]:
            _add(cells, cell_id(month, dimension, key), {"open_months": 1})
        if fact["open_from"] is not None:
            _add(cells, cell_id(fact["open_from"], dimension, key), {"open_from": 1})
    return cells


def delta(before: dict | None, after: dict | None) -> dict[str, dict[str, int]]:
    """What changes in the cells when a complaint's counted facts go from `before` to
    `after`: only the fields that change."""
    changes: dict[str, dict[str, int]] = {}
    for sign, fact in ((1, after), (-1, before)):
        for cell, fields in contribution(fact).items():
            _add(changes, cell, {field: sign * n for field, n in fields.items()})
    return {
        cell: kept
        for cell, fields in changes.items()
        if (kept := {field: n for field, n in fields.items() if n})
    }


def _add(cells: dict, cell: str, fields: dict[str, int]) -> None:
    counts = cells.setdefault(cell, {})
    for field, n in fields.items():
        counts[field] = counts.get(field, 0) + n


def cells_analytics(month: str, by: str, cells: list[dict], open_from: list[dict]) -> dict:
    """month_analytics' answer, read from counters: `cells` are the month's cells of the
    total and of `by`, `open_from` every cell of those dimensions of a month up to this
    one with complaints open since."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
    still_open: dict[tuple[str, str], int] = {}
    for cell in open_from:
        if cell["month"] <= month:
            place = (cell["dimension"], cell["key"])
            still_open[place] = still_open.get(place, 0) + cell.get("open_from", 0)
    found = {(c["dimension"], c["key"]): c for c in cells if c["month"] == month}
    places = set(found) | {place for place, n in still_open.items() if n}
    figured = {}
    for place in places:
        cell = _as_cell(found.get(place, {}), still_open.get(place, 0))
        if cell["received"] or cell["open_at_month_end"]:
            figured[place] = cell
    total = figured.get((TOTAL, TOTAL), empty_cell())
    rows = sorted((key, cell) for (dimension, key), cell in figured.items() if dimension == by)
    return {
        "month": month,
        "by": by,
        "total": figures(total),
        "rows": [{"key": key, **figures(cell)} for key, cell in rows],
    }


def _as_cell(counters: dict, open_since: int) -> dict:
    cell = empty_cell()
    for figure in RECEIVED_FIGURES:
        cell[figure] = counters.get(figure, 0)
    cell["open_at_month_end"] = counters.get("open_months", 0) + open_since
    for days, n in (counters.get("h") or {}).items():
        cell["histogram"][int(days)] = n
    for rating, n in (counters.get("r") or {}).items():
        cell["ratings"][int(rating)] = n
    return cell


def cells_report(month: str, cells: list[dict], open_from: list[dict]) -> dict:
    """The month's figures in total and by every dimension, from the cells of all of
    them (GET /api/v1/reports/monthly's `figures`)."""
    total, by = figures(empty_cell()), {}
    for dimension in DIMENSIONS:
        kept = (TOTAL, dimension)
        figured = cells_analytics(
            month,
            dimension,
            [cell for cell in cells if cell["dimension"] in kept],
            [cell for cell in open_from if cell["dimension"] in kept],
        )
        total, by[dimension] = figured["total"], figured["rows"]
    return {"total": total, "by": by}
