"""Many events applied to their aggregates in one read and one bulk write (a command
per kind of write), with the same outcome as one by one: once each, concurrent writers
respected."""

import uuid

import pytest
from pymongo import MongoClient

from services.chassis.aggregates import Aggregates, Change
from services.chassis.bulk import Application, apply_many
from tests.support.mongo import CommandCounter

pytestmark = pytest.mark.integration


@pytest.fixture
def counted(mongo):
    commands = CommandCounter(("find", "insert", "update", "delete"))
    client = MongoClient(mongo.uri, tz_aware=True, event_listeners=[commands])
    collection = client[f"it_{uuid.uuid4().hex[:8]}"]["views"]
    yield Aggregates(collection), commands
    client.drop_database(collection.database.name)


def add(word: str):
    def decide(state):
        if word == "boom":
            raise KeyError("a field the handler needs is missing")
        return Change({"words": [*(state or {}).get("words", []), word]})

    return decide


def test_a_batch_is_one_read_and_one_write_and_applies_each_event_once(counted):
    aggregates, commands = counted
    aggregates.change("A", add("first"), applying="e0")
    commands.names.clear()
    batch = [
        Application("A", "e1", add("a1")),
        Application("B", "e2", add("b1")),
        Application("A", "e3", add("a2")),
        Application("A", "e1", add("a1")),  # redelivered in the same batch
        Application("A", "e0", add("first")),  # applied before
        Application("C", "e4", add("boom")),
    ]
    errors = apply_many(aggregates, batch)
    assert list(errors) == [5] and isinstance(errors[5], KeyError)
    assert commands.names == ["find", "insert", "update"]  # one command per kind of write
    assert aggregates.get("A")["words"] == ["first", "a1", "a2"]
    assert aggregates.get("A")["_applied"] == ["e0", "e1", "e3"]
    assert aggregates.get("B")["words"] == ["b1"] and aggregates.get("C") is None


def test_an_aggregate_changed_or_created_meanwhile_is_applied_again_correctly(counted):
    aggregates, _ = counted
    aggregates.change("A", add("first"), applying="e0")

    def racing(word: str, key: str, other: str):
        inner = add(word)

        def decide(state):
            # Another worker saves first, after this batch read the documents.
            Aggregates(aggregates.collection).change(key, add(other), applying=f"x-{key}")
            return inner(state)

        return decide

    batch = [
        Application("A", "e1", racing("mine", "A", "theirs")),
        Application("N", "e2", racing("new", "N", "created")),
    ]
    assert apply_many(aggregates, batch) == {}
    assert sorted(aggregates.get("A")["words"]) == ["first", "mine", "theirs"]
    assert sorted(aggregates.get("N")["words"]) == ["created", "new"]
    assert sorted(aggregates.get("A")["_applied"]) == ["e0", "e1", "x-A"]
