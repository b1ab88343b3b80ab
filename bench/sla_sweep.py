"""Benchmark: the SLA timer sweep and the recomputation after a calendar change, with
100,000 open complaints in the sla database.

    .venv/bin/python -m bench.sla_sweep [--clocks 100000] [--due 500]

Starts its own SecantusDB; uses the sla service's store and core, without RabbitMQ
(events stay in the outboxes, which is what the sweep writes).
"""

import argparse
import os
import platform
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pymongo import MongoClient

from services.chassis.aggregates import Aggregates
from services.chassis.domain import to_change
from services.sla import core
from services.sla.calendar_edits import DayChange
from services.sla.policy import PERWAL_5_2023
from services.sla.store import Calendar, Clocks
from tests.support.processes import MongoServer

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def populate(db, clocks: int, calendar) -> None:
    rng = random.Random(7)
    batch = []
    for n in range(clocks):
        received = NOW - timedelta(minutes=rng.randrange(60, 60 * 24 * 20))
        state, recorded = core.start_clock(received, PERWAL_5_2023, calendar)
        change = to_change(f"SMG-2026-{n:06d}", (state, []), received)
        batch.append({**change.state, "_id": f"SMG-2026-{n:06d}", "_v": 1, "_applied": []})
        if len(batch) == 5000:
            db.clocks.insert_many(batch)
            batch = []
    if batch:
        db.clocks.insert_many(batch)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=500)
    args = parser.parse_args()

    mongo = MongoServer(Path(tempfile.mkdtemp(prefix="aduan-bench-")))
    try:
        db = MongoClient(mongo.uri, tz_aware=True)["bench_sla"]
        db.clocks.create_index([("running", 1), ("next_at", 1)])
        db.clocks.create_index([("running", 1), ("due_at", 1)])
        calendar = Calendar(db, 2025, 2028)
        clocks = Clocks(Aggregates(db.clocks), db, calendar)
        load_s, _ = timed(lambda: populate(db, args.clocks, calendar.get()))

        # 1. the steady state: a sweep that finds nothing due
        quiet = db.clocks.find({}, {"next_at": 1}).sort("next_at", 1).limit(1)[0]["next_at"]
        before_first = quiet - timedelta(seconds=1)
        idle = [timed(lambda: clocks.fire_due(before_first))[0] for _ in range(20)]
        plan = db.clocks.find({"running": True, "next_at": {"$lte": before_first}}).explain()
        winning = plan.get("queryPlanner", {}).get("winningPlan", {})

        # 2. a sweep with timers due: move `due` clocks' next timers to the past
        due_ids = [doc["_id"] for doc in db.clocks.find({}, {"_id": 1}).limit(args.due)]
        for ticket in due_ids:
            first_at = before_first - timedelta(minutes=1)
            db.clocks.update_one(
                {"_id": ticket}, {"$set": {"timers.0.at": first_at, "next_at": first_at}}
            )
        busy_s, fired = timed(lambda: clocks.fire_due(before_first, limit=args.due))
        assert fired == args.due, fired

        # 3. a calendar change that moves every open deadline after it
        day = (NOW + timedelta(days=1)).date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        change = DayChange(day, False, "Cuti bersama tambahan (benchmark)")
        clocks.change_day(change, "bench", NOW)
        recompute_s, moved = timed(lambda: clocks.recompute_pending(NOW))
    finally:
        mongo.stop()

    idle.sort()
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; SecantusDB in memory; {args.clocks:,} open "
        f"clocks (loaded in {load_s:.0f} s)"
    )
    print(
        f"sweep with nothing due:        median {idle[len(idle) // 2] * 1000:7.1f} ms, "
        f"max {idle[-1] * 1000:7.1f} ms (20 sweeps); plan: {winning.get('stage', '?')} "
        f"{winning.get('inputStage', {}).get('indexName', winning.get('indexName', ''))}"
    )
    print(
        f"sweep firing {fired} timers:     {busy_s * 1000:7.0f} ms "
        f"({busy_s / fired * 1000:.1f} ms per timer)"
    )
    print(
        f"calendar change, recompute:    {recompute_s:7.1f} s for {moved:,} "
        f"deadlines moved ({recompute_s / max(moved, 1) * 1000:.1f} ms "
        "each; only clocks whose counting spans the day are read)"
    )


if __name__ == "__main__":
    main()
