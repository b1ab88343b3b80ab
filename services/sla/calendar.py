"""Working-day arithmetic as a pure object: holidays are injected, nothing is looked up."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
SATURDAY, SUNDAY = 5, 6


class WorkingDays:
    def __init__(self, holidays: Iterable[date], weekend: Iterable[int] = (SATURDAY, SUNDAY)):
        self.holidays = frozenset(holidays)
        self.weekend = frozenset(weekend)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself never counts)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        while days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def due_at(self, received_at: datetime, days: int) -> datetime:
        """The end (Asia/Jakarta) of the `days`-th working day after the day of receipt."""
        received_on = received_at.astimezone(JAKARTA).date()
        last_day = self.add(received_on, days)
        return datetime.combine(last_day, time(23, 59, 59), tzinfo=JAKARTA)
