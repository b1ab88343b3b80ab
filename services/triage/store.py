"""Triage's database: one review per complaint."""

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from services.chassis.aggregates import Aggregates
from services.chassis.domain import to_change
from services.chassis.store import MongoStore
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope
from services.triage import core


class ReviewDesk:
    def __init__(self, reviews: Aggregates) -> None:
        self.reviews = reviews

    def open_review(self, event: Envelope, now: datetime) -> None:
        ticket = event["ticket"]
        change = to_change(ticket, core.open_review(event["data"]), now)
        # A complaint is received once: an existing review means this event was applied.
        with suppress(DuplicateKeyError):
            self.reviews.create(ticket, change, applying=event["event_id"])

    def agency_returned(self, event: Envelope, now: datetime) -> None:
        ticket = event["ticket"]

        def decide(review):
            if review is None:
                raise LookupError(f"{ticket} has no review yet")
            return to_change(ticket, core.agency_returned(review, event["data"], now), now)

        self.reviews.change(ticket, decide, applying=event["event_id"])

    def decide(self, ticket: str, decision: Callable[[dict], tuple[dict, list]], now) -> dict:
        def apply(review):
            if review is None:
                raise CommandRejected(ErrorCode.NOT_FOUND, f"no complaint {ticket} awaits review")
            return to_change(ticket, decision(review), now)

        change = self.reviews.change(ticket, apply)
        return {"ticket": ticket, "status": change.state["status"]}


class TriageStore(MongoStore):
    aggregate_collections = ("reviews",)

    def domain(self, to_relay: list) -> ReviewDesk:
        (reviews,) = self.aggregates(to_relay)
        return ReviewDesk(reviews)
