"""Supervisors manage staff accounts, and a change takes effect on the user's very next
request: a disabled user's token is refused at once, a demoted or moved user's old token
ends, and aduan-admin does the same from the shell."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.support.api import Api

pytestmark = pytest.mark.e2e

USERS = "/api/v1/users"


def new_user(stack, role: str, agency: str | None = None) -> str:
    """An account of this test's own (the shared STAFF accounts are never changed)."""
    username = f"u-{uuid.uuid4().hex[:12]}"
    extra = ["--agency", agency] if agency else []
    created = stack.admin(
        "create-user", username, "--role", role, "--password-stdin", *extra, password=PASSWORD
    )
    assert created.returncode == 0, created.stderr
    return username


def sign_in(api: Api, username: str):
    return api.http.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})


def bearer(api: Api, username: str) -> dict:
    response = sign_in(api, username)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


@pytest.fixture(scope="module")
def manager_name(stack) -> str:
    """A supervisor of this module's own."""
    return new_user(stack, "supervisor")


@pytest.fixture(scope="module")
def manager(api, manager_name) -> dict:
    return bearer(api, manager_name)


@pytest.fixture(scope="module")
def forwarded_to_dpu(stack, api) -> str:
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    return ticket


def test_a_disabled_user_is_refused_at_once_and_signs_in_again_once_enabled(stack, api, manager):
    username = new_user(stack, "officer")
    token = bearer(api, username)
    assert api.http.get("/api/v1/worklist", headers=token).status_code == 200

    disabled = api.http.post(f"{USERS}/{username}/disable", headers=manager)

    assert disabled.status_code == 200, disabled.text
    assert disabled.json() | {"created_at": None} == {
        "username": username,
        "role": "officer",
        "agency": None,
        "active": False,
        "created_at": None,
        "changed": True,
        "tokens_revoked": 1,
    }
    refused = api.http.get("/api/v1/worklist", headers=token)
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    again = sign_in(api, username)
    assert again.status_code == 401 and again.json()["error"] == "invalid_credentials"

    enabled = api.http.post(f"{USERS}/{username}/enable", headers=manager)
    assert enabled.status_code == 200 and enabled.json()["active"] is True
    assert api.http.get("/api/v1/worklist", headers=bearer(api, username)).status_code == 200


def test_a_demoted_supervisor_loses_its_rights_at_once(stack, api, manager):
    username = new_user(stack, "supervisor")
    old_token = bearer(api, username)
    assert api.http.get(USERS, headers=old_token).status_code == 200

    demoted = api.http.put(f"{USERS}/{username}/role", json={"role": "officer"}, headers=manager)

    assert demoted.status_code == 200, demoted.text
    assert demoted.json()["role"] == "officer" and demoted.json()["tokens_revoked"] == 1
    assert api.http.get(USERS, headers=old_token).status_code == 401
    assert api.http.get("/api/v1/sla/digest", headers=old_token).status_code == 401
    as_officer = bearer(api, username)
    for path in (USERS, "/api/v1/sla/digest"):
        response = api.http.get(path, headers=as_officer)
        assert response.status_code == 403 and response.json()["error"] == "forbidden", path


def test_an_agency_admin_moved_to_another_agency_sees_only_the_new_one(
    stack, api, manager, forwarded_to_dpu
):
    username = new_user(stack, "agency_admin", "dpu")
    old_token = bearer(api, username)
    ticket = forwarded_to_dpu
    assert api.http.get(f"/api/v1/complaints/{ticket}", headers=old_token).status_code == 200

    moved = api.http.put(
        f"{USERS}/{username}/role",
        json={"role": "agency_admin", "agency": "dlh"},
        headers=manager,
    )

    assert moved.status_code == 200 and moved.json()["agency"] == "dlh", moved.text
    assert api.http.get(f"/api/v1/complaints/{ticket}", headers=old_token).status_code == 401
    signed_in = sign_in(api, username).json()
    assert signed_in["agency"] == "dlh"
    token = {"Authorization": f"Bearer {signed_in['access_token']}"}
    read = api.http.get(f"/api/v1/complaints/{ticket}", headers=token)
    assert read.status_code == 403 and read.json()["error"] == "forbidden"
    accept = api.http.post(f"/api/v1/complaints/{ticket}/accept", headers=token)
    assert accept.status_code == 403
    worklist = api.http.get("/api/v1/worklist", headers=token).json()
    assert worklist["agency"] == "dlh"
    assert ticket not in [item["ticket"] for item in worklist["items"]]


def test_revoking_ends_every_token_and_signing_out_ends_ones_own(stack, api, manager):
    username = new_user(stack, "admin")
    phone, laptop = bearer(api, username), bearer(api, username)

    signed_out = api.http.post("/api/v1/auth/logout", headers=phone)

    assert signed_out.status_code == 204
    assert api.http.get("/api/v1/worklist", headers=phone).status_code == 401
    assert api.http.post("/api/v1/auth/logout", headers=phone).status_code == 401
    assert api.http.get("/api/v1/worklist", headers=laptop).status_code == 200

    tablet = bearer(api, username)
    revoked = api.http.post(f"{USERS}/{username}/revoke-tokens", headers=manager)

    assert revoked.status_code == 200
    assert revoked.json() == {"username": username, "tokens_revoked": 2}
    for token in (laptop, tablet):
        assert api.http.get("/api/v1/worklist", headers=token).status_code == 401
    # Revoked is not disabled: the user signs in again.
    assert api.http.get("/api/v1/worklist", headers=bearer(api, username)).status_code == 200


def management_calls(username: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", USERS, None),
        ("POST", f"{USERS}/{username}/disable", None),
        ("POST", f"{USERS}/{username}/enable", None),
        ("PUT", f"{USERS}/{username}/role", {"role": "supervisor"}),
        ("POST", f"{USERS}/{username}/revoke-tokens", None),
        ("POST", f"{USERS}/{username}/reset-password", None),
    ]


def test_only_supervisors_manage_users(stack, api):
    target = new_user(stack, "officer")
    target_token = bearer(api, target)
    creation = ("POST", USERS, {"username": f"u-{uuid.uuid4().hex[:12]}", "role": "supervisor"})
    for user in ("officer1", "admin1", "dpu-admin"):
        for method, path, body in [*management_calls(target), creation]:
            response = api.http.request(method, path, json=body, headers=api.login(user))
            assert response.status_code == 403, (user, method, path, response.text)
            assert response.json()["error"] == "forbidden"
    for method, path, body in [*management_calls(target), creation]:
        assert api.http.request(method, path, json=body).status_code == 401, path
    assert api.http.post("/api/v1/auth/logout").status_code == 401
    # Nothing was changed: the target still works, as an officer.
    assert api.http.get("/api/v1/worklist", headers=target_token).json()["role"] == "officer"


@pytest.mark.parametrize(
    "username",
    [
        f"tidak-ada-{uuid.uuid4().hex[:6]}",
        "ab",
        "Budi",
        "budi%0A",
        "bu%20di",
        "%F0%9F%98%80",
        "%ED%A0%80",
        "%FF",
        "a" * 300,
    ],
)
def test_an_unknown_or_impossible_username_is_not_found(api, manager, username):
    for method, path, body in management_calls(username)[1:]:
        response = api.http.request(method, path, json=body, headers=manager)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"] == "not_found"


def test_a_supervisor_cannot_disable_or_demote_itself(stack, api):
    username = new_user(stack, "supervisor")
    token = bearer(api, username)
    for method, path, body in (
        ("POST", f"{USERS}/{username}/disable", None),
        ("PUT", f"{USERS}/{username}/role", {"role": "officer"}),
    ):
        response = api.http.request(method, path, json=body, headers=token)
        assert response.status_code == 409, (path, response.text)
        assert response.json()["error"] == "own_account"
        assert "your own account" in response.json()["message"]
    same = api.http.put(f"{USERS}/{username}/role", json={"role": "supervisor"}, headers=token)
    assert same.status_code == 200 and same.json()["changed"] is False
    assert api.http.get(USERS, headers=token).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "chief"}, "role"),
        ({"role": "agency_admin"}, "agency"),
        ({"role": "officer", "agency": "dpu"}, "agency"),
        ({"role": "agency_admin", "agency": "tidak-ada"}, "agency"),
        ({"role": "officer", "active": False}, "active"),
        ({"role": {"$ne": ""}}, "role"),
    ],
)
def test_a_role_change_is_refused_naming_the_field(stack, api, manager, body, field):
    username = new_user(stack, "officer")
    token = bearer(api, username)
    response = api.http.put(f"{USERS}/{username}/role", json=body, headers=manager)
    assert response.status_code == 422, response.text
    assert (response.json()["error"], response.json()["field"]) == ("invalid_field", field)
    # A refused change ends nothing.
    assert api.http.get("/api/v1/worklist", headers=token).json()["role"] == "officer"


# Any JSON (any Unicode, surrogates and NUL included; any numbers; deep nesting) as a
# role change: a 4xx or a change, never a 5xx.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=20)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT | st.sampled_from(["dpu"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=10,
)
ROLE_BODIES = JSON_VALUES | st.fixed_dictionaries(
    {"role": st.sampled_from(["officer", "agency_admin", "chief"]) | JSON_VALUES},
    optional={"agency": JSON_VALUES},
)


@pytest.fixture(scope="module")
def fuzzed_user(stack) -> str:
    return new_user(stack, "officer")


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=ROLE_BODIES, depth=st.sampled_from([0, 0, 0, 40]))
def test_any_json_as_a_role_change_is_never_a_5xx(api, manager, fuzzed_user, body, depth):
    raw = ("[" * depth + json.dumps(body) + "]" * depth).encode()
    response = api.http.put(
        f"{USERS}/{fuzzed_user}/role",
        content=raw,
        headers=manager | {"Content-Type": "application/json"},
    )
    assert response.status_code in (200, 400, 422), (raw[:300], response.text)
    assert response.json()


def test_the_list_shows_every_account_without_secrets(stack, api, manager):
    disabled = new_user(stack, "agency_admin", "dlh")
    assert api.http.post(f"{USERS}/{disabled}/disable", headers=manager).status_code == 200
    response = api.http.get(USERS, headers=manager)
    assert response.status_code == 200
    listed = {user["username"]: user for user in response.json()["users"]}
    assert {"officer1", "supervisor1", disabled} <= listed.keys()
    assert listed[disabled] | {"created_at": None} == {
        "username": disabled,
        "role": "agency_admin",
        "agency": "dlh",
        "active": False,
        "created_at": None,
    }
    assert listed[disabled]["created_at"].startswith("20")
    assert "password" not in response.text and "scrypt" not in response.text


def test_every_change_is_recorded_with_who_and_when(stack, api, manager, manager_name):
    username = new_user(stack, "officer")
    for action in ("disable", "enable"):
        assert api.http.post(f"{USERS}/{username}/{action}", headers=manager).status_code == 200
    log = list(stack.database("gateway").user_log.find({"username": username}).sort("at"))
    assert [(entry["action"], entry["by"].split(":")[0]) for entry in log] == [
        ("create", "aduan-admin"),
        ("disable", manager_name),
        ("enable", manager_name),
    ]
    assert all(entry["at"] for entry in log)


def test_a_supervisor_creates_an_account_and_resets_its_password(stack, api, manager):
    username = f"u-{uuid.uuid4().hex[:12]}"
    body = {"username": username, "role": "agency_admin", "agency": "dlh"}
    created = api.http.post(USERS, json=body, headers=manager)
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    account = created.json()
    password = account.pop("password")
    assert account | {"created_at": None} == {
        "username": username,
        "role": "agency_admin",
        "agency": "dlh",
        "active": True,
        "created_at": None,
    }
    signed_in = api.http.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert signed_in.status_code == 200 and signed_in.json()["agency"] == "dlh"
    token = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    again = api.http.post(USERS, json=body, headers=manager)
    assert again.status_code == 422 and again.json()["field"] == "username"

    reset = api.http.post(f"{USERS}/{username}/reset-password", headers=manager)
    assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
    assert reset.json()["tokens_revoked"] == 1
    assert api.http.get("/api/v1/worklist", headers=token).status_code == 401
    old = api.http.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert old.status_code == 401
    new = {"username": username, "password": reset.json()["password"]}
    assert api.http.post("/api/v1/auth/token", json=new).status_code == 200
    # No password, in the clear or hashed, in the account list or the user log.
    listed = api.http.get(USERS, headers=manager).text
    assert password not in listed and reset.json()["password"] not in listed
    log = stack.database("gateway").user_log.find({"username": username})
    assert [entry["action"] for entry in log] == ["create", "reset_password"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "officer"}, "username"),
        ({"username": "Budi Besar", "role": "officer"}, "username"),
        ({"username": "budi-baru", "role": "raja"}, "role"),
        ({"username": "budi-baru", "role": "agency_admin"}, "agency"),
        ({"username": "budi-baru", "role": "agency_admin", "agency": "tidak-ada"}, "agency"),
        ({"username": "budi-baru", "role": "officer", "password": "rahasia"}, "password"),
    ],
)
def test_a_new_account_is_refused_naming_the_field(api, manager, body, field):
    refused = api.http.post(USERS, json=body, headers=manager)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field
    assert "budi-baru" not in api.http.get(USERS, headers=manager).text


def test_aduan_admin_disables_moves_and_restores_a_user(stack, api):
    username = new_user(stack, "officer")
    token = bearer(api, username)

    disabled = stack.admin("disable-user", username)

    assert disabled.returncode == 0, disabled.stderr
    assert disabled.stdout.strip() == f"user {username} disabled; 1 token revoked"
    assert api.http.get("/api/v1/worklist", headers=token).status_code == 401
    assert sign_in(api, username).status_code == 401
    listed = [line.split() for line in stack.admin("list-users").stdout.splitlines()]
    assert listed[0][:4] == ["USERNAME", "ROLE", "AGENCY", "ACTIVE"]
    assert [username, "officer", "-", "no"] in [row[:4] for row in listed]

    moved = stack.admin("set-role", username, "--role", "agency_admin", "--agency", "dpu")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == f"user {username} now agency_admin of dpu; 0 tokens revoked"
    enabled = stack.admin("enable-user", username)
    assert enabled.stdout.strip() == f"user {username} enabled; 0 tokens revoked"
    signed_in = sign_in(api, username)
    assert signed_in.status_code == 200 and signed_in.json()["agency"] == "dpu"

    revoked = stack.admin("revoke-tokens", username)
    assert revoked.stdout.strip() == f"user {username}: 1 token revoked"
    token = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    assert api.http.get("/api/v1/worklist", headers=token).status_code == 401
    log = stack.database("gateway").user_log.find({"username": username})
    assert {entry["by"].split(":")[0] for entry in log} == {"aduan-admin"}

    reset = stack.admin("reset-password", username)
    assert reset.returncode == 0, reset.stderr
    assert reset.stdout.startswith(f"user {username}: new temporary password ")
    password = reset.stdout.split("new temporary password ")[1].split()[0]
    assert (
        api.http.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        ).status_code
        == 200
    )


def test_aduan_admin_refuses_with_exit_status_2(stack):
    username = new_user(stack, "officer")
    for args, message in (
        (("disable-user", "tidak-ada"), "there is no user 'tidak-ada'"),
        (("enable-user", "tidak-ada"), "there is no user 'tidak-ada'"),
        (("revoke-tokens", "tidak-ada"), "there is no user 'tidak-ada'"),
        (("set-role", "tidak-ada", "--role", "officer"), "there is no user 'tidak-ada'"),
        (("set-role", username, "--role", "agency_admin"), "needs an agency"),
        (("set-role", username, "--role", "agency_admin", "--agency", "x-y"), "unknown agency"),
    ):
        refused = stack.admin(*args)
        assert refused.returncode == 2, (args, refused.stdout)
        assert refused.stderr.startswith("aduan-admin: ") and message in refused.stderr, args
    assert "officer" in stack.admin("list-users").stdout
