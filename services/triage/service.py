"""triage's entrypoints: open a review per complaint; officers classify or reject."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.triage import core
from services.triage.store import TriageStore


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
        return self.reviews.decide(
            ticket, lambda review: core.classify(review, decision, officer, now), now
        )

    @rpc(expected_exceptions=CommandRejected)
    def reject(self, ticket: str, body: dict, officer: str) -> dict:
        decision = core.parse_rejection(body)
        now = datetime.now(UTC)
        return self.reviews.decide(
            ticket, lambda review: core.reject(review, decision, officer, now), now
        )
