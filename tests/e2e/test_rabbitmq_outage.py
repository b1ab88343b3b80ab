"""RabbitMQ stopped for 30 s while complaints arrive.

Every service process keeps running with the PID it had: a worker that lost the broker
ends alone (services/chassis/container.py), and a container that dies anyway is
replaced inside its process by the chassis supervisor (printed below from
aduan_service_restarts_total), never by exiting. The gateway answers 503, never 500,
while the broker is down; every complaint that got a ticket, before or after, reaches
awaiting review.

This stops the machine's shared broker: the session stack rides it out like this one.
"""

import re
import subprocess
import threading
import time
import uuid

import httpx
import pytest

from tests.support.api import complaint
from tests.support.processes import SERVICES, Stack, VirtualHost, wait_for

pytestmark = pytest.mark.e2e

OUTAGE_SECONDS = 30
SUBMITTERS = 3
RESTARTS = re.compile(r'^aduan_service_restarts_total\{service="\w+"\} (\S+)$', re.M)


@pytest.fixture
def outage_stack(mongo, log_dir):
    vhost = VirtualHost()
    stack = Stack(mongo, vhost, log_dir)
    try:
        yield stack.start_all()
    finally:
        stack.stop_all()
        vhost.delete()


class Submitters:
    """Clients that submit complaints one after another, each retried with its own key
    until accepted, recording every answer."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.accepted: list[tuple[float, str]] = []  # (when, ticket)
        # (sent, answered, status or error): a request sent just before the broker stopped
        # may be answered after it, so the outage window is judged by when it was sent
        self.answers: list[tuple[float, float, int | str]] = []
        self.errors: list[str] = []
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._run) for _ in range(SUBMITTERS)]

    def __enter__(self) -> "Submitters":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(30)

    def accepted_since(self, moment: float) -> int:
        assert not self.errors, self.errors
        return sum(1 for at, _ in self.accepted if at > moment)

    def _run(self) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=15) as http:
                while not self.done.is_set():
                    self._submit(http, uuid.uuid4().hex)
        except Exception as error:  # reported by accepted_since, so the test fails at once
            self.errors.append(repr(error))

    def _submit(self, http: httpx.Client, key: str) -> None:
        body = complaint()
        while not self.done.is_set():
            sent = time.monotonic()
            try:
                response = http.post(
                    "/api/v1/complaints", json=body, headers={"Idempotency-Key": key}
                )
                self.answers.append((sent, time.monotonic(), response.status_code))
                if response.status_code == 202:
                    self.accepted.append((time.monotonic(), response.json()["ticket"]))
                    return
            except httpx.TransportError as error:
                self.answers.append((sent, time.monotonic(), type(error).__name__))
            time.sleep(0.2)


def restarts(stack: Stack) -> dict[str, int]:
    counts = {}
    for service in SERVICES:
        text = httpx.get(f"http://127.0.0.1:{stack.metrics_ports[service]}/metrics").text
        counts[service] = sum(int(float(n)) for n in RESTARTS.findall(text))
    return counts


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


def test_services_ride_out_a_rabbitmq_outage(outage_stack):
    stack = outage_stack
    pids = {name: process.pid for name, process in stack.processes.items()}
    with Submitters(stack.url) as submitters:
        wait_for(lambda: submitters.accepted_since(0) >= 20, 60, "20 complaints before")
        before = [ticket for _, ticket in submitters.accepted]
        try:
            rabbitmqctl("stop_app")
            down_at = time.monotonic()
            time.sleep(OUTAGE_SECONDS)
        finally:
            rabbitmqctl("start_app")
            rabbitmqctl("await_startup")
        up_at = time.monotonic()
        wait_for(lambda: submitters.accepted_since(up_at) >= 20, 120, "20 complaints after", 1)

    answers = {answer for _, _, answer in submitters.answers}
    assert answers <= {202, 503}, answers  # never a 500, never a dropped connection
    during = {
        answer for sent, answered, answer in submitters.answers if down_at < sent < answered < up_at
    }
    assert during == {503}, during

    assert {name: p.pid for name, p in stack.processes.items() if p.poll() is None} == pids
    print(f"\ncontainers restarted inside their processes: {restarts(stack)}")

    tickets = [ticket for _, ticket in submitters.accepted]  # `before` among them
    assert len(set(tickets)) == len(tickets), "one ticket per complaint"
    assert len(before) >= 20
    views = stack.database("reporting").views
    wait_for(
        lambda: (
            views.count_documents({"_id": {"$in": tickets}, "status": "awaiting_review"})
            == len(tickets)
        ),
        90,
        f"all {len(tickets)} complaints awaiting review",
        1,
    )
