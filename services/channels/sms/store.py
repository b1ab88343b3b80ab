"""The SMS adapter's database: message parts, who sent which complaint, deliveries."""

from contextlib import suppress
from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from services.channels.sms import core
from services.chassis.http import DeliveryFailed, request_json
from services.chassis.outbound import AdapterStore, Deliveries


class SmsBook:
    """Domain verbs: take a message (joining parts), remember conversations, queue replies."""

    def __init__(self, db, deliveries: Deliveries, public_url: str, part_wait: timedelta):
        self.db = db
        self.deliveries = deliveries
        self.public_url = public_url
        self.part_wait = part_wait

    def take(self, message: core.Message, now: datetime) -> str | None:
        """The whole text once it is complete; None while parts are missing."""
        if message.part is None:
            return message.text
        part = message.part
        key = f"{message.sender}:{part.ref}"
        update = {
            "$set": {f"parts.{part.index}": message.text, "total": part.total},
            "$setOnInsert": {
                "sender": message.sender,
                "ref": part.ref,
                "first_at": now,
                "submitted": False,
            },
        }
        for _ in range(3):  # two parts of a new message may race to create it
            with suppress(DuplicateKeyError):
                self.db.parts.update_one({"_id": key}, update, upsert=True)
                break
        doc = self.db.parts.find_one({"_id": key})
        return core.joined(doc["parts"], doc["total"])

    def stale_parts(self, now: datetime) -> list[tuple[core.Message, str]]:
        """Messages whose missing parts did not come in time: what arrived of them."""
        query = {"submitted": False, "first_at": {"$lte": now - self.part_wait}}
        stale = []
        for doc in self.db.parts.find(query):
            part = core.Part(doc["ref"], 1, doc["total"])
            message = core.Message(doc["_id"], doc["sender"], "", part)
            stale.append((message, core.joined_with_gaps(doc["parts"], doc["total"])))
        return stale

    def reply(self, ticket: str, notice: dict, now: datetime, ask_intake) -> None:
        """Queues a notice as one SMS to the number the complaint came from.
        `ask_intake(ticket)` gives the sender when intake knows it and this adapter does
        not yet (the receipt overtook the save of the conversation)."""
        sender = self.sender_of(ticket, ask_intake)
        url = f"{self.public_url}/api/v1/complaints/{ticket}"
        text = core.reply_text(notice["about"], ticket, notice.get("details", {}), url)
        self.deliveries.enqueue(
            ticket, notice["notice_id"], notice["about"], {"phone": sender}, text, now
        )

    def opened(self, message: core.Message, ticket: str, now: datetime) -> None:
        self.db.conversations.update_one(
            {"_id": ticket},
            {"$setOnInsert": {"sender": message.sender, "opened_at": now}},
            upsert=True,
        )
        self._parts_done(message)

    def refused(self, message: core.Message, reason: str, now: datetime) -> None:
        """A message that is not a complaint gets an answer saying what to send."""
        key = message.idempotency_key()
        to = {"phone": message.sender}
        self.deliveries.enqueue("", f"refusal:{key}", "refused", to, core.REFUSAL, now)
        self.db.refusals.update_one(
            {"_id": message.idempotency_key()},
            {"$setOnInsert": {"sender": message.sender, "reason": reason, "at": now}},
            upsert=True,
        )
        self._parts_done(message)

    def reply_received(self, message: core.Message, ticket: str, now: datetime) -> None:
        key = f"reply:{message.idempotency_key()}"
        to = {"phone": message.sender}
        self.deliveries.enqueue("", key, "reply_received", to, core.reply_received(ticket), now)
        self._parts_done(message)

    def latest_ticket(self, sender: str) -> str | None:
        """The sender's most recent complaint: what "NILAI 4" without a ticket rates."""
        found = self.db.conversations.find_one({"sender": sender}, sort=[("opened_at", -1)])
        return None if found is None else found["_id"]

    def rating_answered(self, message: core.Message, text: str, now: datetime) -> None:
        key = f"rating:{message.idempotency_key()}"
        self.deliveries.enqueue("", key, "rating", {"phone": message.sender}, text, now)
        self._parts_done(message)

    def sender_of(self, ticket: str, ask_intake) -> str:
        doc = self.db.conversations.find_one({"_id": ticket})
        if doc is not None:
            return doc["sender"]
        # The complaint's receipt usually overtakes the save of its conversation (intake
        # announces it as it answers our submit): intake knows the sender, so the receipt
        # goes out now rather than after a retry delay.
        sender = ask_intake(ticket)
        if sender is None:
            raise LookupError(f"{ticket}: no SMS conversation, and intake knows no sender")
        return sender

    def _parts_done(self, message: core.Message) -> None:
        if message.part is not None:
            key = f"{message.sender}:{message.part.ref}"
            self.db.parts.update_one({"_id": key}, {"$set": {"submitted": True}})


class SmsGateway:
    """The SMS provider: POST {base}/messages {to, text, reference} -> {"id": ...}.
    The reference (our notice id) lets the provider drop a message we send twice."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def send(self, delivery: dict) -> str:
        if not self.base_url:
            raise DeliveryFailed("ADUAN_SMS_PROVIDER_URL is not set")
        to, text = delivery["to"]["phone"], delivery["text"]
        body = {"to": to, "text": text, "reference": delivery["_id"]}
        answer = request_json("POST", f"{self.base_url}/messages", body, self.token)
        return str(answer.get("id", ""))


class SmsStore(AdapterStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_SMS_PROVIDER_URL | (none) | the SMS gateway's API; replies wait until it is set |
    | ADUAN_SMS_PROVIDER_TOKEN | (none) | bearer token for it |
    | ADUAN_SMS_PART_WAIT | 600 | seconds to wait for the missing parts of a long SMS |
    """

    def make_provider(self, env: dict) -> SmsGateway:
        self.part_wait = timedelta(seconds=float(env.get("ADUAN_SMS_PART_WAIT", "600")))
        url, token = env.get("ADUAN_SMS_PROVIDER_URL", ""), env.get("ADUAN_SMS_PROVIDER_TOKEN", "")
        return SmsGateway(url, token)

    def ensure_indexes(self) -> None:
        super().ensure_indexes()
        self.db.parts.create_index([("submitted", 1), ("first_at", 1)])
        self.db.conversations.create_index([("sender", 1), ("opened_at", -1)])

    def domain(self, to_relay: list) -> SmsBook:
        deliveries = self.deliveries(to_relay)
        return SmsBook(self.db, deliveries, self.settings.public_url, self.part_wait)
