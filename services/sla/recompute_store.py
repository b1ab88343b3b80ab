"""Runs one calendar recomputation against the clocks: reads the pages that
recompute.pages plans, and writes the clocks that move with one bulk write per page,
each only at the version read and with its deadline.set event in the same update."""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from services.chassis.aggregates import Aggregates, Change, ConcurrentUpdate, public_state
from services.chassis.domain import to_change
from services.sla import recompute
from services.sla.calendar import WorkingDays
from services.sla.policy import Policy

# The pages' index; it serves every query (running, due_at) served before.
INDEX = [("running", 1), ("due_at", 1), ("starts_at", 1)]
REPLACED_INDEX = "running_1_due_at_1"
ATTEMPTS = 10


@dataclass
class Progress:
    read: int = 0
    moved: int = 0


@dataclass
class Recompute:
    """One change of day `changed`, recomputed as of `now` under `calendar`."""

    clocks: Aggregates
    changed: date
    calendar: WorkingDays
    counts: Iterable[int]  # the working-day counts the policies set
    policy: Callable[[dict], Policy]  # the policy a clock was judged by
    reason: str
    now: datetime

    def run(self, report: Callable[[Progress], bool]) -> Progress:
        """Reads and moves page by page; `report` is told the progress after each page,
        and stops the run by answering False. A page is written after the next one is
        read, while that one is decided: the store never serves two commands of the
        run at once, and the deciding costs no time of its own."""
        progress = Progress()
        plan = recompute.pages(self.changed, self.now, self.counts, self.calendar)
        changes: list[tuple[dict, Change]] = []
        query: dict | None = next(plan)
        while query is not None:
            docs = list(self.clocks.collection.find(query))
            writing = Background(self._save, changes) if changes else None
            changes = self._decide(docs)
            progress.read += len(docs)
            if writing:
                progress.moved += writing.join()
            if (docs or writing) and not report(progress):
                return progress
            query = _following(plan, len(docs))
        progress.moved += self._save(changes)
        return progress

    def _decide(self, docs: list[dict]) -> list[tuple[dict, Change]]:
        """The clocks that move, each with its change, beside the document read."""
        read = {doc["_id"]: doc for doc in docs}
        states = (public_state(doc) for doc in docs)
        moving = recompute.moves(
            states, self.changed, self.policy, self.calendar, self.reason, self.now
        )
        return [
            (read[state["_id"]], to_change(state["_id"], decided, self.now))
            for state, decided in moving
        ]

    def _save(self, changes: list[tuple[dict, Change]]) -> int:
        moved = 0
        for _ in range(ATTEMPTS):
            saved = self.clocks.save_many(changes)
            moved += len(saved)
            lost = [doc["_id"] for doc, _ in changes if doc["_id"] not in saved]
            if not lost:
                return moved
            # Changed meanwhile (an event, another instance): decided again as they are
            # now, never written over.
            changes = self._decide(list(self.clocks.collection.find({"_id": {"$in": lost}})))
        raise ConcurrentUpdate(f"{len(changes)} clocks: too many concurrent updates")


def _following(plan: recompute.Pages, found: int) -> dict | None:
    try:
        return plan.send(found)
    except StopIteration:
        return None


class Background:
    """One call run in another thread (a green thread in a service, where eventlet
    patches threading), so that the caller goes on while it waits on MongoDB."""

    def __init__(self, call: Callable[..., int], *args) -> None:
        self.result = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(call, args), daemon=True)
        self.thread.start()

    def _run(self, call: Callable[..., int], args: tuple) -> None:
        try:
            self.result = call(*args)
        except BaseException as error:  # raised in the caller by join()
            self.error = error

    def join(self) -> int:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result
