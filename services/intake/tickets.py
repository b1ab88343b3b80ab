"""Ticket numbers: one counter per year in MongoDB, taken in blocks.

Taking each number with its own findAndModify cost every complaint a round trip to the
database. A process takes a block of numbers at once (ADUAN_TICKET_BLOCK, default 10)
and hands them out in order. The price, documented in docs/operations.md: numbers a
process had taken but not used when it stops are skipped (a gap, as a retried request
already leaves), and with several intake processes their numbers interleave by block.
Numbers stay unique: each block comes from one atomic increment.
"""

import threading
from contextlib import suppress

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from services.intake import core


class TicketNumbers:
    def __init__(self, counters: Collection, block: int = 10) -> None:
        if block < 1:
            raise ValueError("a ticket block holds at least one number")
        self.counters = counters
        self.block = block
        self._lock = threading.Lock()
        self._free: dict[int, tuple[int, int]] = {}  # year -> (next, last) numbers

    def take(self, year: int) -> str:
        with self._lock:
            following, last = self._free.get(year, (1, 0))
            if following > last:
                last = self._take_block(year)
                following = last - self.block + 1
            self._free[year] = (following + 1, last)
            return core.ticket_number(year, following)

    def _take_block(self, year: int) -> int:
        """The last number of a new block of this year's numbers."""
        counter_id = f"ticket-{year}"
        for _ in range(5):
            counter = self.counters.find_one_and_update(
                {"_id": counter_id},
                {"$inc": {"sequence": self.block}},
                return_document=ReturnDocument.AFTER,
            )
            if counter is not None:
                return counter["sequence"]
            # A year's first ticket: create its counter. No upsert above, because racing
            # upserts may each count and leave gaps in the numbering.
            with suppress(DuplicateKeyError):
                self.counters.insert_one({"_id": counter_id, "sequence": 0})
        raise RuntimeError(f"could not take ticket numbers for {year}")
