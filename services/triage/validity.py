"""Is it a complaint at all? Flags for the officer: empty, gibberish, a test, an
advertisement, abuse, nothing to act on. Flags never reject by themselves; a
supervisor may turn on automatic rejection per flag (see `auto_rejection`).
Standard library only."""

import re
from dataclasses import dataclass

WORD = re.compile(r"[a-z]+")
TEST_WORDS = ("tes", "test", "testing", "coba", "percobaan", "abaikan", "uji coba")
AD_WORDS = (
    "promo", "diskon", "dijual", "jual", "pinjaman", "gadai", "order", "gratis ongkir",
    "slot", "gacor", "maxwin", "bonus", "followers", "klik", "daftar sekarang", "dana cepat",
    "cair", "hubungi", "chat",
)  # fmt: skip
LINK = re.compile(r"(https?://|www\.|wa\.me/|bit\.ly/|t\.me/)")
ABUSIVE_WORDS = (
    "bangsat", "goblok", "tolol", "bajingan", "taik", "kontol", "jancuk", "jancok",
    "bego", "brengsek", "kampret", "keparat",
)  # fmt: skip
# Words that are also animals or things ("peternakan babi", "anjing liar"): abusive
# only when aimed at someone.
AMBIGUOUS_ABUSE = ("anjing", "babi", "asu", "setan", "tai")
AIMED = ("kalian", "kamu", "kowe", "dasar", "semua", "lu", "lo")
# Words that show there is something to act on: a problem, or a thing or place it is at.
PROBLEM_WORDS = (
    "rusak", "mati", "bocor", "banjir", "rob", "macet", "lubang", "berlubang", "sampah",
    "bau", "tidak", "belum", "kotor", "gelap", "ditolak", "lama", "mahal", "pungli",
    "pungut", "minta", "meminta", "liar", "tanpa izin", "longsor", "tumbang", "putus",
    "ambles", "amblas", "retak", "mampet", "tersumbat", "tergenang", "genangan", "bising",
    "asap", "limbah", "tercemar", "antre", "antrean", "molor", "roboh", "miring", "salah",
    "error", "gagal", "kosong", "hilang", "terlambat", "kasar", "mogok", "menumpuk",
    "mboten", "ora", "dereng", "durung", "padam", "naik", "dipungut", "ditagih", "bahaya",
)  # fmt: skip
VOWELS = set("aeiou")


@dataclass(frozen=True)
class Validity:
    flags: tuple[str, ...]  # empty, gibberish, test, advertising, abusive, no_action
    because: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.flags


def has(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None


# The classifier's probability of "not a public-service complaint" above which a
# message with no other flag is flagged as having nothing to act on.
NO_ACTION_PROBABILITY = 0.5


def check(text: str, not_a_complaint: float = 0.0) -> Validity:
    """Flags for the text; `not_a_complaint` is the classifier's probability that it is
    no public-service complaint (greetings, thanks, questions)."""
    folded = " ".join(text.casefold().split())
    words = WORD.findall(folded)
    flags: list[str] = []
    because: list[str] = []
    if len("".join(words)) < 3:
        return Validity(("empty",), ())
    if is_gibberish(words):
        flags.append("gibberish")
    tests = [w for w in TEST_WORDS if has(folded, w)]
    if tests and len(words) <= 12:
        flags.append("test")
        because += tests
    ads = [w for w in AD_WORDS if has(folded, w)]
    links = LINK.findall(folded)
    if len(ads) >= 2 or (ads and links):
        flags.append("advertising")
        because += ads + [link.rstrip("/") for link in links]
    abuse = [w for w in ABUSIVE_WORDS if has(folded, w)]
    if any(has(folded, w) for w in AIMED):
        abuse += [w for w in AMBIGUOUS_ABUSE if has(folded, w)]
    if abuse:
        flags.append("abusive")
        because += abuse
    problems = [w for w in PROBLEM_WORDS if has(folded, w)]
    if not flags and not_a_complaint >= NO_ACTION_PROBABILITY and len(problems) < 2:
        flags.append("no_action")
    return Validity(tuple(flags), tuple(dict.fromkeys(because)))


def is_gibberish(words: list[str]) -> bool:
    """Mostly words no language has: no vowels, one letter repeated, or keyboard rows."""
    if not words:
        return True
    odd = 0
    for word in words:
        letters = set(word)
        vowel_share = sum(c in VOWELS for c in word) / len(word)
        if (
            (len(word) >= 4 and vowel_share < 0.15)
            or (len(word) >= 4 and len(letters) <= 2)
            or any(row in word for row in ("asdf", "qwer", "zxcv", "hjkl", "uiop", "lkj"))
        ):
            odd += 1
    return odd / len(words) >= 0.5


def auto_rejection(validity: Validity, enabled: frozenset[str]) -> str | None:
    """The flag that rejects this complaint without an officer, when a supervisor
    turned automatic rejection on for it; else None."""
    for flag in validity.flags:
        if flag in enabled:
            return flag
    return None


REJECTION_REASONS = {
    "empty": "Pengaduan tidak berisi keterangan apa pun.",
    "gibberish": "Isi pengaduan tidak dapat dibaca.",
    "test": "Pesan percobaan, bukan pengaduan.",
    "advertising": "Pesan berisi iklan atau promosi, bukan pengaduan.",
    "abusive": "Pesan berisi kata-kata kasar tanpa keterangan pengaduan.",
    "no_action": "Pesan tidak memuat masalah pelayanan publik yang dapat ditindaklanjuti.",
}
