"""Supervisors' changes to the working-day calendar: what a valid change is, and how a
year reads. Pure: the store does the saving and the recomputing."""

from dataclasses import dataclass
from datetime import date, timedelta

from services.chassis import fields

# A decree moves days in the current or the next years; older or farther is a typo.
PAST_LIMIT = timedelta(days=366)
FUTURE_LIMIT = timedelta(days=3 * 366)


@dataclass(frozen=True)
class DayChange:
    day: date
    working: bool
    reason: str


def parse_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise fields.invalid("year", "a year from 2000 to 2100")
    return year


def parse_change(body: object, today: date) -> DayChange:
    body = fields.obj(body, "", ("date", "working", "reason"))
    text = fields.text(body, "date", "date", max_len=10)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise fields.invalid("date", "a date written YYYY-MM-DD") from None
    if not today - PAST_LIMIT <= day <= today + FUTURE_LIMIT:
        raise fields.invalid("date", "must lie within a year before and three years after today")
    if "working" not in body:
        raise fields.invalid("working", "is required: false adds a day off, true a working day")
    return DayChange(
        day,
        fields.flag(body, "working", "working"),
        fields.text(body, "reason", "reason", min_len=5, max_len=300),
    )


def year_view(year: int, holidays: dict[date, str], changes: list[dict]) -> dict:
    """Days off of the year (weekends aside) and the local changes that made them."""
    by_day = {c["_id"]: c for c in changes}
    days_off = []
    for day, name in sorted(holidays.items()):
        change = by_day.get(day.isoformat())
        if day.year == year and not (change and change["working"]):
            days_off.append({"date": day.isoformat(), "name": name, "source": "national"})
    for change in changes:
        if change["_id"].startswith(f"{year}-") and not change["working"]:
            days_off.append({"date": change["_id"], "name": change["reason"], "source": "local"})
    return {
        "year": year,
        "weekend": ["saturday", "sunday"],
        "days_off": sorted(days_off, key=lambda d: d["date"]),
        "local_changes": [
            {
                "date": c["_id"],
                "working": c["working"],
                "reason": c["reason"],
                "by": c["by"],
                "at": c["at"].isoformat(),
            }
            for c in sorted(changes, key=lambda c: c["_id"])
            if c["_id"].startswith(f"{year}-")
        ],
    }
