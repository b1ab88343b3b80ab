"""The dependency provider each service's store derives from.

It owns the service's MongoDB database, declares the event bus, relays the events a
worker saved as soon as the worker ends, and sweeps outboxes for events a crash left
behind. Subclasses name their aggregate collections and expose domain verbs.
"""

import logging
from datetime import UTC, datetime

import eventlet
from nameko.extensions import DependencyProvider
from pymongo import MongoClient
from pymongo.database import Database

from services.chassis import metrics, topology
from services.chassis.aggregates import Aggregates
from services.chassis.config import Settings
from services.chassis.publisher import EventPublisher
from services.chassis.relay import Relay

log = logging.getLogger(__name__)


def connect(settings: Settings) -> MongoClient:
    return MongoClient(
        settings.mongo_uri,
        connect=False,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        w=settings.write_concern,
        journal=True,
    )


class MongoStore(DependencyProvider):
    aggregate_collections: tuple[str, ...] = ()

    def setup(self) -> None:
        self.settings = Settings.from_env(self.container.service_name)
        self.client = connect(self.settings)
        self.db: Database = self.client[self.settings.database]
        self.relay = Relay(EventPublisher(self.settings.amqp_uri))
        self.touched: dict = {}
        self.running = True

    def start(self) -> None:
        self._until_ready(lambda: topology.declare(self.settings.amqp_uri), "RabbitMQ")
        self._until_ready(self._create_indexes, "MongoDB")
        self.container.spawn_managed_thread(self._sweep_forever, identifier="outbox-sweep")

    def stop(self) -> None:
        self.running = False

    def kill(self) -> None:
        self.running = False

    def _until_ready(self, action, what: str) -> None:
        for attempt in range(60):
            try:
                action()
                return
            except Exception as error:
                log.warning("%s not ready (%r); retry %d", what, error, attempt + 1)
                eventlet.sleep(1)
        action()

    def _create_indexes(self) -> None:
        for aggregates in self.aggregates():
            aggregates.ensure_indexes()
        self.ensure_indexes()

    def ensure_indexes(self) -> None:
        """Subclasses create the indexes their queries need."""

    def aggregates(self, touched: list | None = None) -> list[Aggregates]:
        return [Aggregates(self.db[name], touched) for name in self.aggregate_collections]

    def get_dependency(self, worker_ctx):
        touched: list = []
        self.touched[worker_ctx] = touched
        return self.domain(touched)

    def domain(self, touched: list):
        """Subclasses return the object with the service's domain verbs."""
        raise TypeError(f"{type(self).__name__} must define domain()")

    def worker_teardown(self, worker_ctx) -> None:
        for aggregates, key in self.touched.pop(worker_ctx, ()):
            try:
                sent = self.relay.relay(aggregates, key)
                metrics.EVENTS_RELAYED.labels(self.settings.service).inc(sent)
            except Exception as error:
                # The sweep publishes it later; the state change itself is saved.
                log.warning("relay of %s deferred to the sweep: %r", key, error)

    def _sweep_forever(self) -> None:
        while self.running:
            eventlet.sleep(self.settings.relay_interval)
            try:
                stores = self.aggregates()
                sent = self.relay.sweep(stores, datetime.now(UTC))
                metrics.EVENTS_RELAYED.labels(self.settings.service).inc(sent)
                backlog = sum(store.backlog() for store in stores)
                metrics.OUTBOX_BACKLOG.labels(self.settings.service).set(backlog)
            except Exception as error:
                log.warning("outbox sweep failed: %r", error)
