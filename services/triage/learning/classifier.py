"""The category classifier: TF-IDF over stemmed words and over character n-grams (robust
to typos and shorthand), and a logistic regression that gives each category a
probability. Eight labels: the seven categories and `bukan_pengaduan` (not a
public-service complaint). Trained on services/triage/data/complaints.jsonl."""

import json
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from services.triage.learning.text import Normalizer
from services.triage.lexicon import LEXICON

DATA = Path(__file__).resolve().parents[1] / "data" / "complaints.jsonl"
NOT_A_COMPLAINT = "bukan_pengaduan"
EXPLAIN_WORDS = 5


@dataclass(frozen=True)
class CategoryGuess:
    category: str
    confidence: float
    words: tuple[str, ...]  # the features that drove it, strongest first
    ranking: tuple[tuple[str, float], ...]  # every label with its probability


def load_records(path: Path = DATA, split: str | None = None) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [r for r in records if split is None or r["split"] == split]


class LexiconHits(BaseEstimator, TransformerMixin):
    """Per label, how many of its lexicon terms (stemmed like the text) occur."""

    def __init__(self, terms: dict[str, list[str]] | None = None) -> None:
        self.terms = terms

    def fit(self, texts, labels=None):
        return self

    def transform(self, texts):
        rows = []
        for text in texts:
            padded = f" {text} "
            rows.append(
                [
                    np.log1p(sum(f" {term} " in padded for term in terms))
                    for terms in self.terms.values()
                ]
            )
        return sparse.csr_matrix(np.array(rows, dtype=float))

    def get_feature_names_out(self, input_features=None):
        return np.array([f"lexicon:{label}" for label in self.terms])


def stemmed_lexicon(normalizer: Normalizer) -> dict[str, list[str]]:
    return {
        label: sorted({normalizer.tokens(term) for term in terms} - {""})
        for label, terms in LEXICON.items()
    }


def _pipeline(normalizer: Normalizer) -> Pipeline:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
    lexicon = LexiconHits(stemmed_lexicon(normalizer))
    features = FeatureUnion([("words", words), ("chars", chars), ("lexicon", lexicon)])
    model = LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced")
    return Pipeline([("features", features), ("model", model)])


class CategoryModel:
    def __init__(self, pipeline: Pipeline, normalizer: Normalizer | None = None) -> None:
        self.pipeline = pipeline
        self.normalizer = normalizer or Normalizer()
        features: FeatureUnion = pipeline.named_steps["features"]
        self._word_features = features.transformer_list[0][1]
        self._word_names = self._word_features.get_feature_names_out()
        self._model: LogisticRegression = pipeline.named_steps["model"]
        self._word_count = len(self._word_names)

    @classmethod
    def train(cls, records: list[dict]) -> "CategoryModel":
        normalizer = Normalizer()
        texts = [normalizer.tokens(r["text"]) for r in records]
        pipeline = _pipeline(normalizer).fit(texts, [r["category"] for r in records])
        return cls(pipeline, normalizer)

    def guess(self, text: str) -> CategoryGuess:
        tokens = self.normalizer.tokens(text)
        vector = self.pipeline.named_steps["features"].transform([tokens])
        probabilities = self._model.predict_proba(vector)[0]
        labels = self._model.classes_
        best = int(np.argmax(probabilities))
        ranking = sorted(zip(labels, probabilities, strict=True), key=lambda p: -p[1])
        return CategoryGuess(
            category=str(labels[best]),
            confidence=float(probabilities[best]),
            words=self._drivers(vector, best),
            ranking=tuple((str(label), round(float(p), 4)) for label, p in ranking),
        )

    def _drivers(self, vector, label_index: int) -> tuple[str, ...]:
        """The word features weighing most for the label in this text."""
        row = vector.tocsr()
        weights = self._model.coef_[label_index]
        scored = [
            (value * weights[column], self._word_names[column])
            for column, value in zip(row.indices, row.data, strict=True)
            if column < self._word_count and value * weights[column] > 0
        ]
        scored.sort(reverse=True)
        return tuple(name for _, name in scored[:EXPLAIN_WORDS])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"sklearn": sklearn.__version__, "pipeline": self.pipeline}, path)

    @classmethod
    def load(cls, path: Path) -> "CategoryModel | None":
        """The saved model, or None when there is none or it was saved by another
        scikit-learn (pickles are only safe across the same version)."""
        if not path.exists():
            return None
        saved = joblib.load(path)
        if saved.get("sklearn") != sklearn.__version__:
            return None
        return cls(saved["pipeline"])
