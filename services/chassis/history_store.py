"""The hash-chained histories of one database (services/chassis/history_chain.py): the
one-time chaining of histories written before chains existed, the daily anchor, and
the verification `aduan-admin verify-history` runs. Each owner (dispatch's cases, sla's
clocks, the gateway's staff actions) calls these on its own database only.

An anchor covers a day (Asia/Jakarta): the heads of every chain as of the day's end,
recorded a grace period after it, once (its `_id` is the day), in `history_anchors`.
Because a chain only grows, the head it had at any moment can be recomputed from it
later, so verification recomputes each recorded anchor and reports a chain rewritten
since, even one whose hashes were all recomputed to fit.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.chassis import fields, history_chain
from services.chassis.aggregates import VERSION
from services.chassis.history_chain import Anchor, Finding
from services.contracts.reference import JAKARTA

ANCHORS = "history_anchors"
MIGRATION = "history-chains-1"
# After a day ends, how long its anchor waits: a decision taken at 23:59:59 is saved
# within milliseconds, so the heads read then include every entry of the day.
GRACE = timedelta(minutes=5)


def seal_unchained(db: Database, chained: dict[str, str]) -> int:
    """Chains every history written before chains existed, once per database; returns
    how many documents it chained. A document changed meanwhile is sealed by its own
    change (Aggregates seals every history it saves)."""
    if db.migrations.find_one({"_id": MIGRATION}) is not None:
        return 0
    sealed = 0
    for name, field in chained.items():
        collection = db[name]
        head = history_chain.head_field(field)
        for doc in collection.find({head: {"$exists": False}}, {field: 1, VERSION: 1}):
            history = history_chain.chained(doc["_id"], doc.get(field) or [])
            new_state = {field: history, head: history_chain.head(doc["_id"], history)}
            guard = {"_id": doc["_id"]}
            if VERSION in doc:
                guard[VERSION] = doc[VERSION]
            update: dict = {"$set": new_state}
            if VERSION in doc:
                update["$inc"] = {VERSION: 1}
            sealed += collection.update_one(guard, update).modified_count
    db.migrations.update_one({"_id": MIGRATION}, {"$setOnInsert": {"chained": sealed}}, upsert=True)
    return sealed


def day_end(day: str) -> datetime:
    start = datetime.combine(datetime.fromisoformat(day).date(), time(), tzinfo=JAKARTA)
    return start + timedelta(days=1)


def day_due(now: datetime) -> str:
    """The last day (Asia/Jakarta) whose anchor is due at `now`: yesterday, once the
    grace after midnight has passed."""
    local = (now - GRACE).astimezone(JAKARTA)
    return (local.date() - timedelta(days=1)).isoformat()


def anchor_of(collection: Collection, field: str, cutoff: datetime) -> Anchor:
    """The anchor of every chain as it stood at `cutoff`, read in key order."""
    anchor = Anchor()
    for key, history, _ in _chains(collection, field):
        chain_head = history_chain.head_as_of(key, history, cutoff)
        if chain_head is not None:
            anchor.add(key, chain_head)
    return anchor


def record_anchor(db: Database, owner: str, chained: dict[str, str], now: datetime) -> dict | None:
    """The anchor of the day last due, recorded once across instances; None when it is
    recorded already."""
    day = day_due(now)
    if db[ANCHORS].find_one({"_id": day}, {"_id": 1}) is not None:
        return None
    cutoff = day_end(day)
    parts = {
        name: anchor_of(db[name], field, cutoff).hexdigest() for name, field in chained.items()
    }
    entry = {
        "_id": day,
        "owner": owner,
        "cutoff": cutoff,
        "anchor": Anchor().add_all(sorted(parts.items())).hexdigest(),
        "collections": parts,
        "recorded_at": now,
    }
    try:
        db[ANCHORS].insert_one(entry)
    except DuplicateKeyError:
        return None
    return entry


MAX_ANCHORS = 400


def anchor_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_ANCHORS:
        raise fields.invalid("limit", f"must be a whole number from 1 to {MAX_ANCHORS}")
    return limit


def anchors(db: Database, limit: int) -> list[dict]:
    """The anchors recorded, newest first, as published (docs/open-data.md)."""
    found = db[ANCHORS].find({}).sort([("_id", -1)]).limit(limit)
    return [
        {
            "day": entry["_id"],
            "owner": entry["owner"],
            "anchor": entry["anchor"],
            "cutoff": entry["cutoff"].astimezone(JAKARTA).isoformat(),
            "recorded_at": entry["recorded_at"].astimezone(JAKARTA).isoformat(),
        }
        for entry in found
    ]


@dataclass
class Verification:
    chains: int
    entries: int
    findings: list[Finding]
    anchors_checked: int


def verify(db: Database, chained: dict[str, str], anchor_days: int = 30) -> Verification:
    """Every chain of the database recomputed, and its last `anchor_days` anchors."""
    recorded = list(db[ANCHORS].find({}).sort([("_id", -1)]).limit(anchor_days))
    chains = entries = 0
    found: list[Finding] = []
    for name, field in chained.items():
        collection = db[name]
        per_anchor = {entry["_id"]: Anchor() for entry in recorded}
        for key, history, stored_head in _chains(collection, field):
            chains += 1
            entries += len(history)
            found += history_chain.findings(key, history, stored_head)
            for entry in recorded:
                chain_head = history_chain.head_as_of(key, history, entry["cutoff"])
                if chain_head is not None:
                    per_anchor[entry["_id"]].add(key, chain_head)
        for entry in recorded:
            if entry["collections"].get(name) != per_anchor[entry["_id"]].hexdigest():
                problem = (
                    f"{name}: the chains as of {entry['_id']} no longer give that day's anchor "
                    "(a history recorded by then was rewritten)"
                )
                found.append(Finding(f"anchor {entry['_id']}", None, problem))
    return Verification(chains, entries, found, len(recorded))


def _chains(collection: Collection, field: str) -> Iterator[tuple[str, list[dict], str | None]]:
    head = history_chain.head_field(field)
    for doc in collection.find({}, {field: 1, head: 1}).sort([("_id", 1)]):
        yield doc["_id"], doc.get(field) or [], doc.get(head)
