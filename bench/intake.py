"""Benchmark: sustained accepted complaints per second and POST latency, beside the
stack's ceiling (one durable MongoDB write plus one confirmed RabbitMQ publish).

    .venv/bin/python -m bench.intake [--seconds 20] [--concurrency 16] [--open-loop 5,15]
                                     [--stored 100000]

--open-loop sends complaints at fixed rates (one every 1/RATE s, whether or not earlier
ones were answered, as residents do) and prints POST latency and the time from sending
to awaiting review. --stored N then stores N complaints in their real shapes
(bench/fill.py) and measures everything again, to show whether costs grow with data.

Starts its own SecantusDB, RabbitMQ virtual host, five services and gateway.
"""

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient

from bench.fill import fill, new_complaint, wait_settled
from tests.support.processes import ROOT, MongoServer, Stack, VirtualHost, free_port, wait_for


async def load(url: str, path: str, seconds: float, concurrency: int, body_for) -> dict:
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            key = uuid.uuid4().hex
            started = time.perf_counter()
            response = await http.post(path, json=body_for(key), headers={"Idempotency-Key": key})
            if response.status_code == 202:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        began = time.monotonic()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "accepted": len(latencies),
        "errors": errors,
        "rate": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def open_loop(url: str, rate: float, seconds: float) -> dict:
    """Sends at a fixed rate; returns POST latencies and each ticket's send time."""
    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    errors = 0

    async def one(http: httpx.AsyncClient) -> None:
        nonlocal errors
        key = uuid.uuid4().hex
        wall, started = time.time(), time.perf_counter()
        try:
            response = await http.post(
                "/api/v1/complaints", json=new_complaint(), headers={"Idempotency-Key": key}
            )
        except httpx.HTTPError:
            errors += 1
            return
        if response.status_code == 202:
            latencies.append(time.perf_counter() - started)
            sent_at[response.json()["ticket"]] = wall
        else:
            errors += 1

    limits = httpx.Limits(max_connections=1000)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        tasks, begin = [], time.perf_counter()
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, begin + n / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(http)))
        await asyncio.gather(*tasks)
    latencies.sort()
    return {
        "sent": int(rate * seconds),
        "errors": errors,
        "latencies": latencies,
        "sent_at": sent_at,
    }


def to_review(stack: Stack, sent_at: dict[str, float]) -> list[float]:
    """Seconds from sending each complaint to its triage (awaiting review), sorted."""
    views = stack.database("reporting").views.find(
        {"_id": {"$in": list(sent_at)}}, {"events.type": 1, "events.occurred_at": 1}
    )
    waits = []
    for view in views:
        triaged = [e for e in view["events"] if e["type"] == "complaint.triaged"]
        if triaged:
            at = datetime.fromisoformat(triaged[0]["occurred_at"]).timestamp()
            waits.append(at - sent_at[view["_id"]])
    return sorted(waits)


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[max(0, int(len(sorted_values) * share) - 1)] if sorted_values else 0.0


def mongo_commands(mongo: MongoServer) -> int:
    with MongoClient(mongo.uri) as client:
        counters = client.admin.command("serverStatus")["opcounters"]
    return sum(counters.values())


def commands_by_service(stack: Stack) -> dict[tuple[str, str, str], float]:
    """MongoDB commands each service has sent so far, from its own /metrics."""
    counts: dict[tuple[str, str, str], float] = {}
    for service, port in stack.metrics_ports.items():
        if service not in stack.processes:
            continue
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        for family in text_string_to_metric_families(text):
            if family.name != "aduan_mongo_commands":
                continue
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    labels = sample.labels
                    key = (service, labels["collection"], labels["command"])
                    counts[key] = counts.get(key, 0) + sample.value
    return counts


def breakdown(before: dict, after: dict, complaints: int) -> list[str]:
    """Operations per complaint, by service and by collection and command."""
    spent = {key: after.get(key, 0) - before.get(key, 0) for key in after}
    lines, services = [], sorted({service for service, _, _ in spent})
    for service in services:
        mine = {k: v for k, v in spent.items() if k[0] == service and v}
        total = sum(mine.values()) / complaints
        detail = ", ".join(
            f"{collection}.{command} {count / complaints:.2f}"
            for (_, collection, command), count in sorted(mine.items(), key=lambda kv: -kv[1])
        )
        lines.append(f"  {service:<10} {total:5.2f}   {detail}")
    lines.append(f"  {'all':<10} {sum(spent.values()) / complaints:5.2f}")
    return lines


def cpu_seconds(stack: Stack, mongo: MongoServer) -> dict[str, float]:
    """CPU time (user + system) each process of the stack has used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = {name: process.pid for name, process in stack.processes.items()}
    pids["secantus"] = mongo.process.pid
    used = {}
    for name, pid in pids.items():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[name] = (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu_lines(before: dict[str, float], after: dict[str, float], complaints: int) -> list[str]:
    spent = {name: (after[name] - before.get(name, 0.0)) * 1000 / complaints for name in after}
    ranked = sorted(spent.items(), key=lambda kv: -kv[1])
    lines = [f"  {name:<10} {ms:6.1f} ms" for name, ms in ranked if ms >= 0.05]
    lines.append(f"  {'all':<10} {sum(spent.values()):6.1f} ms")
    return lines


def processed(stack: Stack) -> int:
    return stack.database("reporting").views.count_documents(
        {"status": "awaiting_review", "deadline": {"$ne": None}}
    )


def start_ceiling(stack: Stack) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**stack.env, "BENCH_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "bench.ceiling"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    wait_for(
        lambda: httpx.post(url + "/write", content=b"{}").status_code == 202, 30, "ceiling endpoint"
    )
    return process, url


def describe(name: str, figures: dict) -> str:
    return (
        f"{name:<34} {figures['rate']:8.1f}/s   p50 {figures['p50_ms']:7.1f} ms   "
        f"p99 {figures['p99_ms']:7.1f} ms   ({figures['accepted']} accepted, "
        f"{figures['errors']} errors)"
    )


def measure(stack: Stack, mongo: MongoServer, args, rates: list[float]) -> dict:
    """One round of every figure on the running stack: closed loop, then open loops."""
    already = processed(stack)
    before = mongo_commands(mongo)
    by_service_before = commands_by_service(stack)
    cpu_before = cpu_seconds(stack, mongo)
    complaints = "/api/v1/complaints"
    warm = asyncio.run(load(stack.url, complaints, 3, args.concurrency, new_complaint))
    started = time.monotonic()
    system = asyncio.run(load(stack.url, complaints, args.seconds, args.concurrency, new_complaint))
    total = warm["accepted"] + system["accepted"]
    goal = already + total
    wait_for(lambda: processed(stack) >= goal, 300, "the pipeline to drain", 0.5)
    end_to_end = system["accepted"] / (time.monotonic() - started)
    per_complaint = (mongo_commands(mongo) - before) / total
    time.sleep(2)  # the outbox sweeps and relays of the last complaints settle
    lines = [
        describe("POST /api/v1/complaints", system),
        f"end to end (received -> awaiting review with a deadline, queues drained): "
        f"{end_to_end:.1f}/s; {per_complaint:.1f} MongoDB operations per complaint "
        "across all services (server's count)",
        "MongoDB operations per complaint by service (each service's own count):",
        *breakdown(by_service_before, commands_by_service(stack), total),
        "CPU per complaint by process (user + system, until the pipeline drained):",
        *cpu_lines(cpu_before, cpu_seconds(stack, mongo), total),
    ]
    for rate in rates:
        run = asyncio.run(open_loop(stack.url, rate, args.seconds))
        answered = len(run["latencies"])
        goal += answered
        wait_for(lambda goal=goal: processed(stack) >= goal, 300, "the pipeline", 0.5)
        waits = to_review(stack, run["sent_at"])
        posts = run["latencies"]
        lines.append(
            f"open loop {rate:g}/s for {args.seconds:.0f} s: {answered} of {run['sent']} "
            f"answered 202 ({run['errors']} errors); POST p50 "
            f"{percentile(posts, 0.5) * 1000:.0f} ms p99 {percentile(posts, 0.99) * 1000:.0f} "
            f"ms; to awaiting review p50 {percentile(waits, 0.5) * 1000:.0f} ms p99 "
            f"{percentile(waits, 0.99) * 1000:.0f} ms"
        )
    return {"system": system, "lines": lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--open-loop", default="", help="rates per second, e.g. 5,15")
    parser.add_argument(
        "--stored",
        type=int,
        default=0,
        help="then store this many complaints (bench/fill.py) and measure again",
    )
    parser.add_argument(
        "--in-memory",
        action="store_true",
        help="SecantusDB in memory (default: on disk, as ./scripts/run starts it)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for every process, e.g. ADUAN_MAX_WORKERS=4 (repeatable)",
    )
    parser.add_argument(
        "--mongo-options",
        default="",
        help="added to the MongoDB URL of every process, e.g. maxPoolSize=4",
    )
    args = parser.parse_args()
    rates = [float(rate) for rate in args.open_loop.split(",") if rate]
    settings = dict(setting.split("=", 1) for setting in args.env)

    logs = Path(tempfile.mkdtemp(prefix="aduan-bench-"))
    storage = ":memory:" if args.in_memory else logs / "mongo"
    if not args.in_memory:
        storage.mkdir()
    mongo, vhost = MongoServer(logs, storage_path=storage), VirtualHost()
    if args.mongo_options:
        settings["ADUAN_MONGO_URI"] = f"{mongo.uri}&{args.mongo_options}"
    stack = Stack(mongo, vhost, logs, ADUAN_RELAY_INTERVAL="1.0", **settings)
    ceiling = None
    rounds: list[tuple[str, dict]] = []
    try:
        stack.start_all()
        rounds.append(("empty databases", measure(stack, mongo, args, rates)))
        if args.stored:
            print(f"storing {args.stored:,} complaints ...", flush=True)
            filled = fill(stack, args.stored, lambda line: print(line, flush=True))
            wait_settled(stack)
            print(
                f"stored {filled['complaints']:,} complaints ({filled['open']:,} open), "
                f"{filled['documents']:,} documents in {filled['seconds']:.0f} s",
                flush=True,
            )
            name = f"{args.stored:,} complaints stored"
            rounds.append((name, measure(stack, mongo, args, rates)))
        stack.stop_all()
        ceiling, ceiling_url = start_ceiling(stack)
        asyncio.run(load(ceiling_url, "/write", 3, args.concurrency, new_complaint))
        floor = asyncio.run(
            load(ceiling_url, "/write", args.seconds, args.concurrency, new_complaint)
        )
    finally:
        if ceiling:
            ceiling.terminate()
        stack.stop_all()
        vhost.delete()
        mongo.stop()

    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.concurrency} concurrent clients, "
        f"{args.seconds:.0f} s per run; SecantusDB {'in memory' if args.in_memory else 'on disk'} "
        "(w=majority, j=true), RabbitMQ "
        "on loopback; load generator on the same machine"
    )
    if settings:
        print("settings: " + ", ".join(f"{k}={v}" for k, v in sorted(settings.items())))
    print(describe("ceiling: 1 Mongo + 1 AMQP write", floor))
    for name, figures in rounds:
        print(f"== {name}")
        print("\n".join(figures["lines"]))
        print(f"ratio (system / ceiling): {figures['system']['rate'] / floor['rate']:.2f}")
    if len(rounds) == 2:
        change = rounds[1][1]["system"]["rate"] / rounds[0][1]["system"]["rate"] - 1
        print(f"POST rate with {args.stored:,} stored vs empty: {change:+.0%}")


if __name__ == "__main__":
    main()
