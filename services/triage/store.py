"""Triage's database: one review per complaint (with triage's suggestions), the routing
table and the automatic-rejection switches that supervisors edit."""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from pymongo import UpdateOne
from pymongo.collection import Collection

from services.chassis import fields
from services.chassis.aggregates import Aggregates
from services.chassis.domain import Decided, apply_event, create_from_event, run_command
from services.chassis.store import MongoStore
from services.contracts.events import Envelope
from services.triage import core, duplicates, routing, validity
from services.triage.suggestions import Suggester, load_model

log = logging.getLogger(__name__)

# Supervisors' edits reach every instance within this many seconds.
SETTINGS_REFRESH_SECONDS = 10.0
# The fields of a review that a duplicate search compares.
REPORT_FIELDS = ("category", "suggested_category", "kecamatan", "kelurahan", "lat", "lon")
REPORT_FIELDS += ("words", "received_at")


class Settings:
    """The routing table and automatic-rejection switches, cached per refresh period."""

    def __init__(self, db) -> None:
        self.db = db
        self._loaded_at = -SETTINGS_REFRESH_SECONDS
        self._table = routing.default_table()
        self._auto_reject: frozenset[str] = frozenset()

    def current(self) -> tuple[routing.RoutingTable, frozenset[str]]:
        if time.monotonic() - self._loaded_at >= SETTINGS_REFRESH_SECONDS:
            self.reload()
        return self._table, self._auto_reject

    def reload(self) -> None:
        table = self.db.routing.find_one({"_id": "current"})
        self._table = (
            routing.routing_table_from(table["table"], table["table"]["version"])
            if table
            else routing.default_table()
        )
        switches = self.db.settings.find_one({"_id": "auto_reject"})
        self._auto_reject = frozenset(switches["flags"]) if switches else frozenset()
        self._loaded_at = time.monotonic()


class DuplicateIndex:
    """Open reviews found by the keys of their informative words (duplicates.py): each
    review is stored with its `dup_keys` (core.open_review, core.classify), indexed
    together with `received_at`."""

    INDEX = [("dup_keys", 1), ("received_at", 1)]
    # Replaced by INDEX: it served the read of a kecamatan's open reviews.
    OLD_INDEX = "kecamatan_1_received_at_1"
    MARKER = "duplicate_keys"
    BATCH = 1000

    def __init__(self, reviews: Collection, settings: Collection) -> None:
        self.reviews = reviews
        self.settings = settings

    def ensure_index(self) -> None:
        self.reviews.create_index(self.INDEX)
        if self.OLD_INDEX in self.reviews.index_information():
            self.reviews.drop_index(self.OLD_INDEX)

    def open_reports(self, new: duplicates.Report) -> list[duplicates.Report]:
        """The open reviews `new` may repeat: one query, matching only the reviews of its
        kecamatan and category that share a key word with it in the last 30 days."""
        keys = duplicates.search_keys(new)
        if not keys:
            return []
        query = {
            # First: the clause SecantusDB looks up in the index (it filters the rest).
            "dup_keys": {"$in": keys},
            "status": {"$in": list(core.OPEN_STATUSES)},
            "received_at": {"$gte": new.received_at - duplicates.MAX_AGE},
        }
        return [report_of(doc) for doc in self.reviews.find(query, REPORT_FIELDS)]

    def add_missing_keys(self, now: datetime) -> int:
        """At start-up: keys for the reviews of the last 30 days stored without them (by
        a version before the index, or by an instance of one still running meanwhile),
        and new keys for all of them when the key rule changed (KEYS_VERSION).
        Idempotent; returns how many reviews got keys."""
        since = now - duplicates.MAX_AGE - duplicates.PERIOD
        marker = self.settings.find_one({"_id": self.MARKER})
        if marker is not None and marker.get("version") != duplicates.KEYS_VERSION:
            # A one-off scan of the collection on the first start-up after a rule change.
            self.reviews.update_many({"received_at": {"$gte": since}}, {"$unset": {"dup_keys": ""}})
        keyless = self.reviews.find(
            {"dup_keys": None, "received_at": {"$gte": since}},
            (*REPORT_FIELDS, "status"),
        )
        updates = [
            UpdateOne(
                {"_id": doc["_id"], "dup_keys": None},
                {"$set": {"dup_keys": core.review_keys(doc)}},
            )
            for doc in keyless
        ]
        for start in range(0, len(updates), self.BATCH):
            self.reviews.bulk_write(updates[start : start + self.BATCH], ordered=False)
        if marker is None or marker.get("version") != duplicates.KEYS_VERSION:
            self.settings.replace_one(
                {"_id": self.MARKER},
                {"version": duplicates.KEYS_VERSION, "at": now},
                upsert=True,
            )
        if updates:
            log.info("duplicate-search keys added to %d reviews", len(updates))
        return len(updates)


def report_of(doc: dict) -> duplicates.Report:
    return duplicates.Report(
        ticket=doc["_id"],
        category=doc.get("category") or doc.get("suggested_category"),
        kecamatan=doc.get("kecamatan"),
        kelurahan=doc.get("kelurahan"),
        lat=doc.get("lat"),
        lon=doc.get("lon"),
        words=tuple(doc.get("words", ())),
        received_at=doc["received_at"],
    )


class ReviewDesk:
    def __init__(self, reviews: Aggregates, db, suggester: Suggester, settings: Settings):
        self.reviews = reviews
        self.db = db
        self.suggester = suggester
        self.settings = settings
        self.duplicates = DuplicateIndex(reviews.collection, db.settings)

    def open_review(self, event: Envelope, now: datetime) -> None:
        # No look-up first: the insert's unique _id answers a redelivery (rare), which then
        # costs one classification thrown away instead of every complaint a read.
        data = event["data"]
        table, auto_reject = self.settings.current()
        suggestion, words = self.suggester.suggest(
            event["ticket"], data, self.duplicates.open_reports, table, auto_reject
        )
        decided = core.open_review(data, suggestion.to_document(), list(words), now)
        create_from_event(self.reviews, event, decided, now)

    def review(self, ticket: str) -> dict | None:
        """The review screen: triage's suggestions with the words behind them, and the
        officers' decisions so far."""
        doc = self.reviews.get(ticket)
        if doc is None:
            return None
        return {
            "ticket": ticket,
            "status": doc["status"],
            "suggestion": doc.get("suggestion"),
            "decisions": [{**d, "at": d["at"].isoformat()} for d in doc.get("decisions", [])],
        }

    def agency_returned(self, event: Envelope, now: datetime) -> None:
        apply_event(
            self.reviews,
            event,
            lambda review: core.agency_returned(review, event["data"], now),
            now,
        )

    def reopened(self, event: Envelope, now: datetime) -> None:
        apply_event(
            self.reviews, event, lambda review: core.reopened(review, event["data"], now), now
        )

    def decide(self, ticket: str, decision: Callable[[dict], Decided], now: datetime) -> dict:
        change = run_command(
            self.reviews, ticket, decision, now, f"no complaint {ticket} awaits review"
        )
        last = change.state["decisions"][-1]
        return {"ticket": ticket, "status": change.state["status"], "agreed": last.get("agreed")}

    def link(self, ticket: str, primary: str, officer: str, now: datetime) -> dict:
        found = self.reviews.get(primary)
        return self.decide(ticket, lambda review: core.link(review, found, officer, now), now)

    def unlink(self, ticket: str, officer: str, now: datetime) -> dict:
        return self.decide(ticket, lambda review: core.unlink(review, officer, now), now)

    # supervisors' settings
    def routing_table(self) -> dict:
        table, _ = self.settings.current()
        return routing.to_document(table)

    def replace_routing_table(self, body: object, by: str, now: datetime) -> dict:
        current = self.db.routing.find_one({"_id": "current"})
        version = (current["table"]["version"] if current else 1) + 1
        table = routing.routing_table_from(body, version)
        document = routing.to_document(table)
        self.db.routing.replace_one(
            {"_id": "current"}, {"table": document, "by": by, "at": now}, upsert=True
        )
        self.db.routing_log.insert_one({"table": document, "by": by, "at": now})
        self.settings.reload()
        return document

    def auto_reject(self) -> dict:
        _, flags = self.settings.current()
        return {
            "flags": sorted(flags),
            "available": sorted(validity.REJECTION_REASONS),
            # What the reporter is told when a flag rejects their complaint.
            "reasons": dict(validity.REJECTION_REASONS),
        }

    def replace_auto_reject(self, body: object, by: str, now: datetime) -> dict:
        body = fields.obj(body, "", ("flags",))
        flags = fields.text_list(body, "flags", "flags", max_items=10)
        unknown = [f for f in flags if f not in validity.REJECTION_REASONS]
        if unknown:
            raise fields.invalid(
                "flags", f"{unknown[0]!r} is not one of {', '.join(validity.REJECTION_REASONS)}"
            )
        record = {"flags": flags, "by": by, "at": now}
        self.db.settings.replace_one({"_id": "auto_reject"}, record, upsert=True)
        self.db.settings_log.insert_one({"setting": "auto_reject", **record})
        self.settings.reload()
        return self.auto_reject()


class TriageStore(MongoStore):
    aggregate_collections = ("reviews",)

    def setup(self) -> None:
        super().setup()
        self.suggester = Suggester(load_model())
        self.settings_cache = Settings(self.db)

    def ensure_indexes(self) -> None:
        duplicate_index = DuplicateIndex(self.db.reviews, self.db.settings)
        duplicate_index.ensure_index()
        duplicate_index.add_missing_keys(datetime.now(UTC))

    def domain(self, to_relay: list) -> ReviewDesk:
        (reviews,) = self.aggregates(to_relay)
        return ReviewDesk(reviews, self.db, self.suggester, self.settings_cache)
