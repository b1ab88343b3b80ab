from datetime import UTC, datetime

import pytest

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.triage import core

NOW = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
RECEIVED = {
    "title": "Lampu jalan mati",
    "description": "Lampu jalan mati dan gelap sekali",
    "category_hint": None,
    "received_at": "2026-03-05T02:00:00+00:00",
}


SUGGESTION = {
    "category": "penerangan_transportasi",
    "confidence": 0.91,
    "needs_attention": False,
    "category_words": ["lampu jalan", "gelap"],
    "ranking": [["penerangan_transportasi", 0.91]],
    "agency": "disperkim",
    "agencies": ["disperkim"],
    "scope": "single_agency",
    "routing_words": ["lampu jalan"],
    "validity_flags": [],
    "validity_words": [],
    "urgent": False,
    "urgent_words": [],
    "duplicate_of": None,
    "duplicate_similarity": None,
    "duplicate_words": [],
    "auto_rejected": None,
}


def open_review(suggestion=SUGGESTION):
    return core.open_review(RECEIVED, suggestion, ["lampu", "jalan", "mati"], NOW)


def test_a_review_opens_awaiting_review_with_the_suggestion():
    state, [(event_type, data)] = open_review()
    assert state["status"] == "awaiting_review"
    assert event_type == EventType.COMPLAINT_TRIAGED
    assert data["suggested_category"] == "penerangan_transportasi"
    assert data["suggested_agency"] == "disperkim" and data["matched_keywords"] == [
        "lampu jalan",
        "gelap",
    ]
    assert state["words"] == ["lampu", "jalan", "mati"]


def test_an_automatic_rejection_a_supervisor_turned_on_rejects_at_once():
    spam = SUGGESTION | {"validity_flags": ["advertising"], "auto_rejected": "advertising"}
    state, [(triaged, _), (rejected, data)] = open_review(spam)
    assert (triaged, rejected) == (EventType.COMPLAINT_TRIAGED, EventType.COMPLAINT_REJECTED)
    assert state["status"] == "rejected" and data["officer"] == core.AUTO_OFFICER
    assert "iklan" in data["reason"]


def test_the_officers_choice_is_compared_with_the_suggestion():
    review, _ = open_review()
    decision = core.parse_classification(
        {"category": "penerangan_transportasi", "scope": "single_agency", "agencies": ["dishub"]}
    )
    state, _ = core.classify(review, decision, "officer1", NOW)
    agreed = state["decisions"][-1]["agreed"]
    assert agreed == {"category": True, "agency": False, "scope": True}


def test_classify_then_a_second_classify_is_illegal():
    review, _ = open_review()
    decision = core.parse_classification(
        {"category": "penerangan_transportasi", "scope": "single_agency", "agencies": ["dishub"]}
    )
    state, [(event_type, data)] = core.classify(review, decision, "officer1", NOW)
    assert state["status"] == "classified" and event_type == EventType.COMPLAINT_CLASSIFIED
    assert data == {**decision, "officer": "officer1"}
    with pytest.raises(CommandRejected) as caught:
        core.classify({**review, **state}, decision, "officer1", NOW)
    assert caught.value.code == "illegal_transition"


def test_a_returned_review_can_be_classified_again():
    review, _ = open_review()
    decision = core.parse_classification(
        {"category": "penerangan_transportasi", "scope": "single_agency", "agencies": ["dpu"]}
    )
    classified, _ = core.classify(review, decision, "o", NOW)
    returned, events = core.agency_returned(
        {**review, **classified}, {"agency": "dpu", "reason": "bukan wewenang"}, NOW
    )
    assert returned["status"] == "returned" and events == []
    again, _ = core.classify({**review, **returned}, decision, "o", NOW)
    assert again["status"] == "classified"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "x", "scope": "single_agency", "agencies": ["dpu"]}, "category"),
        ({"category": "penegakan_perda", "scope": "global", "agencies": ["dpu"]}, "scope"),
        ({"category": "penegakan_perda", "scope": "single_agency", "agencies": []}, "agencies"),
        (
            {"category": "penegakan_perda", "scope": "single_agency", "agencies": ["dpu", "dlh"]},
            "agencies",
        ),
        ({"category": "penegakan_perda", "scope": "cross_agency", "agencies": ["dpu"]}, "agencies"),
        (
            {"category": "penegakan_perda", "scope": "single_agency", "agencies": [{"$gt": ""}]},
            "agencies",
        ),
        (
            {"category": "penegakan_perda", "scope": "single_agency", "agencies": ["DPU !"]},
            "agencies",
        ),
    ],
)
def test_a_bad_classification_names_the_field(body, field):
    with pytest.raises(CommandRejected) as caught:
        core.parse_classification(body)
    assert caught.value.field == field


def test_a_rejection_needs_a_reason_the_reporter_can_read():
    with pytest.raises(CommandRejected):
        core.parse_rejection({"reason": "no"})
    review, _ = open_review()
    state, [(event_type, data)] = core.reject(
        review, core.parse_rejection({"reason": "Laporan tidak sesuai fakta"}), "o", NOW
    )
    assert state["status"] == "rejected" and event_type == EventType.COMPLAINT_REJECTED
    assert data["reason"] == "Laporan tidak sesuai fakta"
