"""Aduan's statuses as Open311's two, in one table (docs/open311.md).

Open311 has `open` ("it has been reported") and `closed` ("it has been resolved").
A complaint is closed for Open311 once nothing more is done for it: the agency
resolved it (the result reached the reporter; a dispute opens it again), it was
closed, it was refused, or it joined another complaint of the same incident (the
spec's own example of a closed request is a duplicate). The status notes say which.
"""

from typing import Literal

from services.contracts.lifecycle import Status

Open311Status = Literal["open", "closed"]
OPEN311_STATUSES: tuple[Open311Status, ...] = ("open", "closed")

OPEN311_STATUS: dict[Status, Open311Status] = {
    Status.RECEIVED: "open",
    Status.AWAITING_REVIEW: "open",
    Status.CLASSIFIED: "open",
    Status.FORWARDED: "open",
    Status.ACCEPTED: "open",
    Status.RETURNED: "open",
    Status.DISPUTED: "open",
    Status.RESOLVED: "closed",
    Status.CLOSED: "closed",
    Status.REJECTED: "closed",
    Status.LINKED: "closed",
}


def open311_status(status: str | None) -> Open311Status:
    """A complaint's Open311 status; one the read model has not seen received is open."""
    try:
        return OPEN311_STATUS[Status(status or Status.RECEIVED)]
    except ValueError:
        return "open"


def aduan_statuses(wanted: tuple[Open311Status, ...]) -> list[str] | None:
    """The Aduan statuses a `status=` filter of Open311 statuses matches (None: all)."""
    if set(wanted) >= set(OPEN311_STATUSES):
        return None
    return [str(status) for status, shown in OPEN311_STATUS.items() if shown in wanted]
