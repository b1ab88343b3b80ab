"""Is a new complaint very likely the same incident as an open one? Same category, same
kelurahan (or within a set distance), recent, and similar words. Standard library
only: the words come already normalized (services/triage/learning/text.py).

The open reports compared are found through an index rather than read in bulk: each
review is stored with keys `kecamatan|category|period|word` for its most informative
words (`index_keys`), and a new complaint looks up the keys of its own informative words
in the periods of the last 30 days (`search_keys`), so it reads only the reports of its
kecamatan and category that share such a word with it."""

import math
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_AGE = timedelta(days=30)
MAX_DISTANCE_M = 500.0
MIN_SIMILARITY = 0.35
# A report this similar to an open one is a near copy: the index keeps the first report
# of the group only (core.review_keys), so that a flood of one complaint (a shared
# message, a campaign) costs each new complaint one candidate, not every copy so far.
NEAR_COPY = 0.8

# Normalized words of complaints, the most common first: the 200 of highest document
# frequency in the labelled training complaints (printed again by
# `python -m services.triage.learning.common_words`). Frozen: the keys stored with the
# reviews depend on it (KEYS_VERSION).
_COMMON = """
    jalan tidak warga atas bagai sampai ucap rumah anak hari kota malam air padahal pagi
    izin tanpa depan dua sekolah 05 tugas tiap bulan 03 jadi kendara banyak minta jual saat
    kampung lampu sungai 07 bayar mati masuk sehingga buka minggu sering perintah puskesmas
    duduk hujan tolak lima tutup buang pakai tiga keluarga lurah sampah baru kartu rusak jam
    ktp naik pajak paksa tahun aju lama pbb tengah masih motor saja trotoar bau dagang dekat
    simpang bus layan parkir pasien sakit salur usaha bangun daftar online orang datang
    pasar pohon terang lalu lubang makan mukim penuh sehat semua warung akta kantor kerja
    lewat sekarang truk hilang urus besar kosong tempat alas angkut atap baik data diri gang
    hanya henti jadwal negeri pinggir tetap uang alir antre cetak hubung jamin kena liar
    macet panjang pindah satu tiang ulang kaki bahaya jatuh lebih pabrik putus telah terus
    bahu bekas biaya daerah gali halte jelas jembatan kembang lahir lansia lihat limbah
    lingkung luar makin miring mobil nama roboh salah sd siswa sore sulit syarat tagih taman
    turun dapat kecil pernah tanah timur tumpang tunggak elektronik milik obat retak gelap
    kabel lintas rekam sekitar tambah antar badan belum bengkel besok buat calo cepat ganti
"""
COMMON_WORDS: tuple[str, ...] = tuple(_COMMON.split())
# The most common of them (each in more than 4 % of complaints) find no duplicate by
# themselves: a complaint's keys skip them, unless it has fewer than MIN_KEY_WORDS others.
NEVER_KEYS = 40
KEY_WORDS = 8
MIN_KEY_WORDS = 3
# Keys carry the period of receipt, so a search reads the last 30 days, not all history.
PERIOD = timedelta(days=30)
# A report received this long after the new one (but stored first) is still compared.
LATE = timedelta(days=1)
KEYS_VERSION = zlib.crc32(
    f"{' '.join(COMMON_WORDS)}|{NEVER_KEYS}|{KEY_WORDS}|{MIN_KEY_WORDS}|{PERIOD}".encode()
)
_COMMONNESS = {word: len(COMMON_WORDS) - rank for rank, word in enumerate(COMMON_WORDS)}


@dataclass(frozen=True)
class Report:
    ticket: str
    category: str | None
    kecamatan: str | None
    kelurahan: str | None
    lat: float | None
    lon: float | None
    words: tuple[str, ...]
    received_at: datetime


@dataclass(frozen=True)
class Match:
    ticket: str
    similarity: float
    shared_words: tuple[str, ...]


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Cosine of the two word-count vectors (0: nothing shared, 1: the same words)."""
    ca, cb = Counter(a), Counter(b)
    dot = sum(ca[w] * cb[w] for w in ca.keys() & cb.keys())
    norm = math.sqrt(sum(v * v for v in ca.values())) * math.sqrt(sum(v * v for v in cb.values()))
    return dot / norm if norm else 0.0


def distance_m(a: Report, b: Report) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def same_place(a: Report, b: Report) -> bool:
    meters = distance_m(a, b)
    if meters is not None:
        return meters <= MAX_DISTANCE_M
    if a.kelurahan and b.kelurahan:
        return a.kelurahan.casefold() == b.kelurahan.casefold()
    return False


def best_match(new: Report, open_reports: list[Report]) -> Match | None:
    """The open report this one most likely repeats, or None."""
    best: Match | None = None
    for other in open_reports:
        if other.ticket == new.ticket or other.category != new.category:
            continue
        if abs(new.received_at - other.received_at) > MAX_AGE or not same_place(new, other):
            continue
        score = similarity(new.words, other.words)
        if score >= MIN_SIMILARITY and (best is None or score > best.similarity):
            shared = tuple(sorted(set(new.words) & set(other.words)))
            best = Match(other.ticket, round(score, 3), shared)
    return best


def key_words(words: Iterable[str]) -> tuple[str, ...]:
    """The words a report is indexed and searched by: its rarest distinct words (words
    outside COMMON_WORDS first, then the common ones from the least common; ties in
    alphabetical order), at most KEY_WORDS of them, none of the NEVER_KEYS most common
    words unless the text has fewer than MIN_KEY_WORDS others."""
    ordered = sorted(set(words), key=lambda word: (_COMMONNESS.get(word, 0), word))
    informative = sum(
        _COMMONNESS.get(word, 0) <= len(COMMON_WORDS) - NEVER_KEYS for word in ordered
    )
    return tuple(ordered[: max(MIN_KEY_WORDS, min(KEY_WORDS, informative))])


def period(at: datetime) -> int:
    """The PERIOD-long span of time `at` falls in, counted from 1970 (UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return int(at.timestamp() // PERIOD.total_seconds())


def _keys(kecamatan: str, category: str, periods: Iterable[int], words) -> list[str]:
    place, chosen = kecamatan.casefold(), key_words(words)
    return [f"{place}|{category}|{p}|{word}" for p in periods for word in chosen]


def index_keys(
    kecamatan: str | None, category: str | None, words: Iterable[str], received_at: datetime
) -> list[str]:
    """The keys a review is stored with, for later complaints to find it; none without a
    kecamatan or a category (it could never be a duplicate candidate)."""
    if not kecamatan or not category:
        return []
    return _keys(kecamatan, category, [period(received_at)], words)


def search_keys(new: Report) -> list[str]:
    """The keys of the open reports `best_match` may pick for `new`: same kecamatan and
    category, received within MAX_AGE before it (or up to LATE after), sharing one of its
    key words."""
    if not new.kecamatan or not new.category:
        return []
    first, last = period(new.received_at - MAX_AGE), period(new.received_at + LATE)
    return _keys(new.kecamatan, new.category, range(first, last + 1), new.words)
