"""Triage's database: one review per complaint."""

from collections.abc import Callable
from datetime import datetime

from services.chassis.aggregates import Aggregates
from services.chassis.domain import Decided, apply_event, create_from_event, run_command
from services.chassis.store import MongoStore
from services.contracts.events import Envelope
from services.triage import core


class ReviewDesk:
    def __init__(self, reviews: Aggregates) -> None:
        self.reviews = reviews

    def open_review(self, event: Envelope, now: datetime) -> None:
        create_from_event(self.reviews, event, core.open_review(event["data"]), now)

    def agency_returned(self, event: Envelope, now: datetime) -> None:
        apply_event(
            self.reviews,
            event,
            lambda review: core.agency_returned(review, event["data"], now),
            now,
        )

    def reopened(self, event: Envelope, now: datetime) -> None:
        apply_event(
            self.reviews, event, lambda review: core.reopened(review, event["data"], now), now
        )

    def decide(self, ticket: str, decision: Callable[[dict], Decided], now: datetime) -> dict:
        change = run_command(
            self.reviews, ticket, decision, now, f"no complaint {ticket} awaits review"
        )
        return {"ticket": ticket, "status": change.state["status"]}


class TriageStore(MongoStore):
    aggregate_collections = ("reviews",)

    def domain(self, to_relay: list) -> ReviewDesk:
        (reviews,) = self.aggregates(to_relay)
        return ReviewDesk(reviews)
