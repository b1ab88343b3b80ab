from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from services.sla.calendar import WorkingDays
from services.sla.holidays_id import indonesian_holidays

HOLIDAYS = indonesian_holidays(2025, 2027)
CALENDAR = WorkingDays(HOLIDAYS)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
counts = st.integers(min_value=0, max_value=60)


@given(days, st.integers(min_value=1, max_value=60))
def test_a_deadline_never_falls_on_a_non_working_day(start, n):
    assert CALENDAR.is_working_day(CALENDAR.add(start, n))


@given(days, counts, counts)
def test_adding_n_then_m_equals_adding_n_plus_m(start, n, m):
    assert CALENDAR.add(CALENDAR.add(start, n), m) == CALENDAR.add(start, n + m)


@given(days, counts, counts)
def test_deadlines_grow_with_n(start, n, m):
    low, high = sorted((n, m))
    assert CALENDAR.add(start, low) <= CALENDAR.add(start, high)
    if low < high:
        assert CALENDAR.add(start, low) < CALENDAR.add(start, high)


@given(days, days, st.integers(min_value=1, max_value=60))
def test_deadlines_grow_with_the_start(first, second, n):
    early, late = sorted((first, second))
    assert CALENDAR.add(early, n) <= CALENDAR.add(late, n)


def test_lebaran_2026_and_its_cuti_bersama_are_skipped():
    # Idul Fitri 1447 H: 20-24 March 2026 are holidays or cuti bersama (Fri-Tue).
    # 18-19 March are Nyepi and its cuti bersama, so Tuesday 17 March is followed by
    # eight days off.
    assert CALENDAR.add(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert CALENDAR.add(date(2026, 3, 19), 5) == date(2026, 3, 31)


def test_christmas_new_year_and_weekends():
    # Wed 23 Dec 2026; 24 (cuti bersama) and 25 Dec off; weekend 26-27; 1 Jan 2027 off.
    assert CALENDAR.add(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert CALENDAR.add(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert CALENDAR.add(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday to Monday


def test_the_deadline_is_the_end_of_the_day_in_semarang():
    # 20:00 UTC on Thursday 26 Nov is already Friday 27 Nov in Semarang.
    due = CALENDAR.due_at(datetime(2026, 11, 26, 20, 0, tzinfo=UTC), 5)
    assert due.isoformat() == "2026-12-04T23:59:59+07:00"


def test_holidays_are_injected_not_looked_up():
    plain = WorkingDays(holidays=())
    assert plain.add(date(2026, 3, 19), 1) == date(2026, 3, 20)
    assert plain.add(date(2026, 3, 20), 1) == date(2026, 3, 23)
    custom = WorkingDays(holidays=[date(2026, 3, 23)])
    assert custom.add(date(2026, 3, 20), 1) == date(2026, 3, 24)
    assert custom.add(date(2026, 3, 20), 0) == date(2026, 3, 20)
