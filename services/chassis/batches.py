"""Gathers the work of concurrent workers into batches, so that one bulk command can
do what each worker would do with commands of its own.

A worker calls `submit(item)` and waits (a green thread, under eventlet) until the
batch that holds its item is done; an error for its item, or for the whole batch, is
raised in that worker, so its message is retried like any failed handler. Nothing is
acknowledged before its batch is saved.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import eventlet
from eventlet.event import Event

T = TypeVar("T")


@dataclass
class Pending(Generic[T]):
    item: T
    done: Event = field(default_factory=Event)
    error: BaseException | None = None


# flush(items) returns the errors of single items, by their position in the batch.
Flush = Callable[[list[T]], dict[int, BaseException]]


class Batcher(Generic[T]):
    def __init__(self, flush: Flush, max_wait: float = 0.01, max_size: int = 100) -> None:
        self.flush = flush
        self.max_wait = max_wait
        self.max_size = max_size
        self._waiting: list[Pending[T]] = []
        self._scheduled = False

    def submit(self, item: T) -> None:
        """Returns once the item's batch is saved; raises what failed for it."""
        pending = Pending(item)
        self._waiting.append(pending)
        if len(self._waiting) >= self.max_size:
            self._run()
        elif not self._scheduled:
            self._scheduled = True
            eventlet.spawn_after(self.max_wait, self._run)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error

    def _run(self) -> None:
        self._scheduled = False
        batch, self._waiting = self._waiting, []
        if not batch:
            return
        try:
            errors = self.flush([pending.item for pending in batch])
        except Exception as error:  # the whole batch failed: every worker retries
            errors = dict.fromkeys(range(len(batch)), error)
        for index, pending in enumerate(batch):
            pending.error = errors.get(index)
            pending.done.send()
