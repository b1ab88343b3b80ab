"""The two ways a store changes an aggregate: a staff command, or an event it consumes.

Both turn what a pure core decided into a saved Change with enveloped events.
"""

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from services.chassis.aggregates import Aggregates, Change
from services.chassis.envelope import Recorded, envelope
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope

Decided = tuple[dict, list[Recorded]]


def to_change(ticket: str, decided: Decided, now: datetime) -> Change:
    state, recorded = decided
    return Change(state=state, events=[envelope(r, ticket, now) for r in recorded])


def create_from_event(
    aggregates: Aggregates, event: Envelope, decided: Decided, now: datetime
) -> None:
    """Creates the aggregate an event starts. One event starts each aggregate, so an
    existing one means this event was applied already."""
    ticket = event["ticket"]
    with suppress(DuplicateKeyError):
        aggregates.create(ticket, to_change(ticket, decided, now), applying=event["event_id"])


def run_command(
    aggregates: Aggregates,
    ticket: str,
    step: Callable[[dict], Decided],
    now: datetime,
    missing: str,
) -> Change:
    """Runs a staff command on an existing aggregate; `step` raises when it is refused."""

    def decide(state: dict | None) -> Change:
        if state is None:
            raise CommandRejected(ErrorCode.NOT_FOUND, missing)
        return to_change(ticket, step(state), now)

    return aggregates.change(ticket, decide)


def apply_event(
    aggregates: Aggregates,
    event: Envelope,
    step: Callable[[dict], Decided | None],
    now: datetime,
    key: str | None = None,
) -> None:
    """Applies a consumed event once to an existing aggregate: the event's own, or
    `key` for an event that also changes another (a duplicate's primary complaint).

    An event that arrives before the one creating the aggregate raises, so the inbox
    retries it after a delay.
    """
    ticket = key or event["ticket"]

    def decide(state: dict | None) -> Change | None:
        if state is None:
            raise LookupError(f"{ticket}: {event['type']} arrived before its aggregate")
        decided = step(state)
        return None if decided is None else to_change(ticket, decided, now)

    aggregates.change(ticket, decide, applying=event["event_id"])
