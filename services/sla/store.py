"""SLA's database: one clock per complaint, indexed by due time."""

from datetime import UTC, datetime

from services.chassis.aggregates import Aggregates
from services.chassis.domain import apply_event, create_from_event
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
        received_at = datetime.fromisoformat(event["data"]["received_at"])
        create_from_event(self.clocks, event, core.start_clock(received_at, self.calendar), now)

    def rescope(self, event: Envelope, now: datetime) -> None:
        scope = event["data"]["scope"]
        apply_event(
            self.clocks, event, lambda clock: core.rescope(clock, scope, self.calendar), now
        )

    def stop(self, event: Envelope, now: datetime) -> None:
        apply_event(self.clocks, event, lambda clock: core.stop_clock(clock, now), now)


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
