"""What triage suggests for one complaint: category (with confidence and the words that
drove it), agency and scope, validity flags, urgency, and a possible duplicate. The
classifier is loaded once per process; the routing table and the automatic-rejection
switches are the supervisors' data, passed in."""

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from services.triage import duplicates, routing, urgency, validity
from services.triage.learning.classifier import CategoryModel, load_records
from services.triage.lexicon import NOT_A_COMPLAINT

log = logging.getLogger(__name__)

# Below this probability the category is marked for the officer's attention.
LOW_CONFIDENCE = 0.6

# Finds the open reports a new complaint's report may repeat.
FindReports = Callable[[duplicates.Report], Iterable[duplicates.Report]]


@dataclass(frozen=True)
class Suggestion:
    category: str | None
    confidence: float
    needs_attention: bool
    category_words: tuple[str, ...]
    ranking: tuple[tuple[str, float], ...]
    agency: str | None
    agencies: tuple[str, ...]
    scope: str
    routing_words: tuple[str, ...]
    validity_flags: tuple[str, ...]
    validity_words: tuple[str, ...]
    urgent: bool
    urgent_words: tuple[str, ...]
    duplicate_of: str | None
    duplicate_similarity: float | None
    duplicate_words: tuple[str, ...]
    auto_rejected: str | None

    def to_document(self) -> dict:
        found = asdict(self)
        found["ranking"] = [list(pair) for pair in self.ranking]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in found.items()}


def load_model(path: str | None = None) -> CategoryModel:
    """The saved model (ADUAN_TRIAGE_MODEL), or one trained now on the bundled labels."""
    path = path or os.environ.get("ADUAN_TRIAGE_MODEL", "var/models/triage-category.joblib")
    model = CategoryModel.load(Path(path))
    if model is not None:
        log.info("triage model loaded from %s", path)
        return model
    log.info("no usable model at %s: training on the bundled labelled complaints", path)
    return CategoryModel.train(load_records(split="train"))


class Suggester:
    def __init__(self, model: CategoryModel) -> None:
        self.model = model

    def words(self, text: str) -> tuple[str, ...]:
        return tuple(self.model.normalizer.tokens(text).split())

    def suggest(
        self,
        ticket: str,
        data: dict,
        open_reports: Iterable[duplicates.Report] | FindReports,
        table: routing.RoutingTable,
        auto_reject: frozenset[str],
    ) -> tuple[Suggestion, tuple[str, ...]]:
        """The suggestion for a received complaint (contracts.ComplaintReceived), and
        its normalized words (kept for later duplicate searches). `open_reports` are the
        reports to look for a duplicate among, or a function that finds them for the
        complaint's report (called only when it has a category)."""
        text = f"{data['title']}. {data['description']}"
        guess = self.model.guess(text)
        category = None if guess.category == NOT_A_COMPLAINT else guess.category
        words = self.words(text)
        received = datetime.fromisoformat(data["received_at"])
        report = report_of(ticket, data, category, words, received)
        route = routing.route_likeliest(table, guess.ranking, text, report.kecamatan)
        checked = validity.check(text, dict(guess.ranking).get(NOT_A_COMPLAINT, 0.0))
        match = None
        if category:
            candidates = open_reports(report) if callable(open_reports) else open_reports
            match = duplicates.best_match(report, list(candidates))
        urgent = urgency.urgent_words(text)
        suggestion = Suggestion(
            category=category,
            confidence=round(guess.confidence, 3),
            needs_attention=category is None or guess.confidence < LOW_CONFIDENCE,
            category_words=guess.words,
            ranking=guess.ranking,
            agency=route.agency,
            agencies=route.agencies,
            scope=route.scope,
            routing_words=route.because,
            validity_flags=checked.flags,
            validity_words=checked.because,
            urgent=bool(urgent),
            urgent_words=urgent,
            duplicate_of=match.ticket if match else None,
            duplicate_similarity=match.similarity if match else None,
            duplicate_words=match.shared_words if match else (),
            auto_rejected=validity.auto_rejection(checked, auto_reject),
        )
        return suggestion, words


def report_of(ticket: str, data: dict, category: str | None, words, at: datetime):
    location = data.get("location") or {}
    return duplicates.Report(
        ticket=ticket,
        category=category,
        kecamatan=location.get("kecamatan"),
        kelurahan=location.get("kelurahan"),
        lat=location.get("lat"),
        lon=location.get("lon"),
        words=tuple(words),
        received_at=at,
    )
