"""The series the alerts and dashboards read exist from a process's start at 0 (a rate
of failures reads 0, not "no data", and increase() sees the first failure), and intake
counts complaints by channel."""

from prometheus_client import REGISTRY

from services.agency_hooks import sender
from services.chassis import metrics, outbound
from services.contracts.reference import Channel
from services.intake import metrics as intake_metrics


def value(name: str, **labels) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def test_a_consumer_starts_with_handled_failed_and_parked_at_zero():
    metrics.initialise_event_series("series-test", "complaint.received")
    for name in ("handled", "failed", "parked"):
        sample = value(
            f"aduan_events_{name}_total", service="series-test", event_type="complaint.received"
        )
        assert sample == 0.0, name


def test_an_adapter_starts_with_every_delivery_result_at_zero():
    outbound.initialise_delivery_series("series-test")
    for result in ("delivered", "retry", "failed"):
        assert value("aduan_deliveries_total", service="series-test", result=result) == 0.0


def test_intake_counts_complaints_by_channel_from_zero():
    for channel in Channel:
        assert value("aduan_complaints_received_total", channel=str(channel)) is not None
    before = value("aduan_complaints_received_total", channel="sms")
    intake_metrics.COMPLAINTS_RECEIVED.labels("sms").inc()
    assert value("aduan_complaints_received_total", channel="sms") == before + 1


class Feeds:
    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def aggregate(self, pipeline: list) -> list[dict]:
        return self.rows


class Db:
    def __init__(self, rows: list[dict]) -> None:
        self.feeds = Feeds(rows)


def test_every_endpoint_agency_reads_open_and_parked_feeds_even_at_zero():
    senders = object.__new__(sender.Senders)
    senders.endpoints = {"e1": {"agency": "series-dpu"}, "e2": {"agency": "series-dlh"}}
    senders.db = Db([{"_id": {"agency": "series-dpu", "parked": True}, "n": 2}])
    senders._count_feeds()
    assert value("aduan_hook_feeds", agency="series-dpu", status="parked") == 2.0
    assert value("aduan_hook_feeds", agency="series-dpu", status="open") == 0.0
    assert value("aduan_hook_feeds", agency="series-dlh", status="parked") == 0.0
    for result in ("delivered", "retry", "parked"):
        assert value("aduan_hook_deliveries_total", agency="series-dlh", result=result) == 0.0
