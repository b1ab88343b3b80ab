"""Event names, the envelope every event travels in, and who subscribes to what.

Every event is published to the topic exchange EXCHANGE with its type as routing key.
The body is a JSON envelope:

    {"event_id": str (uuid4 hex), "type": EventType, "version": int,
     "occurred_at": ISO 8601 UTC, "ticket": str, "data": {...}}

`ticket` is "" on the channel.* events: a message that arrived through a channel has
no ticket until intake records it.

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
    # A cross-agency complaint's tasks: each agency's part, beside the lead's (the lead's
    # own steps are the complaint's: accepted, returned, resolved).
    TASK_ACCEPTED = "complaint.task_accepted"
    TASK_RETURNED = "complaint.task_returned"
    TASK_RESOLVED = "complaint.task_resolved"
    TASK_CLOSED = "complaint.task_closed"
    TASK_REASSIGNED = "complaint.task_reassigned"
    # A cross-institution complaint: what the liaison sent an outside institution, and
    # its answer.
    REFERRAL_RECORDED = "complaint.referral_recorded"
    COMPLAINT_RESOLVED = "complaint.resolved"
    REPORTER_NOTIFIED = "reporter.notified"
    NOTICE_DELIVERY = "reporter.delivery"
    REPORTER_REPLIED = "reporter.replied"
    REPORTER_RATED = "reporter.rated"
    COMPLAINT_DISPUTED = "complaint.disputed"
    COMPLAINT_CLOSED = "complaint.closed"
    COMPLAINT_REOPENED = "complaint.reopened"
    COMPLAINT_LINKED = "complaint.linked"
    COMPLAINT_UNLINKED = "complaint.unlinked"
    DEADLINE_SET = "sla.deadline_set"
    SLA_WARNING = "sla.warning"
    SLA_STAGE_OVERDUE = "sla.stage_overdue"
    SLA_BREACHED = "sla.breached"
    SLA_PAUSED = "sla.paused"
    SLA_RESUMED = "sla.resumed"
    SLA_DIGEST = "sla.weekly_digest"
    # A staff account's role, agency or active flag as the gateway's directory holds it
    # now (published on every change, and for every account when the gateway starts).
    STAFF_ACCOUNT = "staff.account"
    # The result was conveyed N working days ago and nothing stopped the closing timer.
    SLA_CLOSING_DUE = "sla.closing_due"
    # Messages a channel delivered, published by the gateway's webhooks for the channel's
    # adapter. They carry the sender's identity, so only that adapter subscribes.
    SMS_RECEIVED = "channel.sms.received"
    SOCIAL_RECEIVED = "channel.media_sosial.received"
    WHATSAPP_RECEIVED = "channel.whatsapp.received"
    # What became of a message the city sent by WhatsApp (sent, delivered, read, failed).
    WHATSAPP_STATUS = "channel.whatsapp.status"


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
    """Triage's suggestions for the officer; none is applied without an officer (except
    an automatic rejection a supervisor turned on, which follows as complaint.rejected)."""

    suggested_category: str | None
    matched_keywords: list[str]  # the words that drove the category
    confidence: NotRequired[float]
    needs_attention: NotRequired[bool]  # low confidence, or not a complaint
    suggested_agency: NotRequired[str | None]
    suggested_agencies: NotRequired[list[str]]
    suggested_scope: NotRequired[str]
    validity_flags: NotRequired[list[str]]
    urgent: NotRequired[bool]
    urgent_words: NotRequired[list[str]]
    possible_duplicate_of: NotRequired[str | None]


class ComplaintClassified(TypedDict):
    category: str
    scope: str
    agencies: list[str]
    officer: str


class ComplaintRejected(TypedDict):
    reason: str
    officer: str


class ForwardedTask(TypedDict):
    agency: str
    lead: bool


class ComplaintForwarded(TypedDict):
    """agency: the lead, who resolves the complaint. tasks: every agency with a part
    (the lead first; one task unless the complaint is cross_agency); referrals: the
    outside institutions of a cross_institution complaint, which the lead liaises with.
    Both absent in events of versions before multi-agency cases (one task, the lead)."""

    agency: str
    admin: str
    tasks: NotRequired[list[ForwardedTask]]
    referrals: NotRequired[list[str]]


class ComplaintAccepted(TypedDict):
    agency: str
    by: str


class ComplaintReturned(TypedDict):
    agency: str
    reason: str
    by: str


class ComplaintResolved(TypedDict):
    """follow_up: what the reporter is told, the lead's own follow-up combined with each
    other agency's and each outside institution's answer (parts lists them apart)."""

    agency: str
    follow_up: str
    by: str
    parts: NotRequired[list[dict]]  # {"agency", "follow_up"}, the lead first


class TaskStep(TypedDict):
    """complaint.task_accepted, _returned (reason), _resolved (follow_up), _closed (reason,
    by the lead): one non-lead agency's task moved."""

    agency: str
    by: str
    reason: NotRequired[str]
    follow_up: NotRequired[str]


class TaskReassigned(TypedDict):
    """An admin moved a task from one agency to another, which starts it afresh; the old
    agency no longer sees the complaint. lead: the lead's task moved (the complaint is
    forwarded again, to the new lead)."""

    agency: str
    from_agency: str
    lead: bool
    reason: str
    admin: str


class ReferralRecorded(TypedDict):
    """The liaison's record of an outside institution's part (dates YYYY-MM-DD, Asia/Jakarta)."""

    institution: str
    sent_on: str
    answer: str | None
    answered_on: str | None
    by: str


class ReporterNotified(TypedDict):
    """A notice for the reporter, recorded by intake, for the channel's adapter to deliver.

    about: received | forwarded | info_requested | rejected | resolved.
    deliver is false when the reporter reads notices only through the tracking link
    (anonymous); details hold the notice's variable parts (reason, follow_up, question,
    agency) so an adapter can fit the text to its medium. Never the reporter's identity.
    """

    channel: str
    about: str
    message: str
    notice_id: NotRequired[str]
    deliver: NotRequired[bool]
    details: NotRequired[dict]


class NoticeDelivery(TypedDict):
    """A channel adapter's report on one notice: delivered, or failed after retries."""

    notice_id: str
    status: str  # delivered | failed
    attempts: int
    at: str
    error: NotRequired[str]


class ReporterReplied(TypedDict):
    """The reporter added information (usually answering a question) through their
    channel. The text is the reporter's own words, like the description: for staff."""

    channel: str
    text: str


class ReporterRated(TypedDict):
    """The reporter rated the result they were told (1-5, once per result): by the
    secret link, SMS or a social reply. The comment is the reporter's own words, for
    staff like a reply; the public report shows only counts and averages."""

    channel: str
    rating: int
    comment: str | None
    cycle: int  # which result of the complaint it rates (1 = the first)
    rated_at: str


class ComplaintDisputed(TypedDict):
    """A rating of 1-2: the complaint waits in the officers' worklist to be reopened."""

    rating: int
    comment: str | None
    cycle: int


class SlaClosingDue(TypedDict):
    """The result reached the reporter `working_days` working days ago (Asia/Jakarta)."""

    conveyed_at: str
    working_days: int
    at: str


class ComplaintClosed(TypedDict):
    """reason: satisfied (a rating of 3-5) | no_dispute (the closing timer); absent in
    events of versions where conveying the result closed the complaint."""

    reason: NotRequired[str]
    rating: NotRequired[int]
    working_days: NotRequired[int]


class ComplaintLinked(TypedDict):
    """complaint.linked and complaint.unlinked: an officer confirmed (or undid) that this
    complaint reports the same incident as `primary`, whose result its reporter gets."""

    primary: str
    officer: str


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
    # Every agency concerned: the task's for its stage target, else the lead and the
    # agencies whose tasks are open.
    agencies: NotRequired[list[str]]


class SlaPaused(TypedDict):
    since: str
    # Set when staff paused the clock to ask the reporter for more information.
    question: NotRequired[str]
    by: NotRequired[str]


class SlaWeeklyDigest(TypedDict):
    """sla.weekly_digest (ticket ""): the week's overdue complaints per agency, once a week."""

    week: str
    total_overdue: int
    agencies: list[dict]  # {"agency": code or "belum_diteruskan", "overdue": n, "tickets": [...]}
    recipients: list[str]


class StaffAccount(TypedDict):
    """staff.account (ticket ""): an account as it is now. Never a password or a token."""

    username: str
    role: str
    agency: str | None
    active: bool
    changed_at: str


class SmsReceived(TypedDict):
    """One SMS as the SMS gateway delivered it; a long message comes in parts."""

    message_id: str
    sender: str
    text: str
    received_at: str
    part: NotRequired[dict]  # {"ref": str, "index": int (1-based), "total": int}


class SocialReceived(TypedDict):
    """A mention of, or a direct message to, one of the city's official accounts."""

    platform: str
    post_id: str
    kind: str  # mention | direct_message
    author: dict  # {"handle": str, "name"?: str}
    text: str
    media: list[str]
    received_at: str


class WhatsAppReceived(TypedDict):
    """One message to the city's WhatsApp number, as the gateway read it from the Cloud
    API's webhook. kind: text | image | location | unsupported (audio, stickers...)."""

    message_id: str  # WhatsApp's wamid
    sender: str  # +62...
    kind: str
    text: str  # the text, or an image's caption; "" otherwise
    sent_at: str  # when WhatsApp took it from the sender (its session window starts)
    received_at: str
    media: NotRequired[dict]  # {"id": str, "mime_type": str}: fetched through the API
    location: NotRequired[dict]  # {"lat": float, "lon": float, "name"?: str, "address"?: str}


class WhatsAppStatus(TypedDict):
    """WhatsApp's word on a message the adapter sent; never the recipient's number."""

    message_id: str  # the wamid the messages endpoint answered with
    status: str  # sent | delivered | read | failed
    at: str
    error: NotRequired[str]


class SlaResumed(TypedDict):
    paused_working_days: int


# Who consumes what. Every service declares all of these queues at start-up, so an
# event published before its consumer first ran is kept, not dropped.
SUBSCRIPTIONS: dict[str, tuple[EventType, ...]] = {
    "intake": (
        EventType.COMPLAINT_REJECTED,
        EventType.COMPLAINT_RESOLVED,
        EventType.COMPLAINT_FORWARDED,
        EventType.SLA_PAUSED,
        EventType.NOTICE_DELIVERY,
        EventType.COMPLAINT_LINKED,
        EventType.COMPLAINT_UNLINKED,
    ),
    "triage": (
        EventType.COMPLAINT_RECEIVED,
        EventType.COMPLAINT_RETURNED,
        EventType.COMPLAINT_REOPENED,
    ),
    "dispatch": (
        EventType.COMPLAINT_CLASSIFIED,
        EventType.REPORTER_NOTIFIED,
        EventType.REPORTER_RATED,
        EventType.SLA_CLOSING_DUE,
    ),
    "sla": (
        EventType.COMPLAINT_RECEIVED,
        EventType.COMPLAINT_CLASSIFIED,
        EventType.COMPLAINT_FORWARDED,
        EventType.COMPLAINT_ACCEPTED,
        EventType.COMPLAINT_RETURNED,
        # Each task's own stage timer.
        EventType.TASK_ACCEPTED,
        EventType.TASK_RETURNED,
        EventType.TASK_RESOLVED,
        EventType.TASK_CLOSED,
        EventType.TASK_REASSIGNED,
        EventType.COMPLAINT_REJECTED,
        EventType.COMPLAINT_CLOSED,
        EventType.COMPLAINT_REOPENED,
        EventType.COMPLAINT_LINKED,
        EventType.COMPLAINT_UNLINKED,
        EventType.REPORTER_REPLIED,
        # The result conveyed: the deadline clock stops and the closing timer starts.
        EventType.REPORTER_NOTIFIED,
    ),
    # Not the channels' raw messages, nor the events about no complaint (ticket "").
    "reporting": tuple(
        t
        for t in EventType
        if not t.startswith(("channel.", "staff.")) and t != EventType.SLA_DIGEST
    ),
    # Channel adapters: each delivers the notices for its own channel.
    "sms": (EventType.SMS_RECEIVED, EventType.REPORTER_NOTIFIED),
    "social": (EventType.SOCIAL_RECEIVED, EventType.REPORTER_NOTIFIED),
    "lapor": (EventType.REPORTER_NOTIFIED,),
    "desk": (EventType.REPORTER_NOTIFIED,),
    "whatsapp": (
        EventType.WHATSAPP_RECEIVED,
        EventType.WHATSAPP_STATUS,
        EventType.REPORTER_NOTIFIED,
    ),
    # Signed webhooks to the agencies' systems (services/agency_hooks/core.py HOOK_EVENTS).
    "agency_hooks": (
        EventType.COMPLAINT_FORWARDED,
        EventType.REPORTER_REPLIED,
        EventType.SLA_WARNING,
        EventType.SLA_STAGE_OVERDUE,
        EventType.SLA_BREACHED,
        EventType.COMPLAINT_RETURNED,
        EventType.COMPLAINT_REOPENED,
        EventType.COMPLAINT_DISPUTED,
        EventType.COMPLAINT_CLOSED,
        # The old agency hears its task was withdrawn, the new one that it has it.
        EventType.TASK_REASSIGNED,
    ),
    # Delivers the SLA's notices to staff, by e-mail and WhatsApp.
    "staff_notices": (
        EventType.SLA_WARNING,
        EventType.SLA_STAGE_OVERDUE,
        EventType.SLA_BREACHED,
        EventType.SLA_DIGEST,
        EventType.STAFF_ACCOUNT,
    ),
}
