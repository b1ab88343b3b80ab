"""Intake's database: complaints with their reporters, their attachments (GridFS), and
the yearly ticket counters."""

import base64
import hashlib
import io
import os
import secrets
import uuid
from contextlib import suppress
from datetime import datetime, timedelta

from gridfs import GridFSBucket
from gridfs.errors import FileExists, NoFile
from pymongo.errors import DuplicateKeyError

from services.chassis.aggregates import Aggregates
from services.chassis.domain import apply_event, to_change
from services.chassis.store import MongoStore
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope, EventType
from services.contracts.reference import SEED_AGENCIES
from services.intake import core
from services.intake.metrics import COMPLAINTS_RECEIVED
from services.intake.tickets import TicketNumbers

AGENCY_NAMES = {code: name for code, name, _ in SEED_AGENCIES}
# The same verified sender sending the same text again within this window gets the
# same ticket (and only the ticket: never the first receipt's tracking token).
RESUBMISSION_WINDOW = timedelta(days=30)


class ComplaintBook:
    """Domain verbs over the intake database."""

    def __init__(self, complaints: Aggregates, tickets: TicketNumbers, files: GridFSBucket):
        self.complaints = complaints
        self.tickets = tickets
        self.files = files

    def record(self, submission: core.Submission, idempotency_key: str, now: datetime) -> dict:
        """Records a complaint once per idempotency key; a retry gets the first ticket.

        The insert comes first and the unique key on idempotency_key answers retries,
        so a new complaint costs no lookup (a retry costs a ticket number: a gap).
        """
        fingerprint = submission.fingerprint()
        same_content = core.content_key(submission)
        if same_content:
            earlier = self.complaints.collection.find_one(
                {"content_key": same_content, "received_at": {"$gte": now - RESUBMISSION_WINDOW}}
            )
            if earlier is not None:
                return resubmission_receipt(earlier)
        ticket = self.tickets.take(core.ticket_year(now))
        token = secrets.token_urlsafe(18)
        decided = core.receive(submission, ticket, now, token, uuid.uuid4().hex)
        change = to_change(ticket, decided, now)
        change.state |= {
            "idempotency_key": idempotency_key,
            "fingerprint": fingerprint,
            "content_key": same_content,
        }
        try:
            self.complaints.create(ticket, change)
        except DuplicateKeyError:
            existing = self._by_key(idempotency_key, fingerprint)
            if existing:
                return existing
            raise
        COMPLAINTS_RECEIVED.labels(submission.channel).inc()
        return receipt(change.state)

    def public_receipt(self, ticket: str) -> dict | None:
        """The receipt as anyone with the ticket may see it: without the tracking token."""
        doc = self.complaints.get(ticket)
        if doc is None:
            return None
        return without_secret(receipt(doc))

    def store_attachments(self, idempotency_key: str, files: list[dict]) -> list[dict]:
        """Stores uploaded files before the complaint that names them. Ids derive from the
        request's idempotency key, so a retried request stores nothing twice."""
        stored = []
        for index, upload in enumerate(files):
            content = base64.b64decode(upload["content_b64"])
            file_id = hashlib.sha256(f"{idempotency_key}#{index}".encode()).hexdigest()[:32]
            meta = {
                "id": file_id,
                "filename": upload["filename"],
                "content_type": upload["content_type"],
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            with suppress(FileExists):
                self.files.upload_from_stream_with_id(
                    file_id, upload["filename"], io.BytesIO(content), metadata=meta
                )
            stored.append(meta)
        return stored

    def attachment(self, ticket: str, attachment_id: str) -> dict:
        doc = self.complaints.get(ticket)
        listed = [a for a in (doc or {}).get("attachments", []) if a["id"] == attachment_id]
        if not listed:
            missing = f"{ticket} has no attachment {attachment_id}"
            raise CommandRejected(ErrorCode.NOT_FOUND, missing)
        try:
            content = self.files.open_download_stream(attachment_id).read()
        except NoFile:
            raise CommandRejected(ErrorCode.NOT_FOUND, "the attachment's file is missing") from None
        return listed[0] | {"content_b64": base64.b64encode(content).decode()}

    def notify_reporter(self, event: Envelope, now: datetime) -> None:
        if event["type"] == EventType.SLA_PAUSED and not event["data"].get("question"):
            return
        about, details = core.notice_for_event(event["type"], event["data"], AGENCY_NAMES)
        notice_id = uuid.uuid5(uuid.NAMESPACE_OID, event["event_id"]).hex
        apply_event(
            self.complaints,
            event,
            lambda complaint: core.notify(complaint, about, details, now, notice_id),
            now,
        )

    def resolved(self, event: Envelope, now: datetime) -> None:
        """The reporter hears the result, and so does every reporter of a complaint an
        officer linked to this one as the same incident."""
        self.notify_reporter(event, now)
        follow_up = event["data"]["follow_up"]
        primary = self.complaints.get(event["ticket"])
        for ticket in primary.get("linked", []):
            self._tell_linked(ticket, event["ticket"], follow_up, event["event_id"], now)

    def link(self, event: Envelope, now: datetime) -> None:
        ticket, primary = event["ticket"], event["data"]["primary"]
        joined = event["type"] == EventType.COMPLAINT_LINKED
        apply_event(
            self.complaints, event, lambda c: core.linked(c, primary if joined else None), now
        )
        apply_event(
            self.complaints,
            event,
            lambda c: core.duplicates_changed(c, ticket, joined),
            now,
            key=primary,
        )
        follow_up = core.latest_result(self.complaints.get(primary) or {})
        if joined and follow_up:  # linked after the primary was resolved: told at once
            self._tell_linked(ticket, primary, follow_up, event["event_id"], now)

    def _tell_linked(self, ticket: str, primary: str, follow_up: str, cause: str, now) -> None:
        details = {"follow_up": follow_up, "primary": primary}
        notice_id = uuid.uuid5(uuid.NAMESPACE_OID, f"{cause}:{ticket}").hex

        def decide(complaint):
            if complaint is None:
                raise LookupError(f"{ticket}: linked complaint not found (yet)")
            if any(n.get("id") == notice_id for n in complaint["notifications"]):
                return None
            decided = core.notify(complaint, core.Notice.RESOLVED, details, now, notice_id)
            return to_change(ticket, decided, now)

        self.complaints.change(ticket, decide)

    def record_delivery(self, event: Envelope, now: datetime) -> None:
        apply_event(
            self.complaints,
            event,
            lambda complaint: core.record_delivery(complaint, event["data"]),
            now,
        )

    def reply(
        self, ticket: str, text: str, channel: str, proof: dict, reply_id: str, now: datetime
    ) -> dict:
        """The reporter's further information for their complaint; refused (not found)
        unless it comes from that reporter."""

        def decide(complaint):
            if complaint is None or not core.from_the_reporter(complaint, proof):
                raise CommandRejected(
                    ErrorCode.NOT_FOUND, "no complaint with this ticket from this reporter"
                )
            decided = core.add_reply(complaint, text, channel, reply_id, now)
            return None if decided is None else to_change(ticket, decided, now)

        self.complaints.change(ticket, decide)
        return {"ticket": ticket, "received": True}

    def rate(
        self,
        ticket: str,
        rating: int,
        comment: str | None,
        channel: str,
        proof: dict,
        rating_id: str,
        now: datetime,
    ) -> dict:
        """The reporter's rating of the result they were told; refused (not found)
        unless it comes from that reporter. The same rating_id answers the same."""

        def decide(complaint):
            if complaint is None or not core.from_the_reporter(complaint, proof):
                raise CommandRejected(
                    ErrorCode.NOT_FOUND, "no complaint with this ticket from this reporter"
                )
            decided = core.rate(complaint, rating, comment, channel, rating_id, now)
            return None if decided is None else to_change(ticket, decided, now)

        self.complaints.change(ticket, decide)
        saved = self.complaints.get(ticket)
        record = next(r for r in saved["ratings"] if r["id"] == rating_id)
        return core.rating_answer(ticket, record)

    def addressee(self, ticket: str) -> dict | None:
        """Who a letter goes to: for the desk's letters, never published in an event."""
        doc = self.complaints.get(ticket)
        if doc is None:
            return None
        reporter = doc["reporter"]
        return {
            "ticket": ticket,
            "channel": doc["channel"],
            "title": doc["title"],
            "received_at": doc["received_at"].isoformat(),
            "name": reporter.get("name"),
            "address": reporter.get("address"),
            "anonymous": reporter.get("anonymous", False),
        }

    def sender(self, ticket: str, channel: str) -> str | None:
        """The verified sender of a complaint from `channel`, for that channel's adapter
        (never published in an event)."""
        doc = self.complaints.get(ticket)
        return None if doc is None else core.sender_on(doc, channel)

    def staff_notices(self, ticket: str) -> list[dict] | None:
        doc = self.complaints.get(ticket)
        if doc is None:
            return None
        return [core.staff_notice(notice, doc["reporter"]) for notice in doc["notifications"]]

    def notifications(self, ticket: str, token: str) -> list[dict]:
        """The reporter's notices, for whoever holds the complaint's tracking token."""
        doc = self.complaints.get(ticket)
        if doc is None or not core.token_matches(doc.get("tracking_token"), token):
            raise CommandRejected(
                ErrorCode.NOT_FOUND, "no complaint with this ticket and tracking token"
            )
        return [core.public_notice(notice) for notice in doc["notifications"]]

    def _by_key(self, idempotency_key: str, fingerprint: str) -> dict | None:
        doc = self.complaints.collection.find_one({"idempotency_key": idempotency_key})
        if doc is None:
            return None
        if doc["fingerprint"] != fingerprint:
            raise CommandRejected(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used for a different complaint; "
                "use a new key for a new complaint",
                "Idempotency-Key",
            )
        return receipt(doc)


def resubmission_receipt(doc: dict) -> dict:
    """What a resubmission is told: the first complaint's ticket, nothing that reads or
    acts on it (its tracking token answers only the request that created it)."""
    return without_secret(receipt(doc)) | {"resubmission": True}


def without_secret(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "tracking_token"}


def receipt(doc: dict) -> dict:
    return {
        "ticket": doc["ticket"],
        "status": "received",
        "channel": doc["channel"],
        "received_at": doc["received_at"].isoformat(),
        "tracking_token": doc["tracking_token"],
    }


class IntakeStore(MongoStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_TICKET_BLOCK | 10 | ticket numbers a process takes at once (1: no gaps on restart) |
    """

    aggregate_collections = ("complaints",)

    def ensure_indexes(self) -> None:
        self.db.complaints.create_index("idempotency_key", unique=True)
        self.db.complaints.create_index("content_key", sparse=True)

    def domain(self, to_relay: list) -> ComplaintBook:
        (complaints,) = self.aggregates(to_relay)
        return ComplaintBook(complaints, self.tickets, self.files)

    def setup(self) -> None:
        super().setup()
        self.files = GridFSBucket(self.db, bucket_name="attachments")
        block = int(os.environ.get("ADUAN_TICKET_BLOCK", "10"))
        self.tickets = TicketNumbers(self.db.counters, block)
