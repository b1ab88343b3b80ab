"""Agencies' API keys through the running gateway: a supervisor makes a key for DPU's
system, which reads DPU's queue and complaints and accepts with it, and is refused
another agency's complaint and a step its permissions do not name; a rotated key's old
secret and a revoked key are refused at once; a key past its calls per minute gets 429;
every call made with a key, refused ones included, is in the audit log; people's
bearer tokens keep working; aduan-admin makes, lists and revokes keys too."""

import uuid

import pytest

from tests.support.api import Api

pytestmark = pytest.mark.e2e

KEYS = "/api/v1/agency-keys"


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


def new_key(api: Api, agency: str, permissions: list[str], **extra) -> dict:
    body = {"agency": agency, "name": f"Sistem uji {uuid.uuid4().hex[:6]}"}
    body |= {"permissions": permissions, **extra}
    created = api.http.post(KEYS, json=body, headers=api.login("supervisor1"))
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    return created.json()


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def audit(api: Api, key_id: str) -> list[tuple[str, str, int]]:
    found = api.http.get(
        "/api/v1/audit", params={"key": key_id}, headers=api.login("supervisor1")
    ).json()["entries"]
    assert all(e["client"] and e["at"] for e in found)
    # A refusal before the key was proven is recorded as unverified.
    assert all(e["verified"] == (e["status"] != 401) for e in found)
    return [(e["method"], e["path"], e["status"]) for e in reversed(found)]


def forwarded(api: Api, agency: str, category: str = "infrastruktur_fasum") -> str:
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, category, [agency])
    return ticket


def test_a_key_acts_for_its_agency_within_its_permissions(api):
    created = new_key(api, "dpu", ["read", "accept"])
    assert created["key"].startswith(f"aduan_{created['id']}_")
    assert (created["agency"], created["permissions"], created["active"]) == (
        "dpu",
        ["read", "accept"],
        True,
    )
    key = bearer(created["key"])
    ours, theirs = forwarded(api, "dpu"), forwarded(api, "dlh", "lingkungan_perumahan")

    queue = api.http.get("/api/v1/worklist", headers=key)
    assert queue.status_code == 200 and queue.json()["agency"] == "dpu"
    assert ours in [item["ticket"] for item in queue.json()["items"]]
    assert api.http.get(f"/api/v1/complaints/{ours}", headers=key).json()["agency"] == "dpu"
    assert api.act_with(key, ours, "accept").status_code == 200
    # Another agency's complaint, a step the key may not take, a route keys never call.
    assert api.http.get(f"/api/v1/complaints/{theirs}", headers=key).status_code == 403
    resolve = api.act_with(key, ours, "resolve", {"follow_up": "Jalan sudah ditambal rapi."})
    assert resolve.status_code == 403 and "resolve" in resolve.json()["message"]
    assert api.http.get("/api/v1/users", headers=key).status_code == 403
    assert api.wait_status(ours, "accepted")["status"] == "accepted"

    assert audit(api, created["id"]) == [
        ("GET", "/api/v1/worklist", 200),
        ("GET", f"/api/v1/complaints/{ours}", 200),
        ("POST", f"/api/v1/complaints/{ours}/accept", 200),
        ("GET", f"/api/v1/complaints/{theirs}", 403),
        ("POST", f"/api/v1/complaints/{ours}/resolve", 403),
        ("GET", "/api/v1/users", 403),
    ]
    # People's bearer tokens keep working beside keys.
    assert api.http.get("/api/v1/worklist", headers=api.login("dpu-admin")).status_code == 200


def test_a_rotated_or_revoked_key_is_refused_at_once(api):
    created = new_key(api, "dlh", ["read"])
    old = bearer(created["key"])
    assert api.http.get("/api/v1/worklist", headers=old).status_code == 200
    supervisor = api.login("supervisor1")
    rotated = api.http.post(f"{KEYS}/{created['id']}/rotate", headers=supervisor)
    assert rotated.status_code == 200 and rotated.json()["rotated_at"]
    new = bearer(rotated.json()["key"])
    assert api.http.get("/api/v1/worklist", headers=old).status_code == 401
    assert api.http.get("/api/v1/worklist", headers=new).status_code == 200
    revoked = api.http.post(f"{KEYS}/{created['id']}/revoke", headers=supervisor)
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    refused = api.http.get("/api/v1/worklist", headers=new)
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    listed = api.http.get(KEYS, params={"agency": "dlh"}, headers=supervisor).json()["keys"]
    shown = next(k for k in listed if k["id"] == created["id"])
    assert shown["active"] is False and "key" not in shown and "digest" not in str(listed)
    assert [status for *_, status in audit(api, created["id"])] == [200, 401, 200, 401]


def test_a_key_past_its_calls_per_minute_gets_429(api):
    created = new_key(api, "dpu", ["read"], rate_limit=3)
    key = bearer(created["key"])
    statuses = [api.http.get("/api/v1/worklist", headers=key).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"agency": "tidak-ada", "name": "Sistem X", "permissions": ["read"]}, "agency"),
        ({"agency": "dpu", "name": "X", "permissions": ["read"]}, "name"),
        ({"agency": "dpu", "name": "Sistem X", "permissions": []}, "permissions"),
        ({"agency": "dpu", "name": "Sistem X", "permissions": ["admin"]}, "permissions"),
        (
            {"agency": "dpu", "name": "Sistem X", "permissions": ["read"], "rate_limit": 0},
            "rate_limit",
        ),
        ({"agency": "dpu", "name": "Sistem X", "permissions": ["read"], "owner": "x"}, "owner"),
    ],
)
def test_a_key_is_refused_naming_the_field_and_only_supervisors_make_keys(api, body, field):
    refused = api.http.post(KEYS, json=body, headers=api.login("supervisor1"))
    assert refused.status_code == 422 and refused.json()["field"] == field
    ok = {"agency": "dpu", "name": "Sistem X", "permissions": ["read"]}
    for user in ("officer1", "dpu-admin"):
        assert api.http.post(KEYS, json=ok, headers=api.login(user)).status_code == 403
    assert api.http.get("/api/v1/audit", headers=api.login("dpu-admin")).status_code == 403
    unknown = api.http.post(f"{KEYS}/0000000000000000/revoke", headers=api.login("supervisor1"))
    assert unknown.status_code == 404


def test_a_key_that_cannot_be_one_is_refused_and_recorded(api):
    for token in ("aduan_tidak_sah", "aduan_0123456789abcdef_" + "x" * 43):
        assert api.http.get("/api/v1/worklist", headers=bearer(token)).status_code == 401
    assert ("GET", "/api/v1/worklist", 401) in audit(api, "malformed")
    assert audit(api, "0123456789abcdef") == [("GET", "/api/v1/worklist", 401)]


def test_aduan_admin_makes_lists_and_revokes_keys(stack, api):
    made = stack.admin("create-key", "dlh", "Sistem DLH", "--permissions", "read,resolve")
    assert made.returncode == 0, made.stderr
    written = made.stdout.strip().rsplit(" ", 1)[1]
    key_id = written.split("_")[1]
    assert api.http.get("/api/v1/worklist", headers=bearer(written)).status_code == 200
    listed = stack.admin("list-keys", "--agency", "dlh").stdout.splitlines()
    assert listed[0].split()[:2] == ["ID", "AGENCY"]
    assert [key_id, "dlh"] in [line.split()[:2] for line in listed]
    assert written.split("_", 2)[2] not in "\n".join(listed)
    revoked = stack.admin("revoke-key", key_id)
    assert revoked.stdout.strip() == f"key {key_id} of dlh revoked"
    assert api.http.get("/api/v1/worklist", headers=bearer(written)).status_code == 401
    refused = stack.admin("create-key", "dlh", "Sistem DLH", "--permissions", "read,admin")
    assert refused.returncode == 2 and "permissions" in refused.stderr
