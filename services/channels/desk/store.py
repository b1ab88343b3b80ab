"""The desk's database: the letters written for walk-in and letter-writing reporters,
their PDFs in GridFS (never on a public path: staff download them through the gateway)."""

import base64
import io
from contextlib import suppress
from datetime import datetime

from gridfs import GridFSBucket
from gridfs.errors import FileExists, NoFile
from pymongo.errors import DuplicateKeyError

from services.channels.desk import core, letter
from services.chassis.aggregates import Aggregates
from services.chassis.domain import to_change
from services.chassis.store import MongoStore
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import EventType


class LetterBook:
    def __init__(self, letters: Aggregates, files: GridFSBucket) -> None:
        self.letters = letters
        self.files = files

    def write(self, ticket: str, notice: dict, addressee: dict, now: datetime) -> None:
        """Renders the notice's letter once (keyed by the notice) and reports it ready."""
        notice_id = notice["notice_id"]
        if self.letters.get(notice_id) is not None:
            return
        sequence = self.letters.collection.count_documents({"ticket": ticket}) + 1
        composed = core.compose(notice, addressee, sequence, now)
        pdf = letter.render(composed)
        with suppress(FileExists):
            self.files.upload_from_stream_with_id(
                notice_id, composed.filename(ticket), io.BytesIO(pdf)
            )
        state = {
            "ticket": ticket,
            "about": notice["about"],
            "kind": composed.kind,
            "number": composed.number,
            "subject": composed.subject,
            "filename": composed.filename(ticket),
            "size": len(pdf),
            "created_at": now,
        }
        ready = {"notice_id": notice_id, "status": "ready", "attempts": 1, "at": now.isoformat()}
        change = to_change(ticket, (state, [(EventType.NOTICE_DELIVERY, ready)]), now)
        with suppress(DuplicateKeyError):
            self.letters.create(notice_id, change)

    def for_ticket(self, ticket: str) -> list[dict]:
        found = self.letters.collection.find({"ticket": ticket}).sort("created_at", 1)
        return [_listed(doc) for doc in found]

    def pdf(self, ticket: str, letter_id: str) -> dict:
        doc = self.letters.get(letter_id)
        if doc is None or doc["ticket"] != ticket:
            raise CommandRejected(ErrorCode.NOT_FOUND, f"{ticket} has no letter {letter_id}")
        try:
            content = self.files.open_download_stream(letter_id).read()
        except NoFile:
            raise CommandRejected(ErrorCode.NOT_FOUND, "the letter's file is missing") from None
        return _listed(doc) | {"content_b64": base64.b64encode(content).decode()}


def _listed(doc: dict) -> dict:
    fields = ("ticket", "about", "kind", "number", "subject", "filename", "size")
    return {"id": doc["_id"], **{k: doc[k] for k in fields}, "at": doc["created_at"].isoformat()}


class DeskStore(MongoStore):
    aggregate_collections = ("letters",)

    def setup(self) -> None:
        super().setup()
        self.files = GridFSBucket(self.db, bucket_name="letters")

    def ensure_indexes(self) -> None:
        self.db.letters.create_index("ticket")

    def domain(self, to_relay: list) -> LetterBook:
        (letters,) = self.aggregates(to_relay)
        return LetterBook(letters, self.files)
