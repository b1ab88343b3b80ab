"""Benchmark: how long triage takes to suggest for one complaint (classifier, routing,
validity, urgency, duplicate search), with the model loaded once.

    .venv/bin/python -m bench.triage [--rounds 5] [--db-rounds 1] [--open 5000]

1. In memory: the suggestion alone, the duplicate search given 300 open reports.
2. With a SecantusDB of its own holding `--open` open reviews in one kecamatan (stored
   as the service stores them): the time per suggestion including the read of the
   duplicate candidates, before (the open reviews of the kecamatan, first 300) and
   after (the reviews sharing a key word, duplicates.search_keys) this search used
   an index, with the documents each read matched.
"""

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pymongo import MongoClient

from services.triage import core, duplicates, routing
from services.triage.learning.classifier import CategoryModel, load_records
from services.triage.store import DuplicateIndex, report_of
from services.triage.suggestions import Suggester
from tests.support.processes import MongoServer

KECAMATAN = "Tembalang"
# The read of candidates before they were found through an index.
OLD_INDEX = [("kecamatan", 1), ("received_at", 1)]
OLD_LIMIT = 300


def old_open_reports(reviews, new: duplicates.Report) -> list[duplicates.Report]:
    """The read before the index: the first 300 open reviews of the kecamatan."""
    query = {
        "kecamatan": new.kecamatan,
        "received_at": {"$gte": new.received_at - duplicates.MAX_AGE},
        "status": {"$in": list(core.OPEN_STATUSES)},
    }
    return [report_of(doc) for doc in reviews.find(query).limit(OLD_LIMIT)]


def complaint(record: dict, at: datetime) -> dict:
    return {
        "title": record["text"][:60],
        "description": record["text"],
        "received_at": at.isoformat(),
        "location": {"kecamatan": KECAMATAN, "kelurahan": record["kelurahan"]},
    }


def fill(reviews, suggester: Suggester, table, count: int, now: datetime) -> None:
    """`count` open reviews in one kecamatan, received over the last 20 days: the
    training complaints again and again, each suggested and stored as triage does."""
    rng = random.Random(7)
    records = load_records(split="train")
    suggested = []
    for n, record in enumerate(records):
        data = complaint(record, now)
        suggestion, words = suggester.suggest(f"T-{n}", data, [], table, frozenset())
        suggested.append((data, suggestion.to_document(), list(words)))
    batch = []
    for n in range(count):
        data, suggestion, words = suggested[n % len(suggested)]
        at = now - timedelta(minutes=rng.randrange(10, 60 * 24 * 20))
        data = {**data, "received_at": at.isoformat()}
        state, _ = core.open_review(data, suggestion, words, at)
        if n % 3 == 0:
            state["status"] = "classified"
        batch.append({**state, "_id": f"SMG-2026-{n:06d}", "_v": 1, "_applied": [f"e{n}"]})
        if len(batch) == 1000:
            reviews.insert_many(batch)
            batch = []
    if batch:
        reviews.insert_many(batch)


class Runs:
    """Suggestions timed whole and their candidate reads alone."""

    def __init__(self) -> None:
        self.total: list[float] = []
        self.reads: list[float] = []
        self.sizes: list[int] = []
        self.found = 0

    def suggest(self, suggester: Suggester, ticket: str, record: dict, find, table, now):
        read: list[float] = []

        def timed_find(new: duplicates.Report) -> list[duplicates.Report]:
            started = time.perf_counter()
            candidates = find(new)
            read.append(time.perf_counter() - started)
            self.sizes.append(len(candidates))
            return candidates

        started = time.perf_counter()
        suggestion, _ = suggester.suggest(
            ticket, complaint(record, now), timed_find, table, frozenset()
        )
        self.total.append(time.perf_counter() - started)
        self.reads.append(sum(read))
        self.found += suggestion.duplicate_of is not None


def percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    return (
        f"p50 {statistics.median(timings) * 1000:.2f} ms   "
        f"p99 {timings[max(0, int(len(timings) * 0.99) - 1)] * 1000:.2f} ms   "
        f"max {timings[-1] * 1000:.2f} ms"
    )


def in_memory(suggester: Suggester, table, held_out: list[dict], rounds: int, now) -> None:
    open_reports = [
        duplicates.Report(
            f"SMG-2026-{n:06d}", r["category"], KECAMATAN, r["kelurahan"], None, None,
            suggester.words(r["text"]), now - timedelta(days=n % 20),
        )
        for n, r in enumerate(load_records(split="train")[:300])
    ]  # fmt: skip
    timings = []
    for _ in range(rounds):
        for n, record in enumerate(held_out):
            data = complaint(record, now)
            began = time.perf_counter()
            suggester.suggest(f"SMG-2026-9{n:05d}", data, open_reports, table, frozenset())
            timings.append(time.perf_counter() - began)
    print(
        f"\n1. in memory: suggestions for one complaint ({len(timings)} runs over "
        f"{len(held_out)} held-out complaints, 300 open reports given for duplicates):"
    )
    print(f"  {percentiles(timings)}")


def with_database(suggester: Suggester, table, held_out: list[dict], args, now) -> None:
    mongo = MongoServer(Path(tempfile.mkdtemp(prefix="aduan-bench-")))
    try:
        db = MongoClient(mongo.uri, tz_aware=True)["bench_triage"]
        index = DuplicateIndex(db.reviews, db.settings)
        index.ensure_index()
        db.reviews.create_index(OLD_INDEX)  # for the read before
        began = time.perf_counter()
        fill(db.reviews, suggester, table, args.open, now)
        filled_in = time.perf_counter() - began

        finders = {
            "before": lambda new: old_open_reports(db.reviews, new),
            "after": index.open_reports,
        }
        runs = {name: Runs() for name in finders}
        for _ in range(args.db_rounds):
            for n, record in enumerate(held_out):
                for name, find in finders.items():  # alternated: the same load for both
                    runs[name].suggest(suggester, f"SMG-2026-9{n:05d}", record, find, table, now)
        # What SecantusDB decodes for the new read: every review with one of the keys,
        # whatever its status or date (the rest of the filter is applied after).
        searched = [suggester_report(suggester, r, now) for r in held_out]
        decoded = [
            db.reviews.count_documents({"dup_keys": {"$in": duplicates.search_keys(new)}})
            for new in searched
            if new.category
        ]
        stored = store_times(db, suggester, table, held_out, now)
        print(
            f"\n2. with SecantusDB (in memory), {args.open} open reviews in {KECAMATAN} "
            f"(stored in {filled_in:.1f} s); per suggestion, {len(runs['after'].total)} runs:"
        )
        for name, run in runs.items():
            print(
                f"  {name:<6} suggestion {percentiles(run.total)}\n"
                f"         candidate read {percentiles(run.reads)}; reviews read: mean "
                f"{statistics.mean(run.sizes):.0f}, max {max(run.sizes)}; "
                f"{run.found} duplicates suggested"
            )
        print(
            f"  after: reviews matched by the key lookup (decoded by SecantusDB): mean "
            f"{statistics.mean(decoded):.0f}, max {max(decoded)}; before: every open review "
            f"of the kecamatan ({args.open})"
        )
        print("  storing one review (insert_one, a collection with only that index):")
        for name, timings in stored.items():
            print(f"    {name:<6} {percentiles(timings)}")
    finally:
        mongo.stop()


def suggester_report(suggester: Suggester, record: dict, now: datetime) -> duplicates.Report:
    guess = suggester.model.guess(record["text"])
    category = None if guess.category == "bukan_pengaduan" else guess.category
    words = suggester.words(f"{record['text'][:60]}. {record['text']}")
    return duplicates.Report("new", category, KECAMATAN, None, None, None, words, now)


def store_times(db, suggester: Suggester, table, held_out, now) -> dict[str, list[float]]:
    """The insert of a review with the index before (kecamatan, received_at) and with the
    index after (dup_keys, received_at): the keys are stored in the same insert."""
    documents = []
    for n, record in enumerate(held_out):
        data = complaint(record, now)
        suggestion, words = suggester.suggest(f"S-{n}", data, [], table, frozenset())
        state, _ = core.open_review(data, suggestion.to_document(), list(words), now)
        documents.append(state)
    timings: dict[str, list[float]] = {}
    for name, index in (("before", OLD_INDEX), ("after", DuplicateIndex.INDEX)):
        collection = db[f"inserts_{name}"]
        collection.create_index(index)
        timings[name] = []
        for n in range(3):
            for m, state in enumerate(documents):
                document = {**state, "_id": f"I-{n}-{m}", "_v": 1, "_applied": [f"e{m}"]}
                started = time.perf_counter()
                collection.insert_one(document)
                timings[name].append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db-rounds", type=int, default=1)
    parser.add_argument("--open", type=int, default=5000)
    args = parser.parse_args()

    started = time.perf_counter()
    model = CategoryModel.train(load_records(split="train"))
    trained_in = time.perf_counter() - started
    suggester = Suggester(model)
    table = routing.default_table()
    now = datetime.now(UTC)
    held_out = load_records(split="test")
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; model trained once in {trained_in:.1f} s"
    )
    in_memory(suggester, table, held_out, args.rounds, now)
    with_database(suggester, table, held_out, args, now)


if __name__ == "__main__":
    main()
