"""Duplicate candidates through the word index, against a real SecantusDB holding
thousands of reviews of one kecamatan: one query, matching only the open reviews of the
last 30 days that share a key word with the new complaint; reviews stored before the
index get their keys at start-up."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.triage import core, duplicates
from services.triage.learning.classifier import load_records
from services.triage.learning.text import Normalizer
from services.triage.store import DuplicateIndex

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)
KECAMATAN = "Tembalang"
STORED = 3000
SUGGESTION = {
    "confidence": 0.9, "needs_attention": False, "category_words": [], "agency": "dpu",
    "agencies": ["dpu"], "scope": "single_agency", "validity_flags": [], "urgent": False,
    "urgent_words": [], "duplicate_of": None, "auto_rejected": None,
}  # fmt: skip


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.fixture
def db(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    database = client[f"it_triage_{uuid.uuid4().hex[:8]}"]
    yield database
    client.drop_database(database.name)
    client.close()


def review(ticket: str, record: dict, words: list[str], at: datetime, **changes) -> dict:
    data = {
        "title": record["text"][:60],
        "description": record["text"],
        "received_at": at.isoformat(),
        "location": {"kecamatan": KECAMATAN, "kelurahan": record["kelurahan"]},
    }
    state, _ = core.open_review(data, {**SUGGESTION, "category": record["category"]}, words, at)
    return {**state, "_id": ticket, "_v": 1, "_applied": [], **changes}


def store(db, normalizer, count: int) -> list[dict]:
    """`count` open reviews in one kecamatan over the last 20 days, the labelled training
    complaints over and over (every kind of complaint, many alike)."""
    records = [r for r in load_records(split="train") if r["category"] != "bukan_pengaduan"]
    words = {r["id"]: normalizer.tokens(r["text"]).split() for r in records}
    docs = []
    for n in range(count):
        record = records[n % len(records)]
        at = NOW - timedelta(minutes=(n * 37) % (20 * 24 * 60))
        docs.append(review(f"R{n:05d}", record, words[record["id"]], at))
    for start in range(0, len(docs), 1000):
        db.reviews.insert_many(docs[start : start + 1000])
    return docs


def new_report(normalizer, text: str, category: str, kelurahan: str) -> duplicates.Report:
    words = tuple(normalizer.tokens(text).split())
    return duplicates.Report("NEW", category, KECAMATAN, kelurahan, None, None, words, NOW)


def test_the_query_matches_only_open_recent_reviews_sharing_a_key_word(db, normalizer):
    index = DuplicateIndex(db.reviews, db.settings)
    index.ensure_index()
    docs = store(db, normalizer, STORED)
    original = next(r for r in load_records() if r["id"] == "if01-as_written")
    words = normalizer.tokens(original["text"]).split()
    # The original, stored after 3,000 others; the same text closed, 45 and 75 days old.
    also = [
        review("ORIGINAL", original, words, NOW - timedelta(days=3)),
        review("REJECTED", original, words, NOW - timedelta(days=3), status="rejected"),
        review("OLD", original, words, NOW - timedelta(days=45)),
        review("OLDER", original, words, NOW - timedelta(days=75)),
    ]
    db.reviews.insert_many(also)
    new = new_report(
        normalizer,
        "Ada lubang besar di jalan Ngesrep Timur dekat kampus, tadi malam teman saya jatuh "
        "dari motor gara-gara lubang itu.",
        original["category"],
        original["kelurahan"],
    )

    started = time.perf_counter()
    found = index.open_reports(new)
    took = time.perf_counter() - started

    tickets = {r.ticket for r in found}
    assert "ORIGINAL" in tickets and not tickets & {"REJECTED", "OLD", "OLDER"}
    match = duplicates.best_match(new, found)
    assert match is not None and match.similarity >= duplicates.MIN_SIMILARITY
    # Exactly the stored reviews that share a key word with it: of its kecamatan and
    # category, open, received in the last 30 days.
    wanted = set(duplicates.search_keys(new))
    sharing = {d["_id"] for d in docs if set(d["dup_keys"]) & wanted}
    assert tickets == sharing | {"ORIGINAL"}
    # SecantusDB decodes what the indexed clause matches before it applies the rest of
    # the filter: the reviews sharing a key, whatever their status, from the periods of
    # the last 30 days only (so OLDER, keyed two periods back, is not even read).
    examined = db.reviews.find({"dup_keys": {"$in": sorted(wanted)}}, {"_id": 1})
    examined = {d["_id"] for d in examined}
    assert examined == {d["_id"] for d in docs + also if set(d["dup_keys"]) & wanted}
    assert "OLDER" not in examined
    assert len(examined) < STORED / 20, len(examined)
    # Before: every open review of the kecamatan was decoded to read the first 300.
    db.reviews.create_index([("kecamatan", 1), ("received_at", 1)])
    before = time.perf_counter()
    kecamatan = list(
        db.reviews.find(
            {
                "kecamatan": KECAMATAN,
                "received_at": {"$gte": NOW - duplicates.MAX_AGE},
                "status": {"$in": list(core.OPEN_STATUSES)},
            }
        ).limit(300)
    )
    print(
        f"\n{len(found)} candidates of {STORED + len(also)} reviews in {took * 1000:.1f} ms "
        f"(first 300 of the kecamatan without the index: "
        f"{(time.perf_counter() - before) * 1000:.1f} ms)"
    )
    assert "ORIGINAL" not in {d["_id"] for d in kecamatan}


def test_a_review_the_officer_reclassified_is_found_under_its_new_category(db, normalizer):
    index = DuplicateIndex(db.reviews, db.settings)
    index.ensure_index()
    record = next(r for r in load_records() if r["id"] == "if01-as_written")
    words = normalizer.tokens(record["text"]).split()
    stored = review("A", {**record, "category": "penegakan_perda"}, words, NOW)
    db.reviews.insert_one(stored)
    new = new_report(normalizer, record["text"], "infrastruktur_fasum", record["kelurahan"])
    assert index.open_reports(new) == []
    decision = {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]}
    state, _ = core.classify(stored, decision, "officer1", NOW)
    db.reviews.update_one({"_id": "A"}, {"$set": state})
    assert [r.ticket for r in index.open_reports(new)] == ["A"]


def test_reviews_stored_before_the_index_get_their_keys_at_start_up(db, normalizer):
    db.reviews.create_index([("kecamatan", 1), ("received_at", 1)])  # the index before
    record = next(r for r in load_records() if r["id"] == "if01-as_written")
    words = normalizer.tokens(record["text"]).split()
    before = [review(f"B{n}", record, words, NOW - timedelta(days=n)) for n in range(5)]
    for doc in before:
        del doc["dup_keys"]
    unkeyable = review("NOPLACE", record, words, NOW) | {"kecamatan": None}
    del unkeyable["dup_keys"]
    db.reviews.insert_many([*before, unkeyable])
    index = DuplicateIndex(db.reviews, db.settings)

    index.ensure_index()
    assert index.add_missing_keys(NOW) == 6
    assert "kecamatan_1_received_at_1" not in db.reviews.index_information()
    new = new_report(normalizer, record["text"], record["category"], record["kelurahan"])
    assert sorted(r.ticket for r in index.open_reports(new)) == [f"B{n}" for n in range(5)]
    assert db.reviews.find_one({"_id": "NOPLACE"})["dup_keys"] == []
    # Idempotent: a second start-up finds nothing to do.
    assert index.add_missing_keys(NOW) == 0
    # A change of the key rule (another KEYS_VERSION) keys them all again.
    db.settings.update_one({"_id": DuplicateIndex.MARKER}, {"$set": {"version": -1}})
    db.reviews.update_one({"_id": "B0"}, {"$set": {"dup_keys": ["stale"]}})
    assert index.add_missing_keys(NOW) == 6
    assert db.reviews.find_one({"_id": "B0"})["dup_keys"] == core.review_keys(before[0])
    marker = db.settings.find_one({"_id": DuplicateIndex.MARKER})
    assert marker["version"] == duplicates.KEYS_VERSION


def test_a_flood_of_one_complaint_costs_each_new_copy_one_candidate(db, normalizer):
    """200 residents send the same message: each new copy reads the first report only
    (it would read every copy so far, and the store decodes each, if copies were keyed)."""
    index = DuplicateIndex(db.reviews, db.settings)
    index.ensure_index()
    text = "Banjir setinggi lutut di jalan depan sekolah, air tidak surut sejak pagi"
    words = normalizer.tokens(text).split()
    data = {
        "title": "Banjir",
        "description": text,
        "location": {"kecamatan": KECAMATAN, "kelurahan": "Sumurboto"},
    }
    candidates, suggested = [], set()
    for n in range(200):
        at = NOW + timedelta(seconds=n)
        new = duplicates.Report(
            f"F{n:03d}", "infrastruktur_fasum", KECAMATAN, "Sumurboto", None, None,
            tuple(words), at,
        )  # fmt: skip
        found = index.open_reports(new)
        candidates.append(len(found))
        match = duplicates.best_match(new, found)
        suggestion = {
            **SUGGESTION,
            "category": "infrastruktur_fasum",
            "duplicate_of": match.ticket if match else None,
            "duplicate_similarity": match.similarity if match else None,
        }
        state, _ = core.open_review({**data, "received_at": at.isoformat()}, suggestion, words, at)
        db.reviews.insert_one({**state, "_id": new.ticket, "_v": 1, "_applied": []})
        if match:
            suggested.add(match.ticket)
    assert candidates[0] == 0 and set(candidates[1:]) == {1}
    assert suggested == {"F000"}
