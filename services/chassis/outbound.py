"""Notices a channel adapter delivers to its provider, each exactly once in effect.

A delivery is an aggregate keyed by the notice id, so a redelivered notice is enqueued
once. A sender thread takes due deliveries (a lease, version-checked), hands each to
the adapter's provider with the notice id as the provider's reference, and records the
outcome: delivered, or retried with growing delays, or failed for good after
ADUAN_DELIVERY_MAX_ATTEMPTS (or at once when the provider refuses the message). Both
ends are announced to intake (reporter.delivery), which keeps the reporter's record.
"""

import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Protocol

from eventlet.greenpool import GreenPool
from prometheus_client import Counter, Gauge
from pymongo.errors import DuplicateKeyError

from services.chassis import metrics
from services.chassis.aggregates import Aggregates, Change, ConcurrentUpdate
from services.chassis.domain import to_change
from services.chassis.http import DeliveryFailed
from services.chassis.store import MongoStore
from services.contracts.events import EventType

log = logging.getLogger(__name__)

DELIVERIES = Counter(
    "aduan_deliveries_total",
    "Delivery attempts to a channel provider, by result (delivered, retry, failed)",
    ["service", "result"],
)
PENDING = Gauge(
    "aduan_deliveries_pending",
    "Notices not yet delivered to the channel's provider (waiting or being retried)",
    ["service"],
)
# Counting the pending deliveries costs a query; the gauge does not need it every sweep.
PENDING_EVERY_SECONDS = 10.0
DELIVERY_RESULTS = ("delivered", "retry", "failed")


def initialise_delivery_series(service: str) -> None:
    """Every result's series exists from the start at 0, so a rate of failures reads 0
    (not "no data") and an alert on its increase sees the first failure."""
    for result in DELIVERY_RESULTS:
        DELIVERIES.labels(service, result)


class Provider(Protocol):
    def send(self, delivery: dict) -> str:
        """Hands one message to the provider; returns the provider's id for it.
        Raises DeliveryFailed."""


def backoff(attempts: int, base_seconds: float, cap_seconds: float = 300.0) -> timedelta:
    return timedelta(seconds=min(base_seconds * 2 ** (attempts - 1), cap_seconds))


class Deliveries:
    """Domain verbs over an adapter's deliveries collection."""

    def __init__(
        self,
        aggregates: Aggregates,
        max_attempts: int,
        retry_base: float,
        on_enqueued: Callable[[], None] = lambda: None,
        announce: bool = True,
    ) -> None:
        self.aggregates = aggregates
        # Whether outcomes go to intake as reporter.delivery: a reporter's notice only.
        self.announce = announce
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.on_enqueued = on_enqueued

    def enqueue(self, ticket: str, notice_id: str, about: str, to: dict, text: str, now) -> bool:
        """False when this notice was enqueued before (a redelivered event)."""
        state = {
            "ticket": ticket,
            "about": about,
            "to": to,
            "text": text,
            "status": "pending",
            "open": True,
            "due_at": now,
            "attempts": 0,
            "created_at": now,
            "log": [],
        }
        try:
            self.aggregates.create(notice_id, to_change(ticket, (state, []), now))
        except DuplicateKeyError:
            return False
        self.on_enqueued()
        return True

    def due(self, now: datetime, limit: int = 50) -> list[str]:
        return [key for keys in self.due_by_ticket(now, limit) for key in keys]

    def due_by_ticket(self, now: datetime, limit: int = 50) -> list[list[str]]:
        """Due deliveries, one list per ticket in the order they were enqueued: tickets
        may be sent side by side, a ticket's notices one after another (a reporter reads
        the receipt before the answer)."""
        query = {"open": True, "due_at": {"$lte": now}}
        fields = {"_id": 1, "ticket": 1, "created_at": 1}
        found = sorted(
            self.aggregates.collection.find(query, fields).limit(limit),
            key=lambda doc: doc["created_at"],
        )
        by_ticket: dict[str, list[str]] = {}
        for doc in found:
            # A notice without a ticket (an answer to a message that never became a
            # complaint) is a group of its own.
            by_ticket.setdefault(doc["ticket"] or f"\0{doc['_id']}", []).append(doc["_id"])
        return list(by_ticket.values())

    def claim(self, key: str, now: datetime, lease: timedelta) -> dict | None:
        """The delivery, leased to this sender; None when another sender holds it."""

        def decide(state):
            if state is None or not state["open"] or _utc(state["due_at"]) > now:
                return None
            leased = {"status": "sending", "due_at": now + lease}
            return to_change(state["ticket"], (leased, []), now)

        doc = self.aggregates.get(key)
        if doc is None:
            return None
        try:  # two commands: the read above, and the lease at the version read
            return self.aggregates.change_read(doc, decide)
        except ConcurrentUpdate:
            return None

    def delivered(self, delivery: dict, provider_ref: str, now: datetime) -> None:
        attempts = delivery["attempts"] + 1
        state = {
            "status": "delivered",
            "open": False,
            "attempts": attempts,
            "provider_ref": provider_ref,
            "delivered_at": now,
            "log": [*delivery["log"], {"at": now, "result": "delivered"}],
        }
        self._finish(delivery, state, "delivered", now)

    def attempt_failed(self, delivery: dict, error: DeliveryFailed, now: datetime) -> str:
        attempts = delivery["attempts"] + 1
        log_entry = {"at": now, "result": "failed", "error": str(error)[:300]}
        state = {"attempts": attempts, "log": [*delivery["log"], log_entry]}
        if error.permanent or attempts >= self.max_attempts:
            state |= {"status": "failed", "open": False}
            self._finish(delivery, state, "failed", now, str(error)[:300])
            return "failed"
        state |= {"status": "pending", "due_at": now + backoff(attempts, self.retry_base)}
        self._save(delivery, state, [], now)
        return "retry"

    def for_ticket(self, ticket: str) -> list[dict]:
        found = self.aggregates.collection.find({"ticket": ticket}).sort("created_at", 1)
        return [_public(doc) for doc in found]

    def _finish(self, delivery, state: dict, status: str, now, error: str | None = None):
        # An answer to a message that never became a complaint, or a notice to staff.
        if not delivery["ticket"] or not self.announce:
            self._save(delivery, state, [], now)
            return
        report = {
            "notice_id": delivery["_id"],
            "status": status,
            "attempts": state["attempts"],
            "at": now.isoformat(),
        }
        if error:
            report["error"] = error
        self._save(delivery, state, [(EventType.NOTICE_DELIVERY, report)], now)

    def _save(self, delivery: dict, state: dict, events: list, now: datetime) -> None:
        """Records an attempt's outcome on the delivery as claimed: one command, unless
        the delivery changed since (its lease ran out during a slow send and another
        sender took it), when the outcome is recorded on what is there now."""
        ticket = delivery["ticket"]

        def decide(_) -> Change:
            return to_change(ticket, (state, events), now)

        try:
            self.aggregates.change_read(delivery, decide)
        except ConcurrentUpdate:
            self.aggregates.change(delivery["_id"], decide)


def _public(doc: dict) -> dict:
    fields = ("ticket", "about", "to", "text", "status", "attempts", "provider_ref")
    found = {k: doc.get(k) for k in fields}
    found["id"] = doc["_id"]
    found["created_at"] = doc["created_at"].isoformat()
    if doc.get("delivered_at"):
        found["delivered_at"] = doc["delivered_at"].isoformat()
    return found


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AdapterStore(MongoStore):
    """The store of a channel adapter: its deliveries, and the thread that sends them.

    Subclasses give `make_provider` (from the environment) and may add collections.

    | variable | default | meaning |
    |---|---|---|
    | ADUAN_DELIVERY_INTERVAL | 5.0 | seconds between looks for due deliveries (retries, and
      notices another process enqueued and could not send); a notice this process
      enqueues is sent at once |
    | ADUAN_DELIVERY_RETRY_BASE | 5.0 | first retry delay in seconds; doubles, at most 300 |
    | ADUAN_DELIVERY_MAX_ATTEMPTS | 20 | tries before a delivery is recorded as failed |
    | ADUAN_DELIVERY_LEASE | 60 | seconds a sender holds a delivery; a crashed sender's
      deliveries are taken over after it |
    | ADUAN_DELIVERY_CONCURRENCY | 8 | deliveries of different tickets sent at once (a
      provider answers each request in tens of milliseconds; one at a time, a burst of
      200 SMS left receipts waiting up to 17 s) |
    """

    aggregate_collections = ("deliveries",)
    # Reporters' notices are announced to intake; a store of staff notices says False.
    announces_deliveries = True

    def make_provider(self, env: dict) -> Provider:
        raise TypeError(f"{type(self).__name__} must define make_provider()")

    def setup(self) -> None:
        super().setup()
        env = os.environ
        self.delivery_interval = float(env.get("ADUAN_DELIVERY_INTERVAL", "5.0"))
        self.retry_base = float(env.get("ADUAN_DELIVERY_RETRY_BASE", "5.0"))
        self.max_delivery_attempts = int(env.get("ADUAN_DELIVERY_MAX_ATTEMPTS", "20"))
        self.lease = timedelta(seconds=float(env.get("ADUAN_DELIVERY_LEASE", "60")))
        self.send_concurrency = max(1, int(env.get("ADUAN_DELIVERY_CONCURRENCY", "8")))
        self.provider = self.make_provider(dict(env))
        # Set when this process enqueues a notice: the sender wakes for it at once rather
        # than at its next look (a green Event under the services' eventlet).
        self.enqueued = threading.Event()

    def start(self) -> None:
        super().start()
        initialise_delivery_series(self.settings.service)
        self.container.spawn_managed_thread(self._send_forever, identifier="deliveries")

    def ensure_indexes(self) -> None:
        self.db.deliveries.create_index([("open", 1), ("due_at", 1)])
        self.db.deliveries.create_index("ticket")

    def deliveries(self, to_relay: list) -> Deliveries:
        aggregates = Aggregates(self.db.deliveries, to_relay)
        return Deliveries(
            aggregates,
            self.max_delivery_attempts,
            self.retry_base,
            self.enqueued.set,
            self.announces_deliveries,
        )

    def _send_forever(self) -> None:
        counted_at = 0.0
        while self.running:
            self.enqueued.wait(self.delivery_interval)
            self.enqueued.clear()
            try:
                self.send_due(datetime.now(UTC))
                if time.monotonic() - counted_at >= PENDING_EVERY_SECONDS:
                    pending = self.db.deliveries.count_documents({"open": True})
                    PENDING.labels(self.settings.service).set(pending)
                    counted_at = time.monotonic()
            except Exception as error:
                log.warning("delivery sweep failed: %r", error)

    def send_due(self, now: datetime) -> None:
        to_relay: list = []
        deliveries = self.deliveries(to_relay)

        def send_in_order(keys: list[str]) -> None:
            for key in keys:
                delivery = deliveries.claim(key, now, self.lease)
                if delivery is not None:
                    self._send_one(deliveries, delivery)

        # Green threads under the services' eventlet (each waits on its provider's answer
        # and on MongoDB while the others go on); without eventlet, one after another.
        pool = GreenPool(self.send_concurrency)
        for _ in pool.imap(send_in_order, deliveries.due_by_ticket(now)):
            pass
        for unpublished in to_relay:
            with suppress(Exception):  # the outbox sweep publishes what this could not
                self.relay.relay(unpublished)
                metrics.EVENTS_RELAYED.labels(self.settings.service).inc()

    def _send_one(self, deliveries: Deliveries, delivery: dict) -> None:
        service = self.settings.service
        try:
            provider_ref = self.provider.send(delivery)
        except DeliveryFailed as error:
            result = deliveries.attempt_failed(delivery, error, datetime.now(UTC))
            log.warning("%s: delivery %s: %s (%s)", service, delivery["_id"], error, result)
            DELIVERIES.labels(service, result).inc()
            return
        deliveries.delivered(delivery, provider_ref, datetime.now(UTC))
        DELIVERIES.labels(service, "delivered").inc()
