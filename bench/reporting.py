"""The monthly report over a large read model: reporting's views and the analytics'
counters filled with N complaints directly (not through the HTTP API), then the time of
a month's report (its figures by all five dimensions, as ReadModel.analytics answers the
API) beside the time of the same figures by a full aggregation over the complaint views
(every view of the month read and summed, as before the counters); and how fast the
folder counts changed views into the counters (the cost each change of a complaint adds).

    python -m bench.reporting [--complaints 1000000] [--runs 40] [--baseline-runs 2]
                              [--fold-sample 5000]

The views are those reporting folds from a generated year of events
(tests/support/complaint_year.py: every status, returns, pauses, reopenings, ratings),
copied with new ticket numbers up to N. They carry their facts, status, deadline,
agency and kecamatan, as stored; without their list of events and their timeline, which
neither the report nor the aggregation reads, and with only the indexes the measured
reads use. The counters
are filled as the folder leaves them (each view's contribution summed, each view
marked counted); the folder itself is timed on a sample of its own. SecantusDB is
started by the script, on disk (in memory a million views overflow its cache).
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
from services.reporting.cells_store import COUNTED, DIRTY, AnalyticsCells
from services.reporting.store import ReadModel
from tests.support.complaint_year import year_of_events
from tests.support.processes import MongoServer

TEMPLATES = 3000
INSERT_BATCH = 2000
# The indexes of the views the measured reads use (the month's facts, the folder's marks).
MEASURED_INDEXES = ("received_at", "facts.open_months", "facts.open_from")
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
    """The views, each counted already (the cells are filled by fill_cells)."""
    started = time.monotonic()
    batch = []
    for number in range(1, complaints + 1):
        shape = shapes[number % len(shapes)]
        ticket = f"SMG-2026-{number:07d}"
        batch.append(
            {**shape, "_id": ticket, "ticket": ticket, VERSION: 1, COUNTED: shape["facts"]}
        )
        if len(batch) == INSERT_BATCH:
            views.insert_many(batch, ordered=False)
            batch = []
            if number % 100_000 == 0:
                rate = number / (time.monotonic() - started)
                print(f"  filled {number:,} views ({rate:,.0f}/s)", flush=True)
    if batch:
        views.insert_many(batch, ordered=False)
    return time.monotonic() - started


def fill_cells(db, shapes: list[dict], complaints: int) -> int:
    """The counters of the views fill() makes: each shape's contribution times its copies."""
    copies = [0] * len(shapes)
    for number in range(1, complaints + 1):  # as fill() gives the shapes out
        copies[number % len(shapes)] += 1
    cells: dict[str, dict] = {}
    for shape, count in zip(shapes, copies, strict=True):
        for cell, fields in analytics.contribution(shape["facts"]).items():
            month, dimension, key = cell.split("|", 2)
            doc = cells.setdefault(cell, {"_id": cell, "month": month, "dimension": dimension})
            doc["key"] = key
            for field, n in fields.items():
                if "." in field:
                    outer, inner = field.split(".")
                    doc.setdefault(outer, {})
                    doc[outer][inner] = doc[outer].get(inner, 0) + n * count
                else:
                    doc[field] = doc.get(field, 0) + n * count
    db.analytics_cells.insert_many(list(cells.values()))
    return len(cells)


def fold_rate(client, shapes: list[dict], sample: int) -> float:
    """Views counted per second by the folder, from marked views of a database of its own."""
    db = client["bench_reporting_fold"]
    cells = AnalyticsCells(db)
    cells.ensure_indexes()
    db.views.insert_many(
        [{**shapes[n % len(shapes)], "_id": f"F{n:07d}", DIRTY: True} for n in range(sample)]
    )
    started = time.monotonic()
    counted = cells.catch_up()
    rate = counted / (time.monotonic() - started)
    model = ReadModel(Aggregates(db.views), None, db.report_archive, cells)
    month = shapes[0]["month"]
    assert report(model, month) == full_aggregation(model, month), "the folder miscounted"
    client.drop_database(db.name)
    return rate


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
    options.add_argument("--baseline-runs", type=int, default=2)
    options.add_argument("--fold-sample", type=int, default=5000)
    options.add_argument("--storage-path", help="SecantusDB's (default: a new directory)")
    args = options.parse_args()

    log_dir = Path(tempfile.mkdtemp(prefix="bench-reporting-"))
    # On disk: a million views overflow SecantusDB's in-memory cache (WT_CACHE_FULL).
    storage = args.storage_path or str(log_dir / "data")
    Path(storage).mkdir(parents=True, exist_ok=True)
    mongo = MongoServer(log_dir, storage)
    client = pymongo.MongoClient(mongo.uri, tz_aware=True)
    db = client["bench_reporting"]
    try:
        print(f"generating the views of {TEMPLATES:,} complaints' events", flush=True)
        shapes = templates(TEMPLATES)
        rate = fold_rate(client, shapes, args.fold_sample)
        print(f"  the folder counts {rate:,.0f} changed views/s", flush=True)
        for index in MEASURED_INDEXES:
            db.views.create_index(index)
        db.views.create_index(DIRTY, sparse=True)
        cells = AnalyticsCells(db)
        cells.ensure_indexes()
        print(f"filling {args.complaints:,} views", flush=True)
        filled = fill(db.views, shapes, args.complaints)
        print(f"  {args.complaints:,} views in {filled:.0f} s", flush=True)
        print(f"  {fill_cells(db, shapes, args.complaints):,} cells", flush=True)

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
        print(
            f"folder: {rate:,.0f} changed views/s ({1000 / rate:.1f} ms of the database's "
            "time per change of a complaint's facts)"
        )
    finally:
        client.close()
        mongo.process.terminate()
        mongo.process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
