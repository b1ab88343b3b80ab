"""Workers' items gathered into batches; each worker hears of its own item's fate."""

import eventlet
import pytest

from services.chassis.batches import Batcher


def test_concurrent_submissions_share_one_flush_and_each_gets_its_own_error():
    batches = []

    def flush(items):
        batches.append(items)
        return {i: ValueError(item) for i, item in enumerate(items) if item == "bad"}

    batcher = Batcher(flush, max_wait=0.01)
    outcomes = {}

    def worker(item):
        try:
            batcher.submit(item)
            outcomes[item] = "saved"
        except ValueError:
            outcomes[item] = "failed"

    pool = [eventlet.spawn(worker, item) for item in ("a", "b", "bad", "c")]
    for thread in pool:
        thread.wait()
    assert batches == [["a", "b", "bad", "c"]]
    assert outcomes == {"a": "saved", "b": "saved", "bad": "failed", "c": "saved"}


def test_a_full_batch_goes_at_once_and_a_failed_flush_fails_every_item():
    batches = []
    batcher = Batcher(lambda items: batches.append(list(items)) or {}, max_wait=5, max_size=2)
    pool = [eventlet.spawn(batcher.submit, item) for item in (1, 2)]
    with eventlet.Timeout(1):
        for thread in pool:
            thread.wait()
    assert batches == [[1, 2]]

    def broken(items):
        raise ConnectionError("MongoDB unreachable")

    failing = Batcher(broken, max_wait=0.01)
    with pytest.raises(ConnectionError):
        eventlet.spawn(failing.submit, "x").wait()


def test_a_batch_one_broken_item_fails_is_flushed_again_item_by_item():
    """A poison message the flush did not expect must not fail the events beside it (it
    did: reporting parked a real complaint.received batched with a malformed event)."""
    batches = []

    def flush(items):
        batches.append(list(items))
        if any(isinstance(item, list) for item in items):
            raise TypeError("unhashable type: 'list'")
        return {}

    batcher = Batcher(flush, max_wait=0.01)
    outcomes = {}

    def worker(item):
        try:
            batcher.submit(item)
            outcomes[repr(item)] = "saved"
        except TypeError:
            outcomes[repr(item)] = "failed"

    pool = [eventlet.spawn(worker, item) for item in ("a", ["SMG"], "b")]
    for thread in pool:
        thread.wait()
    assert outcomes == {"'a'": "saved", "['SMG']": "failed", "'b'": "saved"}
    assert batches == [["a", ["SMG"], "b"], ["a"], [["SMG"]], ["b"]]


def test_an_outage_still_fails_every_item_of_the_batch():
    def unreachable(items):
        raise ConnectionError("MongoDB unreachable")

    batcher = Batcher(unreachable, max_wait=0.01)
    outcomes = []

    def worker(item):
        try:
            batcher.submit(item)
        except ConnectionError:
            outcomes.append(item)

    pool = [eventlet.spawn(worker, item) for item in ("a", "b")]
    for thread in pool:
        thread.wait()
    assert sorted(outcomes) == ["a", "b"]
