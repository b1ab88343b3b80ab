"""Ratings as residents write them in an SMS or a social reply."""

import pytest

from services.chassis.rating_text import RatingText, parse


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
