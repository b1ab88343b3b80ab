"""The weekly digest of overdue complaints per agency: when it is due, and what it says."""

from datetime import datetime, time

from services.contracts.events import EventType
from services.sla.calendar import JAKARTA

DIGEST_WEEKDAY, DIGEST_TIME = 0, time(8, 0)  # Monday 08:00, Asia/Jakarta


def week_key(now: datetime) -> str:
    year, week, _ = now.astimezone(JAKARTA).isocalendar()
    return f"{year}-W{week:02d}"


def is_due(now: datetime) -> bool:
    """From Monday 08:00 on, all week, so a service that was down on Monday catches up."""
    local = now.astimezone(JAKARTA)
    return local.weekday() > DIGEST_WEEKDAY or local.time() >= DIGEST_TIME


def digest(week: str, rows: list[dict], now: datetime) -> dict:
    """rows: {"_id": agency or None, "overdue": n, "tickets": [...]} from the clocks."""
    agencies = sorted(
        (
            {
                "agency": row["_id"] or "belum_diteruskan",
                "overdue": row["overdue"],
                "tickets": sorted(row["tickets"]),
            }
            for row in rows
        ),
        key=lambda a: (-a["overdue"], a["agency"]),
    )
    total = sum(a["overdue"] for a in agencies)
    return {
        "_id": week,
        "created_at": now,
        "agencies": agencies,
        "total_overdue": total,
        "recipients": [
            "supervisor",
            *(f"agency_head:{a['agency']}" for a in agencies if a["agency"] != "belum_diteruskan"),
        ],
        "message": f"Ringkasan mingguan {week}: {total} pengaduan melewati batas waktu.",
    }


def event(recorded: dict) -> tuple[EventType, dict]:
    """sla.weekly_digest, for staff_notices to deliver to its recipients."""
    fields = ("total_overdue", "agencies", "recipients")
    return EventType.SLA_DIGEST, {"week": recorded["_id"], **{k: recorded[k] for k in fields}}
