"""lapor's entrypoints: poll SP4N-LAPOR! for complaints handed to the city, and send
each notice back as a status update."""

import logging
from datetime import UTC, datetime

from nameko.rpc import ServiceRpc
from nameko.timer import timer
from prometheus_client import Gauge

from services.channels.lapor import core
from services.channels.lapor.store import LaporStore
from services.chassis.adapter import submit_or_refuse
from services.chassis.http import DeliveryFailed
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.contracts.reference import Channel

log = logging.getLogger(__name__)

LAST_POLL = Gauge(
    "aduan_lapor_last_poll_timestamp_seconds",
    "When SP4N-LAPOR! last answered a poll (unix time); alert when it falls behind",
)


class LaporService:
    name = "lapor"

    book = LaporStore()
    intake = ServiceRpc("intake")
    metrics = ServiceMetrics()

    @timer(interval=0.5)
    def poll(self) -> None:
        """Every instance ticks; the one that leases the cursor polls when a poll is due."""
        now = datetime.now(UTC)
        cursor = self.book.claim_poll(now, LaporStore.poll_lease)
        if cursor is None:
            return
        try:
            batch = self.book.client.handed_over(cursor)
        except DeliveryFailed as error:
            log.warning("LAPOR! poll failed: %s", error)
            self.book.advance(cursor, now)
            return
        for raw in batch.items:
            self._take(raw, now)
        self.book.advance(batch.next_cursor, datetime.now(UTC))
        LAST_POLL.set_to_current_time()

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_notified(self, event: Envelope) -> None:
        data = event["data"]
        if data["channel"] == Channel.LAPOR:
            self.book.update(event["ticket"], data, datetime.now(UTC))

    def _take(self, raw: dict, now: datetime) -> None:
        try:
            item = core.parse_item(raw)
        except CommandRejected as error:
            log.error("LAPOR! item without a usable tracking id skipped: %s (%r)", error, raw)
            return
        key = f"lapor:{item.tracking_id}"
        receipt = submit_or_refuse(self.intake, Channel.LAPOR, item.body, key)
        if receipt.refusal is not None:
            self.book.returned(item, receipt.refusal, now)
        else:
            self.book.opened(item, receipt.ticket, now)
