"""agency_hooks' entrypoints: events about complaints are queued for the agencies'
endpoints; the gateway manages endpoints and reads the delivery log by RPC."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.agency_hooks.store import HooksStore
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType


class AgencyHooksService:
    name = "agency_hooks"

    hooks = HooksStore()
    metrics = ServiceMetrics()

    # One entrypoint per hook event (core.HOOK_EVENTS), each on its own queue.
    @subscribe(EventType.COMPLAINT_FORWARDED)
    def on_forwarded(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.REPORTER_REPLIED)
    def on_reporter_replied(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.SLA_WARNING)
    def on_sla_warning(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.SLA_STAGE_OVERDUE)
    def on_sla_stage_overdue(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.SLA_BREACHED)
    def on_sla_breached(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.COMPLAINT_RETURNED)
    def on_returned(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.COMPLAINT_REOPENED)
    def on_reopened(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.COMPLAINT_DISPUTED)
    def on_disputed(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.COMPLAINT_CLOSED)
    def on_closed(self, event: Envelope) -> None:
        self._arrived(event)

    @subscribe(EventType.TASK_REASSIGNED)
    def on_task_reassigned(self, event: Envelope) -> None:
        self._arrived(event)

    def _arrived(self, event: Envelope) -> None:
        self.hooks.event_arrived(event, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def register(self, agency: str, body: dict, by: str) -> dict:
        return self.hooks.register(agency, body, by, datetime.now(UTC))

    @rpc
    def endpoints(self, agency: str | None) -> list[dict]:
        return self.hooks.endpoints(agency)

    @rpc(expected_exceptions=CommandRejected)
    def rotate_secret(self, agency: str | None, endpoint_id: str, by: str) -> dict:
        return self.hooks.rotate_secret(agency, endpoint_id, by, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def remove(self, agency: str | None, endpoint_id: str, by: str) -> dict:
        return self.hooks.remove(agency, endpoint_id, by, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def deliveries(self, agency: str | None, filters: dict, limit: int) -> list[dict]:
        return self.hooks.deliveries(agency, filters, limit)

    @rpc(expected_exceptions=CommandRejected)
    def redeliver(self, agency: str | None, delivery_id: str) -> dict:
        return self.hooks.redeliver(agency, delivery_id, datetime.now(UTC))

    @rpc(expected_exceptions=CommandRejected)
    def redeliver_parked(self, agency: str | None, endpoint_id: str) -> dict:
        return self.hooks.redeliver_parked(agency, endpoint_id, datetime.now(UTC))
