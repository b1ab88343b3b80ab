"""Triage's database: one review per complaint (with triage's suggestions), the routing
table and the automatic-rejection switches that supervisors edit."""

import time
from collections.abc import Callable
from datetime import datetime

from services.chassis import fields
from services.chassis.aggregates import Aggregates
from services.chassis.domain import Decided, apply_event, create_from_event, run_command
from services.chassis.store import MongoStore
from services.contracts.events import Envelope
from services.triage import core, duplicates, routing, validity
from services.triage.suggestions import Suggester, load_model

# Supervisors' edits reach every instance within this many seconds.
SETTINGS_REFRESH_SECONDS = 10.0
MAX_CANDIDATES = 300


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


class ReviewDesk:
    def __init__(self, reviews: Aggregates, db, suggester: Suggester, settings: Settings):
        self.reviews = reviews
        self.db = db
        self.suggester = suggester
        self.settings = settings

    def open_review(self, event: Envelope, now: datetime) -> None:
        if self.reviews.get(event["ticket"]) is not None:
            return  # a redelivery: suggesting again would cost a classification
        data = event["data"]
        table, auto_reject = self.settings.current()
        candidates = self._open_reports(data)
        suggestion, words = self.suggester.suggest(
            event["ticket"], data, candidates, table, auto_reject
        )
        decided = core.open_review(data, suggestion.to_document(), list(words), now)
        create_from_event(self.reviews, event, decided, now)

    def _open_reports(self, data: dict) -> list[duplicates.Report]:
        kecamatan = (data.get("location") or {}).get("kecamatan")
        if not kecamatan:
            return []
        since = datetime.fromisoformat(data["received_at"]) - duplicates.MAX_AGE
        query = {
            "kecamatan": kecamatan,
            "received_at": {"$gte": since},
            "status": {"$in": list(core.OPEN_STATUSES)},
        }
        found = self.reviews.collection.find(query).limit(MAX_CANDIDATES)
        return [
            duplicates.Report(
                ticket=doc["_id"],
                category=doc.get("category") or doc.get("suggested_category"),
                kecamatan=doc.get("kecamatan"),
                kelurahan=doc.get("kelurahan"),
                lat=doc.get("lat"),
                lon=doc.get("lon"),
                words=tuple(doc.get("words", ())),
                received_at=doc["received_at"],
            )
            for doc in found
        ]

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
        return {"flags": sorted(flags), "available": sorted(validity.REJECTION_REASONS)}

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
        self.db.reviews.create_index([("kecamatan", 1), ("received_at", 1)])

    def domain(self, to_relay: list) -> ReviewDesk:
        (reviews,) = self.aggregates(to_relay)
        return ReviewDesk(reviews, self.db, self.suggester, self.settings_cache)
