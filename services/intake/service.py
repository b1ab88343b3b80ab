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
    def submit(
        self,
        channel: str,
        body: dict,
        idempotency_key: str,
        files: list[dict] | None = None,
        recorded_by: str | None = None,
    ) -> dict:
        """Records a complaint from any channel; `files` are uploads the gateway checked
        ({filename, content_type, content_b64}); `recorded_by` the desk officer."""
        submission = core.parse_submission(channel, body, recorded_by=recorded_by)
        # Checked first, so a refused complaint leaves no files behind.
        stored = self.complaints.store_attachments(idempotency_key, files or [])
        submission = core.with_attachments(submission, stored)
        return self.complaints.record(submission, idempotency_key, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def attachment(self, ticket: str, attachment_id: str) -> dict:
        return self.complaints.attachment(ticket, attachment_id)

    @rpc(expected_exceptions=CommandRejected)
    def reply(self, ticket: str, text: str, channel: str, proof: dict, reply_id: str) -> dict:
        """Further information from the reporter (proof: their phone, handle or token),
        recorded once per reply_id."""
        return self.complaints.reply(
            ticket, core.parse_reply(text), channel, proof, reply_id, datetime.now(UTC)
        )

    @rpc(expected_exceptions=CommandRejected)
    def rate(self, ticket: str, body: dict, channel: str, proof: dict, rating_id: str) -> dict:
        """The reporter rates the result (body: rating 1-5, comment); proof as for
        reply; recorded once per rating_id, and once per result."""
        rating, comment = core.parse_rating(body)
        return self.complaints.rate(
            ticket, rating, comment, channel, proof, rating_id, datetime.now(UTC)
        )

    @rpc
    def addressee(self, ticket: str) -> dict | None:
        return self.complaints.addressee(ticket)

    @rpc
    def sender(self, ticket: str, channel: str) -> str | None:
        """Who sent a complaint on a verified channel (SMS phone, social handle): asked by
        that channel's adapter when a notice overtakes its own record of the sender."""
        return self.complaints.sender(ticket, channel)

    @rpc
    def staff_notifications(self, ticket: str) -> list[dict] | None:
        return self.complaints.staff_notices(ticket)

    @rpc
    def receipt(self, ticket: str) -> dict | None:
        return self.complaints.public_receipt(ticket)

    @rpc(expected_exceptions=CommandRejected)
    def notifications(self, ticket: str, token: str) -> list[dict]:
        return self.complaints.notifications(ticket, token)

    @subscribe(EventType.COMPLAINT_RESOLVED)
    def on_resolved(self, event: Envelope) -> None:
        self.complaints.resolved(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_LINKED)
    def on_linked(self, event: Envelope) -> None:
        self.complaints.link(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_UNLINKED)
    def on_unlinked(self, event: Envelope) -> None:
        self.complaints.link(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_REJECTED)
    def on_rejected(self, event: Envelope) -> None:
        self.complaints.notify_reporter(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_FORWARDED)
    def on_forwarded(self, event: Envelope) -> None:
        self.complaints.notify_reporter(event, datetime.now(UTC))

    @subscribe(EventType.SLA_PAUSED)
    def on_paused(self, event: Envelope) -> None:
        self.complaints.notify_reporter(event, datetime.now(UTC))

    @subscribe(EventType.NOTICE_DELIVERY)
    def on_delivery(self, event: Envelope) -> None:
        self.complaints.record_delivery(event, datetime.now(UTC))
