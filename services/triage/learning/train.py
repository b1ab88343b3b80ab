"""Retrains the category classifier and saves it where the triage service loads it.

    .venv/bin/python -m services.triage.learning.train [--all] [--output PATH]

Trains on the training split (--all: on every labelled complaint, for production
after the held-out figures are known) and writes ADUAN_TRIAGE_MODEL (default
var/models/triage-category.joblib). Restart the triage service to load it; without a
saved model the service trains on the bundled data at start-up.
"""

import argparse
import os
import time
from pathlib import Path

from services.triage.learning.classifier import CategoryModel, load_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="train on the held-out split too")
    parser.add_argument(
        "--output",
        default=os.environ.get("ADUAN_TRIAGE_MODEL", "var/models/triage-category.joblib"),
    )
    args = parser.parse_args()
    records = load_records(split=None if args.all else "train")
    started = time.perf_counter()
    model = CategoryModel.train(records)
    model.save(Path(args.output))
    print(
        f"trained on {len(records)} complaints in {time.perf_counter() - started:.1f} s; "
        f"saved to {args.output}"
    )


if __name__ == "__main__":
    main()
