"""intake's entrypoints: submit and look up complaints, convey results to reporters."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.intake import core
from services.intake.store import IntakeStore


class IntakeService:
    name = "intake"

    complaints = IntakeStore()
    metrics = ServiceMetrics()

    @rpc(expected_exceptions=CommandRejected)
    def submit(self, channel: str, body: dict, idempotency_key: str) -> dict:
        submission = core.parse_submission(channel, body)
        return self.complaints.record(submission, idempotency_key, datetime.now(UTC))

    @rpc
    def receipt(self, ticket: str) -> dict | None:
        return self.complaints.public_receipt(ticket)

    @rpc(expected_exceptions=CommandRejected)
    def notifications(self, ticket: str, token: str) -> list[dict]:
        return self.complaints.notifications(ticket, token)

    @subscribe(EventType.COMPLAINT_RESOLVED)
    def on_resolved(self, event: Envelope) -> None:
        self.complaints.notify_reporter(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_REJECTED)
    def on_rejected(self, event: Envelope) -> None:
        self.complaints.notify_reporter(event, datetime.now(UTC))
