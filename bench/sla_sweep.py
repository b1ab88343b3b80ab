"""Benchmark: the SLA timer sweep and the recomputation after a calendar change, with
100,000 open complaints in the sla database.

    .venv/bin/python -m bench.sla_sweep [--clocks 100000] [--due 500] [--compare]

Starts its own SecantusDB; uses the sla service's store and core, without RabbitMQ
(events stay in the outboxes, which is what the sweep writes). With --compare, the
same clocks are loaded a second time and the same change is recomputed there as it was
before bulk writes (one query for every clock that may span the day, then each moved
clock read and saved alone), and the two figures are printed side by side.
"""

import argparse
import os
import platform
import random
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pymongo import MongoClient, monitoring

from services.chassis.aggregates import Aggregates, public_state
from services.chassis.domain import to_change
from services.sla import core, recompute_store
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


class Commands(monitoring.CommandListener):
    """MongoDB commands sent, by name: what a recompute costs the embedded store."""

    def __init__(self) -> None:
        self.sent: Counter = Counter()

    def started(self, event) -> None:
        self.sent[event.command_name] += 1

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


def one_by_one(clocks: Clocks, day: date, reason: str) -> tuple[int, int]:
    """The recompute as it was before bulk writes, for the figure side by side: one
    query for the running clocks whose counting may span the day, then each clock that
    moves read again and saved alone. Returns the clocks read and the deadlines moved."""
    calendar = clocks.calendar.reload()

    def decide(clock: dict):
        decided = core.recompute(clock, clocks.policy(clock["policy"]), calendar, reason, NOW)
        return None if decided is None else to_change(clock["_id"], decided, NOW)

    day_start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=1)
    spanning = {
        "running": True,
        "due_at": {"$gte": day_start},
        "starts_at": {"$lt": day_start + timedelta(days=3)},
    }
    read = moved = 0
    for clock in clocks.clocks.collection.find(spanning):
        read += 1
        if decide(public_state(clock)) is not None:
            moved += bool(clocks.clocks.change(clock["_id"], decide))
    return read, moved


def loaded(client: MongoClient, name: str, clocks: int, before: bool) -> tuple[Clocks, float]:
    """A database of `clocks` open clocks with the sla service's indexes (`before`:
    those it had before bulk recomputes)."""
    db = client[name]
    db.clocks.create_index([("running", 1), ("next_at", 1)])
    db.clocks.create_index([("running", 1), ("due_at", 1)] if before else recompute_store.INDEX)
    Aggregates(db.clocks).ensure_indexes()
    calendar = Calendar(db, 2025, 2028)
    load_s, _ = timed(lambda: populate(db, clocks, calendar.get()))
    return Clocks(Aggregates(db.clocks), db, calendar), load_s


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=500)
    parser.add_argument("--compare", action="store_true", help="also recompute as before")
    args = parser.parse_args()

    mongo = MongoServer(Path(tempfile.mkdtemp(prefix="aduan-bench-")))
    commands = Commands()
    try:
        client = MongoClient(mongo.uri, tz_aware=True, event_listeners=[commands])
        clocks, load_s = loaded(client, "bench_sla", args.clocks, before=False)
        db = clocks.db

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
        request = clocks.change_day(change, "bench", NOW)["recompute"]
        commands.sent.clear()
        recompute_s, moved = timed(lambda: clocks.recompute_pending(NOW))
        now_figures = (recompute_s, moved, clocks.recompute_status(request)["clocks_read"])
        now_commands = sum(commands.sent.values())

        before_figures = None
        if args.compare:
            reference, _ = loaded(client, "bench_sla_before", args.clocks, before=True)
            reference.change_day(change, "bench", NOW)
            reason = reference.db.recomputes.find_one()["reason"]
            commands.sent.clear()
            before_s, (read, before_moved) = timed(lambda: one_by_one(reference, day, reason))
            before_figures = (before_s, before_moved, read, sum(commands.sent.values()))
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
    print_recompute(day, (*now_figures, now_commands), before_figures)


def print_recompute(day: date, now: tuple, before: tuple | None) -> None:
    columns = [("bulk, moved only (now)", now)]
    if before:
        columns.insert(0, ("one by one (before)", before))
    print(f"calendar change ({day} made a day off), recompute:")
    print(f"  {'':28}" + "".join(f"{title:>26}" for title, _ in columns))
    rows = [
        ("time", lambda f: f"{f[0]:.1f} s"),
        ("per deadline moved", lambda f: f"{f[0] / max(f[1], 1) * 1000:.2f} ms"),
        ("deadlines moved", lambda f: f"{f[1]:,}"),
        ("clocks returned by queries", lambda f: f"{f[2]:,}"),
        ("MongoDB commands", lambda f: f"{f[3]:,}"),
    ]
    for label, cell in rows:
        print(f"  {label:28}" + "".join(f"{cell(figures):>26}" for _, figures in columns))


if __name__ == "__main__":
    main()
