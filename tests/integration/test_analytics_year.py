"""Issue 14's analytics, done when: a year of generated events (several thousand
complaints, every status, pauses, reopenings) recorded by reporting's store twice, in two
different orders, and rebuilt once from the stored event log, give identical analytics,
and each month's figures match a slow recount written here, from the events alone.

The events go through the store's record path (ReportingStore._record_batch, what each
batch of the running service's workers calls: the views' bulk write and the event log);
tests/e2e/test_analytics_service.py sends a few complaints through the running service.
"""

import bisect
import math
import os
import random
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pymongo
import pytest
from pymongo import monitoring

from services.reporting import analytics
from services.reporting import store as reporting_store
from services.reporting.analytics import DIMENSIONS
from services.reporting.cells_store import AnalyticsCells
from services.reporting.rebuild import rebuild
from tests.support.complaint_year import YEAR, year_of_events

pytestmark = pytest.mark.integration

# The suite feeds 600 complaints (about 6,000 events), to stay within its time; the
# full-size check of issue 14 is ADUAN_ANALYTICS_COMPLAINTS=3000 (docs/reports.md).
COMPLAINTS = int(os.environ.get("ADUAN_ANALYTICS_COMPLAINTS", "600"))
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
WIB = ZoneInfo("Asia/Jakarta")


class FakeContainer:
    service_name = "reporting"


class Operations(monitoring.CommandListener):
    """Counts the MongoDB commands and the documents they write."""

    def __init__(self) -> None:
        self.commands: dict[str, int] = {}
        self.written = 0

    def started(self, event) -> None:
        self.commands[event.command_name] = self.commands.get(event.command_name, 0) + 1
        for field in ("documents", "updates"):
            self.written += len(event.command.get(field, ()))

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


@pytest.fixture
def client(mongo):
    operations = Operations()
    client = pymongo.MongoClient(mongo.uri, tz_aware=True, event_listeners=[operations])
    client.operations = operations
    yield client
    client.close()


def make_store(client) -> reporting_store.ReportingStore:
    container = FakeContainer()  # extensions hold their container weakly
    provider = reporting_store.ReportingStore().bind(container, "views")
    provider.container_ref = container
    provider.db = client[f"analytics_{uuid.uuid4().hex[:8]}"]
    provider.batcher = None  # _record_batch is called directly
    provider.cells = AnalyticsCells(provider.db)
    provider.ensure_indexes()
    return provider


def feed(store, events: list[dict], batch: int = 100) -> None:
    for start in range(0, len(events), batch):
        errors = store._record_batch(events[start : start + batch])
        assert not errors, errors


def everything(store) -> dict:
    """Each month by each dimension, as ReadModel.analytics gives them (from the
    counters), checked against the same figures summed from every complaint's facts."""
    model = store.domain([])
    counted = {(m, by): model.analytics(m, by) for m in MONTHS for by in DIMENSIONS}
    found = {month: model.month_facts(month) for month in MONTHS}
    for (month, by), figures in counted.items():
        assert figures == analytics.month_analytics(month, by, found[month]), (month, by)
    return counted


def test_a_year_of_events_in_two_orders_and_rebuilt_gives_the_same_figures(client):
    events = year_of_events(COMPLAINTS)
    by_ticket: dict[str, list[dict]] = {}
    for event in events:
        by_ticket.setdefault(event["ticket"], []).append(event)
    rng = random.Random(1)
    # The first order: complaint after complaint in a random order, each one's events
    # in order but one in eight of them late, arriving at a random later place (each
    # such arrival folds its complaint again). Batches of 100 events then hold a dozen
    # complaints, as the service's workers batch them, rather than a hundred (a random
    # order of all 30,000 events: 67 events/s here under load, too slow for the suite).
    tickets = rng.sample(sorted(by_ticket), len(by_ticket))
    grouped = [e for ticket in tickets for e in by_ticket[ticket]]
    late = [rng.random() < 0.125 for _ in grouped]
    first_order = [e for e, is_late in zip(grouped, late, strict=True) if not is_late]
    for position, event in enumerate(grouped):
        if late[position]:
            first_order.insert(
                rng.randrange(min(position, len(first_order)), len(first_order) + 1), event
            )
    # The second order: complaint by complaint, each one's events newest first, every
    # one arriving before those it follows; and 500 of them delivered again.
    backwards = [e for ticket in sorted(by_ticket, reverse=True) for e in by_ticket[ticket][::-1]]
    backwards += rng.sample(events, 500)
    assert first_order != events and sorted(first_order, key=id) == sorted(events, key=id)

    first, second = make_store(client), make_store(client)
    ops = client.operations
    commands_before, written_before = sum(ops.commands.values()), ops.written
    started = time.monotonic()
    feed(first, first_order)
    seconds = time.monotonic() - started
    commands = sum(ops.commands.values()) - commands_before
    written = ops.written - written_before
    print(
        f"\n{len(events)} events of {COMPLAINTS} complaints, one in eight late: {seconds:.1f} s "
        f"({len(events) / seconds:.0f} events/s), {commands} commands "
        f"({commands / len(events) * 100:.1f} per 100 events), {written} documents written "
        f"({written / len(events):.2f} per event: a view update and an event-log insert)"
    )
    started = time.monotonic()
    feed(second, backwards)
    print(f"again, complaint by complaint newest first: {time.monotonic() - started:.1f} s")
    assert first.db.events.count_documents({}) == len(events)
    assert second.db.events.count_documents({}) == len(events)

    started = time.monotonic()
    as_recorded, in_other_order = everything(first), everything(second)
    print(f"the analytics of 12 months by 5 dimensions: {time.monotonic() - started:.1f} s")
    lines: list[str] = []
    started = time.monotonic()
    summary = rebuild(first.db, lines.append)
    print(f"rebuilt from the event log: {time.monotonic() - started:.1f} s; {lines[-1]}")
    assert summary["complaints"] == COMPLAINTS and summary["events"] == len(events)
    assert len(lines) >= 3  # progress along the way
    rebuilt = everything(first)

    assert as_recorded == in_other_order
    assert as_recorded == rebuilt
    expected = recount(events)
    for month in MONTHS:
        for by in ("category", "channel"):
            found = as_recorded[month, by]
            assert comparable(found["total"]) == expected[month]["total"], month
            rows = {row["key"]: comparable(row) for row in found["rows"]}
            assert rows == expected[month][by], (month, by)
    assert sum(expected[m]["total"]["received"] for m in MONTHS) == COMPLAINTS
    # The year has them all: every figure is counted somewhere.
    year = [expected[m]["total"] for m in MONTHS]
    for figure in ("rejected", "resolved", "closed", "open_at_month_end", "breaches"):
        assert sum(t[figure] for t in year) > 0, figure
    for figure in ("returns", "reopenings", "duplicates_linked", "rated"):
        assert sum(t[figure] for t in year) > 0, figure


def comparable(row: dict) -> dict:
    wd = row["working_days_to_resolve"]
    return {
        **{k: row[k] for k in FIGURES},
        "share": row["within_deadline_share"],
        "median": wd["median"],
        "p90": wd["p90"],
        "rated": row["ratings"]["rated"],
        "by_rating": row["ratings"]["by_rating"],
    }


# The counts compared as they are (the share of resolved complaints with a deadline is
# compared instead of its denominator).
FIGURES = tuple(f for f in analytics.FIGURES if f != "resolved_with_deadline")

# The slow recount: each complaint's events replayed by hand, in the order they
# occurred, and counted month by month as docs/reports.md defines the figures.
STATUS_OF = {
    "complaint.received": "received",
    "complaint.triaged": "awaiting_review",
    "complaint.classified": "classified",
    "complaint.rejected": "rejected",
    "complaint.forwarded": "forwarded",
    "complaint.accepted": "accepted",
    "complaint.returned": "returned",
    "complaint.resolved": "resolved",
    "complaint.disputed": "disputed",
    "complaint.closed": "closed",
    "complaint.reopened": "awaiting_review",
    "complaint.linked": "linked",
    "complaint.unlinked": "awaiting_review",
}
STILL_OPEN = {
    "received",
    "awaiting_review",
    "classified",
    "forwarded",
    "accepted",
    "returned",
    "disputed",
}
DAYS_OFF = set(
    holidays.country_holidays(
        "ID", years=range(YEAR - 1, YEAR + 3), categories=("public", "government")
    )
)


def working_days(start: datetime, end: datetime) -> int:
    day, last, count = start.astimezone(WIB).date(), end.astimezone(WIB).date(), 0
    while day < last:
        day = day + timedelta(days=1)
        if day.weekday() < 5 and day not in DAYS_OFF:
            count += 1
    return count


def first_instant_after(month: str) -> datetime:
    year, number = int(month[:4]), int(month[5:])
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return datetime(following.year, following.month, 1, tzinfo=WIB)


def one_complaint(events: list[dict]) -> dict:
    events = sorted(events, key=lambda e: e["occurred_at"])
    moments = [datetime.fromisoformat(e["occurred_at"]) for e in events]
    statuses, status = [], None
    for event in events:
        status = STATUS_OF.get(event["type"], status)
        statuses.append(status)
    data = events[0]["data"]
    received = datetime.fromisoformat(data["received_at"])
    final = statuses[-1]
    category = next(
        (e["data"]["category"] for e in reversed(events) if e["type"] == "complaint.classified"),
        "none",
    )
    forwarded_to = [e["data"]["agency"] for e in events if e["type"] == "complaint.forwarded"]
    returned = [e for e in events if e["type"] == "complaint.returned"]
    reopened = [e for e in events if e["type"] == "complaint.reopened"]
    if reopened or returned:
        # The agency is the one of a forwarding after the last return or reopening.
        cut = max(moments[events.index(e)] for e in [*returned, *reopened])
        forwarded_to = [
            e["data"]["agency"]
            for e, at in zip(events, moments, strict=True)
            if e["type"] == "complaint.forwarded" and at > cut
        ]
    resolved_at = None
    if final in ("resolved", "closed"):
        resolved_at = max(
            at for e, at in zip(events, moments, strict=True) if e["type"] == "complaint.resolved"
        )
    deadlines = [e["data"]["due_at"] for e in events if e["type"] == "sla.deadline_set"]
    within = None
    if resolved_at is not None and deadlines:
        within = resolved_at <= datetime.fromisoformat(deadlines[-1])
    ratings = [e["data"]["rating"] for e in events if e["type"] == "reporter.rated"]

    def open_at_end_of(month: str) -> bool:
        end = first_instant_after(month)
        position = bisect.bisect_left(moments, end)  # the events before the month's end
        return position > 0 and statuses[position - 1] in STILL_OPEN

    return {
        "month": received.astimezone(WIB).strftime("%Y-%m"),
        "category": category,
        "channel": data["channel"],
        "agency": forwarded_to[-1] if forwarded_to else "none",
        "final": final,
        "forwarded": bool([e for e in events if e["type"] == "complaint.forwarded"]),
        "resolved": resolved_at is not None,
        "within": within,
        "days": None if resolved_at is None else working_days(received, resolved_at),
        "breached": any(e["type"] == "sla.breached" for e in events),
        "returns": len(returned),
        "reopenings": len(reopened),
        "rating": ratings[-1] if ratings else None,
        "open_at_end_of": open_at_end_of,
    }


def nearest_rank(values: list[int], share: float) -> int | None:
    if not values:
        return None
    ordered = sorted(min(v, 60) for v in values)
    return ordered[math.ceil(share * len(ordered)) - 1]


def tally(complaints: list[dict], month: str) -> dict:
    received = [c for c in complaints if c["month"] == month]
    resolved = [c for c in received if c["resolved"]]
    with_deadline = [c for c in resolved if c["within"] is not None]
    within = [c for c in with_deadline if c["within"]]
    rated = [c["rating"] for c in received if c["rating"] is not None]
    days = [c["days"] for c in resolved]
    return {
        "received": len(received),
        "rejected": len([c for c in received if c["final"] == "rejected"]),
        "forwarded": len([c for c in received if c["forwarded"]]),
        "resolved": len(resolved),
        "closed": len([c for c in received if c["final"] == "closed"]),
        "open_at_month_end": len([c for c in complaints if c["open_at_end_of"](month)]),
        "resolved_within_deadline": len(within),
        "breaches": len([c for c in received if c["breached"]]),
        "returns": sum(c["returns"] for c in received),
        "reopenings": sum(c["reopenings"] for c in received),
        "duplicates_linked": len([c for c in received if c["final"] == "linked"]),
        "share": round(len(within) / len(with_deadline), 4) if with_deadline else None,
        "median": nearest_rank(days, 0.5),
        "p90": nearest_rank(days, 0.9),
        "rated": len(rated),
        "by_rating": {str(v): rated.count(v) for v in range(1, 6)},
    }


def recount(events: list[dict]) -> dict:
    by_ticket: dict[str, list[dict]] = {}
    for event in events:
        by_ticket.setdefault(event["ticket"], []).append(event)
    complaints = [one_complaint(mine) for mine in by_ticket.values()]
    result = {}
    for month in MONTHS:
        result[month] = {"total": tally(complaints, month)}
        for by in ("category", "channel"):
            keys = {c[by] for c in complaints if c["month"] == month or c["open_at_end_of"](month)}
            result[month][by] = {
                key: tally([c for c in complaints if c[by] == key], month) for key in keys
            }
    return result
