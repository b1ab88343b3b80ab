"""SLA's pure core: a complaint's clock under a policy and a calendar.

The overall deadline is the end (Asia/Jakarta) of the Nth working day after the day of
receipt, N by scope, plus the working days the clock was paused. Timers (warnings,
stage targets, the breach) are kept in the clock with their instants; each fires once
per cycle, whenever the sweep first sees it due.
"""

from datetime import datetime
from math import ceil

from services.chassis import fields
from services.contracts.events import EventType
from services.contracts.reference import Scope
from services.sla.calendar import JAKARTA, WorkingDays
from services.sla.policy import Policy

# Until an officer has classified it, a complaint is held to the shortest deadline.
PROVISIONAL_SCOPE = Scope.SINGLE_AGENCY

# Who is told, by timer kind: recorded as notifications for the notifier to deliver.
RECIPIENTS = {
    "warning": ("handler",),
    "stage_overdue": ("handler",),
    "breach": ("handler", "supervisor", "agency_head"),
}


def start_clock(received_at: datetime, policy: Policy, calendar: WorkingDays) -> tuple:
    clock = {
        "received_at": received_at,
        "starts_at": received_at,
        "running": True,
        "cycle": 1,
        "paused_since": None,
        "paused_days": 0,
        "agency": None,
        "stage": "review",
        "stage_since": received_at,
        "fired": [],
        "history": [],
        "policy": policy.key,
    }
    return _set_deadline(clock, PROVISIONAL_SCOPE, policy, calendar, "received", received_at)


def rescope(
    clock: dict,
    scope: str,
    policy: Policy,
    calendar: WorkingDays,
    now: datetime,
    category: str | None = None,
):
    """Classification: the deadline follows the scope and the category's policy, counted
    from the same day of receipt; the admin's forwarding target starts."""
    clock = {**clock, "stage": "forward", "stage_since": now, "category": category}
    if clock["scope"] == scope and clock["policy"] == policy.key:
        return _reschedule(clock, policy, calendar), []
    return _set_deadline(clock, Scope(scope), policy, calendar, "classified", now)


def enter_stage(
    clock: dict,
    stage: str | None,
    agency: str | None,
    policy: Policy,
    calendar: WorkingDays,
    now: datetime,
) -> tuple:
    """Forwarded, accepted or returned: a new stage target (or none), same deadline."""
    clock = {**clock, "stage": stage, "stage_since": now, "agency": agency}
    return _reschedule(clock, policy, calendar), []


# A task's stage once it is resolved, closed or moved to another agency: no target.
TASK_DONE = "done"


def task_stages(
    clock: dict, changes: list[tuple[str, str | None, datetime]], policy, calendar
) -> tuple:
    """Each agency's own task stage beside the lead's (the clock's): (agency, stage,
    since) changes, stage TASK_DONE when the task ended. Events reach sla through one
    queue per type, so one may arrive after a later one: a change older than what a
    task holds, or than the last reset of the tasks, is ignored."""
    tasks = {t["agency"]: t for t in clock.get("tasks", [])}
    reset_at = clock.get("tasks_since")
    for agency, stage, since in changes:
        current = tasks.get(agency)
        if (current and current["since"] > since) or (reset_at and reset_at > since):
            continue
        tasks[agency] = {"agency": agency, "stage": stage, "since": since}
    return _reschedule({**clock, "tasks": list(tasks.values())}, policy, calendar), []


# The lead's stage after the complaint's step: a target to accept once forwarded, none
# once accepted (the deadline still runs), the officers' review once returned.
STAGE_AFTER = {
    EventType.COMPLAINT_FORWARDED: "agency_response",
    EventType.COMPLAINT_ACCEPTED: None,
    EventType.COMPLAINT_RETURNED: "review",
}


def lead_moved(
    clock: dict, kind: str, data: dict, at: datetime, policy, calendar, now: datetime
) -> tuple:
    """Forwarded, accepted or returned (the lead's steps): the lead's stage; a forwarding
    also starts every other agency's task, and the lead returning withdraws them."""
    returned = kind == EventType.COMPLAINT_RETURNED
    if returned:
        clock = reset_tasks(clock, at)
    elif kind == EventType.COMPLAINT_FORWARDED:
        tasks = data.get("tasks", [])
        others = [(t["agency"], "agency_response", at) for t in tasks if not t["lead"]]
        if others:
            clock, _ = task_stages(clock, others, policy, calendar)
    agency = None if returned else data["agency"]
    return enter_stage(clock, STAGE_AFTER[kind], agency, policy, calendar, now)


# A non-lead task's stage after its step: no target once accepted (the deadline still
# runs), or while a returned task waits for the admin; none ever once done.
TASK_STAGE_AFTER = {
    EventType.TASK_ACCEPTED: None,
    EventType.TASK_RETURNED: None,
    EventType.TASK_RESOLVED: TASK_DONE,
    EventType.TASK_CLOSED: TASK_DONE,
}


def task_moved(
    clock: dict, kind: str, data: dict, at: datetime, policy, calendar, now: datetime
) -> tuple:
    """A task's step (complaint.task_*): its stage changes; a task moved to another
    agency ends for the old one and starts for the new, and the lead's moved makes the
    new agency the lead, in the agency_response stage."""
    if kind != EventType.TASK_REASSIGNED:
        return task_stages(clock, [(data["agency"], TASK_STAGE_AFTER[kind], at)], policy, calendar)
    changes = [(data["from_agency"], TASK_DONE, at)]
    if not data["lead"]:
        changes.append((data["agency"], "agency_response", at))
    clock, _ = task_stages(clock, changes, policy, calendar)
    if data["lead"]:
        return enter_stage(clock, "agency_response", data["agency"], policy, calendar, now)
    return clock, []


def reset_tasks(clock: dict, at: datetime) -> dict:
    """The lead returned the complaint or it was reopened: every other task is withdrawn."""
    return {**clock, "tasks": [], "tasks_since": at}


def recompute(
    clock: dict, policy: Policy, calendar: WorkingDays, reason: str, now: datetime
) -> tuple | None:
    """After a calendar change: a new deadline only if the change moved it."""
    if not clock["running"]:
        return None
    due_at = _due_at(clock, clock["working_days"], calendar)
    if due_at == clock["due_at"]:
        return None
    return _set_deadline(clock, Scope(clock["scope"]), policy, calendar, reason, now)


def parse_question(body: object) -> str:
    """What staff ask the reporter: a question they can answer, in Bahasa Indonesia."""
    body = fields.obj(body, "", ("question",))
    return fields.text(body, "question", "question", min_len=5, max_len=500)


def pause(clock: dict, now: datetime, question: str | None = None, by: str | None = None):
    """Stops the clock while the complaint awaits the reporter; with a question, the
    reporter is asked for the missing information (intake sends the notice)."""
    if not clock["running"] or clock["paused_since"] is not None:
        return None
    state = {**clock, "paused_since": now, "timers": [], "next_at": None}
    data = {"since": now.isoformat()}
    if question:
        data |= {"question": question, "by": by}
    return state, [(EventType.SLA_PAUSED, data)]


def resume(clock: dict, policy: Policy, calendar: WorkingDays, now: datetime) -> tuple | None:
    """The paused working days extend the deadline and every timer not yet fired."""
    if clock["paused_since"] is None:
        return None
    paused = calendar.between(_day(clock["paused_since"]), _day(now))
    clock = {**clock, "paused_since": None, "paused_days": clock["paused_days"] + paused}
    state, events = _set_deadline(
        clock,
        Scope(clock["scope"]),
        policy,
        calendar,
        f"resumed after {paused} working days paused",
        now,
    )
    return state, [(EventType.SLA_RESUMED, {"paused_working_days": paused}), *events]


def reopen(clock: dict, policy: Policy, calendar: WorkingDays, now: datetime) -> tuple:
    """A new cycle from the day of reopening: its own deadline and its own timers."""
    cycle = clock["cycle"] + 1
    clock = {
        **clock,
        "cycle": cycle,
        "starts_at": now,
        "running": True,
        "paused_since": None,
        "paused_days": 0,
        "agency": None,
        "stage": "review",
        "stage_since": now,
        "closing_at": None,
    }
    clock = reset_tasks(clock, now)
    return _set_deadline(
        clock, PROVISIONAL_SCOPE, policy, calendar, f"reopened (cycle {cycle})", now
    )


def stop_clock(clock: dict, now: datetime) -> tuple | None:
    """Stops the deadline clock; a closed or linked complaint has no closing to wait for."""
    if not clock["running"] and clock.get("closing_at") is None:
        return None
    stopped = {"running": False, "timers": [], "next_at": None, "closing_at": None}
    return {**clock, **stopped, "stopped_at": clock.get("stopped_at") or now}, []


def result_conveyed(
    clock: dict, conveyed_at: datetime, calendar: WorkingDays, working_days: int
) -> tuple:
    """The result reached the reporter (step 6 done): the deadline clock stops, and the
    complaint closes at the end (Asia/Jakarta) of the `working_days`-th working day after
    the day it was conveyed, unless the reporter rates or disputes it first."""
    closing_at = calendar.due_at(conveyed_at, working_days)
    closing = {"conveyed_at": conveyed_at, "working_days": working_days, "at": closing_at}
    state, _ = stop_clock(clock, conveyed_at) or ({**clock}, [])
    return {**state, "closing_at": closing_at, "closing": closing}, []


def closing_due(clock: dict, now: datetime) -> tuple | None:
    """The closing timer, once: cleared in the same change that records its event."""
    closing_at = clock.get("closing_at")
    if closing_at is None or closing_at > now:
        return None
    closing = clock["closing"]
    data = {
        "conveyed_at": closing["conveyed_at"].isoformat(),
        "working_days": closing["working_days"],
        "at": closing_at.isoformat(),
    }
    record = {"key": f"{clock['cycle']}:closing", "at": closing_at, "fired_at": now}
    fired = [*clock["fired"], record]
    return {**clock, "closing_at": None, "fired": fired}, [(EventType.SLA_CLOSING_DUE, data)]


def fire_due(clock: dict, now: datetime) -> tuple | None:
    """Every timer due at `now`, once: removed from the clock in the same change that
    records its event."""
    due = [t for t in clock.get("timers", []) if t["at"] <= now]
    if not clock["running"] or not due:
        return None
    rest = [t for t in clock["timers"] if t["at"] > now]
    fired = [*clock["fired"], *({"key": t["key"], "at": t["at"], "fired_at": now} for t in due)]
    notices = [*clock.get("notifications", []), *(_notice(clock, t, now) for t in due)]
    state = {
        **clock,
        "timers": rest,
        "fired": fired,
        "next_at": _next(rest),
        "notifications": notices,
    }
    return state, [_event(clock, timer) for timer in due]


STAGE_LABELS = {
    "review": "verifikasi petugas",
    "forward": "penerusan ke perangkat daerah",
    "agency_response": "tanggapan perangkat daerah",
}


def recipients(clock: dict, kind: str, agency: str | None = None) -> list[str]:
    """Who is told: the handler (the agency's admin once forwarded, else the officers);
    on a breach also the supervisors and the agency's head. A task's stage target
    concerns its `agency`; the complaint's warnings and breach concern the lead and every
    agency whose task is still open."""
    agencies = [agency] if agency else concerned_agencies(clock)
    names = {
        "handler": [f"agency_admin:{a}" for a in agencies] or ["officer"],
        "supervisor": ["supervisor"],
        "agency_head": [f"agency_head:{a}" for a in agencies],
    }
    return [name for r in RECIPIENTS[kind] for name in names[r]]


def concerned_agencies(clock: dict) -> list[str]:
    """The lead, then each agency with an open task (none before forwarding)."""
    lead = clock.get("agency")
    if lead is None:
        return []
    others = [t["agency"] for t in clock.get("tasks", []) if t["stage"] != TASK_DONE]
    return [lead, *(a for a in others if a != lead)]


def _notice(clock: dict, timer: dict, now: datetime) -> dict:
    """A notification for the notifier to deliver, in Bahasa Indonesia."""
    ticket = clock["_id"]
    due = clock["due_at"].astimezone(JAKARTA).strftime("%d-%m-%Y")
    if timer["kind"] == "warning":
        text = (
            f"Peringatan: pengaduan {ticket} telah melewati {timer['label']} dari batas "
            f"waktu; jatuh tempo {due}."
        )
    elif timer["kind"] == "stage_overdue":
        text = (
            f"Tahap {STAGE_LABELS.get(timer['label'], timer['label'])} untuk pengaduan "
            f"{ticket} melewati target waktu."
        )
    else:
        text = f"Pengaduan {ticket} melewati batas waktu penyelesaian ({due})."
    return {
        "kind": timer["kind"],
        "label": timer["label"],
        "recipients": recipients(clock, timer["kind"], timer.get("agency")),
        "message": text,
        "at": now,
        "delivered": False,
    }


def remaining_working_days(clock: dict, calendar: WorkingDays, now: datetime) -> int:
    """Whole working days left after today; negative when the deadline has passed."""
    today, due = _day(now), _day(clock["due_at"])
    if due >= today:
        return calendar.between(today, due)
    return -calendar.between(due, today)


def state(clock: dict, now: datetime) -> str:
    if not clock["running"]:
        return "stopped"
    if clock["paused_since"] is not None:
        return "paused"
    if clock["due_at"] < now:
        return "breached"
    warned = {
        f["key"].split(":")[1]
        for f in clock["fired"]
        if f["key"].startswith(f"{clock['cycle']}:warning")
    }
    return "due_soon" if warned else "on_track"


def open_gauges(clocks: list[dict], now: datetime, due_soon) -> tuple[dict[str, int], float | None]:
    """What the SLA gauges show of the running clocks (each with `due_at` and
    `paused_since`): how many are paused, overdue, due within `due_soon` or on track, and
    the seconds to the earliest deadline of those not paused (None when there is none)."""
    counts = {"paused": 0, "overdue": 0, "due_soon": 0, "on_track": 0}
    earliest = None
    for clock in clocks:
        if clock.get("paused_since") is not None:
            counts["paused"] += 1
            continue
        due_at = clock["due_at"]
        earliest = due_at if earliest is None or due_at < earliest else earliest
        if due_at < now:
            counts["overdue"] += 1
        elif due_at < now + due_soon:
            counts["due_soon"] += 1
        else:
            counts["on_track"] += 1
    return counts, None if earliest is None else (earliest - now).total_seconds()


# internals


def _set_deadline(clock, scope: Scope, policy, calendar, reason: str, now: datetime) -> tuple:
    days = policy.working_days[str(scope)]
    due_at = _due_at(clock, days, calendar)
    record = {
        "at": now,
        "reason": reason,
        "scope": str(scope),
        "working_days": days,
        "paused_days": clock["paused_days"],
        "due_at": due_at,
        "policy": policy.key,
    }
    clock = {
        **clock,
        "scope": str(scope),
        "working_days": days,
        "due_at": due_at,
        "policy": policy.key,
        "history": [*clock["history"], record],
    }
    event = {
        "scope": str(scope),
        "working_days": days,
        "starts_on": clock["starts_at"].isoformat(),
        "cycle": clock["cycle"],
        "due_at": due_at.isoformat(),
        "policy": policy.id,
        "policy_version": policy.version,
        "paused_working_days": clock["paused_days"],
        "reason": reason,
    }
    return _reschedule(clock, policy, calendar), [(EventType.DEADLINE_SET, event)]


def _due_at(clock: dict, days: int, calendar: WorkingDays) -> datetime:
    return calendar.due_at(clock["starts_at"], days + clock["paused_days"])


def _reschedule(clock: dict, policy: Policy, calendar: WorkingDays) -> dict:
    """The clock's timers, all but those already fired in this cycle."""
    if not clock["running"] or clock["paused_since"] is not None:
        return {**clock, "timers": [], "next_at": None}
    fired = {f["key"] for f in clock["fired"]}
    timers = [t for t in _timers(clock, policy, calendar) if t["key"] not in fired]
    return {**clock, "timers": timers, "next_at": _next(timers)}


def _timers(clock: dict, policy: Policy, calendar: WorkingDays) -> list[dict]:
    days, paused, cycle = clock["working_days"], clock["paused_days"], clock["cycle"]
    positions: dict[int, str] = {}
    for fraction in policy.warn_fractions:
        positions.setdefault(ceil(fraction * days), f"{round(fraction * 100)}%")
    for before in policy.warn_days_before:
        positions.setdefault(days - before, f"{before}d")
    timers = [
        {
            "key": f"{cycle}:warning:{label}",
            "kind": "warning",
            "label": label,
            "at": calendar.due_at(clock["starts_at"], position + paused),
        }
        for position, label in sorted(positions.items())
        if 1 <= position < days
    ]
    stage = clock.get("stage")
    if stage in policy.stage_targets:
        target = calendar.due_at(clock["stage_since"], policy.stage_targets[stage])
        key = f"{cycle}:stage_overdue:{stage}:{clock['stage_since'].isoformat()}"
        timer = {"key": key, "kind": "stage_overdue", "label": stage, "at": target}
        # The lead's own stage target is the lead's alone.
        timers.append(timer | ({"agency": clock["agency"]} if clock.get("agency") else {}))
    for task in clock.get("tasks", []):
        if task["stage"] in policy.stage_targets:
            target = calendar.due_at(task["since"], policy.stage_targets[task["stage"]])
            since = task["since"].isoformat()
            key = f"{cycle}:stage_overdue:{task['stage']}:{task['agency']}:{since}"
            timer = {"key": key, "kind": "stage_overdue", "label": task["stage"], "at": target}
            timers.append(timer | {"agency": task["agency"]})
    timers.append(
        {"key": f"{cycle}:breach", "kind": "breach", "label": "due", "at": clock["due_at"]}
    )
    return sorted(timers, key=lambda t: t["at"])


def _event(clock: dict, timer: dict) -> tuple:
    kind = timer["kind"]
    data = {
        "kind": kind,
        "label": timer["label"],
        "at": timer["at"].isoformat(),
        "due_at": clock["due_at"].isoformat(),
        # A task's stage target is its agency's; the rest concern the lead and the
        # agencies with open tasks (agencies).
        "agency": timer.get("agency") or clock.get("agency"),
        "agencies": [timer["agency"]] if timer.get("agency") else concerned_agencies(clock),
        "stage": timer["label"] if timer.get("agency") else clock.get("stage"),
        "category": clock.get("category"),
        "recipients": recipients(clock, kind, timer.get("agency")),
    }
    event_type = {
        "warning": EventType.SLA_WARNING,
        "stage_overdue": EventType.SLA_STAGE_OVERDUE,
        "breach": EventType.SLA_BREACHED,
    }[kind]
    return event_type, data


def _next(timers: list[dict]) -> datetime | None:
    return min((t["at"] for t in timers), default=None)


def _day(moment: datetime):
    return moment.astimezone(JAKARTA).date()
