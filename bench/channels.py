"""Benchmark: SMS in and SMS out. Signed webhooks are posted for distinct senders; the
figures are the webhook's answer time, and the time from posting an SMS until its
receipt SMS (with the ticket) reaches the provider, plus how long a letter PDF takes.

    .venv/bin/python -m bench.channels [--messages 200] [--concurrency 8]

Starts its own SecantusDB, RabbitMQ virtual host, services, gateway and a local
stand-in for the SMS provider.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from gateway.signature import sign
from services.channels.desk import core as desk_core
from services.channels.desk import letter
from tests.support.processes import MongoServer, Stack, VirtualHost, wait_for
from tests.support.providers import StandIn

SECRET = "bench-secret"
TEXT = "Lampu PJU di Jalan Ngesrep Tembalang mati sudah dua minggu, mohon diperbaiki."


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * share) - 1, 0)]


async def post_all(url: str, count: int, concurrency: int) -> tuple[dict, list[float]]:
    sent_at: dict[str, float] = {}
    answers: list[float] = []
    queue = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)

    async def worker(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            sender = f"+62858{n:08d}"
            raw = json.dumps({"message_id": f"bench-{n}", "from": sender, "text": TEXT}).encode()
            stamp = str(int(time.time()))
            headers = {"X-Aduan-Timestamp": stamp, "X-Aduan-Signature": sign(SECRET, stamp, raw)}
            started = time.perf_counter()
            response = await http.post(
                "/api/v1/channels/sms/messages", content=raw, headers=headers
            )
            assert response.status_code == 202, response.text
            answers.append(time.perf_counter() - started)
            sent_at[sender] = time.time()

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    return sent_at, answers


def letter_render_ms(samples: int = 50) -> float:
    notice = {"about": "resolved", "message": "Pengaduan telah ditindaklanjuti. " * 8}
    addressee = {
        "ticket": "SMG-2026-000001",
        "received_at": "2026-03-02T03:00:00+00:00",
        "title": "Talud sungai longsor",
        "name": "Bapak Suharto",
        "address": "Jl. Kauman No. 12, Semarang",
    }
    composed = desk_core.compose(notice, addressee, 1, datetime.now(UTC))
    started = time.perf_counter()
    for _ in range(samples):
        letter.render(composed)
    return (time.perf_counter() - started) / samples * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    logs = Path(tempfile.mkdtemp(prefix="aduan-bench-"))
    mongo, vhost, provider = MongoServer(logs), VirtualHost(), StandIn()
    stack = Stack(
        mongo,
        vhost,
        logs,
        ADUAN_SMS_WEBHOOK_SECRET=SECRET,
        ADUAN_SMS_PROVIDER_URL=provider.url,
        ADUAN_SMS_PROVIDER_TOKEN=provider.token,
    )
    try:
        stack.start_all()
        began = time.monotonic()
        sent_at, answers = asyncio.run(post_all(stack.url, args.messages, args.concurrency))
        wait_for(lambda: len(provider.messages()) >= args.messages, 600, "every receipt SMS", 0.2)
        elapsed = time.monotonic() - began
        arrived = {m["to"]: m["_at"] for m in provider.messages()}
        round_trips = [arrived[sender] - at for sender, at in sent_at.items()]
    finally:
        stack.stop_all()
        provider.stop()
        vhost.delete()
        mongo.stop()

    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.messages} SMS from distinct senders, "
        f"{args.concurrency} concurrent posters; SecantusDB in memory, RabbitMQ on loopback"
    )
    print(
        f"webhook answer (202, queued):      p50 {statistics.median(answers) * 1000:7.1f} ms   "
        f"p99 {percentile(answers, 0.99) * 1000:7.1f} ms"
    )
    print(
        f"SMS in -> receipt SMS at provider: p50 {statistics.median(round_trips):7.2f} s    "
        f"p99 {percentile(round_trips, 0.99):7.2f} s"
    )
    print(f"throughput, all receipts sent:     {args.messages / elapsed:7.1f} SMS/s")
    print(f"reply letter PDF render:           {letter_render_ms():7.1f} ms per letter")


if __name__ == "__main__":
    main()
