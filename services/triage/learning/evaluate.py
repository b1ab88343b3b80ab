"""Prints how well triage's suggestions match the labels on the held-out split.

    .venv/bin/python -m services.triage.learning.evaluate

Trains the category classifier on the training split only, then measures on the
held-out complaints (incidents it never saw): category accuracy, macro-F1, per-label
figures and the confusion matrix; agency and scope from the routing table; validity
flags and urgency against their labels; and duplicate links over report pairs.
"""

import platform
from datetime import UTC, datetime

from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from services.triage import duplicates, routing, urgency, validity
from services.triage.learning.classifier import CategoryModel, load_records
from services.triage.lexicon import NOT_A_COMPLAINT
from services.triage.suggestions import LOW_CONFIDENCE

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int]:
    """(precision, recall, positives predicted, positives labelled) of (predicted, actual)."""
    tp = sum(p and a for p, a in pairs)
    predicted = sum(p for p, _ in pairs)
    actual = sum(a for _, a in pairs)
    return (
        (tp / predicted if predicted else 1.0),
        (tp / actual if actual else 1.0),
        predicted,
        actual,
    )


def main() -> None:
    train, test = load_records(split="train"), load_records(split="test")
    model = CategoryModel.train(train)
    guesses = [model.guess(r["text"]) for r in test]
    labels = sorted({r["category"] for r in train})
    truth = [r["category"] for r in test]
    predicted = [g.category for g in guesses]

    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"trained on {len(train)} complaints; held out: {len(test)} complaints of "
        f"{len({r['incident'] for r in test})} incidents the model never saw\n"
    )
    print("CATEGORY")
    print(
        f"  accuracy {accuracy_score(truth, predicted):.3f}   "
        f"macro-F1 {f1_score(truth, predicted, average='macro'):.3f}"
    )
    sure = [
        (t, g.category)
        for t, g in zip(truth, guesses, strict=True)
        if g.confidence >= LOW_CONFIDENCE
    ]
    sure_accuracy = accuracy_score([t for t, _ in sure], [p for _, p in sure])
    print(
        f"  {len(sure)}/{len(test)} suggestions at or above the confidence mark "
        f"{LOW_CONFIDENCE}: accuracy {sure_accuracy:.3f}; the rest are marked for the "
        "officer's attention"
    )
    print(classification_report(truth, predicted, labels=labels, digits=3, zero_division=0))
    print("  confusion matrix (rows: label, columns: suggestion)")
    short = [label[:6] for label in labels]
    print("  " + " " * 26 + " ".join(f"{s:>6}" for s in short))
    for label, row in zip(labels, confusion_matrix(truth, predicted, labels=labels), strict=True):
        print(f"  {label:<26}" + " ".join(f"{n:>6}" for n in row))

    table = routing.default_table()
    complaints = [
        (r, g) for r, g in zip(test, guesses, strict=True) if r["category"] != NOT_A_COMPLAINT
    ]
    routed = [
        routing.route_likeliest(table, g.ranking, r["text"], r["kecamatan"]) for r, g in complaints
    ]
    given_true = [
        routing.route(table, r["category"], r["text"], r["kecamatan"]) for r, _ in complaints
    ]
    agency_hits = [
        route.agency == r["agencies"][0] for (r, _), route in zip(complaints, routed, strict=True)
    ]
    true_hits = [
        route.agency == r["agencies"][0]
        for (r, _), route in zip(complaints, given_true, strict=True)
    ]
    scope_hits = [
        route.scope == r["scope"] for (r, _), route in zip(complaints, routed, strict=True)
    ]
    print("\nAGENCY AND SCOPE (routing table, on the held-out complaints that are complaints)")
    print(
        f"  agency accuracy {sum(agency_hits) / len(agency_hits):.3f} "
        f"(from the category probabilities; {sum(true_hits) / len(true_hits):.3f} "
        "given the right category)"
    )
    print(f"  scope accuracy  {sum(scope_hits) / len(scope_hits):.3f}")

    flagged = [
        (
            not validity.check(r["text"], dict(g.ranking)[NOT_A_COMPLAINT]).valid,
            r["invalid"] is not None,
        )
        for r, g in zip(test, guesses, strict=True)
    ]
    p, rc, n_pred, n_true = precision_recall(flagged)
    print(
        f"\nINVALID REPORTS (validity flags)\n  precision {p:.3f}  recall {rc:.3f}  "
        f"({n_pred} flagged, {n_true} labelled invalid)"
    )
    urgent = [(bool(urgency.urgent_words(r["text"])), r["urgent"]) for r in test]
    p, rc, n_pred, n_true = precision_recall(urgent)
    print(
        f"\nURGENCY\n  precision {p:.3f}  recall {rc:.3f}  "
        f"({n_pred} flagged, {n_true} labelled urgent)"
    )

    pairs, read = duplicate_pairs(model, load_records())
    p, rc, n_pred, n_true = precision_recall(pairs)
    print(
        f"\nDUPLICATES (second reports of an incident vs. every other report of its category)\n"
        f"  precision {p:.3f}  recall {rc:.3f}  ({n_pred} linked, {n_true} true pairs, "
        f"{len(pairs)} pairs)\n"
        f"  pairs compared, as the service finds them through its word index: {sum(read)} "
        f"of {len(pairs)} (the others share no key word)"
    )


def duplicate_pairs(
    model: CategoryModel, records: list[dict]
) -> tuple[list[tuple[bool, bool]], list[int]]:
    """Each second report (a repeat, or a near miss: another incident of the same kind
    in the same kelurahan) against each first report of the same labelled category,
    compared only when the service's index finds it (it shares a key word); and how
    many were compared per second report."""
    seconds = [r for r in records if "duplicate_of" in r or "near_of" in r]
    originals = [
        r
        for r in records
        if r["register"] == "as_written" and r not in seconds and r["category"] != NOT_A_COMPLAINT
    ]
    reports = {r["id"]: as_report(model, r) for r in originals + seconds}
    keys = {
        r.ticket: set(duplicates.index_keys(r.kecamatan, r.category, r.words, r.received_at))
        for r in reports.values()
    }
    pairs, read = [], []
    for second in seconds:
        candidates = [o for o in originals if o["category"] == second["category"]]
        wanted = set(duplicates.search_keys(reports[second["id"]]))
        found = [reports[o["id"]] for o in candidates if keys[o["id"]] & wanted]
        match = duplicates.best_match(reports[second["id"]], found)
        read.append(len(found))
        for original in candidates:
            linked = match is not None and match.ticket == original["id"]
            pairs.append((linked, original["incident"] == second.get("duplicate_of")))
    return pairs, read


def as_report(model: CategoryModel, record: dict) -> duplicates.Report:
    return duplicates.Report(
        ticket=record["id"],
        category=model.guess(record["text"]).category,
        kecamatan=record["kecamatan"],
        kelurahan=record["kelurahan"],
        lat=None,
        lon=None,
        words=tuple(model.normalizer.tokens(record["text"]).split()),
        received_at=NOW,
    )


if __name__ == "__main__":
    main()
