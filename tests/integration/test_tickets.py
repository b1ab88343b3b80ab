"""Ticket numbers under concurrency, against a real MongoDB."""

import threading
import uuid

import pytest
from pymongo import MongoClient

from services.chassis.aggregates import Aggregates
from services.intake.store import ComplaintBook

pytestmark = pytest.mark.integration


def test_concurrent_first_tickets_of_a_year_are_distinct_and_sequential(mongo):
    client = MongoClient(mongo.uri, tz_aware=True)
    db = client[f"it_{uuid.uuid4().hex[:8]}"]
    book = ComplaintBook(Aggregates(db.complaints), db.counters, files=None)
    tickets: list[str] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        barrier.wait()
        for _ in range(5):
            tickets.append(book._next_ticket(2031))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.drop_database(db.name)
    assert sorted(tickets) == [f"SMG-2031-{n:06d}" for n in range(1, 41)]
