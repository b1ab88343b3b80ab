"""The dependency provider each service's store derives from.

It owns the service's MongoDB database, declares the event bus, relays the events a
worker saved as soon as the worker ends, and sweeps outboxes for events a crash left
behind. Subclasses name their aggregate collections and expose domain verbs.
"""

import logging
import os
import time
from datetime import UTC, datetime

import eventlet
from nameko.extensions import DependencyProvider
from pymongo import MongoClient, monitoring
from pymongo.database import Database

from services.chassis import history_store, metrics, termination, topology
from services.chassis.aggregates import Aggregates
from services.chassis.config import Settings
from services.chassis.publisher import EventPublisher
from services.chassis.relay import Relay

log = logging.getLogger(__name__)

# Published outboxes are emptied in batches this often; well within Aggregates'
# fresh_lease, so the sweep never takes them for unpublished.
CLEAR_INTERVAL = 0.1
# Counting the backlog costs a query; the gauge does not need it every sweep.
BACKLOG_EVERY_SECONDS = 10.0
# How often each instance looks whether the day's history anchor is due.
ANCHOR_CHECK_SECONDS = float(os.environ.get("ADUAN_ANCHOR_CHECK_SECONDS", "300"))


class SlowCommandLog(monitoring.CommandListener):
    """Logs MongoDB commands slower than a threshold (ADUAN_MONGO_SLOW_MS)."""

    def __init__(self, threshold_ms: int) -> None:
        self.threshold_us = threshold_ms * 1000
        self.commands: dict[int, str] = {}

    def started(self, event) -> None:
        if event.command_name in (
            "find",
            "insert",
            "update",
            "delete",
            "findAndModify",
            "aggregate",
            "count",
        ):
            self.commands[event.request_id] = repr(event.command)[:300]

    def succeeded(self, event) -> None:
        command = self.commands.pop(event.request_id, None)
        if command and event.duration_micros > self.threshold_us:
            log.warning("slow MongoDB command (%d ms): %s", event.duration_micros // 1000, command)

    def failed(self, event) -> None:
        self.commands.pop(event.request_id, None)


def connect(settings: Settings) -> MongoClient:
    listeners: list[monitoring.CommandListener] = [metrics.CommandCounter(settings.service)]
    if settings.mongo_slow_ms:
        listeners.append(SlowCommandLog(settings.mongo_slow_ms))
    return MongoClient(
        settings.mongo_uri,
        event_listeners=listeners,
        connect=False,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        w=settings.write_concern,
        journal=True,
    )


class MongoStore(DependencyProvider):
    aggregate_collections: tuple[str, ...] = ()
    # Aggregate collections whose documents keep a hash-chained history, and its field
    # (services/chassis/history_chain.py; aduan-admin verify-history checks them).
    chained_histories: dict[str, str] = {}

    def setup(self) -> None:
        termination.watch()
        self.settings = Settings.from_env(self.container.service_name)
        # Kept apart from `client`, a name subclasses reuse (the LAPOR! bridge's HTTP client).
        self.client = self._mongo = connect(self.settings)
        self.db: Database = self.client[self.settings.database]
        self.relay = Relay(EventPublisher(self.settings.amqp_uri), defer_clearing=True)
        self.to_relay: dict = {}
        self.running = True

    def start(self) -> None:
        self._until_ready(lambda: topology.declare(self.settings.amqp_uri), "RabbitMQ")
        self._until_ready(self._create_indexes, "MongoDB")
        self._until_ready(self.migrate, "MongoDB and RabbitMQ (migration)")
        self.container.spawn_managed_thread(self._sweep_forever, identifier="outbox-sweep")
        self.container.spawn_managed_thread(self._clear_forever, identifier="outbox-clear")
        if self.chained_histories:
            chained = self.chained_histories
            self._until_ready(
                lambda: history_store.seal_unchained(self.db, chained), "MongoDB (history chains)"
            )
            self.container.spawn_managed_thread(self._anchor_forever, identifier="history-anchor")

    def stop(self) -> None:
        self.running = False
        self._clear_published()

    def kill(self) -> None:
        self.running = False

    def close(self) -> None:
        """Called by AduanContainer once no thread of the container runs (the sweeps may
        still use the client after stop): a container the supervisor replaces must not
        leave its pool and monitors behind."""
        self._mongo.close()

    def _until_ready(self, action, what: str) -> None:
        for attempt in range(60):
            try:
                action()
                return
            except Exception as error:
                log.warning("%s not ready (%r); retry %d", what, error, attempt + 1)
                eventlet.sleep(1)
            if termination.requested():
                log.warning("asked to stop while waiting for %s: stopping", what)
                os._exit(0)
        action()

    def _create_indexes(self) -> None:
        for aggregates in self.aggregates():
            aggregates.ensure_indexes()
        self.ensure_indexes()

    def ensure_indexes(self) -> None:
        """Subclasses create the indexes their queries need."""

    def migrate(self) -> None:
        """Subclasses remove what older versions stored and this one may not keep. Run at
        every start-up, after the bus and the indexes: idempotent, and cheap when there
        is nothing left to remove."""

    def aggregates(self, to_relay: list | None = None) -> list[Aggregates]:
        return [
            Aggregates(self.db[name], to_relay, self.chained_histories.get(name))
            for name in self.aggregate_collections
        ]

    def get_dependency(self, worker_ctx):
        to_relay: list = []
        self.to_relay[worker_ctx] = to_relay
        return self.domain(to_relay)

    def domain(self, to_relay: list):
        """Subclasses return the object with the service's domain verbs."""
        raise TypeError(f"{type(self).__name__} must define domain()")

    def worker_teardown(self, worker_ctx) -> None:
        for unpublished in self.to_relay.pop(worker_ctx, ()):
            try:
                sent = self.relay.relay(unpublished)
                metrics.EVENTS_RELAYED.labels(self.settings.service).inc(sent)
            except Exception as error:
                # The sweep publishes it later; the state change itself is saved.
                log.warning("relay of %s deferred to the sweep: %r", unpublished.key, error)

    def _clear_forever(self) -> None:
        """Empties published outboxes in batches: one command for every aggregate whose
        events went out in the last CLEAR_INTERVAL, instead of one update each."""
        while self.running:
            eventlet.sleep(CLEAR_INTERVAL)
            self._clear_published()

    def _clear_published(self) -> None:
        try:
            self.relay.clear_published()
        except Exception as error:
            log.warning("clearing published outboxes deferred: %r", error)

    def _anchor_forever(self) -> None:
        """Records the daily anchor of the histories (services/chassis/history_store.py)
        once it is due; every instance checks, the first records it."""
        while self.running:
            try:
                made = history_store.record_anchor(
                    self.db, self.settings.service, self.chained_histories, datetime.now(UTC)
                )
                if made is not None:
                    log.info("history anchor of %s recorded: %s", made["_id"], made["anchor"])
            except Exception as error:
                log.warning("history anchor deferred: %r", error)
            eventlet.sleep(ANCHOR_CHECK_SECONDS)

    def _sweep_forever(self) -> None:
        last_count = 0.0
        while self.running:
            eventlet.sleep(self.settings.relay_interval)
            try:
                stores = self.aggregates()
                sent = self.relay.sweep(stores, datetime.now(UTC))
                metrics.EVENTS_RELAYED.labels(self.settings.service).inc(sent)
                if time.monotonic() - last_count >= BACKLOG_EVERY_SECONDS:
                    backlog = sum(store.backlog() for store in stores)
                    metrics.OUTBOX_BACKLOG.labels(self.settings.service).set(backlog)
                    last_count = time.monotonic()
            except Exception as error:
                log.warning("outbox sweep failed: %r", error)
