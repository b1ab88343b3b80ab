"""Applies many consumed events to their aggregates in two commands: one read of every
aggregate the batch touches, one bulk write of what changed.

Each event is applied once (its id joins the aggregate's applied ids in the same
single-document update as the state, exactly as Aggregates.change does), and each write
holds only at the version read. An aggregate that changed meanwhile, or was created by
another worker first, is applied again the ordinary way (Aggregates.change), so the
outcome is the same as applying the events one by one. For aggregates whose changes
publish no events (read models); an event-publishing change belongs in change().
"""

from collections.abc import Callable
from dataclasses import dataclass

from pymongo import InsertOne, UpdateOne
from pymongo.errors import BulkWriteError

from services.chassis.aggregates import (
    APPLIED,
    VERSION,
    Aggregates,
    Change,
    differs,
    public_state,
)

Decide = Callable[[dict | None], Change | None]


@dataclass(frozen=True)
class Application:
    key: str
    event_id: str
    decide: Decide


def apply_many(aggregates: Aggregates, batch: list[Application]) -> dict[int, BaseException]:
    """Applies the batch; returns the errors of single applications by position."""
    errors: dict[int, BaseException] = {}
    keys = list(dict.fromkeys(item.key for item in batch))
    docs = {doc["_id"]: doc for doc in aggregates.collection.find({"_id": {"$in": keys}})}
    writes, written = [], []
    for key in keys:
        positions = [i for i, item in enumerate(batch) if item.key == key]
        write, new_ids = _decide_all(key, docs.get(key), batch, positions, errors)
        if write is not None:
            writes.append(write)
            written.append((key, positions, new_ids))
    if not writes:
        return errors
    positions_of = {key: positions for key, positions, _ in written}
    for key in _unsaved(aggregates, writes, written):
        for position in positions_of[key]:
            if position in errors:
                continue
            item = batch[position]
            try:
                _no_events(aggregates.change(item.key, item.decide, applying=item.event_id))
            except Exception as error:
                errors[position] = error
    return errors


def _decide_all(key: str, doc: dict | None, batch, positions, errors):
    """One write for all of the batch's events of one aggregate (or None), and the ids
    of the events it applies."""
    state = None if doc is None else public_state(doc)
    applied = set(doc.get(APPLIED, ())) if doc else set()
    changed: dict = {}
    new_ids: list[str] = []
    for position in positions:
        item = batch[position]
        if item.event_id in applied or item.event_id in new_ids:
            continue
        try:
            decided = _no_events(item.decide(state))
        except Exception as error:
            errors[position] = error
            continue
        new_ids.append(item.event_id)
        if decided is not None:
            changed |= decided.state
            state = {**(state or {}), **decided.state}
    if not new_ids:
        return None, new_ids
    if doc is None:
        return InsertOne({**changed, "_id": key, VERSION: 1, APPLIED: new_ids}), new_ids
    update: dict = {"$inc": {VERSION: 1}, "$push": {APPLIED: {"$each": new_ids}}}
    changed.pop("_id", None)
    # Only what differs from the document read: a read model's decision returns the
    # whole state, and setting a field to its own value still costs SecantusDB the
    # update of every index on it.
    changed = {k: v for k, v in changed.items() if differs(doc, k, v)}
    if changed:
        update["$set"] = changed
    return UpdateOne({"_id": key, VERSION: doc[VERSION]}, update), new_ids


def _unsaved(aggregates: Aggregates, writes, written) -> list[str]:
    """The keys whose write did not hold (created or changed by another worker)."""
    try:
        result = aggregates.collection.bulk_write(writes, ordered=False)
        failed_inserts: set[int] = set()
        updated = result.matched_count
    except BulkWriteError as error:
        failed_inserts = {e["index"] for e in error.details.get("writeErrors", ())}
        updated = error.details.get("nMatched", 0)
    updates = [i for i, write in enumerate(writes) if isinstance(write, UpdateOne)]
    unsaved = [written[i][0] for i in failed_inserts]
    if updated < len(updates):
        # Which updates missed their version is not reported: read back whether their
        # events are among the applied ones.
        expected = {written[i][0]: written[i][2] for i in updates if i not in failed_inserts}
        found = aggregates.collection.find({"_id": {"$in": list(expected)}}, {APPLIED: 1})
        applied = {doc["_id"]: set(doc.get(APPLIED, ())) for doc in found}
        unsaved += [key for key, ids in expected.items() if not set(ids) <= applied.get(key, set())]
    return unsaved


def _no_events(change: Change | None) -> Change | None:
    if change is not None and change.events:
        raise ValueError("apply_many saves no events: use Aggregates.change")
    return change
