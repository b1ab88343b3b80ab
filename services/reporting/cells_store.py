"""The analytics' counters in reporting's database (analytics.contribution): a month's
figures are read from a few dozen cells instead of summed from every complaint's facts,
so the report of a month of a million complaints reads as fast as one of a hundred
(bench/reporting.py).

Counting is exactly once, and survives a crash at any point:
- a view whose facts change is marked `cells_dirty` in the same update (store.recording);
- a folder (one at a time across instances, by a lease in `locks`) reads up to a batch
  of dirty views with the facts they were last counted with (`counted_facts`), sums the
  deltas, and saves the batch (its increments and its views) before it applies any;
- each cell takes a batch's increments once: the update holds only while the batch's
  id is not among the cell's last KEPT_BATCHES, and pushes it there in the same
  single-document update (never taken off, so a folder finishing a batch late, after
  its lease ran out, still finds it applied);
- then each view's `counted_facts` becomes the facts counted (where it still holds
  those the delta started from), and the mark is cleared where the facts are still
  those (a view changed meanwhile stays marked, and its next delta starts from what was
  counted); last the batch is deleted. A batch found saved is finished first, by
  whichever folder runs next.
Within one process the folder and the reads that catch up take turns (a lock).
"""

import threading
import uuid
from datetime import UTC, datetime, timedelta

from pymongo import UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.reporting import analytics

CELLS = "analytics_cells"
BATCHES = "analytics_cell_batches"
LOCKS = "locks"
LOCK = "analytics-cells"
DIRTY = "cells_dirty"
COUNTED = "counted_facts"
BATCH = 500
# Longer than a batch takes to be read and saved (well under a second here); a crashed
# instance's lease holds the others off this long.
LEASE = timedelta(seconds=20)
KEPT_BATCHES = 200
DUPLICATE_KEY = 11000
# A read catches up with at most this many batches first (a rebuild's backlog is the
# folder's, not one reader's).
READ_CATCH_UP = 4


class AnalyticsCells:
    def __init__(self, db: Database, holder: str | None = None) -> None:
        self.db = db
        self.holder = holder or uuid.uuid4().hex
        self._turn = threading.Lock()

    def ensure_indexes(self) -> None:
        self.db[CELLS].create_index([("month", 1), ("dimension", 1)])
        self.db[CELLS].create_index([("dimension", 1), ("month", 1)])
        self.db.views.create_index(DIRTY, sparse=True)  # only the marked are in it

    def analytics(self, month: str, by: str) -> dict:
        """The month's figures in total and by `by`, as of every view recorded."""
        if by not in analytics.DIMENSIONS:
            raise ValueError(f"by must be one of {', '.join(analytics.DIMENSIONS)}")
        report = self.report(month)
        return {"month": month, "by": by, "total": report["total"], "rows": report["by"][by]}

    def report(self, month: str) -> dict:
        """The month's figures in total and by every dimension: two reads."""
        self.catch_up(READ_CATCH_UP)
        cells = list(self.db[CELLS].find({"month": month}, {"_id": 0, "batches": 0}))
        open_from = list(
            self.db[CELLS].find(
                {"month": {"$lte": month}, "open_from": {"$gt": 0}},
                {"_id": 0, "month": 1, "dimension": 1, "key": 1, "open_from": 1},
            )
        )
        return analytics.cells_report(month, cells, open_from)

    def catch_up(self, rounds: int | None = None) -> int:
        """Folds batches until none is left (or `rounds` of them); returns views counted."""
        counted, done = 0, 0
        while rounds is None or done < rounds:
            folded = self.fold(datetime.now(UTC))
            counted += folded
            done += 1
            if folded < BATCH:
                break
        return counted

    def fold(self, now: datetime, limit: int = BATCH) -> int:
        """One round: finishes a batch a folder left, then counts up to `limit` views
        whose facts changed. Returns the views counted (0 when another holds the lease)."""
        with self._turn:
            return self._fold(now, limit)

    def _fold(self, now: datetime, limit: int) -> int:
        if not self._hold(now):
            return 0
        for left in self.db[BATCHES].find({}):
            self._finish(left)
        views = list(self.db.views.find({DIRTY: True}, {"facts": 1, COUNTED: 1}).limit(limit))
        if not views:
            return 0
        combined: dict[str, dict[str, int]] = {}
        for view in views:
            for cell, fields in analytics.delta(view.get(COUNTED), view.get("facts")).items():
                counts = combined.setdefault(cell, {})
                for field, n in fields.items():
                    counts[field] = counts.get(field, 0) + n
        batch = {
            "_id": uuid.uuid4().hex,
            "at": now,
            "cells": [[cell, fields] for cell, fields in combined.items() if fields],
            "views": [[view["_id"], view.get(COUNTED), view.get("facts")] for view in views],
        }
        self.db[BATCHES].insert_one(batch)
        self._finish(batch)
        return len(views)

    def reset(self, mark_views: bool = True) -> None:
        """Counts every view again from nothing (views a rebuild makes are marked, and
        carry no counted facts; `mark_views` marks any other)."""
        self.db[CELLS].drop()
        self.db[BATCHES].drop()
        if mark_views:
            self.db.views.update_many(
                {COUNTED: {"$exists": True}}, {"$set": {DIRTY: True}, "$unset": {COUNTED: ""}}
            )
        self.ensure_indexes()

    def take_over(self, now: datetime) -> None:
        """Holds the folder's lease whoever had it (the rebuild): another folder sees it
        taken at its next round."""
        self.db[LOCKS].update_one(
            {"_id": LOCK}, {"$set": {"holder": self.holder, "until": now + LEASE}}, upsert=True
        )

    def release(self) -> None:
        self.db[LOCKS].delete_one({"_id": LOCK, "holder": self.holder})

    def _finish(self, batch: dict) -> None:
        batch_id = batch["_id"]
        if batch["cells"]:
            self._apply_once(batch_id, batch["cells"])
        if batch["views"]:
            writes = []
            for view_id, counted, facts in batch["views"]:
                # From the facts the delta started from, once: a folder finishing late
                # never takes a view back from what a later batch counted.
                moved = {"$set": {COUNTED: facts}}
                writes.append(UpdateOne({"_id": view_id, COUNTED: counted}, moved))
                writes.append(UpdateOne({"_id": view_id, "facts": facts}, {"$unset": {DIRTY: ""}}))
            self.db.views.bulk_write(writes, ordered=True)
        self.db[BATCHES].delete_one({"_id": batch_id})

    def _apply_once(self, batch_id: str, cells: list) -> None:
        writes = []
        for cell, fields in cells:
            month, dimension, key = cell.split("|", 2)
            writes.append(
                UpdateOne(
                    {"_id": cell, "batches": {"$ne": batch_id}},
                    {
                        "$inc": fields,
                        "$push": {"batches": {"$each": [batch_id], "$slice": -KEPT_BATCHES}},
                        "$setOnInsert": {"month": month, "dimension": dimension, "key": key},
                    },
                    upsert=True,
                )
            )
        try:
            self.db[CELLS].bulk_write(writes, ordered=False)
        except BulkWriteError as error:
            # A cell that holds the batch already fails its upsert's insert: done before.
            others = [e for e in error.details["writeErrors"] if e["code"] != DUPLICATE_KEY]
            if others or error.details.get("writeConcernErrors"):
                raise

    def _hold(self, now: datetime) -> bool:
        """The folder's lease: taken when free or expired, renewed by its holder."""
        until = now + LEASE
        locks = self.db[LOCKS]
        try:
            locks.insert_one({"_id": LOCK, "holder": self.holder, "until": until})
            return True
        except DuplicateKeyError:
            pass
        mine = locks.update_one({"_id": LOCK, "holder": self.holder}, {"$set": {"until": until}})
        if mine.matched_count:
            return True
        taken = locks.update_one(
            {"_id": LOCK, "until": {"$lt": now}}, {"$set": {"holder": self.holder, "until": until}}
        )
        return taken.modified_count == 1
