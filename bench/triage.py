"""Benchmark: how long triage takes to suggest for one complaint (classifier, routing,
validity, urgency, duplicate search among 300 open reports), with the model loaded once.

    .venv/bin/python -m bench.triage [--rounds 5]
"""

import argparse
import os
import platform
import statistics
import time
from datetime import UTC, datetime, timedelta

from services.triage import duplicates, routing
from services.triage.learning.classifier import CategoryModel, load_records
from services.triage.suggestions import Suggester


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    model = CategoryModel.train(load_records(split="train"))
    trained_in = time.perf_counter() - started
    suggester = Suggester(model)
    table = routing.default_table()
    now = datetime.now(UTC)
    held_out = load_records(split="test")
    open_reports = [
        duplicates.Report(
            f"SMG-2026-{n:06d}", r["category"], "Tembalang", r["kelurahan"], None, None,
            suggester.words(r["text"]), now - timedelta(days=n % 20),
        )
        for n, r in enumerate(load_records(split="train")[:300])
    ]  # fmt: skip

    timings = []
    for _ in range(args.rounds):
        for n, record in enumerate(held_out):
            data = {
                "title": record["text"][:60],
                "description": record["text"],
                "received_at": now.isoformat(),
                "location": {"kecamatan": "Tembalang", "kelurahan": record["kelurahan"]},
            }
            began = time.perf_counter()
            suggester.suggest(f"SMG-2026-9{n:05d}", data, open_reports, table, frozenset())
            timings.append(time.perf_counter() - began)
    timings.sort()
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; model trained once in {trained_in:.1f} s"
    )
    print(
        f"suggestions for one complaint ({len(timings)} runs over {len(held_out)} held-out "
        f"complaints, 300 open reports searched for duplicates):"
    )
    print(
        f"  p50 {statistics.median(timings) * 1000:.2f} ms   "
        f"p99 {timings[int(len(timings) * 0.99) - 1] * 1000:.2f} ms   "
        f"max {timings[-1] * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
