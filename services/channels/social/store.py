"""The social adapter's database: which post each complaint came from, and replies."""

from datetime import datetime

from services.channels.social import core
from services.chassis.http import DeliveryFailed, request_json
from services.chassis.outbound import AdapterStore, Deliveries


class SocialBook:
    def __init__(self, db, deliveries: Deliveries, public_url: str) -> None:
        self.db = db
        self.deliveries = deliveries
        self.public_url = public_url

    def opened(self, post: core.Post, ticket: str, now: datetime) -> None:
        thread = {
            "platform": post.platform,
            "post_id": post.post_id,
            "kind": post.kind,
            "handle": post.handle,
            "opened_at": now,
        }
        self.db.conversations.update_one({"_id": ticket}, {"$setOnInsert": thread}, upsert=True)

    def refused(self, post: core.Post, reason: str, now: datetime) -> None:
        key = post.idempotency_key()
        self.db.refusals.update_one(
            {"_id": key},
            {"$setOnInsert": {"handle": post.author(), "reason": reason, "at": now}},
            upsert=True,
        )
        if core.answers_refusal(post):
            to = thread_of(post)
            self.deliveries.enqueue("", f"refusal:{key}", "refused", to, core.REFUSAL, now)

    def reply_received(self, post: core.Post, ticket: str, now: datetime) -> None:
        key = f"reply:{post.idempotency_key()}"
        text = core.reply_received(ticket)
        self.deliveries.enqueue("", key, "reply_received", thread_of(post), text, now)

    def latest_ticket(self, post: core.Post) -> str | None:
        """The author's most recent complaint: what "NILAI 4" without a ticket rates."""
        found = self.db.conversations.find_one(
            {"platform": post.platform, "handle": post.handle}, sort=[("opened_at", -1)]
        )
        return None if found is None else found["_id"]

    def rating_answered(self, post: core.Post, text: str, now: datetime) -> None:
        key = f"rating:{post.idempotency_key()}"
        self.deliveries.enqueue("", key, "rating", thread_of(post), text, now)

    def reply(self, ticket: str, notice: dict, now: datetime) -> None:
        doc = self.db.conversations.find_one({"_id": ticket})
        if doc is None:
            raise LookupError(f"{ticket}: no social-media conversation (yet)")
        url = f"{self.public_url}/api/v1/complaints/{ticket}"
        text = core.reply_text(notice["about"], ticket, notice.get("details", {}), url)
        to = {k: doc[k] for k in ("platform", "post_id", "kind", "handle")}
        self.deliveries.enqueue(ticket, notice["notice_id"], notice["about"], to, text, now)


def thread_of(post: core.Post) -> dict:
    return {
        "platform": post.platform,
        "post_id": post.post_id,
        "kind": post.kind,
        "handle": post.handle,
    }


class SocialPlatforms:
    """The relay to the platforms' APIs: POST {base}/replies
    {platform, in_reply_to, kind, handle, text, reference} -> {"id": ...}."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def send(self, delivery: dict) -> str:
        if not self.base_url:
            raise DeliveryFailed("ADUAN_SOCIAL_PROVIDER_URL is not set")
        to = delivery["to"]
        body = {
            "platform": to["platform"],
            "in_reply_to": to["post_id"],
            "kind": to["kind"],
            "handle": to["handle"],
            "text": delivery["text"],
            "reference": delivery["_id"],
        }
        return str(request_json("POST", f"{self.base_url}/replies", body, self.token).get("id"))


class SocialStore(AdapterStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_SOCIAL_PROVIDER_URL | (none) | the platforms relay's API; replies wait until set |
    | ADUAN_SOCIAL_PROVIDER_TOKEN | (none) | bearer token for it |
    """

    def make_provider(self, env: dict) -> SocialPlatforms:
        url = env.get("ADUAN_SOCIAL_PROVIDER_URL", "")
        return SocialPlatforms(url, env.get("ADUAN_SOCIAL_PROVIDER_TOKEN", ""))

    def ensure_indexes(self) -> None:
        super().ensure_indexes()
        self.db.conversations.create_index([("platform", 1), ("handle", 1), ("opened_at", -1)])

    def domain(self, to_relay: list) -> SocialBook:
        return SocialBook(self.db, self.deliveries(to_relay), self.settings.public_url)
