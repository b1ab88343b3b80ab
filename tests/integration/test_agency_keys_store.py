"""Agencies' API keys against a real MongoDB: stored as a digest, found by one read,
refused once rotated or revoked."""

import uuid

import pytest
from pymongo import MongoClient

from gateway.agency_keys import AgencyKeys
from gateway.identity import Identity, IdentityError, Role
from tests.support.mongo import CommandCounter

pytestmark = pytest.mark.integration


@pytest.fixture
def counter() -> CommandCounter:
    return CommandCounter()


@pytest.fixture
def keys(mongo, counter):
    client = MongoClient(mongo.uri, tz_aware=True, event_listeners=[counter])
    database = client[f"it_keys_{uuid.uuid4().hex[:8]}"]
    Identity(database).add_agency("dpu", "Dinas Pekerjaan Umum", "city")
    yield AgencyKeys(database)
    client.drop_database(database.name)
    client.close()


def test_a_key_is_shown_once_stored_as_a_digest_and_found_in_one_read(keys, counter):
    created, written = keys.create("dpu", "SIMPEL DPU", ["accept", "read"], by="supervisor1")
    assert created.permissions == ("read", "accept")
    stored = keys.db.agency_keys.find_one({"_id": created.id})
    assert written.split("_", 2)[2] not in str(stored)
    counter.names.clear()
    staff, per_minute = keys.staff_for(written)
    assert counter.names == ["find"]
    assert (staff.role, staff.agency, staff.permissions) == (
        Role.AGENCY_ADMIN,
        "dpu",
        frozenset({"read", "accept"}),
    )
    assert per_minute == 600
    assert keys.staff_for(written[:-1] + ("A" if written[-1] != "A" else "B")) is None


def test_a_rotated_secret_replaces_the_old_and_a_revoked_key_is_refused(keys):
    created, old = keys.create("dpu", "SIMPEL DPU", ["read"], by="supervisor1")
    rotated, new = keys.rotate(created.id, by="supervisor2")
    assert rotated.rotated_at is not None
    assert keys.staff_for(old) is None and keys.staff_for(new) is not None
    revoked = keys.revoke(created.id, by="supervisor2")
    assert revoked.revoked_at is not None and keys.staff_for(new) is None
    with pytest.raises(IdentityError):
        keys.rotate(created.id, by="supervisor2")
    assert keys.revoke(created.id, by="supervisor3").revoked_at == revoked.revoked_at
    log = [(e["action"], e["by"]) for e in keys.db.agency_key_log.find({"key": created.id})]
    assert log == [("create", "supervisor1"), ("rotate", "supervisor2"), ("revoke", "supervisor2")]


def test_a_key_needs_a_known_agency(keys):
    with pytest.raises(IdentityError) as refused:
        keys.create("tidak-ada", "Sistem X", ["read"], by="supervisor1")
    assert refused.value.field == "agency"
    assert keys.list() == []
