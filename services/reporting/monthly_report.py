"""The monthly report, pure: when a month's report is due, and the snapshot of figures it
is made of (docs/reports.md, "The monthly report").

A report is a snapshot: the month's figures as they stood when it was generated, kept
in reporting's archive with its generation time. Its documents (PDF, XLSX, CSV) are
drawn from the snapshot alone, so a month's report reads the same however often it is
downloaded, while the figures of the live API keep growing as complaints are handled.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from services.chassis import fields
from services.contracts.reference import JAKARTA
from services.reporting import analytics

# The regulation's report: on the first working day after the month, at 08:00 WIB.
DUE_AT = time(8, 0)
# The dimensions of each agency's own pages (its agency is fixed).
AGENCY_DIMENSIONS = ("category", "channel", "kecamatan")
SCHEDULED = "scheduled"
REQUESTED = "requested"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 2
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def first_working_day(month: str, is_working_day: Callable[[date], bool]) -> date:
    year, number = (int(part) for part in month.split("-"))
    day = date(year, number, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def due_at(month: str, is_working_day: Callable[[date], bool]) -> datetime:
    """When `month`'s report is due: 08:00 WIB on the first working day of the month
    after it."""
    following = analytics.next_month(month)
    return datetime.combine(first_working_day(following, is_working_day), DUE_AT, JAKARTA)


def report_due(now: datetime, is_working_day: Callable[[date], bool]) -> str:
    """The latest month whose scheduled report is due at `now`: the month before this
    one from its due time on, the month before that until then (a system that was down
    on the day still makes it when it comes back)."""
    last = previous_month(analytics.month_of(now))
    if now < due_at(last, is_working_day):
        return previous_month(last)
    return last


def snapshot(month: str, found: list[dict], summary: dict) -> dict:
    """The report's figures: the month in total and by every dimension, each agency's
    own month by category, channel and kecamatan (its lead complaints), and the monthly
    summary (counts by category and status, by channel, ratings)."""
    by = {
        dimension: analytics.month_analytics(month, dimension, found)["rows"]
        for dimension in analytics.DIMENSIONS
    }
    total = analytics.month_analytics(month, analytics.DIMENSIONS[0], found)["total"]
    agencies = {}
    for row in by["agency"]:
        agency = row["key"]
        if agency == analytics.NONE_KEY:
            continue
        own = [fact for fact in found if fact["agency"] == agency]
        agencies[agency] = {
            "total": {k: v for k, v in row.items() if k != "key"},
            "by": {
                dimension: analytics.month_analytics(month, dimension, own)["rows"]
                for dimension in AGENCY_DIMENSIONS
            },
        }
    return {"month": month, "total": total, "by": by, "agencies": agencies, "summary": summary}


def reportable(month: str, now: datetime) -> str:
    """A month a report can be made of: one that has begun (the current month's report
    is of the month so far)."""
    if month > analytics.month_of(now):
        raise fields.invalid("month", "has not begun; a report is of a month up to this one")
    return month


def version(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fields.invalid("version", "must be a version number: 1, 2, ...")
    return value


def scheduled_id(month: str) -> str:
    return f"{month}/{SCHEDULED}"


def archive_id(month: str, trigger: str, generated_at: datetime) -> str:
    """The scheduled report of a month has one id, so of instances firing at once only
    the first one's insert is kept; each requested regeneration is a version of its own."""
    if trigger == SCHEDULED:
        return scheduled_id(month)
    return f"{month}/{generated_at.strftime('%Y%m%dT%H%M%S%fZ')}"


def listing(archived: list[dict]) -> list[dict]:
    """The archive as listed: every month's versions numbered 1, 2, ... by generation
    time, newest month first, and within a month newest first."""
    by_month: dict[str, list[dict]] = {}
    for entry in sorted(archived, key=lambda e: (e["generated_at"], e["_id"])):
        versions = by_month.setdefault(entry["month"], [])
        versions.append(
            {
                "id": entry["_id"],
                "month": entry["month"],
                "version": len(versions) + 1,
                "trigger": entry["trigger"],
                "requested_by": entry.get("requested_by"),
                "generated_at": entry["generated_at"].isoformat(),
            }
        )
    return [v for month in sorted(by_month, reverse=True) for v in reversed(by_month[month])]
