"""Benchmark: agencies' webhooks. Events about complaints forwarded to two agencies (the
forwarding, then SLA warnings) are published on the bus at once; the figures are
deliveries per second to a local receiver and the delay from each event to its
delivery (p50, p99), optionally while a third agency's endpoint answers 500 to
everything (it must not slow the others).

    .venv/bin/python -m bench.hooks [--complaints 1000] [--events-per-complaint 2]
                                    [--dead-endpoint] [--concurrency 4]

Starts its own SecantusDB, RabbitMQ virtual host, the agency_hooks service and the
gateway (endpoints are registered through the API, as agencies do).
"""

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from services.chassis.publisher import EventPublisher
from services.contracts.events import SCHEMA_VERSION, EventType
from tests.conftest import PASSWORD
from tests.support.agency_receiver import AgencyReceiver
from tests.support.processes import MongoServer, Stack, VirtualHost, wait_for

AGENCIES = ("dpu", "dishub")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * share) - 1, 0)]


def event(kind: EventType, ticket: str, data: dict) -> dict:
    return {
        "event_id": uuid.uuid4().hex,
        "type": str(kind),
        "version": SCHEMA_VERSION,
        "occurred_at": datetime.now(UTC).isoformat(),
        "ticket": ticket,
        "data": data,
    }


def register(http: httpx.Client, token: str, agency: str, receiver: AgencyReceiver) -> None:
    created = http.post(
        "/api/v1/agency-hooks/endpoints",
        json={"agency": agency, "url": receiver.url},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.text
    receiver.secret = created.json()["secret"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1000)
    parser.add_argument("--events-per-complaint", type=int, default=2)
    parser.add_argument("--dead-endpoint", action="store_true")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    logs = Path(tempfile.mkdtemp(prefix="aduan-bench-"))
    mongo, vhost = MongoServer(logs), VirtualHost()
    stack = Stack(
        mongo,
        vhost,
        logs,
        ADUAN_HOOKS_CONCURRENCY=str(args.concurrency),
        ADUAN_HOOKS_RETRY_BASE="1",
        ADUAN_HOOKS_TIMEOUT="5",
    )
    receivers = {agency: AgencyReceiver() for agency in AGENCIES}
    dead = AgencyReceiver()
    dead.fail_for(10**6)
    try:
        stack.start("agency_hooks")
        stack.start("gateway")
        stack.wait_service("agency_hooks")
        stack.wait_gateway()
        assert stack.admin("seed").returncode == 0
        created = stack.admin(
            "create-user",
            "bench-supervisor",
            "--role",
            "supervisor",
            "--password-stdin",
            password=PASSWORD,
        )
        assert created.returncode == 0, created.stderr
        http = httpx.Client(base_url=stack.url, timeout=30)
        login = {"username": "bench-supervisor", "password": PASSWORD}
        token = http.post("/api/v1/auth/token", json=login).json()["access_token"]
        for agency, receiver in receivers.items():
            register(http, token, agency, receiver)
        if args.dead_endpoint:
            register(http, token, "disperkim", dead)
        time.sleep(6)  # the senders pick up new endpoints within ENDPOINTS_EVERY

        publish = EventPublisher(vhost.uri)
        began = time.monotonic()
        tickets: list[str] = []
        for n in range(args.complaints):
            agency = AGENCIES[n % len(AGENCIES)]
            ticket = f"SMG-2026-{n + 1:06d}"
            tickets.append(ticket)
            publish(event(EventType.COMPLAINT_FORWARDED, ticket, {"agency": agency, "admin": "b"}))
            for k in range(args.events_per_complaint - 1):
                warning = {"kind": "warning", "label": f"{50 + k}%", "agency": agency}
                publish(event(EventType.SLA_WARNING, ticket, warning))
            if args.dead_endpoint and n % 10 == 0:
                publish(
                    event(EventType.COMPLAINT_FORWARDED, f"{ticket}-x", {"agency": "disperkim"})
                )
        published = time.monotonic() - began
        total = args.complaints * args.events_per_complaint
        wait_for(
            lambda: sum(len(r.unique()) for r in receivers.values()) >= total,
            1800,
            "every delivery",
            0.5,
        )
        elapsed = time.monotonic() - began
        delivered = [e for r in receivers.values() for e in r.unique()]
        delays = [
            e["_wall"] - datetime.fromisoformat(e["occurred_at"]).timestamp() for e in delivered
        ]
        duplicates = sum(len(r.events()) - len(r.unique()) for r in receivers.values())
        dead_attempts = dead.refused
    finally:
        stack.stop_all()
        for receiver in (*receivers.values(), dead):
            receiver.stop()
        vhost.delete()
        mongo.stop()

    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; SecantusDB in memory, RabbitMQ on loopback"
    )
    print(
        f"{args.complaints} complaints x {args.events_per_complaint} events to "
        f"{len(AGENCIES)} agencies' endpoints, {args.concurrency} complaints at once per "
        f"endpoint"
        + (f"; a dead endpoint refused {dead_attempts} attempts" if args.dead_endpoint else "")
    )
    print(f"published in {published:6.1f} s; all delivered in {elapsed:6.1f} s")
    print(f"deliveries per second:       {total / elapsed:7.1f}")
    print(
        f"event -> delivery:           p50 {statistics.median(delays):6.2f} s   "
        f"p99 {percentile(delays, 0.99):6.2f} s   max {max(delays):6.2f} s"
    )
    print(f"delivered twice (by id):     {duplicates}")


if __name__ == "__main__":
    main()
