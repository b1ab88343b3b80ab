"""Staff accounts and tokens against a real MongoDB: a change to a user ends its tokens
at once, a sign-in racing a change cannot keep a stale token, and checking a token
stays one read."""

import uuid

import pytest
from pymongo import MongoClient

import gateway.identity
from gateway.identity import Identity, IdentityError, Role, UnknownUser
from tests.support.mongo import CommandCounter

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"
TTL = 600


@pytest.fixture
def counter() -> CommandCounter:
    return CommandCounter()


@pytest.fixture
def identity(mongo, counter):
    client = MongoClient(mongo.uri, tz_aware=True, event_listeners=[counter])
    database = client[f"it_identity_{uuid.uuid4().hex[:8]}"]
    directory = Identity(database)
    directory.ensure_indexes()
    directory.add_agency("dpu", "Dinas Pekerjaan Umum", "city")
    directory.add_agency("dlh", "Dinas Lingkungan Hidup", "city")
    yield directory
    client.drop_database(database.name)
    client.close()


def signed_in(identity: Identity, username: str) -> str:
    issued = identity.issue_token(username, PASSWORD, TTL)
    assert issued is not None
    return issued[0]


def test_disabling_ends_every_token_of_that_user_only_and_refuses_sign_in(identity):
    identity.add_user("budi", PASSWORD, "officer", None)
    identity.add_user("sari", PASSWORD, "officer", None)
    budis = [signed_in(identity, "budi") for _ in range(2)]
    saris = signed_in(identity, "sari")

    change = identity.disable_user("budi", by="supervisor9")

    assert change.changed and change.tokens_revoked == 2 and not change.account.active
    assert all(identity.staff_for(token) is None for token in budis)
    assert identity.staff_for(saris) is not None
    assert identity.issue_token("budi", PASSWORD, TTL) is None

    assert identity.enable_user("budi", by="supervisor9").account.active
    assert identity.staff_for(signed_in(identity, "budi")).role == Role.OFFICER


def test_a_new_role_or_agency_ends_the_tokens_and_the_next_sign_in_carries_it(identity):
    identity.add_user("penghubung", PASSWORD, "agency_admin", "dpu")
    old = signed_in(identity, "penghubung")

    change = identity.set_role("penghubung", "agency_admin", "dlh", by="supervisor9")

    assert change.changed and change.tokens_revoked == 1
    assert identity.staff_for(old) is None
    assert identity.staff_for(signed_in(identity, "penghubung")).agency == "dlh"


def test_an_unchanged_active_user_keeps_its_sessions(identity):
    identity.add_user("tetap", PASSWORD, "admin", None)
    token = signed_in(identity, "tetap")
    for change in (
        identity.enable_user("tetap", by="x"),
        identity.set_role("tetap", "admin", None, by="x"),
    ):
        assert not change.changed and change.tokens_revoked == 0
    assert identity.staff_for(token) is not None
    unchanged = {"username": "tetap", "action": {"$ne": "create"}}
    assert identity.db.user_log.count_documents(unchanged) == 0


def test_a_role_change_is_checked_like_a_new_user(identity):
    identity.add_user("cek", PASSWORD, "officer", None)
    refusals = {
        ("chief", None): "role",
        ("agency_admin", None): "agency",
        ("officer", "dpu"): "agency",
        ("agency_admin", "tidak-ada"): "agency",
    }
    for (role, agency), field in refusals.items():
        with pytest.raises(IdentityError) as refused:
            identity.set_role("cek", role, agency, by="x")
        assert refused.value.field == field, (role, agency)
    with pytest.raises(UnknownUser):
        identity.set_role("tidak-ada", "officer", None, by="x")
    for unknown in (identity.disable_user, identity.enable_user, identity.revoke_tokens):
        with pytest.raises(UnknownUser):
            unknown("tidak-ada", by="x")


@pytest.mark.parametrize(
    "change",
    [
        lambda identity: identity.disable_user("balapan", by="x"),
        lambda identity: identity.set_role("balapan", "officer", None, by="x"),
    ],
    ids=["disabled", "demoted"],
)
def test_a_sign_in_racing_a_change_gets_no_token(identity, monkeypatch, change):
    """The change lands after the sign-in read the user and before it stored its token
    (while the password is being checked): the change's deletion found no token to
    delete, so the sign-in must notice and drop the token itself."""
    identity.add_user("balapan", PASSWORD, "supervisor", None)
    check_password = gateway.identity.verify_password

    def changed_while_checking(password: str, stored: str) -> bool:
        change(identity)
        return check_password(password, stored)

    monkeypatch.setattr(gateway.identity, "verify_password", changed_while_checking)

    assert identity.issue_token("balapan", PASSWORD, TTL) is None
    assert identity.db.tokens.count_documents({"username": "balapan"}) == 0


def test_checking_a_token_is_one_read(identity, counter):
    identity.add_user("hemat", PASSWORD, "officer", None)
    token = signed_in(identity, "hemat")
    counter.names.clear()
    assert identity.staff_for(token) is not None
    assert counter.names == ["find"]


def test_signing_out_ends_only_that_token(identity):
    identity.add_user("keluar", PASSWORD, "officer", None)
    first, second = signed_in(identity, "keluar"), signed_in(identity, "keluar")
    assert identity.revoke_token(first)
    assert not identity.revoke_token(first)
    assert identity.staff_for(first) is None and identity.staff_for(second) is not None
    assert identity.revoke_tokens("keluar", by="supervisor9") == 1
    assert identity.staff_for(second) is None


def test_every_change_is_in_the_user_log(identity):
    identity.add_user("dicatat", PASSWORD, "supervisor", None, by="supervisor8")
    signed_in(identity, "dicatat")
    identity.set_role("dicatat", "officer", None, by="supervisor9")
    identity.disable_user("dicatat", by="aduan-admin:root")
    identity.revoke_tokens("dicatat", by="supervisor9")
    identity.reset_password("dicatat", by="supervisor7")
    log = list(identity.db.user_log.find({"username": "dicatat"}).sort("at"))
    assert [(entry["action"], entry["by"]) for entry in log] == [
        ("create", "supervisor8"),
        ("set_role", "supervisor9"),
        ("disable", "aduan-admin:root"),
        ("revoke_tokens", "supervisor9"),
        ("reset_password", "supervisor7"),
    ]
    assert (log[0]["role"], log[0]["agency"]) == ("supervisor", None)
    assert log[1]["before"] == {"role": "supervisor", "agency": None, "active": True}
    assert log[1]["after"] == {"role": "officer", "agency": None, "active": True}
    assert log[1]["tokens_revoked"] == 1 and all(entry["at"] for entry in log)
    assert not any("password" in str(entry) for entry in log[:4])
    assert "password_hash" not in log[4]


def test_a_reset_password_replaces_the_old_one_and_ends_every_token(identity):
    created = identity.add_user("lupa", PASSWORD, "officer", None)
    assert (created.username, created.role, created.active) == ("lupa", Role.OFFICER, True)
    first, second = signed_in(identity, "lupa"), signed_in(identity, "lupa")
    password, revoked = identity.reset_password("lupa", by="supervisor9")
    assert revoked == 2
    assert identity.staff_for(first) is None and identity.staff_for(second) is None
    assert identity.issue_token("lupa", PASSWORD, TTL) is None
    assert identity.issue_token("lupa", password, TTL) is not None
    assert len(password) >= gateway.identity.MIN_PASSWORD
    assert password != identity.reset_password("lupa", by="supervisor9")[0]
    with pytest.raises(UnknownUser):
        identity.reset_password("tidak-ada", by="supervisor9")


def test_the_user_list_has_no_password_hashes(identity):
    identity.add_user("daftar", PASSWORD, "agency_admin", "dpu")
    accounts = {account.username: account for account in identity.list_users()}
    listed = accounts["daftar"]
    assert (listed.role, listed.agency, listed.active) == (Role.AGENCY_ADMIN, "dpu", True)
    assert listed.created_at is not None
    assert "password" not in repr(listed)
