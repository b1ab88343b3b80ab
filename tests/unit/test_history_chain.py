"""Hash-chained histories (services/chassis/history_chain.py), pure."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.chassis import history_chain
from services.chassis.history_chain import Anchor, findings

KEY = "SMG-2026-000001"
T0 = datetime(2026, 12, 3, 3, 0, 0, 123456, tzinfo=UTC)


def history(n: int = 4) -> list[dict]:
    entries = [
        {"action": action, "by": "admin1", "at": T0 + timedelta(minutes=i)}
        for i, action in enumerate(["classified", "forward", "accept", "resolve", "close"][:n])
    ]
    return history_chain.chained(KEY, entries)


def problems(entries: list[dict], stored_head: str | None = None) -> list[str]:
    return [f.line() for f in findings(KEY, entries, stored_head)]


def test_an_untouched_chain_has_no_findings_and_its_head_is_the_last_hash():
    chain = history()
    assert problems(chain, history_chain.head(KEY, chain)) == []
    assert chain[0]["prev"] == history_chain.genesis(KEY)
    assert all(b["prev"] == a["hash"] for a, b in zip(chain, chain[1:], strict=False))


def test_a_changed_entry_is_named():
    chain = history()
    chain[1] = {**chain[1], "by": "someone-else"}
    assert problems(chain) == [f"{KEY}: entry 2: content changed since it was recorded"]


def test_a_deleted_entry_and_two_swapped_are_named():
    chain = history()
    deleted = chain[:1] + chain[2:]
    assert problems(deleted) == [
        f"{KEY}: entry 2: does not follow the entry before it (deleted or moved)"
    ]
    swapped = [chain[0], chain[2], chain[1], chain[3]]
    found = problems(swapped)
    assert f"{KEY}: entry 2: does not follow the entry before it (deleted or moved)" in found
    assert f"{KEY}: entry 3: does not follow the entry before it (deleted or moved)" in found


def test_entries_cut_from_the_end_are_found_by_the_stored_head():
    chain = history()
    assert problems(chain[:-1], history_chain.head(KEY, chain)) == [
        f"{KEY}: the last entries were removed (head does not match)"
    ]


def test_a_chain_moved_to_another_complaint_does_not_fit_there():
    assert findings("SMG-2026-000002", history(), None)


def test_an_unchained_entry_is_reported_as_such():
    assert problems([{"action": "classified", "at": T0}]) == [f"{KEY}: entry 1: not chained"]


def test_new_entries_are_chained_after_the_old_and_the_old_are_kept():
    chain = history(2)
    longer = history_chain.chained(KEY, [*chain, {"action": "accept", "at": T0}])
    assert longer[:2] == chain and longer[2]["prev"] == chain[1]["hash"]
    assert problems(longer) == []


def test_an_instant_hashes_as_mongodb_keeps_it_to_the_millisecond():
    chain = history()
    # Read back from MongoDB: milliseconds only, and naive when not tz_aware.
    stored = [
        {**e, "at": e["at"].replace(microsecond=e["at"].microsecond // 1000 * 1000, tzinfo=None)}
        for e in chain
    ]
    assert problems(stored) == []


def test_a_value_json_cannot_carry_is_refused_rather_than_hashed_loosely():
    with pytest.raises(TypeError):
        history_chain.chained(KEY, [{"action": "x", "at": T0, "odd": {1, 2}}])


def test_the_head_as_of_a_moment_is_that_of_the_last_entry_before_it():
    chain = history()
    assert history_chain.head_as_of(KEY, chain, T0) is None
    assert (
        history_chain.head_as_of(KEY, chain, T0 + timedelta(minutes=1, seconds=1))
        == (chain[1]["hash"])
    )


@given(st.lists(st.text(max_size=20), min_size=1, max_size=6), st.integers(0, 5))
def test_any_change_to_any_entry_is_found(actions, which):
    chain = history_chain.chained(KEY, [{"action": a, "at": T0} for a in actions])
    which %= len(chain)
    chain[which] = {**chain[which], "action": chain[which]["action"] + "!"}
    assert findings(KEY, chain, None)


def test_the_anchor_changes_when_any_chain_is_rewritten_even_with_fitting_hashes():
    a, b = history(), history_chain.chained("SMG-2026-000002", [{"action": "x", "at": T0}])
    before = Anchor().add_all([(KEY, a[-1]["hash"]), ("SMG-2026-000002", b[-1]["hash"])])
    rewritten = history_chain.chained(
        KEY, [{k: v for k, v in e.items() if k not in ("prev", "hash")} for e in a[:-1]]
    )
    assert problems(rewritten) == []  # a consistent rewrite fits its own chain...
    after = Anchor().add_all([(KEY, rewritten[-1]["hash"]), ("SMG-2026-000002", b[-1]["hash"])])
    assert after.hexdigest() != before.hexdigest()  # ...but not the anchor published
