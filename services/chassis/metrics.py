"""Prometheus metrics every service exports, and the provider that serves and records them."""

import time

from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Gauge, Histogram, start_http_server
from pymongo import monitoring

from services.chassis.config import Settings

EVENTS_HANDLED = Counter(
    "aduan_events_handled_total", "Events handled successfully", ["service", "event_type"]
)
EVENTS_FAILED = Counter(
    "aduan_events_failed_total", "Event handler runs that raised", ["service", "event_type"]
)
EVENTS_PARKED = Counter(
    "aduan_events_parked_total", "Events moved to a dead-letter queue", ["service", "event_type"]
)
WORKER_SECONDS = Histogram(
    "aduan_worker_seconds",
    "Time to run one entrypoint (event handler or RPC method)",
    ["service", "entrypoint", "outcome"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge(
    "aduan_outbox_backlog", "Aggregates with events not yet confirmed by RabbitMQ", ["service"]
)
EVENTS_RELAYED = Counter(
    "aduan_events_relayed_total", "Events published from an outbox", ["service"]
)
SERVICE_RESTARTS = Counter(
    "aduan_service_restarts_total",
    "Service containers started again in the same process after one ended",
    ["service"],
)

MONGO_COMMANDS = Counter(
    "aduan_mongo_commands_total",
    "MongoDB commands sent, by collection and command (what a complaint costs)",
    ["service", "collection", "command"],
)
# The commands that touch data; handshakes, pings and index builds are not counted.
DATA_COMMANDS = frozenset(
    {"find", "getMore", "insert", "update", "delete", "findAndModify", "aggregate", "count"}
)


class CommandCounter(monitoring.CommandListener):
    """Counts every data command a service sends, by collection: the benchmarks read it
    to print MongoDB operations per complaint, and operators see the rates."""

    def __init__(self, service: str) -> None:
        self.service = service

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name = event.command_name
        if name in DATA_COMMANDS:
            collection = event.command.get(name) if name != "getMore" else None
            if not isinstance(collection, str):
                collection = event.command.get("collection", "")
            MONGO_COMMANDS.labels(self.service, str(collection), name).inc()

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


def initialise_event_series(service: str, event_type: str) -> None:
    """A consumer's handled, failed and parked series exist from its start at 0: a panel
    of failures reads 0 rather than "no data", and increase() sees the first one."""
    for counter in (EVENTS_HANDLED, EVENTS_FAILED, EVENTS_PARKED):
        counter.labels(service, event_type)


def entrypoint_label(worker_ctx) -> str:
    entrypoint = worker_ctx.entrypoint
    event_type = getattr(entrypoint, "event_type", None)
    return str(event_type) if event_type else f"rpc.{entrypoint.method_name}"


_serving: set[tuple[str, int]] = set()


def serve(port: int, addr: str) -> None:
    """Starts the /metrics server once per process: it outlives a container that the
    supervisor replaces, and its port cannot be bound twice."""
    if (addr, port) not in _serving:
        start_http_server(port, addr=addr)
        _serving.add((addr, port))


class ServiceMetrics(DependencyProvider):
    """Serves /metrics for the service and times every worker."""

    def setup(self) -> None:
        self.settings = Settings.from_env(self.container.service_name)
        self.started: dict = {}

    def start(self) -> None:
        if self.settings.metrics_port:
            serve(self.settings.metrics_port, self.settings.metrics_addr)

    def worker_setup(self, worker_ctx) -> None:
        self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        started = self.started.pop(worker_ctx, None)
        if started is None:
            return
        outcome = "ok" if exc_info is None else type(exc_info[1]).__name__
        WORKER_SECONDS.labels(
            self.container.service_name, entrypoint_label(worker_ctx), outcome
        ).observe(time.perf_counter() - started)

    def get_dependency(self, worker_ctx):
        return None
