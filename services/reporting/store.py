"""Reporting's database: one view per complaint, built from events."""

import logging
import os
import re
from datetime import UTC, datetime

import eventlet
from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.chassis import topology
from services.chassis.aggregates import Aggregates, Change
from services.chassis.batches import Batcher
from services.chassis.bulk import Application, apply_many
from services.chassis.store import MongoStore
from services.chassis.working_days import national_calendar
from services.contracts.events import Envelope
from services.reporting import analytics, cells_store, core, monthly_report, open_data, overview
from services.reporting.cells_store import AnalyticsCells
from services.reporting.open_data import OpenDataQuery
from services.reporting.public_list import PublicQuery, mongo_filter, public_item

log = logging.getLogger(__name__)

LIST_PROJECTION = {"events": 0, "timeline": 0}
# What open_data.row reads of a view: never the event list (a long complaint's is large).
OPEN_DATA_PROJECTION = {
    field: 1
    for field in (
        "ticket",
        "received_at",
        "timeline",
        "deadline",
        "category",
        "confidential",
        "facts",
        "channel",
        "scope",
        "agency",
        "location.kecamatan",
        "status",
        "linked_to",
        "title",
        "description",
    )
}
# Marks, in the `migrations` collection, a one-time scan done (so later starts skip it).
VIEWS_SCANNED = "views-without-unsubscribed-events"
WORKLIST_FIELDS_ADDED = "views-with-worklist-fields"
PUBLIC_CATEGORY_ADDED = "views-with-public-category"
TASK_FIELDS_ADDED = "views-with-task-agencies"
FACTS_ADDED = "views-with-analytics-facts"
EVENTS_LOGGED = "event-log-seeded-from-views"
CELLS_MARKED = "views-marked-for-analytics-cells"
DUPLICATE_KEY = 11000


# Events that workers consume at the same moment are applied together: one read and
# one bulk write for up to this many, gathered for at most RECORD_WAIT seconds.
RECORD_BATCH = 100
RECORD_WAIT = 0.01
# How often the analytics' counters look for views to count (a read catches up itself).
# Changes to one complaint come in bursts (received, triaged, deadline set): counted
# together when they fall in one interval.
CELLS_INTERVAL = 2.0


def recording(event: Envelope) -> Application:
    """How one event changes its complaint's view (applied once, in any order); a view
    whose facts change is marked for the analytics' counters in the same update."""
    ticket = event["ticket"]

    def decide(view: dict | None) -> Change:
        recorded = core.record(view, ticket, event)[0]
        if recorded.get("facts") != (view or {}).get("facts"):
            recorded = {**recorded, cells_store.DIRTY: True}
        return Change(recorded)

    return Application(ticket, event["event_id"], decide)


class ReadModel:
    def __init__(
        self,
        views: Aggregates,
        batcher: Batcher[Envelope],
        reports: Collection,
        cells: AnalyticsCells,
    ) -> None:
        self.views = views
        self.batcher = batcher
        self.reports = reports
        self.cells = cells

    def record(self, event: Envelope) -> None:
        """Returns once the event is saved in its view (with the others of its batch)."""
        self.batcher.submit(event)

    def view(self, ticket: str) -> dict | None:
        return self.views.collection.find_one({"_id": ticket}, {"events": 0})

    def worklist(
        self,
        statuses: list[str],
        match: dict,
        limit: int,
        chosen: dict | None = None,
        page: int = 1,
    ) -> list[dict]:
        """A page of the queue, urgent first, then due soonest; `chosen` as checked by
        core.worklist_filter."""
        chosen = chosen or {}
        # One top-level clause per filter, status first, no $or: SecantusDB reads every
        # view for an $or or a clause in $and (a search read all 20,000: 3.2 s a page).
        query: dict = {"status": {"$in": [chosen["status"]] if "status" in chosen else statuses}}
        query |= match  # an agency's: its tasks (core.worklist_query)
        if "kecamatan" in chosen:
            query["location.kecamatan"] = chosen["kecamatan"]
        if "channel" in chosen:
            query["channel"] = chosen["channel"]
        if "category" in chosen:  # the officer's category, else triage's suggestion
            query["work_category"] = chosen["category"]
        if "q" in chosen:  # lower case, as core.worklist_fields stores the text
            query["search_text"] = {"$regex": re.escape(chosen["q"])}
        cursor = (
            self.views.collection.find(query, LIST_PROJECTION)
            .sort([("urgent", -1), ("deadline.due_at", 1), ("received_at", 1)])
            .skip((page - 1) * limit)
            .limit(limit)
        )
        return [core.worklist_item(view) for view in cursor]

    def public_list(self, query: PublicQuery) -> list[dict]:
        """The complaints of `query`, newest first, as the public may see them; the
        `received_at` index bounds the read to the query's days."""
        cursor = (
            self.views.collection.find(mongo_filter(query), {"events": 0})
            .sort([("received_at", -1)])
            .limit(query.limit)
        )
        return [public_item(view) for view in cursor]

    def open_data(self, query: OpenDataQuery) -> tuple[int, list[dict]]:
        """How many complaints the query finds, and the page of them asked for, as rows of
        open data (oldest first)."""
        found = open_data.mongo_filter(query)
        total = self.views.collection.count_documents(found)
        cursor = (
            self.views.collection.find(found, OPEN_DATA_PROJECTION)
            .sort(open_data.ORDER)
            .skip((query.page - 1) * query.per_page)
            .limit(query.per_page)
        )
        return total, [open_data.row(view, query.with_text) for view in cursor]

    def open_counts(self) -> list[tuple]:
        """(agency, sla_state, count) of the open complaints."""
        rows = self.views.collection.aggregate(
            [
                {"$match": {"status": {"$in": [str(s) for s in overview.OPEN_STATUSES]}}},
                {
                    "$group": {
                        "_id": {"agency": "$agency", "sla_state": "$sla_state"},
                        "n": {"$sum": 1},
                    }
                },
            ]
        )
        return [(row["_id"].get("agency"), row["_id"].get("sla_state"), row["n"]) for row in rows]

    def oldest_open(self, limit: int) -> list[dict]:
        cursor = (
            self.views.collection.find(
                {"status": {"$in": [str(s) for s in overview.OPEN_STATUSES]}}, LIST_PROJECTION
            )
            .sort([("received_at", 1)])
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

    def monthly_channels(self, start: datetime, end: datetime) -> list[tuple]:
        """(channel, count) of the complaints received in [start, end)."""
        rows = self.views.collection.aggregate(
            [
                {"$match": {"received_at": {"$gte": start, "$lt": end}}},
                {"$group": {"_id": "$channel", "n": {"$sum": 1}}},
            ]
        )
        return [(row["_id"], row["n"]) for row in rows]

    def monthly_ratings(self, month: str) -> list[tuple]:
        """(agency, category, rating, count) of the ratings given in `month`."""
        rows = self.views.collection.aggregate(
            [
                {"$match": {"rating_month": month}},
                {
                    "$group": {
                        "_id": {
                            "agency": "$agency",
                            "category": "$category",
                            "rating": "$rating.rating",
                        },
                        "n": {"$sum": 1},
                    }
                },
            ]
        )
        return [
            (row["_id"].get("agency"), row["_id"].get("category"), row["_id"]["rating"], row["n"])
            for row in rows
        ]

    def month_facts(self, month: str) -> list[dict]:
        """The facts of the complaints received in `month` or open at its end: three
        indexed reads (an $or would read every view in SecantusDB)."""
        found: dict = {}
        start, end = core.month_bounds(month)
        for query in (
            {"received_at": {"$gte": start, "$lt": end}},
            {"facts.open_months": month},
            {"facts.open_from": {"$lte": month}},
        ):
            for view in self.views.collection.find(query, {"facts": 1}):
                if view.get("facts"):
                    found[view["_id"]] = view["facts"]
        return list(found.values())

    def analytics(self, month: str, by: str) -> dict:
        """The month's figures, read from the counters (cells_store.py)."""
        return self.cells.analytics(month, by)

    def month_figures(self, month: str) -> dict:
        """The month's figures in total and by every dimension (the counters)."""
        return self.cells.report(month)

    def analytics_from_facts(self, month: str, by: str) -> dict:
        """The same figures summed from every complaint's facts: what the counters must
        equal (tests/integration/test_analytics_year.py), and the benchmark's baseline."""
        return analytics.month_analytics(month, by, self.month_facts(month))

    def monthly_summary(self, month: str) -> dict:
        """Counts by category and status, by channel, and the month's ratings."""
        start, end = core.month_bounds(month)
        summary = core.monthly_summary(month, self.monthly_counts(start, end))
        return summary | {
            "by_channel": core.channel_counts(self.monthly_channels(start, end)),
            "ratings": core.rating_summary(self.monthly_ratings(month)),
        }

    def archive_report(
        self, month: str, trigger: str, now: datetime, requested_by: str | None = None
    ) -> dict | None:
        """Takes the month's snapshot into the archive; None when it is the scheduled
        report and another instance archived it first."""
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # MongoDB keeps ms
        figures = monthly_report.snapshot(
            month, self.month_facts(month), self.monthly_summary(month)
        )
        entry = {
            "_id": monthly_report.archive_id(month, trigger, now),
            "month": month,
            "trigger": trigger,
            "requested_by": requested_by,
            "generated_at": now,
            "figures": figures,
        }
        try:
            self.reports.insert_one(entry)
        except DuplicateKeyError:
            return None
        return next(e for e in self.archived(month) if e["id"] == entry["_id"])

    def has_scheduled_report(self, month: str) -> bool:
        found = self.reports.find_one({"_id": monthly_report.scheduled_id(month)}, {"_id": 1})
        return found is not None

    def archived(self, month: str | None = None) -> list[dict]:
        """The archive's reports (of `month`, or all), without their figures."""
        query = {} if month is None else {"month": month}
        return monthly_report.listing(list(self.reports.find(query, {"figures": 0})))

    def archived_report(self, month: str, version: int | None) -> dict | None:
        """A version of the month's report with its figures (the latest when None)."""
        listed = self.archived(month)  # newest first
        if not listed or (version is not None and not 1 <= version <= len(listed)):
            return None
        chosen = listed[0] if version is None else listed[len(listed) - version]
        found = self.reports.find_one({"_id": chosen["id"]}, {"figures": 1})
        return chosen | {"figures": found["figures"]}


def log_events(log: Collection, events: list[Envelope]) -> None:
    """Appends events to reporting's event log, one document each, keyed by event id: a
    redelivered event adds nothing (its duplicate key is ignored)."""
    if not events:
        return
    now = datetime.now(UTC)
    documents = [{**event, "_id": event["event_id"], "logged_at": now} for event in events]
    try:
        log.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        others = [e for e in error.details.get("writeErrors", ()) if e["code"] != DUPLICATE_KEY]
        if others:
            raise


def ensure_view_indexes(views: Collection) -> None:
    """The indexes of a collection of views (also of one rebuilt, before it is swapped in)."""
    views.create_index([("status", 1), ("deadline.due_at", 1)])
    views.create_index([("status", 1), ("urgent", -1), ("deadline.due_at", 1)])
    views.create_index([("agency", 1), ("status", 1)])
    # The agencies' worklists (multikey: a cross-agency complaint is in several).
    views.create_index([("queue_agencies", 1), ("status", 1)])
    views.create_index([("task_agencies", 1), ("status", 1)])
    views.create_index("received_at")  # the month's counts, the public list
    views.create_index("rating_month", sparse=True)  # the month's ratings
    views.create_index([("status", 1), ("received_at", 1)])  # the oldest open
    # The analytics of a month: received in it (received_at above), open at its end.
    views.create_index("facts.open_months")
    views.create_index("facts.open_from")


class ReportingStore(MongoStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_REPORT_CHECK_SECONDS | 300 | how often each instance checks whether a month's
      scheduled report is due (docs/reports.md) |
    """

    aggregate_collections = ("views",)

    def setup(self) -> None:
        super().setup()
        self.batcher = Batcher(self._record_batch, RECORD_WAIT, RECORD_BATCH)
        self.cells = AnalyticsCells(self.db)
        self.report_check = float(os.environ.get("ADUAN_REPORT_CHECK_SECONDS", "300"))

    def start(self) -> None:
        super().start()
        self.container.spawn_managed_thread(self._reports_forever, identifier="monthly-reports")
        self.container.spawn_managed_thread(self._cells_forever, identifier="analytics-cells")

    def stop(self) -> None:
        super().stop()
        try:
            self.cells.release()  # the next instance need not wait for the lease
        except Exception as error:
            log.warning("analytics counters' lease not released: %r", error)

    def _cells_forever(self) -> None:
        """Counts the views whose facts changed into the analytics' cells, a batch at a
        time, at once while batches are full (cells_store.py)."""
        while self.running:
            try:
                counted = self.cells.fold(datetime.now(UTC))
            except Exception as error:
                log.warning("analytics counters deferred: %r", error)
                counted = 0
            eventlet.sleep(0 if counted >= cells_store.BATCH else CELLS_INTERVAL)

    def _reports_forever(self) -> None:
        """Archives the scheduled report of the month just ended once it is due. Every
        instance checks; the archive's key keeps one (monthly_report.archive_id)."""
        while self.running:
            try:
                self.archive_due_report(datetime.now(UTC))
            except Exception as error:
                log.warning("monthly report check failed: %r", error)
            eventlet.sleep(self.report_check)

    def archive_due_report(self, now: datetime) -> dict | None:
        month = monthly_report.report_due(now, national_calendar(now.year).is_working_day)
        model = self.domain([])
        if model.has_scheduled_report(month):
            return None
        archived = model.archive_report(month, monthly_report.SCHEDULED, now)
        if archived is not None:
            log.info("archived the scheduled report of %s", month)
        return archived

    def _record_batch(self, events: list[Envelope]) -> dict[int, BaseException]:
        """Applies the batch to the views, then appends the events applied to the event
        log (one more command per batch). Should the log's write fail, the batch fails
        and is retried: the views then find the events applied and change nothing, and
        the log gets them."""
        errors = apply_many(Aggregates(self.db.views), [recording(event) for event in events])
        log_events(self.db.events, [e for i, e in enumerate(events) if i not in errors])
        return errors

    def ensure_indexes(self) -> None:
        ensure_view_indexes(self.db.views)
        # The rebuild reads each complaint's events together, and catches up by time.
        self.db.events.create_index("ticket")
        self.db.events.create_index("logged_at")
        self.db.report_archive.create_index("month")
        self.cells.ensure_indexes()

    def migrate(self) -> None:
        """Removes what versions that consumed the channels' raw messages left: the view
        of ticket "" listing every SMS sender's number and social account, any such
        message in another view, and their queues, still holding such messages."""
        self._remove_views_of_unsubscribed_events()
        self._remove_queues_of_unsubscribed_events()
        self._add_worklist_fields()
        self._add_public_category()
        self._add_task_fields()
        self._add_facts()
        self._seed_event_log()
        self._count_views_in_cells()

    def _count_views_in_cells(self) -> None:
        """Views of before the analytics' counters are counted once (marked for the
        folder, which counts them in the background)."""
        if self.db.migrations.find_one({"_id": CELLS_MARKED}) is not None:
            return
        marked = self.db.views.update_many(
            {"facts": {"$ne": None}, cells_store.COUNTED: {"$exists": False}},
            {"$set": {cells_store.DIRTY: True}},
        ).modified_count
        if marked:
            log.warning("migration: %d views marked for the analytics' counters", marked)
        self._mark_done(CELLS_MARKED, {"views": marked})

    def _add_facts(self) -> None:
        """Views folded before the analytics get their facts once."""
        self._add_fields_once(
            FACTS_ADDED,
            "facts",
            {"events": 0},
            lambda view: {"facts": analytics.facts(view)},
            "analytics facts",
        )

    def _seed_event_log(self) -> None:
        """Versions before the event log kept each complaint's events in its view only:
        they are copied into the log once (an event logged already is skipped)."""
        if self.db.migrations.find_one({"_id": EVENTS_LOGGED}) is not None:
            return
        copied, pending = 0, []
        for view in self.db.views.find({}, {"events": 1}):
            pending.extend(view.get("events") or [])
            if len(pending) >= 1000:
                log_events(self.db.events, pending)
                copied, pending = copied + len(pending), []
        log_events(self.db.events, pending)
        copied += len(pending)
        if copied:
            log.warning("migration: %d events copied from the views into the event log", copied)
        self._mark_done(EVENTS_LOGGED, {"events": copied})

    def _mark_done(self, marker: str, figures: dict) -> None:
        """Records a one-time migration done, with what it did."""
        self.db.migrations.update_one(
            {"_id": marker}, {"$setOnInsert": {"at": datetime.now(UTC), **figures}}, upsert=True
        )

    def _add_worklist_fields(self) -> None:
        fields = {"title": 1, "description": 1, "category": 1, "suggested_category": 1}
        fields["category_hint"] = 1
        self._add_fields_once(
            WORKLIST_FIELDS_ADDED, "search_text", fields, core.worklist_fields, "worklist filter"
        )

    def _add_task_fields(self) -> None:
        """The agencies' worklists read `queue_agencies` and `task_agencies`: a view
        forwarded before multi-agency cases gets its one agency's."""
        self._add_fields_once(
            TASK_FIELDS_ADDED,
            "task_agencies",
            {"agency": 1, "status": 1, "tasks": 1},
            lambda view: {
                k: v for k, v in core.worklist_fields(view).items() if k.endswith("_agencies")
            },
            "agencies' task",
        )

    def _add_public_category(self) -> None:
        """Open311's service_code filter (public_list) reads `public_category`."""
        self._add_fields_once(
            PUBLIC_CATEGORY_ADDED,
            "public_category",
            {"category": 1, "category_hint": 1},
            lambda view: {"public_category": core.public_category(view)},
            "public category",
        )

    def _add_fields_once(self, marker: str, missing: str, read: dict, derive, what: str) -> None:
        """Views folded before a version whose fold adds fields get them once (a view that
        gets an event meanwhile is folded again with them); `marker` records it done."""
        if self.db.migrations.find_one({"_id": marker}) is not None:
            return
        updates = [
            UpdateOne({"_id": view["_id"]}, {"$set": derive(view)})
            for view in self.db.views.find({missing: {"$exists": False}}, read)
        ]
        for start in range(0, len(updates), 1000):
            self.db.views.bulk_write(updates[start : start + 1000], ordered=False)
        if updates:
            log.warning("migration: %s fields added to %d views", what, len(updates))
        self._mark_done(marker, {"views": len(updates)})

    def _remove_views_of_unsubscribed_events(self) -> None:
        # The "" view is where all such events went: found by _id, so checked every start
        # (an older instance still running in a rolling upgrade may write it again).
        if self.db.views.delete_one({"_id": core.NO_TICKET}).deleted_count:
            log.warning(
                "migration: removed the view of ticket %r (channel messages with their "
                "senders' numbers and accounts)",
                core.NO_TICKET,
            )
        # A complaint's own view holding such an event (none should: they have no ticket)
        # keeps the complaint and loses the message, from its events and its timeline.
        # Finding them scans all views, so it is done once and recorded.
        if self.db.migrations.find_one({"_id": VIEWS_SCANNED}) is not None:
            return
        unsubscribed = {"$in": list(core.UNSUBSCRIBED_EVENTS)}
        cleaned = self.db.views.update_many(
            {"events.type": unsubscribed},
            {"$pull": {"events": {"type": unsubscribed}, "timeline": {"event": unsubscribed}}},
        ).modified_count
        if cleaned:
            log.warning("migration: removed channel messages from %d complaint views", cleaned)
        self._mark_done(VIEWS_SCANNED, {"views_cleaned": cleaned})

    def _remove_queues_of_unsubscribed_events(self) -> None:
        names = [
            name
            for event_type in core.UNSUBSCRIBED_EVENTS
            for name in topology.subscription_queue_names(self.container.service_name, event_type)
        ]
        deleted = topology.delete_queues(self.settings.amqp_uri, names)
        for name, messages in deleted.items():
            log.warning("migration: deleted queue %s with %d messages", name, messages)

    def domain(self, to_relay: list) -> ReadModel:
        (views,) = self.aggregates(to_relay)
        return ReadModel(views, self.batcher, self.db.report_archive, self.cells)
