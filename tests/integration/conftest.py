import uuid

import pytest
from pymongo import MongoClient


@pytest.fixture
def db(mongo):
    """A database of the test's own on the session's MongoDB, dropped after it."""
    client = MongoClient(mongo.uri, tz_aware=True)
    database = client[f"it_{uuid.uuid4().hex[:8]}"]
    yield database
    client.drop_database(database.name)
    client.close()
