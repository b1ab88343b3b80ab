"""Benchmark: sustained accepted complaints per second and POST latency, beside the
stack's ceiling (one durable MongoDB write plus one confirmed RabbitMQ publish).

    .venv/bin/python -m bench.intake [--seconds 20] [--concurrency 16]

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
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient

from tests.support.api import complaint
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


def new_complaint(key: str) -> dict:
    return complaint()


def mongo_commands(mongo: MongoServer) -> int:
    counters = MongoClient(mongo.uri).admin.command("serverStatus")["opcounters"]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    logs = Path(tempfile.mkdtemp(prefix="aduan-bench-"))
    mongo, vhost = MongoServer(logs), VirtualHost()
    stack = Stack(mongo, vhost, logs, ADUAN_RELAY_INTERVAL="1.0")
    ceiling = None
    try:
        stack.start_all()
        before = mongo_commands(mongo)
        by_service_before = commands_by_service(stack)
        complaints = "/api/v1/complaints"
        warm = asyncio.run(load(stack.url, complaints, 3, args.concurrency, new_complaint))
        started = time.monotonic()
        system = asyncio.run(
            load(stack.url, complaints, args.seconds, args.concurrency, new_complaint)
        )
        total = warm["accepted"] + system["accepted"]
        wait_for(lambda: processed(stack) >= total, 300, "the pipeline to drain", 0.5)
        end_to_end = system["accepted"] / (time.monotonic() - started)
        per_complaint = (mongo_commands(mongo) - before) / total
        time.sleep(2)  # the outbox sweeps and relays of the last complaints settle
        per_service = breakdown(by_service_before, commands_by_service(stack), total)
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
        f"{args.seconds:.0f} s per run; SecantusDB (w=majority, j=true), RabbitMQ "
        "on loopback; load generator on the same machine"
    )
    print(describe("POST /api/v1/complaints", system))
    print(describe("ceiling: 1 Mongo + 1 AMQP write", floor))
    print(f"ratio (system / ceiling): {system['rate'] / floor['rate']:.2f}")
    print(
        f"end to end (received -> awaiting review with a deadline, queues drained): "
        f"{end_to_end:.1f}/s; {per_complaint:.1f} MongoDB operations per complaint "
        "across all services (server's count)"
    )
    print("MongoDB operations per complaint by service (each service's own count):")
    print("\n".join(per_service))


if __name__ == "__main__":
    main()
