"""Benchmark: the staff pages' answer time with 20,000 complaints in the read model.

    .venv/bin/python -m bench.pages [--complaints 20000] [--requests 60]

Starts its own SecantusDB (on disk, as ./scripts/run starts it), RabbitMQ virtual host,
services and gateway; stores the complaints in their real shapes (bench/fill.py: nearly
all closed, 2 % open), signs in as an officer and as a supervisor through /masuk, and
times, one request at a time over loopback, the worklist (plain, filtered by words,
and a later page), the supervisor's overview and the complaint page. Each figure is the
whole answer as a browser
gets it: the gateway's RPCs to reporting, triage and sla, their MongoDB reads, and the
render. Prints p50 and p95 per page; the issue's target is p95 under 100 ms.
"""

import argparse
import os
import platform
import re
import tempfile
import time
from pathlib import Path

import httpx

from bench.fill import fill, wait_settled
from tests.conftest import PASSWORD
from tests.support.processes import MongoServer, Stack, VirtualHost

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TICKET = re.compile(r'href="/kerja/(SMG-\d{4}-\d+)"')


def signed_in(url: str, username: str) -> httpx.Client:
    """A browser-like client with the staff session cookie, signed in through the page."""
    client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)
    form = client.get("/masuk")
    token = CSRF.search(form.text).group(1)
    answer = client.post(
        "/masuk",
        data={"username": username, "password": PASSWORD, "next": "/kerja", "csrf_token": token},
    )
    assert answer.status_code == 303, (answer.status_code, answer.text[:300])
    return client


def timed(client: httpx.Client, paths: list[str]) -> list[float]:
    seconds = []
    for path in paths:
        started = time.perf_counter()
        answer = client.get(path)
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, (path, answer.status_code)
    return sorted(seconds)


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(len(ordered) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=60, help="per page measured")
    args = parser.parse_args()

    logs = Path(tempfile.mkdtemp(prefix="aduan-bench-pages-"))
    (logs / "mongo").mkdir()
    mongo, vhost = MongoServer(logs, storage_path=logs / "mongo"), VirtualHost()
    stack = Stack(mongo, vhost, logs)
    rows = []
    try:
        stack.start_all()
        filled = fill(stack, args.complaints, lambda line: print(line, flush=True))
        wait_settled(stack)
        views = stack.database("reporting").views.estimated_document_count()
        print(
            f"stored {filled['complaints']:,} complaints ({filled['open']:,} open); "
            f"{views:,} views in the read model",
            flush=True,
        )
        n = args.requests
        for username in ("officer1", "supervisor1"):
            client = signed_in(stack.url, username)
            listing = client.get("/kerja")
            tickets = TICKET.findall(listing.text)
            assert tickets, f"{username}'s worklist is empty"
            timed(client, ["/kerja"] * 5)  # warm the gateway and the services
            rows.append((f"{username}: worklist /kerja", timed(client, ["/kerja"] * n)))
            words = "/kerja?cari=jalan"
            rows.append((f"{username}: worklist {words}", timed(client, [words] * n)))
            if username == "supervisor1":
                rows.append(
                    (f"{username}: worklist ?halaman=5", timed(client, ["/kerja?halaman=5"] * n))
                )
                rows.append((f"{username}: overview /pengawas", timed(client, ["/pengawas"] * n)))
            pages = [f"/kerja/{tickets[i % len(tickets)]}" for i in range(n)]
            rows.append((f"{username}: complaint page", timed(client, pages)))
            client.close()
    finally:
        stack.stop_all()
        vhost.delete()
        mongo.stop()

    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; SecantusDB on disk; one request at a time "
        f"over loopback; {args.complaints:,} complaints stored"
    )
    for name, seconds in rows:
        print(
            f"{name:<42} p50 {percentile(seconds, 0.5) * 1000:6.1f} ms   "
            f"p95 {percentile(seconds, 0.95) * 1000:6.1f} ms   ({len(seconds)} requests)"
        )


if __name__ == "__main__":
    main()
