"""Ticket numbers against a real MongoDB: unique under racing processes, in order within
one, taken in blocks (one counter round trip per block)."""

import threading
import uuid

import pytest
from pymongo import MongoClient

from services.intake.tickets import TicketNumbers
from tests.support.mongo import CommandCounter

pytestmark = pytest.mark.integration


@pytest.fixture
def counters(mongo):
    client = MongoClient(mongo.uri)
    db = client[f"it_{uuid.uuid4().hex[:8]}"]
    yield db.counters
    client.drop_database(db.name)


def test_one_process_hands_out_consecutive_numbers_one_block_at_a_time(counters):
    tickets = TicketNumbers(counters, block=10)
    taken = [tickets.take(2026) for _ in range(25)]
    assert taken == [f"SMG-2026-{n:06d}" for n in range(1, 26)]
    assert counters.find_one({"_id": "ticket-2026"})["sequence"] == 30
    assert tickets.take(2027) == "SMG-2027-000001"  # each year counts on its own


def test_racing_processes_never_share_a_number_and_a_restart_skips_the_rest(counters):
    processes = [TicketNumbers(counters, block=7) for _ in range(4)]
    taken: list[str] = []
    lock = threading.Lock()

    def work(numbers: TicketNumbers) -> None:
        for _ in range(30):
            ticket = numbers.take(2026)
            with lock:
                taken.append(ticket)

    threads = [threading.Thread(target=work, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(taken)) == len(taken) == 120
    restarted = TicketNumbers(counters, block=7)
    assert restarted.take(2026) > max(taken)  # never a number handed out before


def test_a_block_costs_one_round_trip(mongo, counters):
    counter = CommandCounter(only=("findAndModify",))
    client = MongoClient(mongo.uri, event_listeners=[counter])
    tickets = TicketNumbers(client[counters.database.name].counters, block=10)
    tickets.take(2026)  # creates the year's counter: numbers 1 to 10
    before = len(counter.names)
    for _ in range(20):  # 2 to 21: two more blocks
        tickets.take(2026)
    assert len(counter.names) - before == 2
    client.close()


def test_concurrent_first_tickets_of_a_year_are_distinct_and_sequential(counters):
    """Eight processes taking numbers one at a time, all starting the year's counter."""
    tickets: list[str] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        numbers = TicketNumbers(counters, block=1)
        barrier.wait()
        for _ in range(5):
            tickets.append(numbers.take(2031))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == [f"SMG-2031-{n:06d}" for n in range(1, 41)]
