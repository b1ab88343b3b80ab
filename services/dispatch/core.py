"""Dispatch's pure core: a case from classification to closing, and who may act on it."""

import re
from datetime import date, datetime

from services.chassis import fields
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import EventType
from services.contracts.lifecycle import (
    TASK_DONE,
    Action,
    Status,
    TaskStatus,
    next_status,
    next_task_status,
)
from services.contracts.reference import JAKARTA, Scope


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
        "tasks": [],
        "referrals": [],
        "history": [*history, {"action": "classified", "at": now}],
    }
    return state, []


DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FORWARD_FIELDS = ("agency", "lead")


def parse_forward(body: object, case: dict) -> str:
    """The lead: `lead` (or `agency`, its older name), one of the agencies the officer
    named; the first named when neither is given."""
    body = fields.obj(body, "", FORWARD_FIELDS)
    named = [body[k] for k in FORWARD_FIELDS if k in body]
    if len(set(map(repr, named))) > 1:
        raise fields.invalid("lead", "agency and lead name the same agency; send one of them")
    lead = named[0] if named else case["agencies"][0]
    if lead not in case["agencies"]:
        listed = ", ".join(case["agencies"])
        raise fields.invalid("lead", f"must be one of the agencies the officer named: {listed}")
    return lead


def forward(case: dict, lead: str, admin: str, now: datetime) -> tuple[dict, list]:
    """A task per agency that acts: every named agency of a cross_agency complaint, the
    lead alone otherwise; a cross_institution complaint's other names are the outside
    institutions the lead liaises with (referrals)."""
    others = [a for a in case["agencies"] if a != lead]
    acting = others if case["scope"] == Scope.CROSS_AGENCY else []
    tasks = [_task(lead, True, now), *(_task(a, False, now) for a in acting)]
    referrals = others if case["scope"] == Scope.CROSS_INSTITUTION else []
    changes = {
        "agency": lead,
        "tasks": tasks,
        "referrals": [{"institution": i, "sent_on": None} for i in referrals],
    }
    state = _move(case, Action.FORWARD, now, {"agency": lead, "by": admin}, **changes)
    data = {
        "agency": lead,
        "admin": admin,
        "tasks": [{"agency": t["agency"], "lead": t["lead"]} for t in tasks],
        "referrals": referrals,
    }
    return state, [(EventType.COMPLAINT_FORWARDED, data)]


def _task(agency: str, lead: bool, now: datetime) -> dict:
    return {"agency": agency, "lead": lead, "status": str(TaskStatus.FORWARDED), "since": now}


def tasks_of(case: dict) -> list[dict]:
    """The case's tasks; a case forwarded before multi-agency cases has its one agency's."""
    if "tasks" in case:
        return case["tasks"]
    if case.get("agency") is None:
        return []
    status = {"accepted": "accepted", "resolved": "resolved"}.get(case["status"], "forwarded")
    return [{"agency": case["agency"], "lead": True, "status": status, "since": None}]


def task_of(case: dict, agency: str | None) -> dict:
    """The caller's task: an agency acts only on a complaint it has a task in (a task
    moved to another agency is no longer the old agency's)."""
    for task in tasks_of(case):
        if agency is not None and task["agency"] == agency:
            return task
    raise CommandRejected(ErrorCode.FORBIDDEN, "this complaint is not assigned to your agency")


def check_agency(case: dict, actor_agency: str | None) -> None:
    """Only an agency with a task in the complaint acts on it."""
    task_of(case, actor_agency)


def parse_accept(body: object) -> None:
    fields.obj(body, "", ())


def parse_reason(body: object) -> str:
    body = fields.obj(body, "", ("reason",))
    return fields.text(body, "reason", "reason", min_len=10, max_len=500)


def parse_follow_up(body: object) -> str:
    body = fields.obj(body, "", ("follow_up",))
    return fields.text(body, "follow_up", "follow_up", min_len=10, max_len=2000)


def accept(case: dict, agency: str, actor: str, now: datetime) -> tuple[dict, list]:
    if not task_of(case, agency)["lead"]:
        return _task_step(case, agency, Action.ACCEPT, EventType.TASK_ACCEPTED, {}, actor, now)
    return _lead_step(case, Action.ACCEPT, EventType.COMPLAINT_ACCEPTED, {}, actor, now)


def return_to_officers(
    case: dict, agency: str, reason: str, actor: str, now: datetime
) -> tuple[dict, list]:
    """The lead returns the complaint to the officers (every task is withdrawn); another
    agency returns only its task, for the admin to reassign or the lead to close."""
    details = {"reason": reason}
    if not task_of(case, agency)["lead"]:
        return _task_step(case, agency, Action.RETURN, EventType.TASK_RETURNED, details, actor, now)
    withdrawn = [t["agency"] for t in tasks_of(case) if not t["lead"]]
    return _lead_step(
        case,
        Action.RETURN,
        EventType.COMPLAINT_RETURNED,
        details | ({"withdrawn": withdrawn} if withdrawn else {}),
        actor,
        now,
        agency=None,
        tasks=[],
        referrals=[],
    )


def resolve(
    case: dict, agency: str, follow_up: str, actor: str, now: datetime
) -> tuple[dict, list]:
    """Another agency resolves its task; the lead resolves the complaint, once every other
    task is resolved or closed, with the follow-ups combined for the reporter."""
    details = {"follow_up": follow_up}
    if not task_of(case, agency)["lead"]:
        return _task_step(
            case, agency, Action.RESOLVE, EventType.TASK_RESOLVED, details, actor, now
        )
    pending = [
        t["agency"]
        for t in tasks_of(case)
        if not t["lead"] and TaskStatus(t["status"]) not in TASK_DONE
    ]
    if pending:
        raise CommandRejected(
            ErrorCode.TASKS_OPEN,
            f"the tasks of {', '.join(pending)} are not resolved yet: wait for them, or "
            "close a task with a reason (POST .../tasks/{agency}/close)",
        )
    parts = [{"agency": agency, "follow_up": follow_up}, *_other_parts(case)]
    combined = {"follow_up": combined_follow_up(parts), "parts": parts} if len(parts) > 1 else {}
    return _lead_step(
        case, Action.RESOLVE, EventType.COMPLAINT_RESOLVED, details | combined, actor, now
    )


def _other_parts(case: dict) -> list[dict]:
    """What the other agencies and the outside institutions answered, for the reporter."""
    parts = [
        {"agency": t["agency"], "follow_up": t["follow_up"]}
        for t in tasks_of(case)
        if not t["lead"] and t.get("follow_up")
    ]
    answered = [r for r in case.get("referrals", []) if r.get("answer")]
    return parts + [{"agency": r["institution"], "follow_up": r["answer"]} for r in answered]


def combined_follow_up(parts: list[dict]) -> str:
    """One text for the reporter: the lead's follow-up, then each other part by agency."""
    lead, *others = parts
    lines = [lead["follow_up"], *(f"{p['agency'].upper()}: {p['follow_up']}" for p in others)]
    return "\n".join(lines)


def close_task(
    case: dict, lead_agency: str, agency: str, reason: str, actor: str, now: datetime
) -> tuple[dict, list]:
    """The lead closes another agency's task, with a reason (it was not needed, or the
    lead did that part itself), so the complaint can be resolved without it."""
    if not task_of(case, lead_agency)["lead"]:
        raise CommandRejected(ErrorCode.FORBIDDEN, "only the lead agency closes a task")
    if task_of_named(case, agency)["lead"]:
        raise fields.invalid("agency", "the lead's own task ends when it resolves the complaint")
    details = {"reason": reason}
    return _task_step(case, agency, Action.CLOSE, EventType.TASK_CLOSED, details, actor, now)


def task_of_named(case: dict, agency: str) -> dict:
    for task in tasks_of(case):
        if task["agency"] == agency:
            return task
    raise CommandRejected(ErrorCode.NOT_FOUND, f"the complaint has no task of {agency}")


def parse_reassign(body: object) -> tuple[str, str]:
    body = fields.obj(body, "", ("agency", "reason"))
    agency = fields.text(body, "agency", "agency", min_len=2, max_len=60)
    return agency, fields.text(body, "reason", "reason", min_len=10, max_len=500)


def reassign(
    case: dict, old: str, new: str, reason: str, admin: str, now: datetime
) -> tuple[dict, list]:
    """An admin moves a task to another agency, which starts it afresh; the old agency
    loses the complaint. The lead's task moved makes the new agency the lead, and the
    complaint forwarded again."""
    task = task_of_named(case, old)
    if any(t["agency"] == new for t in tasks_of(case)):
        raise fields.invalid("agency", f"{new} already has a task in this complaint")
    next_task_status(TaskStatus(task["status"]), Action.REASSIGN)
    moved = {**_task(new, task["lead"], now), "from": old}
    tasks = [moved if t["agency"] == old else t for t in tasks_of(case)]
    record = {"from_agency": old, "agency": new, "reason": reason, "by": admin}
    data = {"agency": new, "from_agency": old, "lead": task["lead"], "reason": reason}
    event = (EventType.TASK_REASSIGNED, data | {"admin": admin})
    if task["lead"]:
        return _move(case, Action.REASSIGN, now, record, agency=new, tasks=tasks), [event]
    _check_open(case)
    entry = {"action": str(Action.REASSIGN), **record, "at": now}
    return _unmoved(case, tasks=tasks, history=[*case["history"], entry]), [event]


REFERRAL_FIELDS = ("sent_on", "answer", "answered_on")


def parse_referral(body: object, now: datetime) -> dict:
    """`{sent_on, answer?, answered_on?}`: the day the liaison sent the complaint to the
    institution and, once it answered, its answer and the day it came (YYYY-MM-DD, not
    after today in Semarang)."""
    body = fields.obj(body, "", REFERRAL_FIELDS)
    today = now.astimezone(JAKARTA).date()
    sent_on = _day(body, "sent_on", today, required=True)
    answer = fields.text(body, "answer", "answer", min_len=10, max_len=2000, required=False)
    answered_on = _day(body, "answered_on", today, required=answer is not None)
    if answered_on is not None and answer is None:
        raise fields.invalid("answer", "an answered_on day comes with the answer")
    if answered_on is not None and answered_on < sent_on:
        raise fields.invalid("answered_on", "must be on or after sent_on")
    return {
        "sent_on": sent_on.isoformat(),
        "answer": answer,
        "answered_on": answered_on and answered_on.isoformat(),
    }


def _day(body: dict, name: str, today: date, required: bool) -> date | None:
    value = body.get(name)
    if value is None:
        if required:
            raise fields.invalid(name, "required: a day as YYYY-MM-DD")
        return None
    if not isinstance(value, str) or not DAY.fullmatch(value):
        raise fields.invalid(name, "must be a day as YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise fields.invalid(name, "must be a day of the calendar, as YYYY-MM-DD") from None
    if day > today:
        raise fields.invalid(name, "must not be after today")
    return day


def record_referral(
    case: dict, agency: str, institution: str, referral: dict, actor: str, now: datetime
) -> tuple[dict, list]:
    """The lead's liaison records an outside institution's part (again, as it changes)."""
    if not task_of(case, agency)["lead"]:
        raise CommandRejected(ErrorCode.FORBIDDEN, "the lead agency's liaison records this")
    _check_open(case)
    referrals = case.get("referrals", [])
    if not any(r["institution"] == institution for r in referrals):
        raise CommandRejected(
            ErrorCode.NOT_FOUND, f"the complaint was not referred to {institution}"
        )
    entry = {"institution": institution, **referral, "by": actor, "at": now}
    kept = [entry if r["institution"] == institution else r for r in referrals]
    history = [*case["history"], {"action": "referral", **entry}]
    data = {"institution": institution, **referral, "by": actor}
    state = _unmoved(case, referrals=kept, history=history)
    return state, [(EventType.REFERRAL_RECORDED, data)]


def _check_open(case: dict) -> None:
    if Status(case["status"]) not in (Status.FORWARDED, Status.ACCEPTED):
        raise CommandRejected(
            ErrorCode.ILLEGAL_TRANSITION,
            f"the tasks of a complaint that is {case['status']} do not move",
        )


def _lead_step(case, action, event_type, details, actor, now, **changes) -> tuple[dict, list]:
    lead = case["agency"]
    state = _move(case, action, now, {**details, "by": actor}, **changes)
    if "tasks" not in changes and "tasks" in case:
        # The lead's task follows the complaint (accepted, resolved).
        status = TaskStatus(state["status"])
        state["tasks"] = [
            {**t, "status": str(status), "since": now} if t["lead"] else t for t in tasks_of(case)
        ]
    return state, [(event_type, {"agency": lead, **details, "by": actor})]


def _task_step(case, agency, action, event_type, details, actor, now) -> tuple[dict, list]:
    """A non-lead task moves; the complaint's status stays."""
    _check_open(case)
    task = task_of_named(case, agency)
    status = next_task_status(TaskStatus(task["status"]), action)
    recorded = {k: v for k, v in details.items() if k == "follow_up"}
    moved = {**task, "status": str(status), **recorded, "since": now}
    tasks = [moved if t["agency"] == agency else t for t in tasks_of(case)]
    entry = {"action": f"task_{action}", "agency": agency, **details, "by": actor, "at": now}
    state = _unmoved(case, tasks=tasks, history=[*case["history"], entry])
    return state, [(event_type, {"agency": agency, **details, "by": actor})]


def _unmoved(case: dict, **changes) -> dict:
    """A change within the case that leaves its status as it is (stated, for the answer)."""
    return {"status": case["status"], **changes}


def reopen(case: dict, reason: str, officer: str, now: datetime) -> tuple[dict, list]:
    """The reporter disputes the result: back to the officers, without an agency."""
    record = {"reason": reason, "by": officer}
    state = _move(case, Action.REOPEN, now, record, agency=None, tasks=[], referrals=[])
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
