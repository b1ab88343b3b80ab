"""dispatch's entrypoints: the admin forwards; the agency accepts, returns or resolves."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.dispatch import core
from services.dispatch.store import DispatchStore


class DispatchService:
    name = "dispatch"

    cases = DispatchStore()
    metrics = ServiceMetrics()

    @subscribe(EventType.COMPLAINT_CLASSIFIED)
    def on_classified(self, event: Envelope) -> None:
        self.cases.classified(event, datetime.now(UTC))

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_reporter_notified(self, event: Envelope) -> None:
        self.cases.reporter_notified(event, datetime.now(UTC))

    @subscribe(EventType.REPORTER_RATED)
    def on_rated(self, event: Envelope) -> None:
        self.cases.rated(event, datetime.now(UTC))

    @subscribe(EventType.SLA_CLOSING_DUE)
    def on_closing_due(self, event: Envelope) -> None:
        self.cases.closing_due(event, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def history_anchors(self, limit: int = 30) -> list[dict]:
        """The daily anchors of the cases' histories, newest first."""
        return self.cases.history_anchors(limit)

    @rpc(expected_exceptions=CommandRejected)
    def forward(self, ticket: str, body: dict, admin: str) -> dict:
        now = datetime.now(UTC)

        def step(case):
            return core.forward(case, core.parse_forward(body, case), admin, now)

        return self.cases.act(ticket, step, now)

    @rpc(expected_exceptions=CommandRejected)
    def accept(self, ticket: str, body: dict, actor: str, agency: str) -> dict:
        core.parse_accept(body)
        return self._act(ticket, lambda case, now: core.accept(case, agency, actor, now))

    @rpc(expected_exceptions=CommandRejected)
    def return_(self, ticket: str, body: dict, actor: str, agency: str) -> dict:
        reason = core.parse_reason(body)
        return self._act(
            ticket, lambda case, now: core.return_to_officers(case, agency, reason, actor, now)
        )

    @rpc(expected_exceptions=CommandRejected)
    def resolve(self, ticket: str, body: dict, actor: str, agency: str) -> dict:
        follow_up = core.parse_follow_up(body)
        return self._act(
            ticket, lambda case, now: core.resolve(case, agency, follow_up, actor, now)
        )

    @rpc(expected_exceptions=CommandRejected)
    def close_task(self, ticket: str, task: str, body: dict, actor: str, agency: str) -> dict:
        reason = core.parse_reason(body)
        return self._act(
            ticket, lambda case, now: core.close_task(case, agency, task, reason, actor, now)
        )

    @rpc(expected_exceptions=CommandRejected)
    def reassign(self, ticket: str, task: str, body: dict, admin: str) -> dict:
        new, reason = core.parse_reassign(body)
        return self._act(
            ticket, lambda case, now: core.reassign(case, task, new, reason, admin, now)
        )

    @rpc(expected_exceptions=CommandRejected)
    def record_referral(
        self, ticket: str, institution: str, body: dict, actor: str, agency: str
    ) -> dict:
        referral = core.parse_referral(body, datetime.now(UTC))
        return self._act(
            ticket,
            lambda case, now: core.record_referral(case, agency, institution, referral, actor, now),
        )

    @rpc(expected_exceptions=CommandRejected)
    def reopen(self, ticket: str, body: dict, officer: str) -> dict:
        reason = core.parse_reason(body)
        now = datetime.now(UTC)
        return self.cases.act(ticket, lambda case: core.reopen(case, reason, officer, now), now)

    def _act(self, ticket: str, step) -> dict:
        now = datetime.now(UTC)
        return self.cases.act(ticket, lambda case: step(case, now), now)
