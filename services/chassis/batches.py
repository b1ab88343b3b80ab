"""Gathers the work of concurrent workers into batches, so that one bulk command can
do what each worker would do with commands of its own.

A worker calls `submit(item)` and waits (a green thread, under eventlet) until the
batch that holds its item is done; an error for its item is raised in that worker, so
its message is retried like any failed handler. Nothing is acknowledged before its
batch is saved. A batch that fails as a whole (a broken item the flush did not expect,
an outage) is flushed again item by item, so that one poison message cannot take the
events beside it to their dead queue with it; flushing is idempotent, so items saved
before the failure are saved again as no-ops.
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
        items = [pending.item for pending in batch]
        try:
            errors = self.flush(items)
        except Exception as error:
            errors = self._one_by_one(items) if len(items) > 1 else {0: error}
        for index, pending in enumerate(batch):
            pending.error = errors.get(index)
            pending.done.send()

    def _one_by_one(self, items: list[T]) -> dict[int, BaseException]:
        errors: dict[int, BaseException] = {}
        for index, item in enumerate(items):
            try:
                failed = self.flush([item])
            except Exception as error:
                errors[index] = error
            else:
                if 0 in failed:
                    errors[index] = failed[0]
        return errors
