"""Time passing for one complaint's SLA clock, without waiting days."""

from datetime import UTC, datetime, timedelta


def bring_timer_forward(stack, ticket: str, kind: str, seconds: float) -> str:
    """Moves the complaint's first timer of `kind` (warning, stage_overdue, breach) to
    `seconds` from now, as if time had passed; returns the timer's key."""
    clocks = stack.database("sla").clocks
    clock = clocks.find_one({"_id": ticket})
    index = next(i for i, t in enumerate(clock["timers"]) if t["kind"] == kind)
    at = datetime.now(UTC) + timedelta(seconds=seconds)
    clocks.update_one({"_id": ticket}, {"$set": {f"timers.{index}.at": at, "next_at": at}})
    return clock["timers"][index]["key"]
