"""Turns a complaint's text into the tokens the classifier reads: lower case, slang and
Javanese mapped to standard Indonesian (services/triage/slang.py), stop words dropped,
words stemmed with Sastrawi (cached per word: complaints repeat their vocabulary)."""

import re
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from services.triage.slang import SLANG

WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STOP_WORDS = frozenset(
    {"yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "adalah"}
    | {"ada", "juga", "saya", "kami", "kita", "mereka", "sudah", "belum", "akan", "sangat"}
    | {"karena", "tapi", "tetapi", "atau", "agar", "supaya", "sejak", "sampai", "oleh"}
    | {"dalam", "bisa", "mohon", "tolong", "segera", "admin", "bapak", "ibu", "terima"}
    | {"kasih", "sekali", "lagi", "para", "nya", "pun", "kah", "lah", "the"}
    # The openings and closings of letters, chats and posts say nothing of the matter.
    | {"hormat", "bersama", "surat", "menyampaikan", "pengaduan", "berikut", "demikian"}
    | {"perhatian", "tindak", "lanjut", "ditindaklanjuti", "ditindak", "silakan", "maaf"}
    | {"semarang", "lapor", "pemkotsemarang", "humassemarang", "sugeng", "selaku", "pengurus"}
    | {"rt", "rw", "halo", "begitu", "bagaimana", "ini", "wali"}
)


class Normalizer:
    def __init__(self) -> None:
        self._stemmer = StemmerFactory().create_stemmer()
        self.stem = lru_cache(maxsize=50_000)(self._stemmer.stem)

    def words(self, text: str) -> list[str]:
        """Standard-Indonesian words of the text, before stemming (for explanations)."""
        found = []
        for word in WORD.findall(text.casefold()):
            found.extend(SLANG.get(word, word).split())
        return [w for w in found if w not in STOP_WORDS and len(w) > 1]

    def tokens(self, text: str) -> str:
        """Stemmed words joined by spaces: what the vectorizer reads."""
        return " ".join(self.stem(word) for word in self.words(text))
