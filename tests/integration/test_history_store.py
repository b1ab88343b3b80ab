"""Hash-chained histories in a real MongoDB (services/chassis/history_store.py): every
save through Aggregates seals its history, histories of before are chained once, the
daily anchor is recorded once, and verification finds a chain rewritten after its
anchor even when every hash of it was recomputed to fit."""

from datetime import UTC, datetime, timedelta

import pytest

from services.chassis import history_chain, history_store
from services.chassis.aggregates import Aggregates, Change

pytestmark = pytest.mark.integration
CHAINED = {"cases": "history"}


def add(cases: Aggregates, key: str, action: str, at: datetime) -> None:
    def decide(state):
        return Change(
            state={"history": [*(state or {}).get("history", []), {"action": action, "at": at}]}
        )

    cases.change(key, decide)


def test_saved_histories_are_sealed_and_verify_intact(db):
    cases = Aggregates(db.cases, history="history")
    now = datetime.now(UTC)
    for key in ("SMG-2026-000001", "SMG-2026-000002"):
        for n, action in enumerate(("classified", "forward", "accept")):
            add(cases, key, action, now + timedelta(seconds=n))
    doc = db.cases.find_one({"_id": "SMG-2026-000001"})
    assert doc["history_head"] == doc["history"][-1]["hash"]
    checked = history_store.verify(db, CHAINED)
    assert (checked.chains, checked.entries, checked.findings) == (2, 6, [])


def test_histories_of_before_chains_are_chained_once(db):
    old = [{"action": "classified", "at": datetime(2026, 1, 5, tzinfo=UTC)}]
    db.cases.insert_one({"_id": "SMG-2026-000009", "history": old, "_v": 3})
    assert [f.problem for f in history_store.verify(db, CHAINED).findings] == ["not chained"]
    assert history_store.seal_unchained(db, CHAINED) == 1
    assert history_store.seal_unchained(db, CHAINED) == 0  # marked done
    assert history_store.verify(db, CHAINED).findings == []
    assert db.cases.find_one({"_id": "SMG-2026-000009"})["_v"] == 4


def test_a_rewritten_chain_no_longer_gives_the_anchor_recorded(db):
    cases = Aggregates(db.cases, history="history")
    # The day whose anchor is due now (yesterday, in Asia/Jakarta, after the grace).
    due = history_store.day_due(datetime.now(UTC))
    yesterday = history_store.day_end(due) - timedelta(hours=1)
    for key in ("SMG-2026-000001", "SMG-2026-000002"):
        add(cases, key, "classified", yesterday)
        add(cases, key, "forward", yesterday + timedelta(seconds=1))
    made = history_store.record_anchor(db, "dispatch", CHAINED, datetime.now(UTC))
    assert made is not None and made["_id"] == due
    assert history_store.record_anchor(db, "dispatch", CHAINED, datetime.now(UTC)) is None
    [published] = history_store.anchors(db, 30)
    assert published["anchor"] == made["anchor"] and published["owner"] == "dispatch"
    # Entries of today do not change yesterday's anchor.
    add(cases, "SMG-2026-000001", "accept", datetime.now(UTC))
    assert history_store.verify(db, CHAINED).findings == []

    # Someone with database access rewrites a chain and recomputes every hash of it.
    doc = db.cases.find_one({"_id": "SMG-2026-000002"})
    content = [{k: v for k, v in e.items() if k not in ("prev", "hash")} for e in doc["history"]]
    content[1]["action"] = "reject"
    rewritten = history_chain.chained("SMG-2026-000002", content)
    head = history_chain.head("SMG-2026-000002", rewritten)
    db.cases.update_one(
        {"_id": "SMG-2026-000002"}, {"$set": {"history": rewritten, "history_head": head}}
    )
    found = history_store.verify(db, CHAINED).findings
    assert [f.key for f in found] == [f"anchor {made['_id']}"]
    assert "rewritten" in found[0].problem
