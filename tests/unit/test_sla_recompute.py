"""The pure part of a calendar recompute: which clocks a change can move, their new
deadlines, and pages that read each of them once."""

import random
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.contracts.events import EventType
from services.contracts.reference import Scope
from services.sla import core, recompute
from services.sla.calendar import JAKARTA, WorkingDays, end_of_day
from services.sla.holidays_id import indonesian_holidays
from services.sla.policy import PERWAL_5_2023

POLICY = PERWAL_5_2023
COUNTS = set(POLICY.working_days.values())
NATIONAL = WorkingDays(indonesian_holidays(2025, 2027))
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 in Semarang


def clock(received: datetime, scope: Scope = Scope.SINGLE_AGENCY, paused: int = 0) -> dict:
    """A running clock as the store keeps it: received, classified, maybe paused."""
    state, _ = core.start_clock(received, POLICY, NATIONAL)
    state = {**state, "_id": f"SMG-{received.isoformat()}-{scope}-{paused}"}
    if scope != Scope.SINGLE_AGENCY:
        state, _ = core.rescope(state, str(scope), POLICY, NATIONAL, received)
    if paused:
        state = {**state, "paused_days": paused}
        state["due_at"] = NATIONAL.due_at(state["starts_at"], state["working_days"] + paused)
    return state


def matches(doc: dict, query: dict) -> bool:
    """MongoDB's reading of the filters recompute.pages writes (equality, $gte, $lt)."""
    for field, wanted in query.items():
        value = doc[field]
        if isinstance(wanted, dict):
            if "$gte" in wanted and not value >= wanted["$gte"]:
                return False
            if "$lt" in wanted and not value < wanted["$lt"]:
                return False
        elif value != wanted:
            return False
    return True


def read_all(docs: list[dict], changed: date, calendar: WorkingDays, page: int = 50):
    """Runs the pages over `docs` as the store does, moving each page's clocks before
    the next query; returns the ids read (in order) and the size of every query."""
    plan = recompute.pages(changed, NOW, COUNTS, calendar, page)
    stored = {doc["_id"]: doc for doc in docs}
    read, sizes = [], []
    query = next(plan)
    while True:
        found = [doc for doc in stored.values() if matches(doc, query)]
        read += [doc["_id"] for doc in found]
        sizes.append(len(found))
        for state, (new, _) in recompute.moves(
            found, changed, lambda _: POLICY, calendar, "calendar", NOW
        ):
            stored[state["_id"]] = new
        try:
            query = plan.send(len(found))
        except StopIteration:
            docs[:] = stored.values()
            return read, sizes


received = st.datetimes(
    min_value=datetime(2026, 1, 5), max_value=datetime(2026, 11, 26), timezones=st.just(UTC)
)
changes = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 31))


@settings(max_examples=300, deadline=None)
@given(received, st.sampled_from(list(Scope)), st.integers(0, 12), changes)
def test_a_change_of_a_day_the_clock_does_not_span_never_moves_its_deadline(
    at, scope, paused, changed
):
    running = clock(at, scope, paused)
    after = NATIONAL.toggled(changed)
    decided = core.recompute(running, POLICY, after, "calendar", NOW)
    if not recompute.spans(running, changed):
        assert decided is None
    else:
        # a day it spans moves it, one working day later or earlier
        state, [(kind, data)] = decided
        assert kind == EventType.DEADLINE_SET and data["due_at"] == state["due_at"].isoformat()
        later = not after.is_working_day(changed)
        assert (state["due_at"] > running["due_at"]) == later
        shift = (NATIONAL if later else after).between(
            min(running["due_at"], state["due_at"]).astimezone(JAKARTA).date(),
            max(running["due_at"], state["due_at"]).astimezone(JAKARTA).date(),
        )
        assert shift == 1


def test_moves_keeps_only_the_clocks_whose_deadline_moves():
    thursday = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    day_off = date(2026, 11, 30)  # Monday
    spanning, ended = clock(thursday), clock(NOW - timedelta(days=30))
    later = clock(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # counts from Tuesday
    stopped, _ = core.stop_clock(clock(thursday - timedelta(days=1)), NOW)
    after = NATIONAL.toggled(day_off)
    moved = recompute.moves(
        [spanning, ended, later, stopped], day_off, lambda _: POLICY, after, "calendar: x", NOW
    )
    [(state, (new, [(kind, data)]))] = moved
    assert state is spanning and kind == EventType.DEADLINE_SET
    assert end_of_day(date(2026, 12, 3)) == spanning["due_at"]
    assert new["due_at"] == end_of_day(date(2026, 12, 4))
    assert new["history"][-1]["reason"] == data["reason"] == "calendar: x"
    assert new["timers"][-1] == {
        "key": "1:breach",
        "kind": "breach",
        "label": "due",
        "at": new["due_at"],
    }


def test_clocks_never_paused_started_on_the_days_the_rule_fixes():
    friday = date(2026, 12, 4)
    # 5 working days before Friday 4 December: from Friday 27 November, or from the
    # weekend after it (the day of receipt never counts)
    weekdays = WorkingDays(holidays=[])
    assert recompute.start_days(friday, {5}, weekdays) == [
        date(2026, 11, 29),
        date(2026, 11, 28),
        date(2026, 11, 27),
    ]
    # with Tuesday 1 December off, from Thursday 26 November only
    assert recompute.start_days(friday, {5}, WorkingDays([date(2026, 12, 1)])) == [
        date(2026, 11, 26)
    ]
    assert recompute.start_days(date(2026, 12, 5), {5}, weekdays) == []  # a Saturday
    days = recompute.start_days(friday, {1, 5}, weekdays)
    assert recompute.runs(days) == [
        (date(2026, 12, 3), date(2026, 12, 3)),
        (date(2026, 11, 27), date(2026, 11, 29)),
    ]


def test_windows_aim_at_a_page_and_grow_after_an_empty_one():
    windows = recompute.Windows(page=100)
    hour = timedelta(hours=1)
    assert windows.first() == recompute.FIRST_WIDTH
    assert windows.next(hour, 0) == 2 * hour
    assert windows.next(hour, 400) == hour / 4  # 400 clocks an hour: a quarter hour
    assert windows.next(hour, 200) == hour / 2
    assert windows.first() == hour / 4  # from the densest starts seen
    assert windows.next(hour, 0) == hour / 2  # never past two pages at that density
    assert recompute.Windows(100).next(recompute.WIDEST, 0) == recompute.WIDEST


def population(seed: int = 7, count: int = 3000) -> list[dict]:
    """Clocks received over 40 days up to NOW, some classified, some paused, a few
    stopped, and one with a deadline that is not at the end of a day."""
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        at = NOW - timedelta(minutes=rng.randrange(1, 60 * 24 * 40))
        scope = rng.choice(
            [Scope.SINGLE_AGENCY] * 6 + [Scope.CROSS_AGENCY, Scope.CROSS_INSTITUTION]
        )
        paused = rng.choice([0] * 8 + [1, 3, 20])
        state = clock(at, scope, paused)
        if rng.random() < 0.05:
            state, _ = core.stop_clock(state, NOW)
        docs.append(state)
    docs[0] = {**docs[0], "running": True, "due_at": docs[0]["due_at"] - timedelta(hours=5)}
    return docs


def test_the_pages_read_every_clock_the_change_can_move_once_and_no_other():
    for changed in (date(2026, 11, 30), date(2026, 11, 12), date(2026, 12, 24)):
        for calendar in (NATIONAL.toggled(changed), NATIONAL):
            docs = population()
            spanning = {doc["_id"] for doc in docs if recompute.spans(doc, changed)}
            read, sizes = read_all(docs, changed, calendar)
            assert len(read) == len(set(read)), "a clock was read twice"
            assert set(read) >= spanning
            # Only a clock that started after the day (due after the last deadline
            # counted) may be read needlessly.
            assert len(set(read) - spanning) <= 0.02 * len(docs)
            assert max(sizes) <= 4 * 50


def test_a_working_day_added_reads_forward_so_a_moved_clock_is_not_read_again():
    day = date(2026, 11, 30)
    off = NATIONAL.toggled(day)  # as if Monday 30 November had been a day off
    docs = [clock(NOW - timedelta(days=n, hours=h)) for n in range(1, 12) for h in range(3)]
    docs = [{**doc, "due_at": off.due_at(doc["starts_at"], 5)} for doc in docs]
    read, _ = read_all(docs, day, NATIONAL)
    assert len(read) == len(set(read))
    moved = [doc for doc in docs if doc["history"][-1]["reason"] == "calendar"]
    assert moved and all(doc["due_at"] == NATIONAL.due_at(doc["starts_at"], 5) for doc in moved)


def test_a_change_after_every_deadline_not_paused_is_one_query():
    plan = list(recompute.pages(date(2027, 6, 1), NOW, COUNTS, NATIONAL))
    assert plan == [{"running": True, "due_at": {"$gte": recompute.midnight(date(2027, 6, 1))}}]
