"""sla's entrypoints: keep each complaint's clock from the lifecycle events; answer
deadline questions; supervisors edit the calendar and add policies."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.sla import calendar_edits, core
from services.sla.policy import parse_policy
from services.sla.store import SlaStore


class SlaService:
    name = "sla"

    clocks = SlaStore()
    metrics = ServiceMetrics()

    @subscribe(EventType.COMPLAINT_RECEIVED)
    def on_received(self, event: Envelope) -> None:
        self.clocks.start(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_CLASSIFIED)
    def on_classified(self, event: Envelope) -> None:
        self.clocks.rescope(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_FORWARDED)
    def on_forwarded(self, event: Envelope) -> None:
        self.clocks.enter_stage(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_ACCEPTED)
    def on_accepted(self, event: Envelope) -> None:
        self.clocks.enter_stage(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_RETURNED)
    def on_returned(self, event: Envelope) -> None:
        self.clocks.enter_stage(event, datetime.now(UTC))

    @subscribe(EventType.TASK_ACCEPTED)
    def on_task_accepted(self, event: Envelope) -> None:
        self.clocks.task_moved(event, datetime.now(UTC))

    @subscribe(EventType.TASK_RETURNED)
    def on_task_returned(self, event: Envelope) -> None:
        self.clocks.task_moved(event, datetime.now(UTC))

    @subscribe(EventType.TASK_RESOLVED)
    def on_task_resolved(self, event: Envelope) -> None:
        self.clocks.task_moved(event, datetime.now(UTC))

    @subscribe(EventType.TASK_CLOSED)
    def on_task_closed(self, event: Envelope) -> None:
        self.clocks.task_moved(event, datetime.now(UTC))

    @subscribe(EventType.TASK_REASSIGNED)
    def on_task_reassigned(self, event: Envelope) -> None:
        self.clocks.task_moved(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_REJECTED)
    def on_rejected(self, event: Envelope) -> None:
        self.clocks.stop(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_CLOSED)
    def on_closed(self, event: Envelope) -> None:
        self.clocks.stop(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_REOPENED)
    def on_reopened(self, event: Envelope) -> None:
        self.clocks.reopen(event, datetime.now(UTC))

    @subscribe(EventType.REPORTER_REPLIED)
    def on_replied(self, event: Envelope) -> None:
        """The reporter answered: a clock paused for them runs again."""
        self.clocks.reporter_replied(event, datetime.now(UTC))

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_notified(self, event: Envelope) -> None:
        """The result reached the reporter: the clock stops; the closing timer starts."""
        self.clocks.result_conveyed(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_LINKED)
    def on_linked(self, event: Envelope) -> None:
        """Handled as part of the complaint it repeats: its own clock stops."""
        self.clocks.stop(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_UNLINKED)
    def on_unlinked(self, event: Envelope) -> None:
        """Reviewed on its own again: a new cycle from today."""
        self.clocks.reopen(event, datetime.now(UTC))

    @rpc
    def summary(self, ticket: str) -> dict | None:
        return self.clocks.summary(ticket, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def history_anchors(self, limit: int = 30) -> list[dict]:
        """The daily anchors of the clocks' deadline histories, newest first."""
        return self.clocks.history_anchors(limit)

    @rpc
    def history(self, ticket: str) -> dict | None:
        return self.clocks.history(ticket, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def pause(self, ticket: str) -> dict:
        return self.clocks.pause(ticket, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def request_info(self, ticket: str, body: dict, by: str) -> dict:
        question = core.parse_question(body)
        return self.clocks.pause(ticket, datetime.now(UTC), question, by)

    @rpc(expected_exceptions=CommandRejected)
    def resume(self, ticket: str) -> dict:
        return self.clocks.resume(ticket, datetime.now(UTC))

    @rpc
    def latest_digest(self) -> dict | None:
        return self.clocks.latest_digest()

    @rpc
    def policies(self) -> list[dict]:
        return [policy.to_document() for policy in self.clocks.policies()]

    @rpc(expected_exceptions=CommandRejected)
    def policy_versions(self, policy_id: str) -> list[dict]:
        return [policy.to_document() for policy in self.clocks.policy_versions(policy_id)]

    @rpc(expected_exceptions=CommandRejected)
    def add_policy(self, body: dict, by: str) -> dict:
        policy = parse_policy(body)
        self.clocks.add_policy(policy)
        return policy.to_document()

    @rpc(expected_exceptions=CommandRejected)
    def calendar(self, year: int) -> dict:
        return self.clocks.calendar_year(calendar_edits.parse_year(year))

    @rpc
    def recompute_status(self, request_id: str) -> dict | None:
        return self.clocks.recompute_status(request_id)

    @rpc(expected_exceptions=CommandRejected)
    def change_day(self, body: dict, by: str) -> dict:
        now = datetime.now(UTC)
        change = calendar_edits.parse_change(body, now.date())
        return self.clocks.change_day(change, by, now)
