"""Sends the feeds' heads to the agencies' endpoints: one green thread per endpoint,
so an endpoint that is down or slow delays only its own deliveries.

Each endpoint's sender looks for its due feeds, leases each (a version-checked
update, so two processes never send the same feed at once), posts the head signed
with the endpoint's secret, and records the outcome on the feed and in the delivery
log. A feed whose head was taken goes on to its next event under the same lease.
"""

import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime

from eventlet.greenpool import GreenPool
from prometheus_client import Counter, Gauge, Histogram

from services.agency_hooks import core
from services.chassis.aggregates import Aggregates, Change, ConcurrentUpdate

log = logging.getLogger(__name__)

DELIVERIES = Counter(
    "aduan_hook_deliveries_total",
    "Attempts to deliver an event to an agency's endpoint, by result (delivered, retry, parked)",
    ["agency", "result"],
)
DELAY = Histogram(
    "aduan_hook_delivery_delay_seconds",
    "From the event to its delivery at the agency's endpoint",
    ["agency"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400),
)
FEEDS = Gauge(
    "aduan_hook_feeds",
    "Complaints' feeds with events to deliver (open) or given up on (parked), by agency",
    ["agency", "status"],
)
ENDPOINTS_EVERY = 5.0  # seconds between looks for new, changed or removed endpoints
GAUGES_EVERY = 15.0


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str | None]:
    """(HTTP status, None) when the endpoint took it (2xx), else (status or None, why)."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(1024)
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        return None, f"{type(error).__name__}: {error}"[:300]


class Senders:
    def __init__(
        self,
        db,
        policy: core.RetryPolicy,
        *,
        agencies: tuple[str, ...] | None,
        interval: float,
        concurrency: int,
        timeout: float,
        running: Callable[[], bool],
        spawn: Callable[[Callable[[], None], str], object],
    ) -> None:
        self.db, self.policy, self.agencies = db, policy, agencies
        self.interval, self.concurrency, self.timeout = interval, concurrency, timeout
        self.running = running
        # The container's managed threads: they end with the container that started them.
        self.spawn = spawn
        self.feeds = Aggregates(db.feeds)
        self.endpoints: dict[str, dict] = {}
        self.wakes: dict[str, threading.Event] = {}
        self.changed = threading.Event()

    def wake(self, endpoint_id: str | None, agency: str | None = None) -> None:
        """An event was queued for the endpoint (None: the endpoints changed)."""
        if endpoint_id in self.wakes:
            self.wakes[endpoint_id].set()
        elif endpoint_id is None or not self.agencies or agency in self.agencies:
            self.changed.set()  # an endpoint this process sends to and has not met yet

    # the endpoints' threads
    def run(self) -> None:
        gauges_at = 0.0
        while self.running():
            try:
                self._refresh()
                if time.monotonic() - gauges_at >= GAUGES_EVERY:
                    self._count_feeds()
                    gauges_at = time.monotonic()
            except Exception as error:
                log.warning("agency endpoints not read: %r", error)
            self.changed.wait(ENDPOINTS_EVERY)
            self.changed.clear()

    def _refresh(self) -> None:
        query: dict = {"active": True}
        if self.agencies:
            query["agency"] = {"$in": list(self.agencies)}
        found = {doc["_id"]: doc for doc in self.db.endpoints.find(query)}
        for endpoint_id in set(self.endpoints) - set(found):
            self.endpoints.pop(endpoint_id)
            self.wakes.pop(endpoint_id).set()  # its thread sees it gone and ends
        for endpoint_id, doc in found.items():
            is_new = endpoint_id not in self.endpoints
            self.endpoints[endpoint_id] = doc  # a rotated secret is used from now on
            if is_new:
                self.wakes[endpoint_id] = threading.Event()
                self.spawn(lambda e=endpoint_id: self._serve(e), f"hooks-{endpoint_id}")

    def _count_feeds(self) -> None:
        rows = self.db.feeds.aggregate(
            [
                {"$match": {"status": {"$in": ["pending", "sending", "parked"]}}},
                {
                    "$group": {
                        "_id": {"agency": "$agency", "parked": {"$eq": ["$status", "parked"]}},
                        "n": {"$sum": 1},
                    }
                },
            ]
        )
        FEEDS.clear()
        # Each endpoint's agency reads 0 open and 0 parked rather than nothing, and its
        # delivery results exist at 0: an alert on their increase sees the first one.
        for doc in self.endpoints.values():
            for status in ("open", "parked"):
                FEEDS.labels(doc["agency"], status).set(0)
            for result in ("delivered", "retry", "parked"):
                DELIVERIES.labels(doc["agency"], result)
        for row in rows:
            status = "parked" if row["_id"]["parked"] else "open"
            FEEDS.labels(row["_id"]["agency"], status).inc(row["n"])

    def _serve(self, endpoint_id: str) -> None:
        pool = GreenPool(self.concurrency)
        while self.running() and endpoint_id in self.endpoints:
            wake = self.wakes.get(endpoint_id)
            try:
                due = self._due(endpoint_id, datetime.now(UTC))
                for _ in pool.imap(lambda key: self._drain(endpoint_id, key), due):
                    pass
            except Exception as error:
                log.warning("endpoint %s: sending failed: %r", endpoint_id, error)
                due = []
            if not due and wake is not None:
                wake.wait(self.interval)
                wake.clear()

    def _due(self, endpoint_id: str, now: datetime) -> list[str]:
        query = {"endpoint": endpoint_id, "open": True, "due_at": {"$lte": now}}
        return [doc["_id"] for doc in self.db.feeds.find(query, {"_id": 1}).limit(50)]

    # one feed
    def _drain(self, endpoint_id: str, key: str, most: int = 100) -> None:
        """Sends the feed's events one after another while its endpoint takes them."""
        doc = self.feeds.get(key)
        if doc is None:
            return
        now = datetime.now(UTC)
        claim = core.claimed(doc, now, self.policy)
        if claim is None:
            return
        try:
            doc = self.feeds.change_read(doc, lambda _: Change(claim))
        except ConcurrentUpdate:
            return  # another sender took it, or an event was queued: next look
        for _ in range(most):
            endpoint = self.endpoints.get(endpoint_id)
            if endpoint is None or doc["status"] != "sending" or not doc["queue"]:
                return
            if not self._send_head(endpoint, doc):  # failed: the feed waits to retry
                return

    def _send_head(self, endpoint: dict, doc: dict) -> bool:
        head = doc["queue"][0]
        status, error = post(
            endpoint["url"],
            head["body"].encode(),
            core.request_headers(endpoint["secret"], head, datetime.now(UTC)),
            self.timeout,
        )
        now = datetime.now(UTC)
        agency = endpoint["agency"]
        if error is None:
            self._log(doc, head, now, {"status": "delivered", "delivered_at": now}, status)
            saved = self._save(
                doc, lambda feed: core.head_delivered(feed, head["event_id"], now, self.policy)
            )
            DELIVERIES.labels(agency, "delivered").inc()
            occurred = datetime.fromisoformat(head["occurred_at"])
            DELAY.labels(agency).observe(max((now - occurred).total_seconds(), 0.0))
            doc.clear()
            doc.update(saved)
            return True
        saved = self._save(doc, lambda feed: core.head_failed(feed, error, now, self.policy))
        if saved["status"] == "parked":
            log.warning("endpoint %s: %s parked after %s", endpoint["_id"], doc["ticket"], error)
            for queued in saved["queue"]:
                self._log(saved, queued, now, {"status": "parked"}, None)
            DELIVERIES.labels(agency, "parked").inc()
        else:
            fields = {"status": "retrying", "last_error": error}
            self._log(saved, head, now, fields, status)
            DELIVERIES.labels(agency, "retry").inc()
        return False

    def _save(self, doc: dict, decide: Callable[[dict], dict]) -> dict:
        """The outcome on the feed as claimed (one command), or on what is there now when
        an event was queued meanwhile."""
        try:
            return self.feeds.change_read(doc, lambda feed: Change(decide(feed)))
        except ConcurrentUpdate:
            self.feeds.change(doc["_id"], lambda feed: Change(decide(feed)))
            return self.feeds.get(doc["_id"])

    def _log(self, feed: dict, item: dict, now: datetime, changes: dict, http: int | None):
        """The delivery log's entry for one event at one endpoint, written whole if the
        queueing worker died before it wrote it."""
        attempted = changes["status"] != "parked"
        if attempted:
            changes = {**changes, "last_status": http, "last_attempt_at": now}
        update: dict = {
            "$set": changes,
            "$setOnInsert": {
                "endpoint": feed["endpoint"],
                "agency": feed["agency"],
                "ticket": feed["ticket"],
                "event_id": item["event_id"],
                "type": item["type"],
                "seq": item["seq"],
                "body": item["body"],
                "occurred_at": item["occurred_at"],
                "enqueued_at": item["enqueued_at"],
            },
        }
        if attempted:
            update["$inc"] = {"attempts": 1}
        key = core.delivery_key(feed["endpoint"], item["event_id"])
        self.db.deliveries.update_one({"_id": key}, update, upsert=True)
