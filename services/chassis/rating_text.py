"""A reporter's rating written in a channel message (SMS, a social reply), read
forgivingly: what a resident would naturally send after the result SMS that says
"Nilai 1-5: balas NILAI 5 atau NILAI 1 alasannya".

    NILAI 4                      nilai: 4 terima kasih      Nilai SMG-2026-000123 2 masih bocor
    rating 5/5 mantap            skor 3 dari 5              penilaian empat, cukup cepat
    5                            4/5                        (a bare number and nothing else)

A keyword (nilai, penilaian, rating, skor, bintang, "beri nilai") may come first; then
the ticket, optionally; then the number (digits or satu..lima), optionally "/5" or
"dari 5"; the rest is the comment. Without a keyword only a bare number counts, so a new
complaint that starts with a number ("2 lampu mati di ...") is never taken for a rating.
Standard library only; the adapter and intake decide what the rating does.
"""

import re
from dataclasses import dataclass

KEYWORD = re.compile(
    r"^\s*(?:beri\s+|kasih\s+)?(?:nilai|penilaian|rating|rate|skor|score|bintang)\b[\s:=.,\-]*",
    re.IGNORECASE,
)
TICKET = re.compile(r"^(SMG-\d{4}-\d{6,9})\b[\s:,.\-]*", re.IGNORECASE)
WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "nol": 0, "enam": 6}
NUMBER = re.compile(
    r"^(\d+|satu|dua|tiga|empat|lima|nol|enam)\b(?:\s*(?:/|dari)\s*5\b)?[\s:,.!\-]*",
    re.IGNORECASE,
)
BARE = re.compile(r"^\s*([1-5])\s*(?:(?:/|dari)\s*5)?\s*[.!]*\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class RatingText:
    """rating is None when the keyword came without a number we could read."""

    rating: int | None
    ticket: str | None
    comment: str | None


def parse(text: str) -> RatingText | None:
    """The rating in `text`, or None when the message is not a rating at all."""
    bare = BARE.match(text)
    if bare:
        return RatingText(int(bare.group(1)), None, None)
    keyword = KEYWORD.match(text)
    if not keyword:
        return None
    rest = text[keyword.end() :]
    ticket = None
    named = TICKET.match(rest)
    if named:
        ticket, rest = named.group(1).upper(), rest[named.end() :]
    number = NUMBER.match(rest)
    if not number:
        return RatingText(None, ticket, None)
    token = number.group(1).casefold()
    rating = WORDS[token] if token in WORDS else int(token)
    comment = " ".join(rest[number.end() :].split()) or None
    return RatingText(rating, ticket, comment)


# The adapters' answers to a rating message, in Bahasa Indonesia (one SMS long).
RATING_HOW = (
    "Untuk menilai hasil pengaduan, balas NILAI diikuti angka 1-5, misalnya NILAI 4 "
    "atau NILAI 1 lubang masih ada."
)
RATING_NO_COMPLAINT = (
    "Kami tidak menemukan pengaduan Anda untuk dinilai. Sebutkan nomornya, misalnya "
    "NILAI SMG-2026-000123 4."
)
RATING_REFUSALS = {
    "no_result_yet": "Pengaduan {ticket} belum selesai ditindaklanjuti; nilai dapat "
    "diberikan setelah hasilnya kami sampaikan.",
    "already_rated": "Hasil pengaduan {ticket} sudah Anda nilai. Terima kasih.",
    "not_found": "Pengaduan {ticket} tidak ditemukan untuk pengirim ini. Periksa nomor "
    "pengaduannya.",
    "invalid_field": "Nilai harus angka 1 sampai 5 dan komentar paling banyak 1000 huruf, "
    "misalnya NILAI 4 sudah baik.",
}


def recorded(ticket: str, message: str) -> str:
    return f"Pengaduan {ticket}: {message}"


def refused(ticket: str, code: str) -> str:
    return RATING_REFUSALS.get(code, RATING_HOW).format(ticket=ticket)
