"""The analytics' counters in a real MongoDB (services/reporting/cells_store.py): views
counted into cells give the figures summed from their facts, also when a folder stops
between any two of its steps and another finishes its batch, or one finishes a batch
late; and one folder at a time holds the lease."""

from datetime import UTC, datetime

import pytest

from services.chassis.aggregates import Aggregates
from services.reporting import analytics, core
from services.reporting.analytics import DIMENSIONS
from services.reporting.cells_store import BATCHES, COUNTED, DIRTY, AnalyticsCells
from services.reporting.store import ReadModel
from tests.support.complaint_year import year_of_events

pytestmark = pytest.mark.integration
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def views_of(complaints: int, seed: int) -> list[dict]:
    by_ticket: dict[str, list[dict]] = {}
    for event in year_of_events(complaints, seed):
        by_ticket.setdefault(event["ticket"], []).append(event)
    return [
        {**core.rebuilt(ticket, events), "_id": ticket, DIRTY: True}
        for ticket, events in by_ticket.items()
    ]


def figures_agree(db, cells: AnalyticsCells) -> None:
    model = ReadModel(Aggregates(db.views), None, db.report_archive, cells)
    for month in MONTHS:
        for by in DIMENSIONS:
            assert model.analytics(month, by) == model.analytics_from_facts(month, by), (month, by)


def test_counted_views_give_the_figures_of_their_facts_and_changes_are_counted_again(db):
    cells = AnalyticsCells(db)
    cells.ensure_indexes()
    db.views.insert_many(views_of(300, seed=1))
    assert cells.catch_up() == 300
    assert db.views.count_documents({DIRTY: True}) == 0
    figures_agree(db, cells)
    # The same complaints as another year folded them: every view's facts change.
    for view in views_of(300, seed=2):
        changed = {k: v for k, v in view.items() if k != "_id"}
        db.views.update_one({"_id": view["_id"]}, {"$set": changed})
    assert cells.catch_up() == 300
    figures_agree(db, cells)


def test_a_folder_stopped_between_steps_leaves_a_batch_the_next_one_finishes(db, monkeypatch):
    cells = AnalyticsCells(db)
    cells.ensure_indexes()
    db.views.insert_many(views_of(200, seed=3))
    real_finish = cells._finish

    def stop_after_cells(batch):
        cells._apply_once(batch["_id"], batch["cells"])
        raise ConnectionError("the process died here")

    monkeypatch.setattr(cells, "_finish", stop_after_cells)
    with pytest.raises(ConnectionError):
        cells.fold(datetime.now(UTC))
    monkeypatch.setattr(cells, "_finish", real_finish)
    left = db[BATCHES].find_one({})
    assert left is not None and db.views.count_documents({DIRTY: True}) == 200
    # Another instance takes over once the lease is out, finishes it, counts the rest.
    successor = AnalyticsCells(db)
    db.locks.update_one({}, {"$set": {"until": datetime(2000, 1, 1, tzinfo=UTC)}})
    successor.catch_up()
    assert db[BATCHES].count_documents({}) == 0
    figures_agree(db, successor)
    # The first folder finishing its batch late changes nothing.
    real_finish(left)
    figures_agree(db, successor)
    assert all(v.get(COUNTED) == v["facts"] for v in db.views.find({}))


def test_one_folder_at_a_time(db):
    first, second = AnalyticsCells(db), AnalyticsCells(db)
    first.ensure_indexes()
    db.views.insert_many(views_of(20, seed=4))
    assert first.fold(datetime.now(UTC)) == 20
    db.views.update_many({}, {"$set": {DIRTY: True}})
    assert second.fold(datetime.now(UTC)) == 0  # the first holds the lease
    first.release()
    assert second.fold(datetime.now(UTC)) == 20
    model = ReadModel(Aggregates(db.views), None, db.report_archive, second)
    assert model.analytics("2026-03", "agency") == analytics.month_analytics(
        "2026-03", "agency", model.month_facts("2026-03")
    )
