"""sms's entrypoints: messages from the SMS gateway become complaints; notices go back."""

from datetime import UTC, datetime

from nameko.rpc import ServiceRpc
from nameko.timer import timer

from services.chassis import rating_text
from services.chassis.adapter import reply_or_none, submit_or_refuse
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope, EventType
from services.contracts.reference import Channel
from services.sms import core
from services.sms.store import SmsStore


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
        """A rating of a result ("NILAI 4 ..."): recorded through intake and answered by
        SMS, refusals included; False when the message is no rating."""
        parsed = rating_text.parse(text)
        if parsed is None:
            return False
        ticket = parsed.ticket or self.book.latest_ticket(message.sender)
        if parsed.rating is None:
            answer = core.RATING_HOW
        elif ticket is None:
            answer = core.RATING_NO_COMPLAINT
        else:
            answer = self._rate(message, ticket, parsed)
        self.book.rating_answered(message, answer, now)
        return True

    def _rate(self, message: core.Message, ticket: str, parsed: rating_text.RatingText) -> str:
        try:
            recorded = self.intake.rate(
                ticket=ticket,
                body={"rating": parsed.rating, "comment": parsed.comment},
                channel=Channel.SMS.value,
                proof={"phone": message.sender},
                rating_id=message.idempotency_key(),
            )
        except CommandRejected as refused:
            if refused.code == ErrorCode.BACKEND_UNAVAILABLE:
                raise
            return core.rating_refused(ticket, refused.code)
        return core.rating_recorded(ticket, recorded["message"])

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
