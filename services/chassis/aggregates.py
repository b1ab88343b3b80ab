"""Aggregates stored one per MongoDB document, with their pending events beside them.

Each document holds an aggregate's state, a version (optimistic concurrency), the ids
of the events it has applied (so a redelivered event changes nothing) and an outbox
of events not yet confirmed by RabbitMQ. State, applied ids and outbox change in one
single-document update, which is atomic in any MongoDB without a transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from services.chassis import history_chain
from services.contracts.events import Envelope

VERSION = "_v"
APPLIED = "_applied"
OUTBOX = "_outbox"
PENDING = "_pending"
LEASE = "_lease"
INTERNAL_FIELDS = (VERSION, APPLIED, OUTBOX, PENDING, LEASE)


class ConcurrentUpdate(Exception):
    """Another worker changed the aggregate first; the caller reloads and decides again."""


@dataclass
class Change:
    """What a decision produced: fields to set and events to publish."""

    state: dict
    events: list[Envelope] = field(default_factory=list)


Decide = Callable[[dict | None], Change | None]


@dataclass
class Unpublished:
    """Events saved in one aggregate's outbox, as of the aggregate's version."""

    store: "Aggregates"
    key: str
    events: list[Envelope]
    version: int
    held_until: datetime | None = None  # the lease a relay's claim set


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _at_version(doc: dict) -> dict:
    """The filter of an update that holds only while the document is at the version
    read. `$all: [v]` matches a number equal to v, as `v` itself would; it is written so
    because SecantusDB looks for an index for a plain second equality, over its catalog,
    several times per update, and skips most of that for this form (measured: 1.32 ms
    of server CPU per update with `_v: v`, 1.17 ms with this, 1.01 ms by `_id` alone)."""
    return {"_id": doc["_id"], VERSION: {"$all": [doc[VERSION]]}}


def differs(read: dict | None, key: str, value) -> bool:
    # A decision copies the fields it leaves alone: the same objects, told apart at once.
    if read is None or key not in read:
        return True
    return read[key] is not value and read[key] != value


def public_state(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in INTERNAL_FIELDS}


class Aggregates:
    # The worker that saved the events relays them at once; the sweep waits this long
    # before it takes them over, so that the two rarely publish the same event.
    fresh_lease = timedelta(seconds=5)

    def __init__(
        self, collection: Collection, to_relay: list | None = None, history: str | None = None
    ) -> None:
        self.collection = collection
        # Keys whose new events the current worker should relay when it finishes.
        self.to_relay = to_relay if to_relay is not None else []
        # The field holding the aggregate's hash-chained history (services/chassis/
        # history_chain.py): every change that sets it is sealed before it is saved.
        self.history = history

    def _sealed(self, key: str, change: Change) -> Change:
        if self.history is None or self.history not in change.state:
            return change
        history = history_chain.chained(key, change.state[self.history])
        state = change.state | {
            self.history: history,
            history_chain.head_field(self.history): history_chain.head(key, history),
        }
        return Change(state=state, events=change.events)

    def ensure_indexes(self) -> None:
        self.collection.create_index(PENDING, sparse=True)

    def get(self, key: str) -> dict | None:
        return self.collection.find_one({"_id": key})

    def create(self, key: str, change: Change, applying: str | None = None) -> None:
        """Inserts a new aggregate; DuplicateKeyError when any unique key is taken."""
        applied = [applying] if applying else []
        change = self._sealed(key, change)
        self.collection.insert_one(self._new_document(key, change, applied))
        if change.events:
            self.to_relay.append(Unpublished(self, key, change.events, 1))

    def change(
        self, key: str, decide: Decide, applying: str | None = None, attempts: int = 10
    ) -> Change | None:
        """Load, decide, save; again on a concurrent update. None when nothing changed.

        `applying` is the id of the event being applied: an aggregate that already
        applied it is left alone, which makes event handlers idempotent.
        """
        for _ in range(attempts):
            doc = self.get(key)
            if doc is not None and applying and applying in doc.get(APPLIED, ()):
                return None
            decided = decide(None if doc is None else public_state(doc))
            if decided is None:
                return None
            decided = self._sealed(key, decided)
            try:
                self._save(key, doc, decided, applying)
            except ConcurrentUpdate:
                continue
            if decided.events:
                outbox = [*(doc or {}).get(OUTBOX, ()), *decided.events]
                version = doc[VERSION] + 1 if doc else 1
                self.to_relay.append(Unpublished(self, key, outbox, version))
            return decided
        raise ConcurrentUpdate(f"{key}: too many concurrent updates")

    def change_read(self, doc: dict, decide: Decide) -> dict | None:
        """As change(), deciding on a document the caller has just read, so without
        reading it again: returns the document as saved (None when nothing changed), or
        raises ConcurrentUpdate when it changed since it was read."""
        decided = decide(public_state(doc))
        if decided is None:
            return None
        decided = self._sealed(doc["_id"], decided)
        self._save(doc["_id"], doc, decided, None)
        saved = {**doc, **decided.state, VERSION: doc[VERSION] + 1}
        if decided.events:
            saved[OUTBOX] = [*doc.get(OUTBOX, ()), *decided.events]
            self.to_relay.append(Unpublished(self, doc["_id"], saved[OUTBOX], saved[VERSION]))
        return saved

    def _save(self, key: str, doc: dict | None, change: Change, applying: str | None) -> None:
        applied = [applying] if applying else []
        if doc is None:
            try:
                self.collection.insert_one(self._new_document(key, change, applied))
            except DuplicateKeyError:
                # Another worker created it first: reload, and see whether it applied this.
                raise ConcurrentUpdate(key) from None
            return
        update = self._update(change, applied)
        result = self.collection.update_one({"_id": key, VERSION: doc[VERSION]}, update)
        if result.matched_count == 0:
            raise ConcurrentUpdate(key)

    def save_many(self, changes: list[tuple[dict, Change]]) -> set[str]:
        """Saves changes decided on documents read before, in one bulk write; each applies
        only while its document is still at the version read, as in change().

        Returns the keys saved: the others changed meanwhile, and the caller reads them
        again and decides again. Which were saved is read back only when some were not,
        from the events in their outboxes, so a change without events is then reported
        unsaved: deciding again must find it done.
        """
        if not changes:
            return set()
        changes = [(doc, self._sealed(doc["_id"], change)) for doc, change in changes]
        result = self.collection.bulk_write(
            [UpdateOne(_at_version(doc), self._update(change, [], doc)) for doc, change in changes],
            ordered=False,
        )
        if result.matched_count == len(changes):
            saved = {doc["_id"] for doc, _ in changes}
        else:
            saved = self._with_events_saved(changes)
        for doc, change in changes:
            if change.events and doc["_id"] in saved:
                outbox = [*doc.get(OUTBOX, ()), *change.events]
                self.to_relay.append(Unpublished(self, doc["_id"], outbox, doc[VERSION] + 1))
        return saved

    def _with_events_saved(self, changes: list[tuple[dict, Change]]) -> set[str]:
        """The keys whose document holds its change's first event: those saved. (Only a
        relay empties an outbox, and the fresh lease keeps others' relays off it for a
        while; one emptied already reads as unsaved, and deciding again finds it done.)"""
        first_event = {
            doc["_id"]: change.events[0]["event_id"] for doc, change in changes if change.events
        }
        found = self.collection.find({"_id": {"$in": list(first_event)}}, {OUTBOX: 1})
        return {
            doc["_id"]
            for doc in found
            if first_event[doc["_id"]] in {event["event_id"] for event in doc.get(OUTBOX, ())}
        }

    def _update(self, change: Change, applied: list[str], read: dict | None = None) -> dict:
        """The one single-document update that saves a change: state, version, applied
        ids and outbox together. Given the document `read` (the update applies at its
        version only), just the fields that differ from it are set."""
        state = {k: v for k, v in change.state.items() if k != "_id" and differs(read, k, v)}
        if change.events:
            state |= {PENDING: True, LEASE: self._fresh_lease()}
        update: dict = {"$inc": {VERSION: 1}}
        if state:
            update["$set"] = state
        pushes = {}
        if applied:
            pushes[APPLIED] = {"$each": applied}
        if change.events:
            pushes[OUTBOX] = {"$each": change.events}
        if pushes:
            update["$push"] = pushes
        return update

    def _new_document(self, key: str, change: Change, applied: list[str]) -> dict:
        new = {**change.state, "_id": key, VERSION: 1, APPLIED: applied}
        if change.events:
            new |= {OUTBOX: change.events, PENDING: True, LEASE: self._fresh_lease()}
        return new

    def _fresh_lease(self) -> datetime:
        return datetime.now(UTC) + self.fresh_lease

    def unpublished(self, now: datetime, lease: timedelta, limit: int) -> list["Unpublished"]:
        """Claims documents with events to publish, so that other relays leave them alone.

        A claim is a compare-and-set on the lease by _id: SecantusDB answers
        findAndModify and $or filters with a collection scan, and this runs every second.
        """
        claimed = []
        candidates = self.collection.find({PENDING: True}, {OUTBOX: 1, LEASE: 1, VERSION: 1}).limit(
            limit
        )
        for doc in candidates:
            held_until = doc.get(LEASE)
            if held_until is not None and _utc(held_until) > now:
                continue
            claim = now + lease
            result = self.collection.update_one(
                {"_id": doc["_id"], LEASE: held_until}, {"$set": {LEASE: claim}}
            )
            if result.modified_count:
                claimed.append(
                    Unpublished(self, doc["_id"], doc.get(OUTBOX, []), doc[VERSION], claim)
                )
        return claimed

    def release(self, items: list["Unpublished"]) -> None:
        """Gives up claims not relayed (the broker failed partway through a batch), so
        that the next sweep takes them at once instead of after the lease. A claim taken
        over meanwhile keeps its new lease."""
        for item in items:
            self.collection.update_one(
                {"_id": item.key, LEASE: item.held_until}, {"$unset": {LEASE: ""}}
            )

    def mark_published(self, key: str, event_ids: list[str], version: int) -> None:
        # Only change() adds events, and it bumps the version: at the same version the
        # outbox holds nothing but what was just published.
        cleared = self.collection.update_one(
            {"_id": key, VERSION: version},
            {"$set": {OUTBOX: []}, "$unset": {PENDING: "", LEASE: ""}},
        )
        if cleared.matched_count:
            return
        self.collection.update_one(
            {"_id": key},
            {"$pull": {OUTBOX: {"event_id": {"$in": event_ids}}}, "$unset": {LEASE: ""}},
        )
        self.collection.update_one({"_id": key, OUTBOX: {"$size": 0}}, {"$unset": {PENDING: ""}})

    def mark_published_many(self, items: list[Unpublished]) -> None:
        """mark_published for many aggregates in one command; the few that changed
        again meanwhile lose just the published events (two more commands)."""
        cleared = self.collection.bulk_write(
            [
                UpdateOne(
                    {"_id": item.key, VERSION: item.version},
                    {"$set": {OUTBOX: []}, "$unset": {PENDING: "", LEASE: ""}},
                )
                for item in items
            ],
            ordered=False,
        )
        if cleared.matched_count == len(items):
            return
        self.collection.bulk_write(
            [
                UpdateOne(
                    {"_id": item.key},
                    {
                        "$pull": {
                            OUTBOX: {"event_id": {"$in": [e["event_id"] for e in item.events]}}
                        },
                        "$unset": {LEASE: ""},
                    },
                )
                for item in items
            ],
            ordered=False,
        )
        keys = sorted({item.key for item in items})
        self.collection.update_many(
            {"_id": {"$in": keys}, OUTBOX: {"$size": 0}}, {"$unset": {PENDING: ""}}
        )

    def backlog(self) -> int:
        return self.collection.count_documents({PENDING: True})
