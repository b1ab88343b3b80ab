"""The word index duplicates are found through: which words a report is keyed by, the
keys stored and searched, and that a duplicate is found among 1,000 open reports of a
kecamatan where reading the first 300 of them missed it."""

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.triage import core, duplicates
from services.triage.learning.classifier import load_records
from services.triage.learning.text import Normalizer

NOW = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[2] / "services/triage/data"
MOST_COMMON = duplicates.COMMON_WORDS[: duplicates.NEVER_KEYS]


def report(ticket, words, kelurahan="Sumurboto", category="infrastruktur_fasum", at=NOW):
    return duplicates.Report(
        ticket, category, "Tembalang", kelurahan, None, None, tuple(words), at
    )  # fmt: skip


def test_key_words_skip_the_most_common_words_and_take_the_rarest_first():
    words = ["jalan", "tidak", "warga", "lubang", "ngesrep", "timur", "jatuh", "motor"]
    chosen = duplicates.key_words(words)
    assert not set(chosen) & set(MOST_COMMON)
    # Outside the table first, then the less common before the more common.
    assert chosen == ("ngesrep", "timur", "jatuh", "lubang", "motor")


def test_key_words_are_at_most_key_words_and_repeats_count_once():
    words = [f"kata{n}" for n in range(20)] * 2
    chosen = duplicates.key_words(words)
    assert len(chosen) == duplicates.KEY_WORDS == len(set(chosen))
    assert chosen == tuple(sorted(set(words)))[: duplicates.KEY_WORDS]


def test_a_short_text_of_common_words_is_keyed_by_its_rarest_ones():
    assert duplicates.key_words(["lampu", "jalan", "mati"]) == ("mati", "lampu", "jalan")
    assert duplicates.key_words(["lampu", "mati", "gelap"]) == ("gelap", "mati", "lampu")
    # Two such texts still find each other.
    assert set(duplicates.key_words(["lampu", "jalan", "mati"])) & set(
        duplicates.key_words(["lampu", "mati", "gelap"])
    )
    assert duplicates.key_words([]) == ()


def test_index_keys_name_kecamatan_category_period_and_word():
    keys = duplicates.index_keys("Semarang Tengah", "lingkungan_perumahan", ["sampah"], NOW)
    assert keys == [f"semarang tengah|lingkungan_perumahan|{duplicates.period(NOW)}|sampah"]
    assert duplicates.index_keys(None, "lingkungan_perumahan", ["sampah"], NOW) == []
    assert duplicates.index_keys("Tugu", None, ["sampah"], NOW) == []


@pytest.mark.parametrize("start", [NOW + timedelta(hours=h * 37) for h in range(0, 20 * 24, 11)])
def test_a_search_finds_every_report_of_the_last_30_days_sharing_a_key_word(start):
    new = report("B", ["lubang", "ngesrep"], at=start)
    wanted = set(duplicates.search_keys(new))
    for hours in range(0, 30 * 24 + 1, 7):
        at = start - timedelta(hours=hours)
        stored = duplicates.index_keys("Tembalang", "infrastruktur_fasum", ["ngesrep"], at)
        assert set(stored) & wanted, at
    # One received a little later but stored first is found too.
    later = duplicates.index_keys("Tembalang", "infrastruktur_fasum", ["ngesrep"], start)
    assert set(later) & wanted
    # Another kecamatan, another category, another word, or two periods back: not.
    for kecamatan, category, words, at in [
        ("Tugu", "infrastruktur_fasum", ["ngesrep"], start),
        ("Tembalang", "penegakan_perda", ["ngesrep"], start),
        ("Tembalang", "infrastruktur_fasum", ["sampah"], start),
        ("Tembalang", "infrastruktur_fasum", ["ngesrep"], start - 2 * duplicates.PERIOD),
    ]:
        assert not set(duplicates.index_keys(kecamatan, category, words, at)) & wanted


def test_a_report_without_kecamatan_or_category_searches_nothing():
    assert duplicates.search_keys(report("B", ["lubang"], category=None)) == []
    no_place = duplicates.Report("B", "infrastruktur_fasum", None, None, None, None, ("a",), NOW)
    assert duplicates.search_keys(no_place) == []


def test_a_review_is_stored_with_its_keys_and_rekeyed_when_the_officer_changes_the_category():
    data = {
        "title": "Jalan berlubang",
        "description": "Lubang besar di jalan Ngesrep Timur",
        "received_at": NOW.isoformat(),
        "location": {"kecamatan": "Tembalang", "kelurahan": "Ngesrep"},
    }
    suggestion = {
        "category": "penerangan_transportasi", "confidence": 0.5, "needs_attention": True,
        "category_words": [], "agency": "dishub", "agencies": ["dishub"],
        "scope": "single_agency", "validity_flags": [], "urgent": False, "urgent_words": [],
        "duplicate_of": None, "auto_rejected": None,
    }  # fmt: skip
    words = ["lubang", "besar", "jalan", "ngesrep", "timur"]
    state, _ = core.open_review(data, suggestion, words, NOW)
    assert state["dup_keys"] == duplicates.index_keys(
        "Tembalang", "penerangan_transportasi", words, NOW
    )
    assert state["dup_keys"] == core.review_keys(state)
    decision = {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]}
    classified, _ = core.classify(state, decision, "officer1", NOW)
    assert classified["dup_keys"] == duplicates.index_keys(
        "Tembalang", "infrastruktur_fasum", words, NOW
    )
    assert core.review_keys({"words": words, "kecamatan": "Tembalang"}) == []
    # Only open reviews are in the index: not once rejected or linked; again once unlinked.
    rejected, _ = core.reject(state, {"reason": "bukan wewenang pemerintah kota"}, "o", NOW)
    assert rejected["dup_keys"] == []
    primary = {"_id": "SMG-2026-000001", "status": "awaiting_review"}
    linked, _ = core.link(state, primary, "officer1", NOW)
    assert linked["dup_keys"] == []
    unlinked, _ = core.unlink({**state, **linked}, "officer1", NOW)
    assert unlinked["dup_keys"] == state["dup_keys"]


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def build_index(reports):
    index = defaultdict(list)
    for r in reports:
        for key in duplicates.index_keys(r.kecamatan, r.category, r.words, r.received_at):
            index[key].append(r)
    return index


def look_up(index, new):
    found = {r.ticket: r for key in duplicates.search_keys(new) for r in index[key]}
    return list(found.values())


def test_a_duplicate_among_1000_open_reports_of_a_kecamatan_is_found(normalizer):
    # A second report of incident if01 (a hole in Jalan Ngesrep Timur) ...
    second = next(
        json.loads(line)
        for line in (DATA / "duplicates.jsonl").read_text().splitlines()
        if json.loads(line)["id"] == "du01"
    )
    original = next(r for r in load_records() if r["id"] == "if01-as_written")
    others = [
        r
        for r in load_records(split="train")
        if r["incident"] != "if01" and "duplicate_of" not in r and "near_of" not in r
    ]
    category, kelurahan = original["category"], original["kelurahan"]

    def as_report(ticket, record, minutes):
        return duplicates.Report(
            ticket, record["category"], "Tembalang", record["kelurahan"], None, None,
            tuple(normalizer.tokens(record["text"]).split()), NOW - timedelta(minutes=minutes),
        )  # fmt: skip

    # ... and 1,000 open reports of the same kecamatan (a flood of complaints of every
    # kind), stored in this order: the original is the 901st.
    stored = [as_report(f"R{n:04d}", others[n % len(others)], 5 * n) for n in range(1000)]
    stored[900] = as_report("ORIGINAL", original, 5 * 900)
    new = duplicates.Report(
        "NEW", category, "Tembalang", kelurahan, None, None,
        tuple(normalizer.tokens(second["text"]).split()), NOW,
    )  # fmt: skip

    # Reading the first 300 open reports of the kecamatan, as before, misses it.
    missed = duplicates.best_match(new, stored[:300])
    assert missed is None or missed.ticket != "ORIGINAL"
    # Through the index it is found, reading only reports sharing one of its key words.
    candidates = look_up(build_index(stored), new)
    match = duplicates.best_match(new, candidates)
    assert match is not None and match.ticket == "ORIGINAL"
    assert match == duplicates.best_match(new, stored)  # the same answer as reading all
    key_words = set(duplicates.key_words(new.words))
    assert all(set(duplicates.key_words(r.words)) & key_words for r in candidates)
    assert all(r.category == category for r in candidates)
    assert len(candidates) <= 20, len(candidates)


def test_a_near_copy_of_an_open_review_is_found_through_the_first_one_until_decided():
    """A flood of one complaint keeps one entry in the index, not one per copy."""
    data = {
        "title": "Banjir",
        "description": "Banjir setinggi lutut di depan sekolah",
        "received_at": NOW.isoformat(),
        "location": {"kecamatan": "Tembalang", "kelurahan": "Ngesrep"},
    }
    words = ["banjir", "tinggi", "lutut", "depan", "sekolah"]
    suggestion = {
        "category": "infrastruktur_fasum", "confidence": 0.9, "needs_attention": False,
        "category_words": [], "agency": "dpu", "agencies": ["dpu"], "scope": "single_agency",
        "validity_flags": [], "urgent": False, "urgent_words": [], "auto_rejected": None,
        "duplicate_of": "SMG-2026-000001", "duplicate_similarity": duplicates.NEAR_COPY,
    }  # fmt: skip
    copy, _ = core.open_review(data, suggestion, words, NOW)
    assert copy["dup_keys"] == []
    # Less alike: a report of its own in the index, as before.
    loose = {**suggestion, "duplicate_similarity": duplicates.NEAR_COPY - 0.01}
    similar, _ = core.open_review(data, loose, words, NOW)
    assert similar["dup_keys"] == duplicates.index_keys(
        "Tembalang", "infrastruktur_fasum", words, NOW
    )
    # Once an officer decides it is a complaint of its own, it is indexed.
    decision = {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]}
    classified, _ = core.classify(copy, decision, "officer1", NOW)
    assert classified["dup_keys"] == similar["dup_keys"]
