"""The complaint lifecycle: statuses, the actions that move between them, and the table.

The table is the contract between the services that own parts of the lifecycle
(triage owns review, dispatch owns forwarding to closing) and the read model that
shows it. A move that is not in the table is illegal.
"""

from enum import StrEnum

from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import EventType


class Status(StrEnum):
    RECEIVED = "received"
    AWAITING_REVIEW = "awaiting_review"
    CLASSIFIED = "classified"
    REJECTED = "rejected"
    FORWARDED = "forwarded"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    RESOLVED = "resolved"
    # The reporter rated the result 1-2: officers decide whether to reopen it.
    DISPUTED = "disputed"
    CLOSED = "closed"
    # The same incident as another complaint, whose result this reporter also gets.
    LINKED = "linked"


# What residents read for each status (tracking, the public report), in Indonesian.
STATUS_LABELS: dict[Status, str] = {
    Status.RECEIVED: "Diterima",
    Status.AWAITING_REVIEW: "Menunggu verifikasi petugas",
    Status.CLASSIFIED: "Terverifikasi, menunggu diteruskan",
    Status.REJECTED: "Tidak dapat diproses",
    Status.FORWARDED: "Diteruskan ke perangkat daerah",
    Status.ACCEPTED: "Ditangani perangkat daerah",
    Status.RETURNED: "Dikembalikan ke petugas untuk ditinjau ulang",
    Status.RESOLVED: "Selesai ditindaklanjuti",
    Status.DISPUTED: "Hasil disanggah pelapor, ditinjau ulang petugas",
    Status.CLOSED: "Selesai, pengaduan ditutup",
    Status.LINKED: "Digabungkan dengan pengaduan lain atas kejadian yang sama",
}


# The statuses each staff role's worklist holds (reporting serves it; the pages offer
# them as filters).
WORKLIST_STATUSES: dict[str, tuple[Status, ...]] = {
    # Disputed: the reporter rated the result 1-2; the officer may reopen it.
    "officer": (Status.AWAITING_REVIEW, Status.RETURNED, Status.DISPUTED),
    "admin": (Status.CLASSIFIED,),
    "agency_admin": (Status.FORWARDED, Status.ACCEPTED),
    # The head of an agency follows its complaints to their result.
    "agency_head": (Status.FORWARDED, Status.ACCEPTED, Status.RESOLVED),
    "supervisor": tuple(s for s in Status if s not in (Status.REJECTED, Status.CLOSED)),
}


class Action(StrEnum):
    TRIAGE = "triage"
    CLASSIFY = "classify"
    REJECT = "reject"
    FORWARD = "forward"
    ACCEPT = "accept"
    RETURN = "return"
    RESOLVE = "resolve"
    CLOSE = "close"
    DISPUTE = "dispute"
    REOPEN = "reopen"
    LINK = "link"
    UNLINK = "unlink"
    # An admin moves an agency's task (the lead's too) to another agency.
    REASSIGN = "reassign"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECEIVED, Action.TRIAGE): Status.AWAITING_REVIEW,
    (Status.AWAITING_REVIEW, Action.CLASSIFY): Status.CLASSIFIED,
    (Status.AWAITING_REVIEW, Action.REJECT): Status.REJECTED,
    (Status.CLASSIFIED, Action.FORWARD): Status.FORWARDED,
    (Status.FORWARDED, Action.ACCEPT): Status.ACCEPTED,
    (Status.FORWARDED, Action.RETURN): Status.RETURNED,
    # A complaint an agency returned goes back to the officers for a new decision.
    (Status.RETURNED, Action.CLASSIFY): Status.CLASSIFIED,
    (Status.RETURNED, Action.REJECT): Status.REJECTED,
    (Status.ACCEPTED, Action.RESOLVE): Status.RESOLVED,
    # The lead's task moved to another agency: forwarded to the new lead.
    (Status.FORWARDED, Action.REASSIGN): Status.FORWARDED,
    (Status.ACCEPTED, Action.REASSIGN): Status.FORWARDED,
    # Closed by a rating of 3-5, or by the closing timer (N working days after the
    # result reached the reporter, no dispute).
    (Status.RESOLVED, Action.CLOSE): Status.CLOSED,
    # A rating of 1-2, also one arriving after the timer closed the complaint.
    (Status.RESOLVED, Action.DISPUTE): Status.DISPUTED,
    (Status.CLOSED, Action.DISPUTE): Status.DISPUTED,
    # The reporter disputes the result (by a rating, or at the desk): officers review it
    # again, on a new SLA cycle.
    (Status.RESOLVED, Action.REOPEN): Status.AWAITING_REVIEW,
    (Status.DISPUTED, Action.REOPEN): Status.AWAITING_REVIEW,
    (Status.CLOSED, Action.REOPEN): Status.AWAITING_REVIEW,
    # A duplicate joins the complaint it repeats; undone, it is reviewed on its own.
    (Status.AWAITING_REVIEW, Action.LINK): Status.LINKED,
    (Status.LINKED, Action.UNLINK): Status.AWAITING_REVIEW,
}

FINAL_STATUSES = frozenset({Status.REJECTED})

STATUS_AFTER_EVENT: dict[EventType, Status] = {
    EventType.COMPLAINT_RECEIVED: Status.RECEIVED,
    EventType.COMPLAINT_TRIAGED: Status.AWAITING_REVIEW,
    EventType.COMPLAINT_CLASSIFIED: Status.CLASSIFIED,
    EventType.COMPLAINT_REJECTED: Status.REJECTED,
    EventType.COMPLAINT_FORWARDED: Status.FORWARDED,
    EventType.COMPLAINT_ACCEPTED: Status.ACCEPTED,
    EventType.COMPLAINT_RETURNED: Status.RETURNED,
    EventType.COMPLAINT_RESOLVED: Status.RESOLVED,
    EventType.COMPLAINT_DISPUTED: Status.DISPUTED,
    EventType.COMPLAINT_CLOSED: Status.CLOSED,
    EventType.COMPLAINT_REOPENED: Status.AWAITING_REVIEW,
    EventType.COMPLAINT_LINKED: Status.LINKED,
    EventType.COMPLAINT_UNLINKED: Status.AWAITING_REVIEW,
}


class TaskStatus(StrEnum):
    """One agency's part of a forwarded complaint. The lead's task follows the complaint
    (its accept, return and resolve are the complaint's); the others move on their own."""

    FORWARDED = "forwarded"
    ACCEPTED = "accepted"
    # The agency says it is not its part: the admin reassigns it or the lead closes it.
    RETURNED = "returned"
    RESOLVED = "resolved"
    # Closed by the lead, with a reason, without the agency's resolution.
    CLOSED = "closed"


TASK_LABELS: dict[TaskStatus, str] = {
    TaskStatus.FORWARDED: "Diteruskan, menunggu diterima",
    TaskStatus.ACCEPTED: "Sedang ditangani",
    TaskStatus.RETURNED: "Dikembalikan, menunggu penugasan ulang",
    TaskStatus.RESOLVED: "Selesai ditindaklanjuti",
    TaskStatus.CLOSED: "Ditutup oleh perangkat daerah koordinator",
}

TASK_TRANSITIONS: dict[tuple[TaskStatus, Action], TaskStatus] = {
    (TaskStatus.FORWARDED, Action.ACCEPT): TaskStatus.ACCEPTED,
    (TaskStatus.FORWARDED, Action.RETURN): TaskStatus.RETURNED,
    (TaskStatus.ACCEPTED, Action.RESOLVE): TaskStatus.RESOLVED,
    (TaskStatus.FORWARDED, Action.CLOSE): TaskStatus.CLOSED,
    (TaskStatus.ACCEPTED, Action.CLOSE): TaskStatus.CLOSED,
    (TaskStatus.RETURNED, Action.CLOSE): TaskStatus.CLOSED,
    (TaskStatus.FORWARDED, Action.REASSIGN): TaskStatus.FORWARDED,
    (TaskStatus.ACCEPTED, Action.REASSIGN): TaskStatus.FORWARDED,
    (TaskStatus.RETURNED, Action.REASSIGN): TaskStatus.FORWARDED,
}
# A task the lead may resolve the complaint beside.
TASK_DONE = frozenset({TaskStatus.RESOLVED, TaskStatus.CLOSED})


def next_task_status(current: TaskStatus, action: Action) -> TaskStatus:
    try:
        return TASK_TRANSITIONS[(current, action)]
    except KeyError:
        raise CommandRejected(
            ErrorCode.ILLEGAL_TRANSITION,
            f"cannot {action.value} a task that is {current.value}",
        ) from None


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or a rejected command when the table has no such move."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise CommandRejected(
            ErrorCode.ILLEGAL_TRANSITION,
            f"cannot {action.value} a complaint that is {current.value}",
        ) from None
