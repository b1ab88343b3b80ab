"""Event names, the envelope every event travels in, and who subscribes to what.

Every event is published to the topic exchange EXCHANGE with its type as routing key.
The body is a JSON envelope:

    {"event_id": str (uuid4 hex), "type": EventType, "version": int,
     "occurred_at": ISO 8601 UTC, "ticket": str, "data": {...}}

`data` follows the TypedDict named for the event below. A consumer accepts any
version it knows and parks the rest.
"""

from enum import StrEnum
from typing import NotRequired, TypedDict

EXCHANGE = "aduan.events"
SCHEMA_VERSION = 1


class EventType(StrEnum):
    COMPLAINT_RECEIVED = "complaint.received"
    COMPLAINT_TRIAGED = "complaint.triaged"
    COMPLAINT_CLASSIFIED = "complaint.classified"
    COMPLAINT_REJECTED = "complaint.rejected"
    COMPLAINT_FORWARDED = "complaint.forwarded"
    COMPLAINT_ACCEPTED = "complaint.accepted"
    COMPLAINT_RETURNED = "complaint.returned"
    COMPLAINT_RESOLVED = "complaint.resolved"
    REPORTER_NOTIFIED = "reporter.notified"
    COMPLAINT_CLOSED = "complaint.closed"
    COMPLAINT_REOPENED = "complaint.reopened"
    DEADLINE_SET = "sla.deadline_set"
    SLA_WARNING = "sla.warning"
    SLA_STAGE_OVERDUE = "sla.stage_overdue"
    SLA_BREACHED = "sla.breached"
    SLA_PAUSED = "sla.paused"
    SLA_RESUMED = "sla.resumed"


class Envelope(TypedDict):
    event_id: str
    type: str
    version: int
    occurred_at: str
    ticket: str
    data: dict


class Location(TypedDict):
    kecamatan: str
    kelurahan: NotRequired[str]
    address: NotRequired[str]
    lat: NotRequired[float]
    lon: NotRequired[float]


class ComplaintReceived(TypedDict):
    """Never carries the reporter's identity: only intake holds it."""

    channel: str
    received_at: str
    title: str
    description: str
    location: Location
    category_hint: str | None
    anonymous: bool
    confidential: bool


class ComplaintTriaged(TypedDict):
    suggested_category: str | None
    matched_keywords: list[str]


class ComplaintClassified(TypedDict):
    category: str
    scope: str
    agencies: list[str]
    officer: str


class ComplaintRejected(TypedDict):
    reason: str
    officer: str


class ComplaintForwarded(TypedDict):
    agency: str
    admin: str


class ComplaintAccepted(TypedDict):
    agency: str
    by: str


class ComplaintReturned(TypedDict):
    agency: str
    reason: str
    by: str


class ComplaintResolved(TypedDict):
    agency: str
    follow_up: str
    by: str


class ReporterNotified(TypedDict):
    channel: str
    about: str
    message: str


class ComplaintClosed(TypedDict):
    pass


class ComplaintReopened(TypedDict):
    reason: str
    by: str


class DeadlineSet(TypedDict):
    scope: str
    working_days: int
    starts_on: str
    due_at: str
    policy: str
    policy_version: int
    paused_working_days: int
    reason: str


class SlaTimerFired(TypedDict):
    """sla.warning, sla.stage_overdue and sla.breached: each fires once per cycle."""

    kind: str
    label: str
    at: str
    due_at: str
    agency: str | None
    stage: str | None
    recipients: list[str]


class SlaPaused(TypedDict):
    since: str


class SlaResumed(TypedDict):
    paused_working_days: int


# Who consumes what. Every service declares all of these queues at start-up, so an
# event published before its consumer first ran is kept, not dropped.
SUBSCRIPTIONS: dict[str, tuple[EventType, ...]] = {
    "intake": (EventType.COMPLAINT_REJECTED, EventType.COMPLAINT_RESOLVED),
    "triage": (
        EventType.COMPLAINT_RECEIVED,
        EventType.COMPLAINT_RETURNED,
        EventType.COMPLAINT_REOPENED,
    ),
    "dispatch": (EventType.COMPLAINT_CLASSIFIED, EventType.REPORTER_NOTIFIED),
    "sla": (
        EventType.COMPLAINT_RECEIVED,
        EventType.COMPLAINT_CLASSIFIED,
        EventType.COMPLAINT_FORWARDED,
        EventType.COMPLAINT_ACCEPTED,
        EventType.COMPLAINT_RETURNED,
        EventType.COMPLAINT_REJECTED,
        EventType.COMPLAINT_CLOSED,
        EventType.COMPLAINT_REOPENED,
    ),
    "reporting": tuple(EventType),
}
