"""Dispatch's database: one case per classified complaint."""

from collections.abc import Callable
from datetime import datetime

from services.chassis.aggregates import Aggregates
from services.chassis.domain import to_change
from services.chassis.store import MongoStore
from services.contracts.errors import CommandRejected, ErrorCode
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
        ticket = event["ticket"]

        def decide(case):
            if case is None:
                if event["data"]["about"] != "resolved":
                    return None  # a rejected complaint never reaches dispatch
                raise LookupError(f"{ticket} has no case yet")
            decided = core.reporter_notified(case, event["data"], now)
            return None if decided is None else to_change(ticket, decided, now)

        self.cases.change(ticket, decide, applying=event["event_id"])

    def act(self, ticket: str, step: Callable[[dict], tuple[dict, list]], now) -> dict:
        """Runs one staff step on the case; the step raises when it is not allowed."""

        def apply(case):
            if case is None:
                raise CommandRejected(
                    ErrorCode.NOT_FOUND, f"complaint {ticket} has not been classified yet"
                )
            return to_change(ticket, step(case), now)

        change = self.cases.change(ticket, apply)
        return {"ticket": ticket, "status": change.state["status"]}


class DispatchStore(MongoStore):
    aggregate_collections = ("cases",)

    def domain(self, to_relay: list) -> CaseDesk:
        (cases,) = self.aggregates(to_relay)
        return CaseDesk(cases)
