"""Turns what a pure core decided into a saved Change with enveloped events."""

from datetime import datetime

from services.chassis.aggregates import Change
from services.chassis.envelope import Recorded, envelope


def to_change(ticket: str, decided: tuple[dict, list[Recorded]], now: datetime) -> Change:
    state, recorded = decided
    return Change(state=state, events=[envelope(r, ticket, now) for r in recorded])
