"""Prints the words of complaints by document frequency, the most common first, as the
table `duplicates.COMMON_WORDS` holds them, and whether the table differs.

    .venv/bin/python -m services.triage.learning.common_words [--count 200]

The table decides which words key the duplicate index. It is frozen in the code, not
computed at start-up: the keys stored with the open reviews were chosen with it, and a
new table changes `duplicates.KEYS_VERSION`, which makes every triage instance key the
reviews of the last 30 days again at its next start-up.
"""

import argparse
import textwrap
from collections import Counter

from services.triage import duplicates
from services.triage.learning.classifier import load_records
from services.triage.learning.text import Normalizer


def most_common(records: list[dict], count: int) -> list[str]:
    normalizer = Normalizer()
    frequency: Counter[str] = Counter()
    for record in records:
        frequency.update(set(normalizer.tokens(record["text"]).split()))
    return [word for word, _ in sorted(frequency.items(), key=lambda x: (-x[1], x[0]))][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=len(duplicates.COMMON_WORDS))
    args = parser.parse_args()
    words = most_common(load_records(split="train"), args.count)
    print(textwrap.indent(textwrap.fill(" ".join(words), 88), "    "))
    same = tuple(words) == duplicates.COMMON_WORDS
    print(f"\n{'the same as' if same else 'NOT the same as'} duplicates.COMMON_WORDS")


if __name__ == "__main__":
    main()
