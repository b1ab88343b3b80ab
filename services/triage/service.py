"""triage's entrypoints: open a review per complaint; officers classify or reject."""

from datetime import UTC, datetime

from nameko.rpc import rpc
from prometheus_client import Counter

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.triage import core
from services.triage.store import TriageStore

SUGGESTIONS = Counter(
    "aduan_triage_suggestions_total",
    "Officers' final classifications against triage's suggestion, per field",
    ["field", "outcome"],
)


class TriageService:
    name = "triage"

    reviews = TriageStore()
    metrics = ServiceMetrics()

    @subscribe(EventType.COMPLAINT_RECEIVED)
    def on_received(self, event: Envelope) -> None:
        self.reviews.open_review(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_RETURNED)
    def on_returned(self, event: Envelope) -> None:
        self.reviews.agency_returned(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_REOPENED)
    def on_reopened(self, event: Envelope) -> None:
        self.reviews.reopened(event, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def classify(self, ticket: str, body: dict, officer: str) -> dict:
        decision = core.parse_classification(body)
        now = datetime.now(UTC)
        decided = self.reviews.decide(
            ticket, lambda review: core.classify(review, decision, officer, now), now
        )
        for field, kept in (decided.get("agreed") or {}).items():
            SUGGESTIONS.labels(field, "agreed" if kept else "changed").inc()
        return decided

    @rpc(expected_exceptions=CommandRejected)
    def link(self, ticket: str, body: dict, officer: str) -> dict:
        primary = core.parse_link(body, ticket)
        return self.reviews.link(ticket, primary, officer, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def unlink(self, ticket: str, officer: str) -> dict:
        return self.reviews.unlink(ticket, officer, datetime.now(UTC))

    @rpc
    def review(self, ticket: str) -> dict | None:
        return self.reviews.review(ticket)

    @rpc
    def routing_table(self) -> dict:
        return self.reviews.routing_table()

    @rpc(expected_exceptions=CommandRejected)
    def replace_routing_table(self, body: dict, by: str) -> dict:
        return self.reviews.replace_routing_table(body, by, datetime.now(UTC))

    @rpc
    def auto_reject(self) -> dict:
        return self.reviews.auto_reject()

    @rpc(expected_exceptions=CommandRejected)
    def replace_auto_reject(self, body: dict, by: str) -> dict:
        return self.reviews.replace_auto_reject(body, by, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def reject(self, ticket: str, body: dict, officer: str) -> dict:
        decision = core.parse_rejection(body)
        now = datetime.now(UTC)
        return self.reviews.decide(
            ticket, lambda review: core.reject(review, decision, officer, now), now
        )
