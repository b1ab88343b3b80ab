"""After a calendar change: which clocks it can move, how to read them in small pages,
and their new deadlines. Pure: the store runs the queries and the writes.

A change of day X moves only the clocks whose counting spans it: started before X and
due on or after X. Every deadline falls at the end of a day (calendar.end_of_day), so
the clocks due on one day share one `due_at`; among them, a clock never paused started
on one of a few days the rule fixes (N working days before its deadline, for each N
the policies use). The pages follow the (running, due_at, starts_at) index: equality
on `running` and `due_at` and a window of `starts_at` over those days, sized to about
PAGE clocks; single queries cover the stretches between (a clock that was paused, a
deadline not at the end of a day). So every clock the change can move is read once,
and SecantusDB, which decodes every document a query matches whatever its limit,
decodes hardly any other.
"""

from collections.abc import Callable, Generator, Iterable
from datetime import date, datetime, time, timedelta

from services.chassis.envelope import Recorded
from services.sla import core
from services.sla.calendar import JAKARTA, WorkingDays, end_of_day
from services.sla.policy import Policy

PAGE = 500
FIRST_WIDTH = timedelta(hours=1)
NARROWEST = timedelta(minutes=1)
WIDEST = timedelta(days=31)
DAY = timedelta(days=1)
# BSON dates count milliseconds: the instant right after a deadline.
JUST_AFTER = timedelta(milliseconds=1)

Query = dict
# Yields queries; is sent back how many clocks each matched (to size the next window).
Pages = Generator[Query, int, None]
Move = tuple[dict, tuple[dict, list[Recorded]]]


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=JAKARTA)


def spans(clock: dict, day: date) -> bool:
    """Whether `day` can count for the clock: it started before that day and is due on
    or after it. A change of any other day leaves its deadline where it is."""
    start = midnight(day)
    return bool(clock["running"]) and clock["starts_at"] < start <= clock["due_at"]


def start_days(due: date, counts: Iterable[int], calendar: WorkingDays) -> list[date]:
    """The days on which a clock never paused started if its deadline of one of
    `counts` working days falls on `due`, newest first."""
    wanted = set(counts)
    if not wanted or not calendar.is_working_day(due):
        return []
    found, counted, day = [], 0, due
    while True:
        counted += calendar.is_working_day(day)  # working days after day - 1, up to due
        if counted > max(wanted):
            return found
        if counted in wanted:
            found.append(day - DAY)
        day -= DAY


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs, newest first."""
    result: list[tuple[date, date]] = []
    for day in sorted(set(days), reverse=True):
        if result and result[-1][0] - DAY == day:
            result[-1] = (day, result[-1][1])
        else:
            result.append((day, day))
    return result


class Windows:
    """Sizes windows of start instants to about `page` clocks each, from the densest
    starts seen so far (one day's clusters are like the next's): a window rather
    reads too few clocks than too many, and never more than a few pages' worth."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.peak = 0.0  # clocks per second

    def first(self) -> timedelta:
        return self._bounded(FIRST_WIDTH if not self.peak else self._widest() / 2)

    def next(self, width: timedelta, found: int) -> timedelta:
        """The next window's width after one of `width` held `found` clocks."""
        if found:
            self.peak = max(self.peak, found / width.total_seconds())
        factor = 2.0 if found == 0 else min(2.0, max(0.25, self.page / found))
        return self._bounded(width * factor)

    def _widest(self) -> timedelta:
        return timedelta(seconds=2 * self.page / self.peak)

    def _bounded(self, width: timedelta) -> timedelta:
        # A run of start days is a few days long.
        widest = min(WIDEST, self._widest()) if self.peak else WIDEST
        return min(widest, max(NARROWEST, width))


def pages(
    changed: date,
    now: datetime,
    counts: Iterable[int],
    calendar: WorkingDays,
    page: int = PAGE,
) -> Pages:
    """Queries that together match every running clock that may span `changed`, each
    once: for each day from `changed` to the last deadline a clock not paused can have,
    windows of `starts_at` over the days such clocks started (under the calendar with
    and without the change), one query for each stretch between and before them, and
    one for that day's deadlines not at its end; and one for every later deadline.
    Send each query's count back before asking for the next."""
    counts = set(counts)
    calendars = (calendar, calendar.toggled(changed))
    since = midnight(changed)
    today = now.astimezone(JAKARTA).date()
    last = max(c.add(today, max(counts, default=0)) for c in calendars)
    days = [changed + n * DAY for n in range((last - changed).days + 1)]
    later = {"running": True, "due_at": {"$gte": _after(days[-1]) if days else since}}
    # A day off moves deadlines later, a new working day earlier: the days are read in
    # the direction deadlines move, so that no clock just moved is read again.
    if calendar.is_working_day(changed):
        ordered = days
    else:
        yield later
        ordered = days[::-1]
    windows = Windows(page)
    for day in ordered:
        lower = since if day == changed else _after(day - DAY)
        yield {"running": True, "due_at": {"$gte": lower, "$lt": end_of_day(day)}}
        started = [d for c in calendars for d in start_days(day, counts, c)]
        yield from _due_on(day, since, min(since, now), started, windows)
    if calendar.is_working_day(changed):
        yield later


def _due_on(
    day: date, since: datetime, top: datetime, started: list[date], windows: Windows
) -> Pages:
    """The clocks due at the end of `day` that started before `since`: windows over the
    runs of `started` days up to `top` (nothing has started later; a single query
    covers the rest), single queries between and below them."""
    on_day = {"running": True, "due_at": end_of_day(day)}
    below = since
    for first, final in runs(started):
        low, high = midnight(first), min(midnight(final + DAY), top, below)
        if high <= low:
            continue
        if high < below:
            yield on_day | {"starts_at": {"$gte": high, "$lt": below}}
        width = windows.first()
        while high > low:
            start = max(high - width, low)
            found = yield on_day | {"starts_at": {"$gte": start, "$lt": high}}
            width = windows.next(high - start, found or 0)
            high = start
        below = low
    yield on_day | {"starts_at": {"$lt": below}}


def _after(day: date) -> datetime:
    return end_of_day(day) + JUST_AFTER


def moves(
    clocks: Iterable[dict],
    changed: date,
    policy: Callable[[dict], Policy],
    calendar: WorkingDays,
    reason: str,
    now: datetime,
) -> list[Move]:
    """The clocks whose deadline the new calendar moves, each with its new state and
    events; a clock whose deadline stays is left alone (nothing written, no event)."""
    moved = []
    for clock in clocks:
        if not spans(clock, changed):
            continue
        decided = core.recompute(clock, policy(clock), calendar, reason, now)
        if decided is not None:
            moved.append((clock, decided))
    return moved
