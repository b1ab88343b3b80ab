"""staff_notices' entrypoints: SLA events and the weekly digest become e-mail and
WhatsApp deliveries; the gateway's account changes keep the directory; staff set their
own contact details (over RPC from the gateway)."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.staff_notices import core
from services.staff_notices.store import StaffNoticesStore


class StaffNoticesService:
    name = "staff_notices"

    book = StaffNoticesStore()
    metrics = ServiceMetrics()

    @subscribe(EventType.SLA_WARNING)
    def on_warning(self, event: Envelope) -> None:
        self.book.notify(event, datetime.now(UTC))

    @subscribe(EventType.SLA_STAGE_OVERDUE)
    def on_stage_overdue(self, event: Envelope) -> None:
        self.book.notify(event, datetime.now(UTC))

    @subscribe(EventType.SLA_BREACHED)
    def on_breached(self, event: Envelope) -> None:
        self.book.notify(event, datetime.now(UTC))

    @subscribe(EventType.SLA_DIGEST)
    def on_digest(self, event: Envelope) -> None:
        self.book.notify(event, datetime.now(UTC))

    @subscribe(EventType.STAFF_ACCOUNT)
    def on_account(self, event: Envelope) -> None:
        self.book.account(event["data"])

    @rpc
    def contact(self, username: str) -> dict:
        return self.book.contact(username)

    @rpc(expected_exceptions=CommandRejected)
    def set_contact(self, username: str, role: str, agency: str | None, body: dict) -> dict:
        contact = core.parse_contact(body)
        return self.book.set_contact(username, role, agency, contact, datetime.now(UTC))

    @rpc
    def deliveries(self, ticket: str) -> list[dict]:
        return self.book.deliveries_for(ticket)
