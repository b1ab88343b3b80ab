"""Wraps what a domain core recorded into the envelope of services.contracts.events."""

import uuid
from datetime import datetime

from services.contracts.events import SCHEMA_VERSION, Envelope, EventType

Recorded = tuple[EventType, dict]


def envelope(recorded: Recorded, ticket: str, now: datetime) -> Envelope:
    event_type, data = recorded
    return {
        "event_id": uuid.uuid4().hex,
        "type": str(event_type),
        "version": SCHEMA_VERSION,
        "occurred_at": now.isoformat(),
        "ticket": ticket,
        "data": data,
    }
