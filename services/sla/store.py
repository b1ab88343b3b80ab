"""SLA's database: one clock per complaint, indexed by due time."""

from contextlib import suppress
from datetime import UTC, datetime

from pymongo.errors import DuplicateKeyError

from services.chassis.aggregates import Aggregates
from services.chassis.domain import to_change
from services.chassis.store import MongoStore
from services.contracts.events import Envelope
from services.sla import core
from services.sla.calendar import WorkingDays
from services.sla.holidays_id import indonesian_holidays


class Clocks:
    def __init__(self, clocks: Aggregates, calendar: WorkingDays) -> None:
        self.clocks = clocks
        self.calendar = calendar

    def start(self, event: Envelope, now: datetime) -> None:
        ticket = event["ticket"]
        received_at = datetime.fromisoformat(event["data"]["received_at"])
        change = to_change(ticket, core.start_clock(received_at, self.calendar), now)
        # A complaint is received once: an existing clock means this event was applied.
        with suppress(DuplicateKeyError):
            self.clocks.create(ticket, change, applying=event["event_id"])

    def rescope(self, event: Envelope, now: datetime) -> None:
        self._change(
            event, lambda clock: core.rescope(clock, event["data"]["scope"], self.calendar), now
        )

    def stop(self, event: Envelope, now: datetime) -> None:
        self._change(event, lambda clock: core.stop_clock(clock, now), now)

    def _change(self, event: Envelope, step, now: datetime) -> None:
        ticket = event["ticket"]

        def decide(clock):
            if clock is None:
                raise LookupError(f"{ticket} has no clock yet")
            decided = step(clock)
            return None if decided is None else to_change(ticket, decided, now)

        self.clocks.change(ticket, decide, applying=event["event_id"])


class SlaStore(MongoStore):
    aggregate_collections = ("clocks",)

    def setup(self) -> None:
        super().setup()
        year = datetime.now(UTC).year
        self.calendar = WorkingDays(indonesian_holidays(year - 1, year + 2))

    def ensure_indexes(self) -> None:
        self.db.clocks.create_index([("running", 1), ("due_at", 1)])

    def domain(self, to_relay: list) -> Clocks:
        (clocks,) = self.aggregates(to_relay)
        return Clocks(clocks, self.calendar)
