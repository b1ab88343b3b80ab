"""The live check of issue 15 (item 7): a real Prometheus (Debian's binary) scrapes the
running stack with deploy/prometheus/prometheus.yml's jobs, complaints go through
(received, forwarded to an agency whose system gets its webhook, SLA warning, stage
target and breach timers fired), every query of every dashboard returns series, and
AduanServiceDown fires when a service is stopped and resolves when it is back.

The rules are evaluated every second as a copy with every `for:` at 0s, on targets
scraped every 2 s (tests/support/prometheus.py). Without RabbitMQ's Prometheus
plugin (scripts/test enables it), the queries of RabbitMQ's metrics are left out and
the test says so."""

import time
import warnings

import pytest

from tests.support.agency_receiver import AgencyReceiver
from tests.support.api import Api, complaint
from tests.support.clock import bring_timer_forward
from tests.support.processes import wait_for
from tests.support.prometheus import (
    Prometheus,
    dashboard_queries,
    live_config,
    live_rules,
    rabbitmq_plugin_up,
)

pytestmark = pytest.mark.e2e

STOPPED = "social"  # the service stopped for the alert: an adapter nobody else waits on
HOOKS = "/api/v1/agency-hooks"


@pytest.fixture(scope="module")
def prometheus(stack, tmp_path_factory, log_dir):
    directory = tmp_path_factory.mktemp("prometheus")
    with_rabbitmq = rabbitmq_plugin_up()
    if not with_rabbitmq:
        warnings.warn(
            "RabbitMQ's Prometheus plugin is off (port 15692): queue depths not scraped "
            "(rabbitmq-plugins enable rabbitmq_prometheus)",
            stacklevel=1,
        )
    config = live_config(stack, live_rules(directory / "rules.yml"), with_rabbitmq)
    server = Prometheus(directory, config, log_dir)
    server.with_rabbitmq = with_rabbitmq
    yield server
    server.stop()


@pytest.fixture
def dpu_endpoint(stack):
    api = Api(stack.url)
    receiver = AgencyReceiver()
    body = {"agency": "dpu", "url": receiver.url}
    created = api.http.post(f"{HOOKS}/endpoints", json=body, headers=api.login("supervisor1"))
    assert created.status_code == 201, created.text
    receiver.secret = created.json()["secret"]
    yield receiver
    api.http.post(
        f"{HOOKS}/endpoints/{created.json()['id']}/remove", headers=api.login("supervisor1")
    )
    receiver.stop()


def series(prometheus: Prometheus, expr: str, timeout: float) -> list[dict]:
    return wait_for(lambda: prometheus.query(expr), timeout, f"series of {expr}", 1.0)


def fire_sla_timers(stack, prometheus: Prometheus, ticket: str) -> None:
    """Brings the complaint's warning, stage target and breach timers to now, as if the
    days had passed, until sla fired them (an event sla reads after the move, such as
    the forwarding, sets the timers again: then they are moved again)."""
    for _attempt in range(5):
        for seconds, kind in ((0.3, "warning"), (0.6, "stage_overdue"), (0.9, "breach")):
            bring_timer_forward(stack, ticket, kind, seconds)
        try:
            series(prometheus, "sum(aduan_sla_breaches_total) > 0", 10)
            return
        except TimeoutError:
            continue
    raise AssertionError(f"sla never fired the timers of {ticket}")


def test_every_dashboard_query_returns_series_while_complaints_go_through(
    stack, prometheus, dpu_endpoint
):
    api = Api(stack.url)
    wait_for(lambda: set(prometheus.targets_up().values()) == {"up"}, 30, "every target up", 0.5)
    tickets = [api.submit(complaint(title=f"Pantauan {n}")).json()["ticket"] for n in range(5)]
    forwarded = tickets[0]
    api.classify_and_forward(forwarded, "infrastruktur_fasum", ["dpu"])
    dpu_endpoint.wait_for(lambda receiver: receiver.events(forwarded), what="the forwarding")
    api.wait_for(forwarded, lambda view: view.get("deadline") is not None)
    fire_sla_timers(stack, prometheus, forwarded)

    # Complaints in, through review, to the agency's system.
    received = series(prometheus, "sum(aduan_complaints_received_total) >= 5", 30)
    assert float(received[0]["value"][1]) >= 5
    series(prometheus, 'aduan_hook_deliveries_total{agency="dpu", result="delivered"} > 0', 30)

    queries = dashboard_queries()
    if not prometheus.with_rabbitmq:
        queries = [q for q in queries if "rabbitmq_" not in q[2]]
    empty = []
    deadline = time.monotonic() + 45
    pending = list(queries)
    while pending and time.monotonic() < deadline:
        pending = [q for q in pending if not prometheus.query(q[2])]
        if pending:
            time.sleep(1)
    empty = [f"{file}: {title}: {expr}" for file, title, expr in pending]
    assert empty == [], "dashboard queries without series:\n" + "\n".join(empty)


def test_a_stopped_service_fires_service_down_and_its_return_resolves_it(stack, prometheus):
    def down_alerts() -> list[dict]:  # of the stopped service only: on a loaded machine
        # another target may miss a 2 s scrape now and then
        return [
            a for a in prometheus.alerts("AduanServiceDown") if a["labels"]["service"] == STOPPED
        ]

    wait_for(lambda: prometheus.targets_up().get(STOPPED) == "up", 30, f"{STOPPED} up", 0.5)
    wait_for(lambda: down_alerts() == [], 30, f"no AduanServiceDown for {STOPPED}", 0.5)
    stack.kill(STOPPED)
    try:
        [alert] = wait_for(
            lambda: [a for a in down_alerts() if a["state"] == "firing"],
            30,
            "AduanServiceDown firing",
            0.5,
        )
        assert alert["labels"]["job"] == "aduan-services"
        assert alert["annotations"]["runbook_url"] == "docs/runbook.md#aduanservicedown"
    finally:
        stack.start(STOPPED)
        stack.wait_service(STOPPED)
    wait_for(lambda: down_alerts() == [], 60, "AduanServiceDown resolved", 0.5)
    assert prometheus.query(f'up{{service="{STOPPED}"}} == 1')
