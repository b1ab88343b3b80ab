"""sla's entrypoints: start, rescope and stop each complaint's clock."""

from datetime import UTC, datetime

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.events import Envelope, EventType
from services.sla.store import SlaStore


class SlaService:
    name = "sla"

    clocks = SlaStore()
    metrics = ServiceMetrics()

    @subscribe(EventType.COMPLAINT_RECEIVED)
    def on_received(self, event: Envelope) -> None:
        self.clocks.start(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_CLASSIFIED)
    def on_classified(self, event: Envelope) -> None:
        self.clocks.rescope(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_REJECTED)
    def on_rejected(self, event: Envelope) -> None:
        self.clocks.stop(event, datetime.now(UTC))

    @subscribe(EventType.COMPLAINT_CLOSED)
    def on_closed(self, event: Envelope) -> None:
        self.clocks.stop(event, datetime.now(UTC))
