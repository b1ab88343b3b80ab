"""whatsapp's entrypoints: messages to the city's WhatsApp number become complaints,
replies or ratings; notices go back; WhatsApp's status callbacks are recorded."""

import logging
from datetime import UTC, datetime, timedelta

from nameko.rpc import ServiceRpc
from nameko.timer import timer

from services.channels.whatsapp import core
from services.channels.whatsapp.store import WhatsAppStore
from services.chassis.adapter import rate_or_none, reply_or_none, submit_or_refuse
from services.chassis.http import DeliveryFailed
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.events import Envelope, EventType
from services.contracts.reference import Channel

log = logging.getLogger(__name__)
# A status callback that overtook the save of its message's send is tried again this long.
UNMATCHED_FOR = timedelta(minutes=10)
# Meta redelivers a message for up to a day: what it took is kept that long.
GATHERED_FOR = timedelta(days=2)


class WhatsAppService:
    name = "whatsapp"

    book = WhatsAppStore()
    intake = ServiceRpc("intake")
    metrics = ServiceMetrics()

    @subscribe(EventType.WHATSAPP_RECEIVED)
    def on_message(self, event: Envelope) -> None:
        now = datetime.now(UTC)
        message = core.parse_message(event["data"])
        self.book.seen(message, now)
        if message.kind == "unsupported":
            self.book.unsupported(message, now)
        elif not message.text.strip() and message.kind in core.KEPT:
            self.book.keep(message, now)
        else:
            self._take_text(message, now)

    @subscribe(EventType.WHATSAPP_STATUS)
    def on_status(self, event: Envelope) -> None:
        self.book.status(core.parse_status(event["data"]), datetime.now(UTC))

    @timer(interval=30)
    def sweep(self) -> None:
        """Callbacks that came before the send's answer was saved (rare: a race of
        milliseconds), applied once their delivery is known; and what is no longer
        needed, removed. Idempotent, so every instance may run it."""
        now = datetime.now(UTC)
        for status in self.book.unmatched_statuses(now, UNMATCHED_FOR):
            if self.book.status(status, now):
                self.book.matched(status)
        self.book.forget_gathered(now, GATHERED_FOR)

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_notified(self, event: Envelope) -> None:
        data = event["data"]
        if data["channel"] != Channel.WHATSAPP or not data.get("deliver", True):
            return
        self.book.reply(event["ticket"], data, datetime.now(UTC), self._sender_from_intake)

    def _sender_from_intake(self, ticket: str) -> str | None:
        return self.intake.sender(ticket=ticket, channel=Channel.WHATSAPP.value)

    def _take_text(self, message: core.Message, now: datetime) -> None:
        """A rating, a reply naming one of the sender's tickets, or a new complaint, by
        the rules every text channel follows (services/chassis/adapter.py)."""
        proof = {"phone": message.sender}
        key = message.idempotency_key()
        answer = rate_or_none(
            self.intake,
            message.text,
            Channel.WHATSAPP,
            proof,
            key,
            lambda: self.book.latest_ticket(message.sender),
        )
        if answer is not None:
            self.book.rating_answered(message, answer, now)
            return
        ticket = reply_or_none(self.intake, message.text, Channel.WHATSAPP, proof, key)
        if ticket is not None:
            self.book.reply_received(message, ticket, now)
            return
        plan = self.book.gathered(message, now)
        body = core.complaint_body(message.text, message.sender, plan["location"])
        files = self._photos(message, plan["media"])
        receipt = submit_or_refuse(self.intake, Channel.WHATSAPP, body, key, files)
        if receipt.refusal is not None:
            self.book.refused(message, receipt.refusal, now)
        else:
            self.book.opened(message, receipt.ticket, plan, now)

    def _photos(self, message: core.Message, media_ids: list[str]) -> list[dict]:
        """The photos, fetched through the API. A photo WhatsApp no longer has (or that
        is no JPEG or PNG) is left out rather than holding the complaint back; the API
        being down raises, and the message is tried again later."""
        files = []
        for index, media_id in enumerate(media_ids):
            try:
                content = self.book.photo(media_id)
            except DeliveryFailed as error:
                if not error.permanent:
                    raise
                log.warning("%s: photo %s left out: %s", message.message_id, media_id, error)
                continue
            photo = core.photo_file(content, message.message_id, index)
            if photo is None:
                log.warning("%s: photo %s is no JPEG or PNG", message.message_id, media_id)
                continue
            files.append(photo)
        return files
