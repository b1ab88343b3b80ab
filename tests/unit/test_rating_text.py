"""Ratings as residents write them in an SMS or a social reply."""

import pytest

from services.chassis.adapter import rate_or_none
from services.chassis.rating_text import RatingText, parse
from services.contracts.errors import CommandRejected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NILAI 4", RatingText(4, None, None)),
        ("nilai 5 terima kasih, cepat sekali", RatingText(5, None, "terima kasih, cepat sekali")),
        ("Nilai: 2 - masih bocor", RatingText(2, None, "masih bocor")),
        ("rating 5/5 mantap", RatingText(5, None, "mantap")),
        ("skor 3 dari 5", RatingText(3, None, None)),
        ("penilaian empat, cukup", RatingText(4, None, "cukup")),
        ("Beri nilai 1 lampunya mati lagi", RatingText(1, None, "lampunya mati lagi")),
        ("NILAI smg-2026-000123 2 belum", RatingText(2, "SMG-2026-000123", "belum")),
        ("bintang 5", RatingText(5, None, None)),
        ("5", RatingText(5, None, None)),
        (" 4/5 ", RatingText(4, None, None)),
        ("3.", RatingText(3, None, None)),
        # a keyword with a number outside 1-5 is a rating intake refuses, said so by SMS
        ("NILAI 9", RatingText(9, None, None)),
        ("nilai 0", RatingText(0, None, None)),
        # a keyword without a number: the adapter answers how to rate
        ("NILAI bagus", RatingText(None, None, None)),
        ("nilai", RatingText(None, None, None)),
    ],
)
def test_ratings_residents_write(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2 lampu mati di Jalan Pemuda, Semarang Tengah",
        "Lampu PJU mati di Tembalang",
        "SMG-2026-000123 lubang masih ada",
        "6",
        "0",
        "nilainya jelek sekali jalan rusak di Genuk",
        "",
    ],
)
def test_messages_that_are_not_ratings(text):
    assert parse(text) is None


class FakeIntake:
    def __init__(self, refusal: str | None = None) -> None:
        self.refusal = refusal
        self.calls: list[dict] = []

    def rate(self, **call) -> dict:
        self.calls.append(call)
        if self.refusal:
            raise CommandRejected(self.refusal, "refused")
        return {"message": "Terima kasih atas penilaian Anda."}


def rate(intake, text: str, latest: str | None = "SMG-2026-000007") -> str | None:
    return rate_or_none(intake, text, "sms", {"phone": "+62857"}, "sms:m1", lambda: latest)


def test_a_channel_rating_goes_to_intake_for_the_named_or_latest_complaint():
    intake = FakeIntake()
    assert rate(intake, "NILAI 4 bagus") == (
        "Pengaduan SMG-2026-000007: Terima kasih atas penilaian Anda."
    )
    assert intake.calls == [
        {
            "ticket": "SMG-2026-000007",
            "body": {"rating": 4, "comment": "bagus"},
            "channel": "sms",
            "proof": {"phone": "+62857"},
            "rating_id": "sms:m1",
        }
    ]
    rate(intake, "nilai SMG-2026-000123 5")
    assert intake.calls[-1]["ticket"] == "SMG-2026-000123"


def test_a_channel_rating_refused_is_answered_and_not_a_rating_is_left_alone():
    assert "1 sampai 5" in rate(FakeIntake("invalid_field"), "NILAI 9")
    assert "sudah Anda nilai" in rate(FakeIntake("already_rated"), "NILAI 5")
    assert "NILAI diikuti angka" in rate(FakeIntake(), "nilai bagus")
    assert "Sebutkan nomornya" in rate(FakeIntake(), "NILAI 3", latest=None)
    assert rate(FakeIntake(), "Lampu mati di Genuk sejak kemarin") is None
    with pytest.raises(CommandRejected):
        rate(FakeIntake("backend_unavailable"), "NILAI 3")  # retried, not answered
