from datetime import UTC, datetime

from services.contracts.events import EventType
from services.sla import core
from services.sla.calendar import WorkingDays

CALENDAR = WorkingDays(holidays=())
RECEIVED = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # a Friday in Semarang


def test_the_clock_starts_on_the_provisional_five_days():
    state, [(event_type, data)] = core.start_clock(RECEIVED, CALENDAR)
    assert event_type == EventType.DEADLINE_SET
    assert state["working_days"] == 5 and state["running"]
    assert data["due_at"] == "2026-12-04T23:59:59+07:00"
    assert data["policy"] == "perwal-semarang-5-2023"


def test_scope_sets_five_ten_or_thirty_working_days_from_the_same_day():
    clock, _ = core.start_clock(RECEIVED, CALENDAR)
    cross_agency, _ = core.rescope(clock, "cross_agency", CALENDAR)
    assert cross_agency["working_days"] == 10
    assert cross_agency["due_at"].date().isoformat() == "2026-12-11"
    institution, _ = core.rescope(cross_agency, "cross_institution", CALENDAR)
    assert institution["working_days"] == 30
    assert institution["due_at"].date().isoformat() == "2027-01-08"
    assert core.rescope(institution, "cross_institution", CALENDAR) is None


def test_a_stopped_clock_stays_stopped():
    clock, _ = core.start_clock(RECEIVED, CALENDAR)
    stopped, events = core.stop_clock(clock, RECEIVED)
    assert stopped["running"] is False and events == []
    assert core.stop_clock({**clock, **stopped}, RECEIVED) is None
