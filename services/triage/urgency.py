"""Danger to life or health, disasters and emergencies: flagged so worklists put them
first. Standard library only."""

import re

URGENT_WORDS = (
    "banjir", "rob masuk", "longsor", "kebakaran", "terbakar", "pohon tumbang", "tumbang",
    "kabel putus", "kabel listrik", "bertegangan", "percikan api", "korban", "meninggal",
    "tewas", "keadaan darurat", "mengungsi", "jebol", "ambruk", "roboh", "amblas",
    "ambles", "terancam", "demam berdarah", "dbd", "keracunan", "diare massal",
    "tenggelam", "terseret", "sesak napas", "menimpa", "terputus", "bisa tumbang",
)  # fmt: skip
# Not on the list, though they sound alarming: "berbahaya", "membahayakan", "hampir",
# "darurat" (as in "gawat darurat" billing complaints) flag ordinary complaints.


def urgent_words(text: str) -> tuple[str, ...]:
    """The words that make the complaint urgent; empty when it is not."""
    folded = " ".join(text.casefold().split())
    return tuple(
        word
        for word in URGENT_WORDS
        if re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded)
    )
