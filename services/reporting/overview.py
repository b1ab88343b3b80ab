"""The supervisors' overview, pure: open complaints by deadline state, each agency's
warnings and breaches, and the oldest complaints still open."""

from services.contracts.lifecycle import Status

# Complaints whose handling is under way: a resolved complaint waits only for the
# reporter's rating or the automatic closing, and a linked one follows the complaint it
# repeats; a disputed one waits for an officer's decision.
OPEN_STATUSES: tuple[Status, ...] = (
    Status.RECEIVED,
    Status.AWAITING_REVIEW,
    Status.CLASSIFIED,
    Status.FORWARDED,
    Status.ACCEPTED,
    Status.RETURNED,
    Status.DISPUTED,
)
SLA_STATES = ("on_track", "due_soon", "paused", "overdue")
OLDEST = 10


def overview(rows: list[tuple[str | None, str | None, int]], oldest: list[dict]) -> dict:
    """rows: (agency or None before forwarding, sla_state, count) of open complaints;
    oldest: worklist items of the longest-open ones, oldest first."""
    by_state = dict.fromkeys(SLA_STATES, 0)
    agencies: dict[str | None, dict[str, int]] = {}
    for agency, state, n in rows:
        state = state if state in by_state else "on_track"
        by_state[state] += n
        counts = agencies.setdefault(agency or None, dict.fromkeys(SLA_STATES, 0))
        counts[state] += n
    by_agency = [
        {"agency": agency, "open": sum(counts.values()), **counts}
        for agency, counts in agencies.items()
    ]
    # The agencies most behind first; complaints not yet forwarded sort by their counts too.
    by_agency.sort(key=lambda a: (-a["overdue"], -a["due_soon"], -a["open"], a["agency"] or ""))
    return {
        "open": sum(by_state.values()),
        "by_sla_state": by_state,
        "by_agency": by_agency,
        "oldest": oldest,
    }
