"""staff_notices' database: the staff it may tell (a copy of the gateway's accounts,
with the contact details staff give here) and its deliveries (chassis/outbound.py)."""

from datetime import datetime

from services.chassis.outbound import AdapterStore, Deliveries
from services.contracts.events import Envelope
from services.staff_notices import core
from services.staff_notices.providers import ByMedium

CONTACT_VIEW = {"_id": 1, "role": 1, "agency": 1, "email": 1, "whatsapp": 1}


class StaffBook:
    """Domain verbs: learn accounts, keep contact details, turn SLA events into deliveries."""

    def __init__(self, db, deliveries: Deliveries, public_url: str) -> None:
        self.db = db
        self.deliveries = deliveries
        self.public_url = public_url

    def notify(self, event: Envelope, now: datetime) -> int:
        """Enqueues the event's notices; a redelivered event enqueues none again. Costs a
        read of the named roles' members and an insert per notice."""
        roles = core.roles_of(event["data"]["recipients"])
        staff = list(self.db.staff.find({"role": {"$in": roles}, "active": True}))
        enqueued = 0
        for notice in core.notices(event, staff, self.public_url):
            ticket = event["ticket"]
            enqueued += self.deliveries.enqueue(
                ticket, notice.notice_id, notice.about, notice.to, notice.text, now
            )
        return enqueued

    def account(self, data: dict) -> None:
        """An account as the gateway holds it; an older snapshot than the one kept
        (events overtaking each other) changes nothing."""
        account = core.account_from(data)
        kept = self.db.staff.find_one({"_id": data["username"]}, {"account_at": 1})
        if kept and kept.get("account_at") and kept["account_at"] > account["account_at"]:
            return
        self.db.staff.update_one({"_id": data["username"]}, {"$set": account}, upsert=True)

    def set_contact(
        self, username: str, role: str, agency: str | None, contact: dict, now: datetime
    ) -> dict:
        """The caller's own details. Role and agency come from its verified token (the
        gateway ends a token when either changes), so they are current."""
        fields = contact | {"role": role, "agency": agency, "active": True, "contact_at": now}
        self.db.staff.update_one({"_id": username}, {"$set": fields}, upsert=True)
        return self.contact(username)

    def contact(self, username: str) -> dict:
        doc = self.db.staff.find_one({"_id": username}, CONTACT_VIEW) or {}
        return {"username": username, "email": doc.get("email"), "whatsapp": doc.get("whatsapp")}

    def deliveries_for(self, ticket: str) -> list[dict]:
        return self.deliveries.for_ticket(ticket)


class StaffNoticesStore(AdapterStore):
    """Deliveries as the channel adapters keep them (retries, status, a lease), with the
    staff directory beside them. Outcomes are not announced: intake keeps the reporters'."""

    announces_deliveries = False

    def make_provider(self, env: dict) -> ByMedium:
        return ByMedium(env)

    def ensure_indexes(self) -> None:
        super().ensure_indexes()
        self.db.staff.create_index([("role", 1), ("active", 1)])

    def domain(self, to_relay: list) -> StaffBook:
        return StaffBook(self.db, self.deliveries(to_relay), self.settings.public_url)
