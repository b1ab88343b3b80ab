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
