"""Dispatch's database: one case per classified complaint."""

from collections.abc import Callable
from datetime import datetime

from services.chassis import history_store
from services.chassis.aggregates import Aggregates
from services.chassis.domain import Decided, apply_event, run_command, to_change
from services.chassis.store import MongoStore
from services.contracts.events import Envelope
from services.dispatch import core


class CaseDesk:
    def __init__(self, cases: Aggregates) -> None:
        self.cases = cases

    def classified(self, event: Envelope, now: datetime) -> None:
        ticket = event["ticket"]
        self.cases.change(
            ticket,
            lambda case: to_change(ticket, core.classified(case, event["data"], now), now),
            applying=event["event_id"],
        )

    def reporter_notified(self, event: Envelope, now: datetime) -> None:
        if not core.closes_case(event["data"]):
            return  # no case to look up: it may never have existed
        apply_event(
            self.cases, event, lambda case: core.reporter_notified(case, event["data"], now), now
        )

    def rated(self, event: Envelope, now: datetime) -> None:
        self._on_case(event, lambda case: core.rated(case, event["data"], now), now)

    def closing_due(self, event: Envelope, now: datetime) -> None:
        self._on_case(event, lambda case: core.closing_due(case, event["data"], now), now)

    def _on_case(self, event: Envelope, step, now: datetime) -> None:
        """An event about a result: a complaint without a case (one linked to another,
        whose reporter heard the other's result) has nothing to change."""
        ticket = event["ticket"]

        def decide(case: dict | None):
            decided = None if case is None else step(case)
            return None if decided is None else to_change(ticket, decided, now)

        self.cases.change(ticket, decide, applying=event["event_id"])

    def history_anchors(self, limit: int) -> list[dict]:
        db = self.cases.collection.database
        return history_store.anchors(db, history_store.anchor_limit(limit))

    def act(self, ticket: str, step: Callable[[dict], Decided], now: datetime) -> dict:
        """Runs one staff step on the case; the step raises when it is not allowed."""
        change = run_command(
            self.cases, ticket, step, now, f"complaint {ticket} has not been classified yet"
        )
        return {"ticket": ticket, "status": change.state["status"]}


class DispatchStore(MongoStore):
    aggregate_collections = ("cases",)
    chained_histories = {"cases": "history"}

    def domain(self, to_relay: list) -> CaseDesk:
        (cases,) = self.aggregates(to_relay)
        return CaseDesk(cases)
