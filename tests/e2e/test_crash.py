"""Crash test: SIGKILL triage, sla and the gateway while 200 complaints arrive.

Every complaint the gateway acknowledged must end awaiting review with a deadline,
under one ticket, with each effect applied once.
"""

import threading
import time
import uuid
from collections import Counter

import httpx
import pytest

from tests.support.api import complaint
from tests.support.processes import Stack, VirtualHost, wait_for

pytestmark = pytest.mark.e2e

TOTAL = 200
SUBMITTERS = 4


@pytest.fixture
def crash_stack(mongo, log_dir):
    vhost = VirtualHost()
    stack = Stack(mongo, vhost, log_dir).start_all()
    yield stack
    stack.stop_all()
    vhost.delete()


class Submitter:
    """Submits complaints as a careful client: retries each with its own key until 202."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.receipts: dict[str, str] = {}
        self.retries = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def submit_all(self, keys: list[str]) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=15) as http:
                for key in keys:
                    self.receipts[key] = self.submit(http, key)
        except Exception as error:  # reported by progress(), so the test fails at once
            self.failures.append(repr(error))

    def submit(self, http: httpx.Client, key: str) -> str:
        body = complaint(title=f"Jalan berlubang nomor {key[:8]}")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                response = http.post(
                    "/api/v1/complaints", json=body, headers={"Idempotency-Key": key}
                )
                if response.status_code == 202:
                    return response.json()["ticket"]
                assert response.status_code == 503, response.text
            except httpx.TransportError:
                pass
            with self.lock:
                self.retries += 1
            time.sleep(0.2)
        raise AssertionError(f"complaint {key} was never accepted")

    def progress(self, at_least: int) -> bool:
        assert not self.failures, self.failures
        return len(self.receipts) >= at_least

    @property
    def accepted(self) -> int:
        return len(self.receipts)


def test_killing_triage_sla_and_the_gateway_loses_and_doubles_nothing(crash_stack):
    stack = crash_stack
    keys = [uuid.uuid4().hex for _ in range(TOTAL)]
    submitter = Submitter(stack.url)
    threads = [
        threading.Thread(target=submitter.submit_all, args=(keys[i::SUBMITTERS],))
        for i in range(SUBMITTERS)
    ]
    for thread in threads:
        thread.start()

    wait_for(lambda: submitter.progress(40), 60, "the first 40 complaints")
    for name in ("triage", "sla", "gateway"):
        stack.kill(name)
    killed_at = submitter.accepted
    time.sleep(1.0)
    for name in ("triage", "sla", "gateway"):
        stack.start(name)
    stack.wait_service("triage")
    stack.wait_service("sla")

    # and once more while the backlog drains
    wait_for(lambda: submitter.progress(140), 90, "140 complaints")
    stack.kill("triage")
    stack.kill("sla")
    stack.start("triage")
    stack.start("sla")

    for thread in threads:
        thread.join(180)
    assert submitter.progress(TOTAL)
    assert killed_at < TOTAL, "the kill must fall while complaints are arriving"

    tickets = set(submitter.receipts.values())
    assert len(tickets) == TOTAL, "one ticket per complaint"

    views = stack.database("reporting").views

    def all_awaiting_review_with_deadline():
        return (
            views.count_documents(
                {
                    "_id": {"$in": list(tickets)},
                    "status": "awaiting_review",
                    "deadline.due_at": {"$ne": None},
                }
            )
            == TOTAL
        )

    wait_for(all_awaiting_review_with_deadline, 120, "all 200 awaiting review", 0.5)

    # one record per complaint in every service, each event applied once
    assert stack.database("intake").complaints.count_documents({}) == TOTAL
    for owner, collection in (("triage", "reviews"), ("sla", "clocks")):
        documents = list(stack.database(owner)[collection].find({}, {"_applied": 1}))
        assert len(documents) == TOTAL
        assert all(len(doc["_applied"]) == 1 for doc in documents), owner
    for view in views.find({}, {"events": 1}):
        kinds = Counter(event["type"] for event in view["events"])
        assert kinds == {
            "complaint.received": 1,
            "reporter.notified": 1,  # the receipt
            "complaint.triaged": 1,
            "sla.deadline_set": 1,
        }, (
            view["_id"],
            kinds,
        )

    # nothing parked, nothing left to publish
    dead = [
        q
        for q in (
            "aduan.triage.complaint.received.dead",
            "aduan.sla.complaint.received.dead",
            "aduan.reporting.complaint.triaged.dead",
        )
        if stack.vhost.messages(q)
    ]
    assert dead == []
    print(
        f"\ncrash test: {TOTAL} accepted, {submitter.retries} client retries, "
        f"gateway killed after {killed_at}"
    )
