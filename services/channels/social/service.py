"""social's entrypoints: mentions and direct messages become complaints; replies go back
to the same post or conversation."""

from datetime import UTC, datetime

from nameko.rpc import ServiceRpc

from services.channels.social import core
from services.channels.social.store import SocialStore
from services.chassis.adapter import rate_or_none, reply_or_none, submit_or_refuse
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.events import Envelope, EventType
from services.contracts.reference import Channel


class SocialService:
    name = "social"

    book = SocialStore()
    intake = ServiceRpc("intake")
    metrics = ServiceMetrics()

    @subscribe(EventType.SOCIAL_RECEIVED)
    def on_post(self, event: Envelope) -> None:
        now = datetime.now(UTC)
        post = core.parse_post(event["data"])
        proof = {"handle": post.author()}
        rated = rate_or_none(
            self.intake,
            core.without_mentions(post.text),
            Channel.MEDIA_SOSIAL,
            proof,
            post.idempotency_key(),
            lambda: self.book.latest_ticket(post),
        )
        if rated is not None:
            self.book.rating_answered(post, core.fit("", rated, ""), now)
            return
        answered = reply_or_none(
            self.intake, post.text, Channel.MEDIA_SOSIAL, proof, post.idempotency_key()
        )
        if answered is not None:
            self.book.reply_received(post, answered, now)
            return
        receipt = submit_or_refuse(
            self.intake, Channel.MEDIA_SOSIAL, core.complaint_body(post), post.idempotency_key()
        )
        if receipt.refusal is not None:
            self.book.refused(post, receipt.refusal, now)
        else:
            self.book.opened(post, receipt.ticket, now)

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_notified(self, event: Envelope) -> None:
        data = event["data"]
        if data["channel"] == Channel.MEDIA_SOSIAL and data.get("deliver", True):
            self.book.reply(event["ticket"], data, datetime.now(UTC))
