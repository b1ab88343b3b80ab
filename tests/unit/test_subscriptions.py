"""Every consumer is one of contracts.SUBSCRIPTIONS: only the table's queues are declared
with their .retry and .dead queues, and reporting never sees the channels' raw messages."""

import importlib
import inspect

import pytest
from nameko import config
from nameko.containers import ServiceContainer
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from services.chassis import topology
from services.chassis.inbox import Subscription, subscribe
from services.chassis.launch import SERVICES
from services.contracts.events import SUBSCRIPTIONS, EventType


def service_class(name: str) -> type:
    module, _, attribute = SERVICES[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def subscribed(cls: type) -> list[EventType]:
    return [
        entrypoint.event_type
        for _, method in inspect.getmembers(cls, inspect.isfunction)
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ())
        if isinstance(entrypoint, Subscription)
    ]


def test_reporting_consumes_exactly_its_row_of_the_table():
    consumed = subscribed(service_class("reporting"))
    assert sorted(consumed) == sorted(SUBSCRIPTIONS["reporting"])
    assert not [t for t in consumed if t.startswith("channel.")]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_consumes_exactly_its_row_of_the_table(name):
    assert sorted(set(subscribed(service_class(name)))) == sorted(set(SUBSCRIPTIONS[name]))


@pytest.fixture
def amqp_config():
    # Nameko reads the broker's address while binding; nothing here connects to it.
    with config.patch({"AMQP_URI": "memory://"}):
        yield


class FakeContainer:
    service_name = "reporting"


def test_a_subscription_outside_the_table_is_refused_at_setup(amqp_config):
    container = FakeContainer()  # extensions hold their container weakly
    rogue = Subscription(EventType.SMS_RECEIVED).bind(container, "on_sms")
    with pytest.raises(topology.NotSubscribed, match="reporting .* channel.sms.received"):
        rogue.setup()
    # An unknown service has no row at all.
    with pytest.raises(topology.NotSubscribed):
        topology.require_subscription("nobody", EventType.COMPLAINT_RECEIVED)
    topology.require_subscription("reporting", EventType.COMPLAINT_RECEIVED)  # in the table


class RogueReporting:
    """A reporting with a handler its row does not list, as the old one had."""

    name = "reporting"

    @subscribe(EventType.SOCIAL_RECEIVED)
    def on_social(self, event: dict) -> None:
        raise AssertionError("never called")


def test_a_container_with_a_subscription_outside_the_table_does_not_start(amqp_config):
    container = ServiceContainer(RogueReporting)
    with pytest.raises(topology.NotSubscribed, match="channel.media_sosial.received"):
        container.start()
    container.kill()
