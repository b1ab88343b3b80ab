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


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Jalan berlubang", "Aspal rusak di depan pasar", "infrastruktur_fasum"),
        (
            "KTP belum jadi",
            "Sudah tiga bulan e-ktp belum dicetak di dukcapil",
            "administrasi_kependudukan",
        ),
        ("Sampah menumpuk", "Sampah di TPS tidak diangkut, bau sekali", "lingkungan_perumahan"),
        ("PKL di trotoar", "Pedagang kaki lima menutup jalan", "penegakan_perda"),
        ("Puskesmas tutup", "Dokter tidak ada di puskesmas", "pendidikan_kesehatan"),
        ("Pajak PBB", "Tagihan pbb salah hitung", "perizinan_pajak"),
        ("Lampu jalan mati", "PJU gelap di malam hari", "penerangan_transportasi"),
    ],
)
def test_keywords_suggest_a_category(title, description, expected):
    assert core.suggest(title, description, None)[0] == expected


def test_without_keywords_the_reporters_hint_stands():
    assert core.suggest("Keluhan", "Pelayanan lambat", "perizinan_pajak") == ("perizinan_pajak", [])


def test_a_review_opens_awaiting_review_with_the_suggestion():
    state, [(event_type, data)] = core.open_review(RECEIVED)
    assert state["status"] == "awaiting_review"
    assert event_type == EventType.COMPLAINT_TRIAGED
    assert data["suggested_category"] == "penerangan_transportasi"


def test_classify_then_a_second_classify_is_illegal():
    review, _ = core.open_review(RECEIVED)
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
    review, _ = core.open_review(RECEIVED)
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
    review, _ = core.open_review(RECEIVED)
    state, [(event_type, data)] = core.reject(
        review, core.parse_rejection({"reason": "Laporan tidak sesuai fakta"}), "o", NOW
    )
    assert state["status"] == "rejected" and event_type == EventType.COMPLAINT_REJECTED
    assert data["reason"] == "Laporan tidak sesuai fakta"
