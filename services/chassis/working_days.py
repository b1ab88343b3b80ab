"""Working-day arithmetic as a pure object: holidays are injected, nothing is looked up.

Shared plumbing: sla's clocks use it with the supervisors' calendar (national holidays
plus their edits, kept in sla's database); reporting counts working days to resolve with
the national holidays alone (national_calendar), as it may not read sla's database.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from services.contracts.reference import JAKARTA

SATURDAY, SUNDAY = 5, 6


def end_of_day(day: date) -> datetime:
    """The instant every deadline falling on `day` has (23:59:59 in Asia/Jakarta)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=JAKARTA)


class WorkingDays:
    """Days off are weekends and `holidays`; `working` days override both (a decree may
    move a cuti bersama day, or make a Saturday a working day)."""

    def __init__(
        self,
        holidays: Iterable[date],
        weekend: Iterable[int] = (SATURDAY, SUNDAY),
        working: Iterable[date] = (),
    ) -> None:
        self.working = frozenset(working)
        self.holidays = frozenset(holidays) - self.working
        self.weekend = frozenset(weekend)
        # The calendar never changes once made, and a recompute asks for the same few
        # (start, days) again for thousands of clocks.
        self._added: dict[tuple[date, int], date] = {}

    def is_working_day(self, day: date) -> bool:
        if day in self.working:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def toggled(self, day: date) -> "WorkingDays":
        """This calendar with `day`'s status reversed: the calendar before a change of
        that day."""
        if self.is_working_day(day):
            return WorkingDays(self.holidays | {day}, self.weekend, self.working - {day})
        return WorkingDays(self.holidays - {day}, self.weekend, self.working | {day})

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself never counts)."""
        if days < 0:
            raise ValueError("days must not be negative")
        found = self._added.get((start, days))
        if found is None:
            found, left = start, days
            while left:
                found += timedelta(days=1)
                if self.is_working_day(found):
                    left -= 1
            self._added[start, days] = found
        return found

    def due_at(self, received_at: datetime, days: int) -> datetime:
        """The end (Asia/Jakarta) of the `days`-th working day after the day of receipt."""
        received_on = received_at.astimezone(JAKARTA).date()
        return end_of_day(self.add(received_on, days))


def indonesian_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """Indonesian public holidays and cuti bersama, from the `holidays` package."""
    years = range(first_year, last_year + 1)
    # Named in Bahasa Indonesia: the supervisors' calendar page shows them as they are.
    found = holidays.country_holidays(
        "ID", years=years, categories=("public", "government"), language="id"
    )
    return dict(found)


@lru_cache(maxsize=64)
def national_calendar(year: int) -> WorkingDays:
    """Weekends and the national holidays of `year` and its neighbours (a span of working
    days may cross a new year), without any supervisor's edit."""
    return WorkingDays(indonesian_holidays(year - 1, year + 1))
