"""The monthly report over a large read model: reporting's views filled with N complaints
directly (not through the HTTP API), counted into the analytics' cells, then the time of
a month's report (its figures by all five dimensions, as ReadModel.analytics answers the
API) beside the time of the same figures by a full aggregation over the complaint views
(every view of the month read and summed, as before the counters).

    python -m bench.reporting [--complaints 1000000] [--runs 40] [--baseline-runs 3]

The views are those reporting folds from a generated year of events
(tests/support/complaint_year.py: every status, returns, pauses, reopenings, ratings),
copied with new ticket numbers up to N. They carry their facts, status, deadline,
agency and kecamatan, as stored; without their list of events and their timeline, which
neither the report nor the aggregation reads (kept out so that a million fit in
SecantusDB's memory). SecantusDB runs in memory, started by the script.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pymongo

from services.chassis.aggregates import APPLIED, VERSION, Aggregates
from services.reporting import analytics, core
from services.reporting.analytics import DIMENSIONS
from services.reporting.cells_store import DIRTY, AnalyticsCells
from services.reporting.store import ReadModel, ensure_view_indexes
from tests.support.complaint_year import year_of_events
from tests.support.processes import MongoServer

TEMPLATES = 3000
INSERT_BATCH = 2000
# Left out of the copies (see the docstring).
HEAVY_FIELDS = ("events", "timeline", APPLIED)


def templates(count: int) -> list[dict]:
    by_ticket: dict[str, list[dict]] = {}
    for event in year_of_events(count):
        by_ticket.setdefault(event["ticket"], []).append(event)
    views = []
    for ticket, events in by_ticket.items():
        view = core.rebuilt(ticket, events)
        views.append({k: v for k, v in view.items() if k not in HEAVY_FIELDS})
    return views


def fill(views: pymongo.collection.Collection, shapes: list[dict], complaints: int) -> float:
    started = time.monotonic()
    batch = []
    for number in range(1, complaints + 1):
        shape = shapes[number % len(shapes)]
        ticket = f"SMG-2026-{number:07d}"
        batch.append({**shape, "_id": ticket, "ticket": ticket, VERSION: 1, DIRTY: True})
        if len(batch) == INSERT_BATCH:
            views.insert_many(batch, ordered=False)
            batch = []
            if number % 100_000 == 0:
                rate = number / (time.monotonic() - started)
                print(f"  filled {number:,} views ({rate:,.0f}/s)", flush=True)
    if batch:
        views.insert_many(batch, ordered=False)
    return time.monotonic() - started


def report(model: ReadModel, month: str) -> dict:
    return {by: model.analytics(month, by) for by in DIMENSIONS}


def full_aggregation(model: ReadModel, month: str) -> dict:
    found = model.month_facts(month)
    return {by: analytics.month_analytics(month, by, found) for by in DIMENSIONS}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--complaints", type=int, default=1_000_000)
    options.add_argument("--runs", type=int, default=40)
    options.add_argument("--baseline-runs", type=int, default=3)
    args = options.parse_args()

    log_dir = Path(tempfile.mkdtemp(prefix="bench-reporting-"))
    mongo = MongoServer(log_dir)
    client = pymongo.MongoClient(mongo.uri, tz_aware=True)
    db = client["bench_reporting"]
    try:
        print(f"generating the views of {TEMPLATES:,} complaints' events", flush=True)
        shapes = templates(TEMPLATES)
        ensure_view_indexes(db.views)
        cells = AnalyticsCells(db)
        cells.ensure_indexes()
        print(f"filling {args.complaints:,} views", flush=True)
        filled = fill(db.views, shapes, args.complaints)
        print(f"  {args.complaints:,} views in {filled:.0f} s", flush=True)

        started = time.monotonic()
        counted = 0
        while True:
            folded = cells.catch_up(rounds=200)
            counted += folded
            print(f"  counted {counted:,} views into the cells", flush=True)
            if folded < 200 * 500:
                break
        counting = time.monotonic() - started
        print(
            f"  counted in {counting:.0f} s ({counted / counting:,.0f} views/s); "
            f"{db.analytics_cells.count_documents({}):,} cells",
            flush=True,
        )

        model = ReadModel(Aggregates(db.views), None, db.report_archive, cells)
        months = sorted({shape["month"] for shape in shapes})
        start, end = core.month_bounds(months[len(months) // 2])
        per_month = db.views.count_documents({"received_at": {"$gte": start, "$lt": end}})
        print(f"{len(months)} months, about {per_month:,} complaints received in each", flush=True)

        timings = []
        for run in range(args.runs):
            month = months[run % len(months)]
            started = time.monotonic()
            report(model, month)
            timings.append(time.monotonic() - started)
        baseline = []
        for run in range(args.baseline_runs):
            month = months[(run * 5 + 3) % len(months)]
            started = time.monotonic()
            slow = full_aggregation(model, month)
            baseline.append(time.monotonic() - started)
            assert report(model, month) == slow, f"the cells and the facts differ for {month}"

        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        full = statistics.median(baseline)
        print()
        print(f"read model: {args.complaints:,} complaints, {len(months)} months (SecantusDB)")
        print(
            f"monthly report (5 breakdowns, from the cells): p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms over {args.runs} runs (target p95 < 200 ms)"
        )
        print(
            f"full aggregation over the views (same figures): median {full:.2f} s over "
            f"{args.baseline_runs} runs; the report is {full / p50:.0f}x faster (target 50x)"
        )
        print("figures equal: yes (checked on every baseline month)")
    finally:
        client.close()
        mongo.process.terminate()
        mongo.process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
