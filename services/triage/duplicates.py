"""Is a new complaint very likely the same incident as an open one? Same category, same
kelurahan (or within a set distance), recent, and similar words. Standard library
only: the words come already normalized (services/triage/learning/text.py)."""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_AGE = timedelta(days=30)
MAX_DISTANCE_M = 500.0
MIN_SIMILARITY = 0.35


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
