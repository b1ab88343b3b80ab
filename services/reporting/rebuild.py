"""Rebuilds reporting's views (and with them the analytics, whose facts they carry) from
reporting's event log: `aduan-admin rebuild-reporting`.

Each complaint's logged events are folded in order (core.rebuilt, what record() gives
after the last of them) into a fresh collection, which gets the views' indexes and then
replaces `views` in one rename. Events the running service recorded meanwhile (logged
since the rebuild started) are then applied to the new views, as the service applies
them (idempotent: an event already folded changes nothing). The catch-up runs twice,
`settle` seconds apart, for an event a running instance applied to the old views just
before the swap and logged a moment later; with reporting stopped none is needed
(docs/architecture.md). Then the analytics' counters are counted afresh from the new
views (cells_store.py), their folder held off meanwhile.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pymongo.database import Database

from services.chassis.aggregates import APPLIED, VERSION, Aggregates
from services.chassis.bulk import apply_many
from services.reporting import cells_store, core
from services.reporting.cells_store import AnalyticsCells
from services.reporting.store import ensure_view_indexes, recording

REBUILT = "views_rebuilt"
BATCH = 500
# Events logged this long before the rebuild started are caught up too (clocks of
# several instances differ a little).
CATCH_UP_MARGIN = timedelta(seconds=5)


def envelope(logged: dict) -> dict:
    return {k: v for k, v in logged.items() if k not in ("_id", "logged_at")}


def document(ticket: str, events: list[dict]) -> dict:
    unique = list({e["event_id"]: e for e in events}.values())
    view = core.rebuilt(ticket, unique)
    applied = [e["event_id"] for e in view["events"]]
    return {**view, "_id": ticket, VERSION: 1, APPLIED: applied, cells_store.DIRTY: True}


def rebuild(db: Database, progress: Callable[[str], None] = print, settle: float = 2.0) -> dict:
    """Returns what was done: complaints, events, events caught up, seconds."""
    started = datetime.now(UTC)
    clock = started.timestamp()
    total = db.events.count_documents({})
    progress(f"rebuild-reporting: {total} events in the log")
    target = db[REBUILT]
    target.drop()
    documents: list[dict] = []
    ticket, pending, complaints, read = None, [], 0, 0

    def flush() -> None:
        nonlocal complaints
        if documents:
            target.insert_many(documents, ordered=False)
            complaints += len(documents)
            documents.clear()
            progress(f"rebuild-reporting: {complaints} complaints, {read}/{total} events")

    for logged in db.events.find({}).sort([("ticket", 1)]):
        read += 1
        if logged["ticket"] != ticket:
            if pending:
                documents.append(document(ticket, pending))
            ticket, pending = logged["ticket"], []
            if len(documents) >= BATCH:
                flush()
        pending.append(envelope(logged))
    if pending:
        documents.append(document(ticket, pending))
    flush()
    ensure_view_indexes(target)
    Aggregates(target).ensure_indexes()
    # The analytics' counters are counted again from the new views: their folder is
    # held off (a running instance finishes the batch it is in) until they are.
    cells = AnalyticsCells(db, holder="rebuild-reporting")
    cells.take_over(datetime.now(UTC))
    if settle:
        time.sleep(settle)
    if complaints:
        target.rename("views", dropTarget=True)
    else:
        db.views.drop()
    caught_up = catch_up(db, started - CATCH_UP_MARGIN)
    if settle:
        time.sleep(settle)  # a batch that applied to the old views logs right after
        caught_up = catch_up(db, started - CATCH_UP_MARGIN)
    # Held again (a long catch-up may outlast the lease) and settled, then counted from
    # nothing: a view another folder counted meanwhile is counted again too.
    cells.take_over(datetime.now(UTC))
    if settle:
        time.sleep(settle)
    cells.reset(mark_views=True)
    counted = 0
    while True:
        folded = cells.catch_up(rounds=20)
        counted += folded
        progress(f"rebuild-reporting: {counted} complaints counted in the analytics")
        if folded < 20 * cells_store.BATCH:
            break
    cells.release()
    seconds = round(datetime.now(UTC).timestamp() - clock, 1)
    progress(
        f"rebuild-reporting: done, {complaints} complaints from {read} events "
        f"({caught_up} recorded meanwhile applied) in {seconds} s"
    )
    return {"complaints": complaints, "events": read, "caught_up": caught_up, "seconds": seconds}


def catch_up(db: Database, since: datetime) -> int:
    recent = [envelope(e) for e in db.events.find({"logged_at": {"$gte": since}})]
    views = Aggregates(db.views)
    for start in range(0, len(recent), 100):
        errors = apply_many(views, [recording(e) for e in recent[start : start + 100]])
        if errors:
            raise next(iter(errors.values()))
    return len(recent)
