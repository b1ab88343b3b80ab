"""Builds services/triage/data/complaints.jsonl, the labelled set, from the hand-written seeds.

    .venv/bin/python -m services.triage.learning.dataset

Each seed (services/triage/data/seeds_*.jsonl) is a complaint written for this project with its
category, agencies, scope, kecamatan and kelurahan, urgency, or, for non-complaints,
why it is invalid. Each is kept as written and rewritten in three of five registers
residents use (SMS shorthand, social-media tone, Javanese-mixed, a formal letter,
typing errors), chosen per seed. services/triage/data/duplicates.jsonl holds second
reports of seeded incidents by other residents, in their own words, and near misses
(another incident of the same kind in the same kelurahan).

The held-out split is services/triage/data/holdout.jsonl with its rewrites: incidents
written after the classifier and its lexicon were settled on the training seeds, and
not used to tune them, so its figures measure complaints the model never saw.
"""

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "data"
OUTPUT = ROOT / "complaints.jsonl"

SMS_WORDS = {
    "yang": "yg", "sudah": "sdh", "belum": "blm", "tidak": "tdk", "jalan": "jln",
    "dengan": "dgn", "untuk": "utk", "karena": "krn", "sekarang": "skrg", "tolong": "tlg",
    "mohon": "mhn", "banyak": "byk", "sampai": "sampe", "saja": "aja", "bisa": "bs",
    "rumah": "rmh", "pagi": "pg", "malam": "mlm", "lebih": "lbh", "hari": "hr",
    "orang": "org", "tapi": "tp", "juga": "jg", "saya": "sy", "kemarin": "kmrn",
    "sekali": "bgt", "masih": "msh", "lagi": "lg", "tahun": "thn", "bulan": "bln",
    "seperti": "kyk", "padahal": "pdhl", "lampu jalan": "pju", "pedagang kaki lima": "pkl",
}  # fmt: skip
JAVANESE_WORDS = {
    "tidak": "mboten", "sudah": "sampun", "belum": "dereng", "ada": "wonten",
    "banyak": "kathah", "tolong": "tulung", "malam": "dalu", "lama": "dangu",
    "sekarang": "sakniki", "hujan": "jawah", "gelap": "peteng", "rumah": "griya",
}  # fmt: skip
SOCIAL_OPENINGS = ("@pemkotsemarang ", "Min tolong dong, ", "Halo min @humassemarang ", "")
SOCIAL_ENDINGS = (" #semarang #lapor", " Tolong ditindak min!!", " gimana ini pak wali?", "")


def substitute(text: str, words: dict[str, str], rng: random.Random, share: float) -> str:
    for standard, other in words.items():
        pattern = re.compile(rf"\b{re.escape(standard)}\b", re.IGNORECASE)
        if rng.random() < share:
            text = pattern.sub(other, text)
    return text


def sms(text: str, rng: random.Random) -> str:
    short = substitute(text, SMS_WORDS, rng, 0.85).lower()
    return re.sub(r"[,.]", lambda m: "" if rng.random() < 0.6 else m.group(0), short)


def social(text: str, rng: random.Random) -> str:
    body = substitute(text, {"sekali": "banget", "tidak": "gak", "sudah": "udah"}, rng, 0.7)
    return rng.choice(SOCIAL_OPENINGS) + body + rng.choice(SOCIAL_ENDINGS)


def javanese(text: str, rng: random.Random) -> str:
    mixed = substitute(text, JAVANESE_WORDS, rng, 0.8)
    opening = rng.choice(("Nuwun sewu, ", "Sugeng enjing, ", "Nyuwun tulung, ", ""))
    return opening + mixed + rng.choice((" Matur nuwun.", " Nuwun.", " Monggo ditindaklanjuti."))


def formal(text: str, rng: random.Random) -> str:
    who = rng.choice(("kami warga RT 03 RW 05", "saya selaku warga", "kami pengurus RW 07"))
    return (
        f"Dengan hormat, bersama surat ini {who} menyampaikan pengaduan sebagai berikut. "
        f"{text} Demikian pengaduan ini kami sampaikan; atas perhatian dan tindak lanjut "
        "Bapak/Ibu kami ucapkan terima kasih."
    )


def typos(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 6)):
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 3:
            j = rng.randrange(1, len(word) - 1)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


REGISTERS = {"sms": sms, "social": social, "javanese": javanese, "formal": formal, "typos": typos}


def load(name: str) -> list[dict]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def build() -> list[dict]:
    training = [s for name in sorted(ROOT.glob("seeds_*.jsonl")) for s in load(name.name)]
    held_out_seeds = load("holdout.jsonl")
    seeds = training + held_out_seeds
    by_id = {seed["id"]: seed for seed in seeds}
    held_out = {seed["id"] for seed in held_out_seeds}
    records = []
    for seed in seeds:
        rng = random.Random(seed["id"])
        registers = ["as_written", *rng.sample(sorted(REGISTERS), 3)]
        texts = set()
        for register in registers:
            text = (
                seed["text"] if register == "as_written" else REGISTERS[register](seed["text"], rng)
            )
            if text in texts:
                continue
            texts.add(text)
            records.append(record(seed, seed["id"], register, text, held_out))
    for second in load("duplicates.jsonl"):
        records.append(second_report(second, by_id, held_out))
    return records


def second_report(second: dict, by_id: dict, held_out: set[str]) -> dict:
    """A second report of a seeded incident ("dup"), or a different incident of the
    same kind in the same kelurahan ("near": a near miss the duplicate rule must not link)."""
    if "dup" in second:
        seed = by_id[second["dup"]]
        found = record(seed, second["id"], "as_written", second["text"], held_out)
        return found | {"incident": second["id"], "duplicate_of": seed["id"]}
    seed = by_id[second["near"]]
    found = record(seed, second["id"], "as_written", second["text"], held_out)
    return found | {"incident": second["id"], "near_of": seed["id"], "urgent": False}


def record(seed: dict, item_id: str, register: str, text: str, held_out: set[str]) -> dict:
    return {
        "id": f"{item_id}-{register}",
        "incident": seed["id"],
        "text": text,
        "register": register,
        "category": seed["cat"],
        "agencies": seed.get("ag", []),
        "scope": seed.get("sc"),
        "kecamatan": seed.get("kec"),
        "kelurahan": seed.get("kel"),
        "urgent": seed.get("urg", False),
        "invalid": seed.get("inv"),
        "split": "test" if seed["id"] in held_out else "train",
    }


def main() -> None:
    records = build()
    OUTPUT.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    test = sum(r["split"] == "test" for r in records)
    print(f"{len(records)} complaints ({len(records) - test} train, {test} held out) -> {OUTPUT}")


if __name__ == "__main__":
    main()
