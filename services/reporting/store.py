"""Reporting's database: one view per complaint, built from events."""

from datetime import datetime

from services.chassis.aggregates import Aggregates, Change
from services.chassis.store import MongoStore
from services.contracts.events import Envelope
from services.reporting import core

LIST_PROJECTION = {"events": 0, "timeline": 0}


class ReadModel:
    def __init__(self, views: Aggregates) -> None:
        self.views = views

    def record(self, event: Envelope) -> None:
        ticket = event["ticket"]
        self.views.change(
            ticket,
            lambda view: Change(core.record(view, ticket, event)[0]),
            applying=event["event_id"],
        )

    def view(self, ticket: str) -> dict | None:
        return self.views.collection.find_one({"_id": ticket}, {"events": 0})

    def worklist(self, statuses: list[str], agency: str | None, limit: int) -> list[dict]:
        query: dict = {"status": {"$in": statuses}}
        if agency is not None:
            query["agency"] = agency
        cursor = (
            self.views.collection.find(query, LIST_PROJECTION)
            .sort([("urgent", -1), ("deadline.due_at", 1), ("received_at", 1)])
            .limit(limit)
        )
        return [core.worklist_item(view) for view in cursor]

    def monthly_counts(self, start: datetime, end: datetime) -> list[tuple]:
        rows = self.views.collection.aggregate(
            [
                {"$match": {"received_at": {"$gte": start, "$lt": end}}},
                {
                    "$group": {
                        "_id": {"category": "$category", "status": "$status"},
                        "n": {"$sum": 1},
                    }
                },
            ]
        )
        return [(row["_id"].get("category"), row["_id"].get("status"), row["n"]) for row in rows]


class ReportingStore(MongoStore):
    aggregate_collections = ("views",)

    def ensure_indexes(self) -> None:
        self.db.views.create_index([("status", 1), ("deadline.due_at", 1)])
        self.db.views.create_index([("status", 1), ("urgent", -1), ("deadline.due_at", 1)])
        self.db.views.create_index([("agency", 1), ("status", 1)])
        self.db.views.create_index("received_at")

    def domain(self, to_relay: list) -> ReadModel:
        (views,) = self.aggregates(to_relay)
        return ReadModel(views)
