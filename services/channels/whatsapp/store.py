"""The WhatsApp adapter's database: who sent which complaint, when each resident last
wrote (their 24-hour session), photos and locations waiting for the words of their
complaint, deliveries and what WhatsApp said became of them."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument

from services.channels.whatsapp import core
from services.chassis.cloud_api import CloudApi
from services.chassis.domain import to_change
from services.chassis.outbound import AdapterStore, Deliveries
from services.contracts.events import EventType


class WhatsAppBook:
    """Domain verbs: remember residents' sessions and conversations, gather what a
    complaint takes along, queue answers, record status callbacks."""

    def __init__(
        self, db, deliveries: Deliveries, public_url: str, gather: timedelta, api: CloudApi
    ) -> None:
        self.db = db
        self.deliveries = deliveries
        self.public_url = public_url
        self.gather = gather
        self.api = api

    def photo(self, media_id: str) -> bytes:
        """A photo a resident sent, fetched through the API. Raises DeliveryFailed."""
        content, _ = self.api.media(media_id, core.MAX_PHOTO_BYTES)
        return content

    def seen(self, message: core.Message, now: datetime) -> None:
        """The resident wrote: their session window runs from this message."""
        at = core.last_inbound(message, now)
        self.db.senders.update_one(
            {"_id": message.sender}, {"$max": {"last_inbound_at": at}}, upsert=True
        )

    def keep(self, message: core.Message, now: datetime) -> None:
        """A photo or a location without words waits for the complaint it belongs to;
        the resident is told to write it."""
        self.db.drafts.update_one(
            {"_id": message.message_id},
            {
                "$setOnInsert": {
                    "sender": message.sender,
                    "kind": message.kind,
                    "media_id": message.media_id,
                    "location": message.location,
                    "sent_at": message.sent_at,
                    "taken_by": None,
                    "kept_at": now,
                }
            },
            upsert=True,
        )
        text = core.kept_answer(message.kind, self.gather)
        self._answer(message, "kept", text, now)

    def gathered(self, message: core.Message, now: datetime) -> dict:
        """What a new complaint takes along: its own photo or location, and those its
        sender sent without words shortly before it. Decided once per message and kept,
        so a redelivered message builds the very same complaint (intake would refuse a
        second, different body under the same key)."""
        found = self.db.gathered.find_one({"_id": message.message_id})
        if found is not None:
            return found
        since = message.sent_at - self.gather
        waiting = list(
            self.db.drafts.find(
                {
                    "sender": message.sender,
                    "taken_by": None,
                    "sent_at": {"$gte": since, "$lte": message.sent_at},
                }
            ).sort("sent_at", 1)
        )
        media = [d["media_id"] for d in waiting if d.get("media_id")]
        if message.media_id:
            media.append(message.media_id)
        locations = [d["location"] for d in waiting if d.get("location")]
        location = message.location or (locations[-1] if locations else None)
        drafts = [d["_id"] for d in waiting]
        # At most what intake takes per complaint: the latest, its own photo last.
        plan = {"media": media[-10:], "location": location, "drafts": drafts, "at": now}
        return self.db.gathered.find_one_and_update(
            {"_id": message.message_id},
            {"$setOnInsert": plan},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )

    def opened(self, message: core.Message, ticket: str, plan: dict, now: datetime) -> None:
        self.db.conversations.update_one(
            {"_id": ticket},
            {"$setOnInsert": {"sender": message.sender, "opened_at": now}},
            upsert=True,
        )
        if plan["drafts"]:
            self.db.drafts.update_many(
                {"_id": {"$in": plan["drafts"]}}, {"$set": {"taken_by": ticket}}
            )

    def refused(self, message: core.Message, reason: str, now: datetime) -> None:
        """A message that is not a complaint gets an answer saying what to send."""
        self.db.refusals.update_one(
            {"_id": message.idempotency_key()},
            {"$setOnInsert": {"sender": message.sender, "reason": reason, "at": now}},
            upsert=True,
        )
        self._answer(message, "refused", core.REFUSAL, now)

    def unsupported(self, message: core.Message, now: datetime) -> None:
        self._answer(message, "refused", core.UNSUPPORTED, now)

    def reply_received(self, message: core.Message, ticket: str, now: datetime) -> None:
        self._answer(message, "reply_received", core.reply_received(ticket), now)

    def rating_answered(self, message: core.Message, text: str, now: datetime) -> None:
        self._answer(message, "rating", text, now)

    def latest_ticket(self, sender: str) -> str | None:
        """The sender's most recent complaint: what "NILAI 4" without a ticket rates."""
        found = self.db.conversations.find_one({"sender": sender}, sort=[("opened_at", -1)])
        return None if found is None else found["_id"]

    def reply(self, ticket: str, notice: dict, now: datetime, ask_intake) -> None:
        """Queues a notice to the number the complaint came from. `ask_intake(ticket)`
        gives the sender when intake knows it and this adapter does not yet (the
        receipt overtook the save of the conversation)."""
        doc = self.db.conversations.find_one({"_id": ticket})
        sender = doc["sender"] if doc is not None else ask_intake(ticket)
        if sender is None:
            raise LookupError(f"{ticket}: no WhatsApp conversation, and intake knows no sender")
        url = f"{self.public_url}/api/v1/complaints/{ticket}"
        text = core.reply_text(notice["about"], ticket, notice.get("message", ""), url)
        self.deliveries.enqueue(
            ticket, notice["notice_id"], notice["about"], {"phone": sender}, text, now
        )

    def status(self, status: core.Status, now: datetime) -> bool:
        """Records WhatsApp's word on a message it sent for us, reporting a notice's
        delivery, read receipt or failure to intake; False when no delivery of ours has
        that id (yet: the callback may overtake the save of the send's answer)."""
        doc = self.db.deliveries.find_one({"provider_ref": status.message_id}, {"_id": 1})
        if doc is None:
            self.db.statuses.update_one(
                {"_id": f"{status.message_id}:{status.status}"},
                {
                    "$setOnInsert": {
                        "message_id": status.message_id,
                        "status": status.status,
                        "at": status.at,
                        "error": status.error,
                        "matched": False,
                        "first_seen": now,
                    }
                },
                upsert=True,
            )
            return False

        def decide(state: dict | None):
            if state is None or not core.status_moves(state.get("whatsapp_status"), status.status):
                return None
            entry = {"at": status.at, "status": status.status}
            if status.error:
                entry["error"] = status.error
            change = {
                "whatsapp_status": status.status,
                "whatsapp_log": [*state.get("whatsapp_log", []), entry],
            }
            if status.status == "failed":
                change["status"] = "failed"
            events = []
            reported = core.REPORTED.get(status.status)
            if reported and state["ticket"]:
                report = {
                    "notice_id": doc["_id"],
                    "status": reported,
                    "attempts": state["attempts"],
                    "at": status.at.isoformat(),
                }
                if status.error:
                    report["error"] = status.error
                events = [(EventType.NOTICE_DELIVERY, report)]
            return to_change(state["ticket"], (change, events), now)

        self.deliveries.aggregates.change(doc["_id"], decide)
        return True

    def unmatched_statuses(self, now: datetime, within: timedelta) -> list[core.Status]:
        """Callbacks that came before their delivery was saved, to try again; those
        older than `within` are forgotten (they name a message this adapter never sent:
        a staff notice from the same number)."""
        self.db.statuses.delete_many({"first_seen": {"$lt": now - within}})
        return [
            core.Status(d["message_id"], d["status"], _utc(d["at"]), d.get("error"))
            for d in self.db.statuses.find({"matched": False}).limit(100)
        ]

    def matched(self, status: core.Status) -> None:
        self.db.statuses.update_one(
            {"_id": f"{status.message_id}:{status.status}"}, {"$set": {"matched": True}}
        )

    def forget_gathered(self, now: datetime, after: timedelta) -> None:
        """Photos and locations that waited long enough, and what complaints took: kept
        only while WhatsApp may still redeliver the message (it retries for a day)."""
        self.db.drafts.delete_many({"kept_at": {"$lt": now - after}})
        self.db.gathered.delete_many({"at": {"$lt": now - after}})

    def _answer(self, message: core.Message, about: str, text: str, now: datetime) -> None:
        """An answer to a message that is no complaint's notice (keyed by the message, so
        a redelivered message is answered once)."""
        key = f"{about}:{message.idempotency_key()}"
        self.deliveries.enqueue("", key, about, {"phone": message.sender}, text, now)


class WhatsAppSender:
    """The notices' provider: a session text within 24 hours of the resident's last
    message, otherwise the template, decided when each attempt is made (a retry may fall
    outside the window, or the resident may have written again since)."""

    def __init__(
        self,
        api: CloudApi,
        template: str,
        last_inbound: Callable[[str], datetime | None],
    ) -> None:
        self.api = api
        self.template = template
        self.last_inbound = last_inbound

    def send(self, delivery: dict) -> str:
        phone = delivery["to"]["phone"]
        now = datetime.now(UTC)
        last = self.last_inbound(phone)
        body = core.outgoing(phone, delivery["text"], last and _utc(last), now, self.template)
        return self.api.send(body)


class WhatsAppStore(AdapterStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_WHATSAPP_URL, _PHONE_NUMBER_ID, _TOKEN | (none) | the Cloud API, as for staff
      notices (services/chassis/cloud_api.py); replies wait, pending, until they are set |
    | ADUAN_WHATSAPP_TEMPLATE | aduan_pemberitahuan | the approved template (language `id`,
      one body parameter) a notice goes in outside the resident's 24-hour session |
    | ADUAN_WHATSAPP_GATHER_WAIT | 600 | seconds a photo or location sent without words
      waits for the sender's complaint |
    """

    def make_provider(self, env: dict) -> WhatsAppSender:
        self.api = CloudApi.from_env(env)
        self.gather = timedelta(seconds=float(env.get("ADUAN_WHATSAPP_GATHER_WAIT", "600")))
        template = env.get("ADUAN_WHATSAPP_TEMPLATE", "aduan_pemberitahuan")
        return WhatsAppSender(self.api, template, self._last_inbound)

    def _last_inbound(self, sender: str) -> datetime | None:
        found = self.db.senders.find_one({"_id": sender})
        return None if found is None else found.get("last_inbound_at")

    def ensure_indexes(self) -> None:
        super().ensure_indexes()
        self.db.deliveries.create_index("provider_ref", sparse=True)
        self.db.conversations.create_index([("sender", 1), ("opened_at", -1)])
        self.db.drafts.create_index([("sender", 1), ("taken_by", 1), ("sent_at", 1)])
        self.db.statuses.create_index("matched")
        self.db.statuses.create_index("first_seen")
        self.db.drafts.create_index("kept_at")
        self.db.gathered.create_index("at")

    def domain(self, to_relay: list) -> WhatsAppBook:
        deliveries = self.deliveries(to_relay)
        return WhatsAppBook(self.db, deliveries, self.settings.public_url, self.gather, self.api)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
