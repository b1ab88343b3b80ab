"""SLA's pure core: which deadline a complaint has, by the policy and its scope."""

from datetime import datetime

from services.contracts.events import EventType
from services.contracts.reference import Scope
from services.sla.calendar import WorkingDays

# Perwal Semarang 5/2023: one agency, several city agencies, outside institutions.
PERWAL_5_2023 = "perwal-semarang-5-2023"
WORKING_DAYS_BY_SCOPE = {
    Scope.SINGLE_AGENCY: 5,
    Scope.CROSS_AGENCY: 10,
    Scope.CROSS_INSTITUTION: 30,
}
# Until an officer has classified it, a complaint is held to the shortest deadline.
PROVISIONAL_SCOPE = Scope.SINGLE_AGENCY


def start_clock(received_at: datetime, calendar: WorkingDays) -> tuple[dict, list]:
    state = {"received_at": received_at, "running": True}
    return _set_deadline(state, PROVISIONAL_SCOPE, calendar)


def rescope(clock: dict, scope: str, calendar: WorkingDays) -> tuple[dict, list] | None:
    """A new scope recomputes the deadline from the same day of receipt."""
    if clock["scope"] == scope:
        return None
    return _set_deadline(clock, Scope(scope), calendar)


def stop_clock(clock: dict, now: datetime) -> tuple[dict, list] | None:
    if not clock["running"]:
        return None
    return {"running": False, "stopped_at": now}, []


def _set_deadline(clock: dict, scope: Scope, calendar: WorkingDays) -> tuple[dict, list]:
    days = WORKING_DAYS_BY_SCOPE[scope]
    due_at = calendar.due_at(clock["received_at"], days)
    state = {
        **clock,
        "scope": str(scope),
        "working_days": days,
        "due_at": due_at,
        "policy": PERWAL_5_2023,
    }
    event = {
        "scope": str(scope),
        "working_days": days,
        "starts_on": clock["received_at"].isoformat(),
        "due_at": due_at.isoformat(),
        "policy": PERWAL_5_2023,
    }
    return state, [(EventType.DEADLINE_SET, event)]
