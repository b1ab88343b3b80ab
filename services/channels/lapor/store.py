"""The LAPOR! bridge's database: the poll cursor (leased: one instance polls at a
time), which LAPOR! complaint each ticket is, and the updates sent back."""

from contextlib import suppress
from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from services.channels.lapor import core
from services.channels.lapor.client import HttpLaporClient, LaporClient
from services.chassis.outbound import AdapterStore, Deliveries

POLLER = "poller"


class PollSchedule:
    """What this process last knew of the next poll's due time (kept across workers)."""

    def __init__(self) -> None:
        self.not_before: datetime | None = None


class LaporBook:
    def __init__(
        self,
        db,
        deliveries: Deliveries,
        client: LaporClient,
        every: timedelta,
        schedule: PollSchedule,
    ):
        self.db = db
        self.deliveries = deliveries
        self.client = client
        self.every = every
        self.schedule = schedule

    def claim_poll(self, now: datetime, lease: timedelta) -> str | None:
        """The cursor to poll from, when a poll is due and no other instance holds it.

        The service ticks twice a second and polls once a minute: between polls the tick
        answers from the due time it last read, without a command. That time is never
        later than the stored one (only a poll moves it forward), so no poll is missed.
        """
        if self.schedule.not_before is not None and self.schedule.not_before > now:
            return None
        doc = self.db.state.find_one({"_id": POLLER})
        if doc is None:
            with suppress(DuplicateKeyError):
                self.db.state.insert_one({"_id": POLLER, "cursor": "", "next_at": now})
            doc = self.db.state.find_one({"_id": POLLER})
        self.schedule.not_before = doc["next_at"]
        if doc["next_at"] > now:
            return None
        taken = self.db.state.update_one(
            {"_id": POLLER, "next_at": doc["next_at"]}, {"$set": {"next_at": now + lease}}
        )
        if not taken.modified_count:
            self.schedule.not_before = None  # another instance took it: read again next tick
            return None
        self.schedule.not_before = now + lease
        return doc["cursor"]

    def advance(self, cursor: str, now: datetime) -> None:
        self.db.state.update_one(
            {"_id": POLLER}, {"$set": {"cursor": cursor, "next_at": now + self.every}}
        )
        self.schedule.not_before = now + self.every

    def opened(self, item: core.Item, ticket: str, now: datetime) -> None:
        self.db.conversations.update_one(
            {"_id": ticket},
            {"$setOnInsert": {"tracking_id": item.tracking_id, "opened_at": now}},
            upsert=True,
        )

    def returned(self, item: core.Item, reason: str, now: datetime) -> None:
        """LAPOR! hears why a complaint it handed over could not be taken."""
        message = core.returned_message(reason)
        to = {"tracking_id": item.tracking_id, "status": core.RETURNED}
        key = f"returned:{item.tracking_id}"
        self.deliveries.enqueue("", key, "returned", to, message, now)

    def update(self, ticket: str, notice: dict, now: datetime) -> None:
        doc = self.db.conversations.find_one({"_id": ticket})
        if doc is None:
            raise LookupError(f"{ticket}: no LAPOR! complaint (yet)")
        status, message = core.update_for(notice["about"], notice["message"])
        to = {"tracking_id": doc["tracking_id"], "status": status}
        self.deliveries.enqueue(ticket, notice["notice_id"], notice["about"], to, message, now)


class UpdateSender:
    """Deliveries to LAPOR!: each notice one status update, keyed by the notice id."""

    def __init__(self, client: LaporClient) -> None:
        self.client = client

    def send(self, delivery: dict) -> str:
        to = delivery["to"]
        return self.client.send_update(
            to["tracking_id"], to["status"], delivery["text"], delivery["_id"]
        )


class LaporStore(AdapterStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_LAPOR_URL | (none) | LAPOR!'s integration API; the bridge idles until set |
    | ADUAN_LAPOR_TOKEN | (none) | bearer token issued by LAPOR! |
    | ADUAN_LAPOR_POLL_SECONDS | 60 | seconds between polls for handed-over complaints |
    """

    poll_lease = timedelta(seconds=120)

    def make_provider(self, env: dict) -> UpdateSender:
        self.client = HttpLaporClient(
            env.get("ADUAN_LAPOR_URL", ""), env.get("ADUAN_LAPOR_TOKEN", "")
        )
        self.every = timedelta(seconds=float(env.get("ADUAN_LAPOR_POLL_SECONDS", "60")))
        self.schedule = PollSchedule()
        return UpdateSender(self.client)

    def domain(self, to_relay: list) -> LaporBook:
        return LaporBook(self.db, self.deliveries(to_relay), self.client, self.every, self.schedule)
