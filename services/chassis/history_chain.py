"""Tamper-evident histories: each entry of a complaint's history carries the hash of the
entry before it (`prev`) and a hash of that and of its own content (`hash`), so that an
entry changed, deleted, inserted or moved in the database no longer fits its chain
(docs/operations.md, "Verifying the histories"). Pure: standard library only.

The first entry's `prev` is a hash of the complaint's key, so a chain cannot be moved
to another complaint. Content is hashed as canonical JSON (keys sorted, instants as
whole milliseconds since the epoch, which is what MongoDB keeps of them), so a history
read back from the database hashes as it did when it was written.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PREV = "prev"
HASH = "hash"
HEAD_SUFFIX = "_head"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)


def genesis(key: str) -> str:
    return _sha256(f"aduan-history:{key}")


def head_field(field: str) -> str:
    """The document field that keeps the hash of the chain's last entry."""
    return field + HEAD_SUFFIX


def chained(key: str, history: list[dict]) -> list[dict]:
    """The history with every entry not yet chained (new ones, at its end) linked after
    the entries before it; entries chained already are kept as they are."""
    prev = genesis(key)
    sealed = []
    for entry in history:
        if HASH not in entry:
            content = {k: v for k, v in entry.items() if k not in (PREV, HASH)}
            entry = {**content, PREV: prev, HASH: link(prev, content)}
        sealed.append(entry)
        prev = entry[HASH]
    return sealed


def head(key: str, history: list[dict]) -> str:
    return history[-1][HASH] if history else genesis(key)


def link(prev: str, content: dict) -> str:
    return _sha256(prev + canonical(content))


@dataclass(frozen=True)
class Finding:
    key: str
    position: int | None  # the entry (from 1), or None for the chain as a whole
    problem: str

    def line(self) -> str:
        where = "" if self.position is None else f" entry {self.position}:"
        return f"{self.key}:{where} {self.problem}"


def findings(key: str, history: list[dict], stored_head: str | None) -> list[Finding]:
    """What does not fit in one chain: an entry whose content no longer gives its hash
    (changed), one that does not follow the entry before it (an entry deleted, inserted
    or moved before it), and a head that is not the last entry's (entries removed from
    the end)."""
    found = []
    prev = genesis(key)
    for position, entry in enumerate(history, start=1):
        if HASH not in entry or PREV not in entry:
            found.append(Finding(key, position, "not chained"))
            return found
        content = {k: v for k, v in entry.items() if k not in (PREV, HASH)}
        if entry[PREV] != prev:
            found.append(
                Finding(key, position, "does not follow the entry before it (deleted or moved)")
            )
        if link(entry[PREV], content) != entry[HASH]:
            found.append(Finding(key, position, "content changed since it was recorded"))
        prev = entry[HASH]
    if stored_head is not None and stored_head != prev:
        found.append(Finding(key, None, "the last entries were removed (head does not match)"))
    return found


def head_as_of(key: str, history: list[dict], cutoff: datetime) -> str | None:
    """The hash of the last entry recorded before `cutoff` (entries carry `at`), None
    when the chain had none yet."""
    before = [e for e in history if isinstance(e.get("at"), datetime) and _utc(e["at"]) < cutoff]
    return before[-1].get(HASH) if before else None


class Anchor:
    """The hash of every chain's head, fed in key order: one value to publish that a
    rewrite of any chain (even with its hashes recomputed) changes."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.chains = 0

    def add(self, key: str, chain_head: str) -> None:
        self._hash.update(f"{key} {chain_head}\n".encode())
        self.chains += 1

    def add_all(self, heads: Iterable[tuple[str, str]]) -> "Anchor":
        for key, chain_head in heads:
            self.add(key, chain_head)
        return self

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def canonical(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_instant
    )


def _instant(value: object) -> dict:
    if isinstance(value, datetime):
        return {"$date": (_utc(value) - EPOCH) // MILLISECOND}
    raise TypeError(f"a history entry cannot hold {type(value).__name__}")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
