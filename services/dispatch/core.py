"""Dispatch's pure core: a case from classification to closing, and who may act on it."""

from datetime import datetime

from services.chassis import fields
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import EventType
from services.contracts.lifecycle import Action, Status, next_status


def classified(case: dict | None, data: dict, now: datetime) -> tuple[dict, list]:
    """A new case, or a returned one that the officers classified again."""
    status = (
        Status.CLASSIFIED if case is None else next_status(Status(case["status"]), Action.CLASSIFY)
    )
    history = [] if case is None else case["history"]
    state = {
        "status": str(status),
        "category": data["category"],
        "scope": data["scope"],
        "agencies": data["agencies"],
        "agency": None,
        "history": [*history, {"action": "classified", "at": now}],
    }
    return state, []


def parse_forward(body: object, case: dict) -> str:
    body = fields.obj(body, "", ("agency",))
    agency = body.get("agency", case["agencies"][0])
    if agency not in case["agencies"]:
        named = ", ".join(case["agencies"])
        raise fields.invalid("agency", f"must be one of the agencies the officer named: {named}")
    return agency


def forward(case: dict, agency: str, admin: str, now: datetime) -> tuple[dict, list]:
    state = _move(case, Action.FORWARD, now, {"agency": agency, "by": admin}, agency=agency)
    return state, [(EventType.COMPLAINT_FORWARDED, {"agency": agency, "admin": admin})]


def check_agency(case: dict, actor_agency: str | None) -> None:
    """Only the agency the complaint was forwarded to acts on it."""
    if case.get("agency") is None or actor_agency != case["agency"]:
        raise CommandRejected(ErrorCode.FORBIDDEN, "this complaint is not assigned to your agency")


def parse_accept(body: object) -> None:
    fields.obj(body, "", ())


def parse_reason(body: object) -> str:
    body = fields.obj(body, "", ("reason",))
    return fields.text(body, "reason", "reason", min_len=10, max_len=500)


def parse_follow_up(body: object) -> str:
    body = fields.obj(body, "", ("follow_up",))
    return fields.text(body, "follow_up", "follow_up", min_len=10, max_len=2000)


def accept(case: dict, actor: str, now: datetime) -> tuple[dict, list]:
    return _agency_step(case, Action.ACCEPT, EventType.COMPLAINT_ACCEPTED, {}, actor, now)


def return_to_officers(case: dict, reason: str, actor: str, now: datetime) -> tuple[dict, list]:
    return _agency_step(
        case, Action.RETURN, EventType.COMPLAINT_RETURNED, {"reason": reason}, actor, now
    )


def resolve(case: dict, follow_up: str, actor: str, now: datetime) -> tuple[dict, list]:
    return _agency_step(
        case, Action.RESOLVE, EventType.COMPLAINT_RESOLVED, {"follow_up": follow_up}, actor, now
    )


def _agency_step(case, action, event_type, details, actor, now) -> tuple[dict, list]:
    # A returned complaint is no longer the agency's.
    cleared = {"agency": None} if action == Action.RETURN else {}
    state = _move(case, action, now, {**details, "by": actor}, **cleared)
    return state, [(event_type, {"agency": case["agency"], **details, "by": actor})]


def reopen(case: dict, reason: str, officer: str, now: datetime) -> tuple[dict, list]:
    """The reporter disputes the result: back to the officers, without an agency."""
    state = _move(case, Action.REOPEN, now, {"reason": reason, "by": officer}, agency=None)
    return state, [(EventType.COMPLAINT_REOPENED, {"reason": reason, "by": officer})]


def closes_case(notice: dict) -> bool:
    """Only the result closes a case: a rejection never had one open, and a linked
    complaint's reporter hearing the primary's result has none."""
    return notice["about"] == "resolved" and not (notice.get("details") or {}).get("primary")


def reporter_notified(case: dict, data: dict, now: datetime) -> tuple[dict, list] | None:
    """The result reached the reporter: recorded on the case, which stays resolved until
    the reporter rates it or the closing timer (sla) fires. Other notices change nothing."""
    if not closes_case(data):
        return None
    entry = {"action": "result_conveyed", "at": now}
    return {"conveyed_at": now, "history": [*case["history"], entry]}, []


DISPUTED_BELOW = 3


def rated(case: dict, data: dict, now: datetime) -> tuple[dict, list] | None:
    """A rating of 1-2 disputes the result (also after the timer closed it); 3-5 on a
    resolved case closes it. A rating of an earlier result, arriving after the complaint
    was reopened, changes nothing (reporting still counts it)."""
    status, rating = Status(case["status"]), data["rating"]
    record = {"rating": rating, "cycle": data["cycle"]}
    if rating < DISPUTED_BELOW and status in (Status.RESOLVED, Status.CLOSED):
        state = _move(case, Action.DISPUTE, now, record)
        event = {"rating": rating, "comment": data.get("comment"), "cycle": data["cycle"]}
        return state, [(EventType.COMPLAINT_DISPUTED, event)]
    if rating >= DISPUTED_BELOW and status == Status.RESOLVED:
        state = _move(case, Action.CLOSE, now, {**record, "reason": "satisfied"})
        return state, [(EventType.COMPLAINT_CLOSED, {"reason": "satisfied", "rating": rating})]
    return None


def closing_due(case: dict, data: dict, now: datetime) -> tuple[dict, list] | None:
    """The closing timer: a case still resolved (no dispute, no rating) closes; one
    disputed, reopened or closed already is left as it is."""
    if Status(case["status"]) != Status.RESOLVED:
        return None
    days = data["working_days"]
    state = _move(case, Action.CLOSE, now, {"reason": "no_dispute", "working_days": days})
    return state, [(EventType.COMPLAINT_CLOSED, {"reason": "no_dispute", "working_days": days})]


def _move(case: dict, action: Action, now: datetime, record: dict, **changes) -> dict:
    """The case after a move the lifecycle table allows, with the move in its history."""
    status = next_status(Status(case["status"]), action)
    entry = {"action": str(action), **record, "at": now}
    return {"status": str(status), **changes, "history": [*case["history"], entry]}
