"""sms's entrypoints: messages from the SMS gateway become complaints; notices go back."""

from datetime import UTC, datetime

from nameko.rpc import ServiceRpc
from nameko.timer import timer

from services.channels.sms import core
from services.channels.sms.store import SmsStore
from services.chassis.adapter import rate_or_none, reply_or_none, submit_or_refuse
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.events import Envelope, EventType
from services.contracts.reference import Channel


class SmsService:
    name = "sms"

    book = SmsStore()
    intake = ServiceRpc("intake")
    metrics = ServiceMetrics()

    @subscribe(EventType.SMS_RECEIVED)
    def on_message(self, event: Envelope) -> None:
        now = datetime.now(UTC)
        message = core.parse_message(event["data"])
        text = self.book.take(message, now)
        if text is not None:
            self._submit(message, text, now)

    @timer(interval=30)
    def submit_stale_parts(self) -> None:
        now = datetime.now(UTC)
        for message, text in self.book.stale_parts(now):
            self._submit(message, text, now)

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_notified(self, event: Envelope) -> None:
        data = event["data"]
        if data["channel"] != Channel.SMS or not data.get("deliver", True):
            return
        self.book.reply(event["ticket"], data, datetime.now(UTC), self._sender_from_intake)

    def _sender_from_intake(self, ticket: str) -> str | None:
        return self.intake.sender(ticket=ticket, channel=Channel.SMS.value)

    def _rated(self, message: core.Message, text: str, now: datetime) -> bool:
        """A rating of a result ("NILAI 4 ..."), answered by SMS; False if none."""
        answer = rate_or_none(
            self.intake,
            text,
            Channel.SMS,
            {"phone": message.sender},
            message.idempotency_key(),
            lambda: self.book.latest_ticket(message.sender),
        )
        if answer is None:
            return False
        self.book.rating_answered(message, core.rating_answer(answer), now)
        return True

    def _submit(self, message: core.Message, text: str, now: datetime) -> None:
        if self._rated(message, text, now):
            return
        proof = {"phone": message.sender}
        key = message.idempotency_key()
        ticket = reply_or_none(self.intake, text, Channel.SMS, proof, key)
        if ticket is not None:
            self.book.reply_received(message, ticket, now)
            return
        body = core.complaint_body(text, message.sender)
        receipt = submit_or_refuse(self.intake, Channel.SMS, body, message.idempotency_key())
        if receipt.refusal is not None:
            self.book.refused(message, receipt.refusal, now)
        else:
            self.book.opened(message, receipt.ticket, now)
