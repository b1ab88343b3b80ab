"""A year of generated complaint events, as the services publish them: every status,
returns, pauses with a new deadline, breaches, ratings, disputes with reopenings,
duplicates linked (and some unlinked), complaints left open at every step."""

import random
from datetime import UTC, datetime, timedelta

from services.contracts.reference import KECAMATAN, Category, Channel, Scope

YEAR = 2026
AGENCIES = ("dlh", "dpu", "dishub", "disdukcapil", "dinkes", "satpolpp")
WORKING_DAYS = {Scope.SINGLE_AGENCY: 5, Scope.CROSS_AGENCY: 10, Scope.CROSS_INSTITUTION: 30}


class Complaint:
    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        self.ticket = f"SMG-{YEAR}-{number:06d}"
        start = datetime(YEAR - 1, 12, 31, 17, 0, tzinfo=UTC)  # 1 January 00:00 WIB
        self.at = start + timedelta(seconds=rng.randrange(365 * 24 * 3600))
        self.events: list[dict] = []
        self.serial = 0

    def emit(self, kind: str, data: dict, hours: float = 0.0) -> None:
        # Whole seconds, strictly later than the complaint's previous event.
        self.at += timedelta(seconds=max(1, int(hours * 3600)))
        self.serial += 1
        self.events.append(
            {
                "event_id": f"{self.ticket}-{self.serial:03d}",
                "type": kind,
                "version": 1,
                "occurred_at": self.at.isoformat(),
                "ticket": self.ticket,
                "data": data,
            }
        )

    def later(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)


def deadline(c: Complaint, scope: Scope, paused: int = 0) -> dict:
    days = WORKING_DAYS[scope] + paused
    # Roughly the working days as calendar days (weekends): what sla would compute.
    due = c.at + timedelta(days=days * 7 / 5)
    return {
        "scope": str(scope),
        "working_days": WORKING_DAYS[scope],
        "starts_on": c.at.isoformat(),
        "due_at": due.isoformat(),
        "policy": "perwal-5-2023",
        "paused_working_days": paused,
    }


def complaint(rng: random.Random, number: int) -> list[dict]:
    c = Complaint(rng, number)
    channel = rng.choice(list(Channel))
    c.emit(
        "complaint.received",
        {
            "channel": str(channel),
            "received_at": c.at.isoformat(),
            "title": f"Pengaduan {number}",
            "description": "Keterangan pengaduan",
            "location": {"kecamatan": rng.choice(KECAMATAN)},
            "category_hint": None,
            "anonymous": False,
            "confidential": rng.random() < 0.1,
        },
    )
    category = rng.choice(list(Category))
    c.emit("complaint.triaged", {"suggested_category": str(category)}, c.later(0.01, 2))
    c.emit(
        "reporter.notified",
        {"channel": str(channel), "about": "received", "message": "..."},
        c.later(0.01, 1),
    )
    if rng.random() < 0.06:
        return c.events  # still awaiting review
    if rng.random() < 0.08:
        c.emit("complaint.rejected", {"reason": "bukan kewenangan", "by": "o"}, c.later(1, 30))
        return c.events
    if rng.random() < 0.07:
        c.emit("complaint.linked", {"primary": "SMG-2026-000001", "by": "o"}, c.later(1, 30))
        if rng.random() > 0.3:
            return c.events
        c.emit("complaint.unlinked", {"primary": "SMG-2026-000001", "by": "o"}, c.later(5, 200))
    cycle, reopen = 1, rng.random() < 0.12
    while handle(c, rng, category, cycle, reopen) == "reopened":
        cycle, reopen = cycle + 1, False
    return c.events


def handle(c: Complaint, rng: random.Random, category: Category, cycle: int, reopen: bool) -> str:
    """One cycle from classification on: "open" when the complaint stops on the way,
    "done" when resolved (and perhaps closed), "reopened" when the reporter disputed the
    result and the officers reopened it (`reopen`)."""
    scope = rng.choice(
        [Scope.SINGLE_AGENCY] * 6 + [Scope.CROSS_AGENCY] * 2 + [Scope.CROSS_INSTITUTION]
    )
    agency = rng.choice(AGENCIES)
    classified = {"category": str(category), "scope": str(scope), "agencies": [agency]}
    c.emit("complaint.classified", {**classified, "officer": "o"}, c.later(1, 40))
    c.emit("sla.deadline_set", deadline(c, scope), c.later(0.001, 0.01))
    if rng.random() < 0.05:
        return "open"  # waiting to be forwarded
    c.emit("complaint.forwarded", {"agency": agency, "admin": "a"}, c.later(1, 30))
    if rng.random() < 0.12:
        c.emit(
            "complaint.returned", {"agency": agency, "reason": "bukan", "by": "x"}, c.later(2, 60)
        )
        if rng.random() < 0.2:
            return "open"  # returned, waiting for the officers
        agency = rng.choice([a for a in AGENCIES if a != agency])
        c.emit("complaint.classified", {**classified, "agencies": [agency], "officer": "o"}, 5)
        c.emit("complaint.forwarded", {"agency": agency, "admin": "a"}, c.later(1, 20))
    if rng.random() < 0.06:
        return "open"  # forwarded, not accepted yet
    c.emit("complaint.accepted", {"agency": agency, "by": "x"}, c.later(1, 48))
    if rng.random() < 0.15:
        c.emit("sla.paused", {"since": c.at.isoformat()}, c.later(5, 50))
        days = rng.randint(1, 8)
        c.emit("sla.resumed", {"paused_working_days": days}, days * 24 * 7 / 5)
        c.emit("sla.deadline_set", deadline(c, scope, days), 0.001)
    if rng.random() < 0.08:
        return "open"  # accepted, being handled
    took = c.later(2, 24 * WORKING_DAYS[scope] * 2.2)
    if took > 24 * WORKING_DAYS[scope] * 1.4:
        c.emit("sla.breached", {"label": "100%", "due_at": c.at.isoformat()}, took * 0.7)
        took *= 0.3
    resolved = {"agency": agency, "follow_up": "Sudah ditangani", "by": "x"}
    c.emit("complaint.resolved", resolved, took)
    c.emit("reporter.notified", {"channel": "sms", "about": "resolved", "message": "."}, 0.1)
    if rng.random() < 0.25 and not reopen:
        return "done"  # resolved, not closed yet
    rating = rng.choice([1, 2, 3, 4, 4, 5, 5, 5]) if rng.random() < 0.6 else None
    if reopen:
        rating = rng.choice([1, 2])
    if rating is not None:
        rated_at = c.at + timedelta(hours=c.later(2, 100))
        data = {"rating": rating, "comment": None, "cycle": cycle, "channel": "sms"}
        c.emit("reporter.rated", {**data, "rated_at": rated_at.isoformat()}, c.later(100, 101))
    if reopen:
        c.emit("complaint.disputed", {"rating": rating}, 0.01)
        c.emit("complaint.reopened", {"reason": "pelapor tidak puas", "by": "o"}, c.later(2, 48))
        return "reopened"
    if rating is not None and rating <= 2 and rng.random() < 0.5:
        c.emit("complaint.disputed", {"rating": rating}, 0.01)
        return "open"  # disputed, waiting for an officer
    reason = "satisfied" if rating is not None else "no_dispute"
    c.emit("complaint.closed", {"reason": reason, "working_days": 5}, c.later(1, 150))
    return "done"


def year_of_events(complaints: int, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    return [e for number in range(1, complaints + 1) for e in complaint(rng, number)]
