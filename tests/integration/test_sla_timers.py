"""SLA timers against real RabbitMQ and MongoDB: never missed, never doubled."""

import time

import pytest

from tests.support.api import Api
from tests.support.clock import bring_timer_forward
from tests.support.processes import free_port, wait_for

pytestmark = pytest.mark.integration


def bring_warning_forward(stack, ticket: str, seconds: float) -> str:
    return bring_timer_forward(stack, ticket, "warning", seconds)


def warnings_seen(stack, ticket: str) -> int:
    view = stack.database("reporting").views.find_one({"_id": ticket}) or {"events": []}
    return [e["type"] for e in view["events"]].count("sla.warning")


def new_complaint(stack) -> str:
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.wait_for(ticket, lambda v: v.get("deadline") is not None)
    return ticket


def test_a_warning_due_while_sla_is_down_is_published_once_after_restart(stack):
    ticket = new_complaint(stack)
    stack.kill("sla")
    key = bring_warning_forward(stack, ticket, 1)
    time.sleep(2)  # due, and nobody running to see it
    assert warnings_seen(stack, ticket) == 0
    stack.start("sla")
    stack.wait_service("sla")
    wait_for(lambda: warnings_seen(stack, ticket) == 1, 20, "the warning")
    time.sleep(2)  # further sweeps and relays change nothing
    assert warnings_seen(stack, ticket) == 1
    clock = stack.database("sla").clocks.find_one({"_id": ticket})
    assert [f["key"] for f in clock["fired"]] == [key]
    assert Api(stack.url).track(ticket).json()["sla_state"] == "due_soon"


def test_two_sla_instances_fire_each_timer_once(stack):
    stack.start("sla#2", ADUAN_METRICS_PORT_SLA=str(free_port()))
    try:
        tickets = [new_complaint(stack) for _ in range(5)]
        for ticket in tickets:
            bring_warning_forward(stack, ticket, 1.5)
        for ticket in tickets:
            wait_for(lambda t=ticket: warnings_seen(stack, t) >= 1, 20, "the warning")
        time.sleep(2)
        assert [warnings_seen(stack, ticket) for ticket in tickets] == [1] * 5
    finally:
        stack.kill("sla#2")
