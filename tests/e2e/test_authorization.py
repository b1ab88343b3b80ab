"""Staff endpoints need a token and the right role; agencies see only their own."""

import pytest

from tests.conftest import PASSWORD
from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e

PERSONAL = ("Siti Rahayu", "081234567890", "0812-3456-7890", "siti@contoh.id")


@pytest.fixture(scope="module")
def forwarded_to_dpu(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    return ticket


@pytest.mark.parametrize("action", ["classify", "reject", "forward", "accept", "return", "resolve"])
def test_an_anonymous_caller_cannot_reach_staff_endpoints(stack, forwarded_to_dpu, action):
    api = Api(stack.url)
    response = api.http.post(f"/api/v1/complaints/{forwarded_to_dpu}/{action}", json={})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert api.http.get("/api/v1/worklist").status_code == 401


def test_a_bad_or_expired_token_is_refused(stack):
    api = Api(stack.url)
    for header in ("Bearer not-a-token", "Basic abc", "Bearer"):
        response = api.http.get("/api/v1/worklist", headers={"Authorization": header})
        assert response.status_code == 401, header
    wrong = api.http.post(
        "/api/v1/auth/token", json={"username": "officer1", "password": "wrong password!"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_credentials"


def test_guessing_a_password_is_stopped_after_ten_failures(stack):
    api = Api(stack.url)
    assert (
        stack.admin(
            "create-user", "guessed", "--role", "officer", "--password-stdin", password=PASSWORD
        ).returncode
        == 0
    )
    guess = {"username": "guessed", "password": "not the password"}
    for _ in range(10):
        assert api.http.post("/api/v1/auth/token", json=guess).status_code == 401
    refused = api.http.post("/api/v1/auth/token", json=guess)
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    # Even the right password waits: the window is the username's, not the guess's.
    right = api.http.post("/api/v1/auth/token", json=guess | {"password": PASSWORD})
    assert right.status_code == 429
    # Other accounts are not affected.
    assert api.login("officer1")


def test_roles_are_enforced(stack, forwarded_to_dpu):
    api = Api(stack.url)
    ticket = forwarded_to_dpu
    for user, action in (
        ("dpu-admin", "classify"),
        ("officer1", "forward"),
        ("admin1", "accept"),
        ("supervisor1", "reject"),
    ):
        response = api.act(user, ticket, action, {"reason": "sembarang alasan panjang"})
        assert response.status_code == 403, (user, action, response.text)
        assert response.json()["error"] == "forbidden"


def test_another_agency_can_neither_read_nor_act(stack, forwarded_to_dpu):
    api = Api(stack.url)
    ticket = forwarded_to_dpu
    read = api.track(ticket, user="dlh-admin")
    assert read.status_code == 403 and read.json()["error"] == "forbidden"
    for action, body in (
        ("accept", None),
        ("return", {"reason": "Bukan wewenang kami"}),
        ("resolve", {"follow_up": "Sudah kami perbaiki semua"}),
    ):
        response = api.act("dlh-admin", ticket, action, body)
        assert response.status_code == 403, (action, response.text)
    worklist = api.http.get("/api/v1/worklist", headers=api.login("dlh-admin")).json()
    assert ticket not in [item["ticket"] for item in worklist["items"]]
    assert api.wait_status(ticket, "forwarded")

    # the assigned agency can
    assert api.track(ticket, user="dpu-admin").status_code == 200
    mine = api.http.get("/api/v1/worklist", headers=api.login("dpu-admin")).json()
    assert ticket in [item["ticket"] for item in mine["items"]]


def test_no_public_response_carries_the_reporters_identity(stack, forwarded_to_dpu):
    api = Api(stack.url)
    submitted = api.submit(complaint())
    ticket = submitted.json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    public = [
        submitted.text,
        api.track(ticket).text,
        api.track(forwarded_to_dpu).text,
        api.track(forwarded_to_dpu, user="dpu-admin").text,
        api.http.get("/api/v1/worklist", headers=api.login("officer1")).text,
        api.http.get(
            "/api/v1/reports/monthly", params={"month": submitted.json()["received_at"][:7]}
        ).text,
    ]
    for text in public:
        for secret in PERSONAL:
            assert secret not in text


def test_a_confidential_report_hides_its_text_from_the_public(stack):
    api = Api(stack.url)
    body = complaint(reporter={"name": "Budi", "phone": "08129999888", "confidential": True})
    ticket = api.submit(body).json()["ticket"]
    view = api.wait_status(ticket, "awaiting_review")
    assert view["description"] is None and view["title"] is None
    staff = api.track(ticket, user="officer1").json()
    assert staff["description"] == body["description"]


def test_notices_need_the_complaints_secret_token(stack):
    api = Api(stack.url)
    receipt = api.submit(
        complaint(reporter={"name": "Anonim", "phone": "08123400000", "anonymous": True})
    ).json()
    ticket = receipt["ticket"]
    token = receipt["notifications_url"].split("token=")[1]
    own = api.http.get(f"/api/v1/complaints/{ticket}/notifications", params={"token": token})
    assert own.status_code == 200 and own.json()["notifications"][0]["about"] == "received"
    for params in ({}, {"token": "tebakan"}, {"token": token[:-1]}):
        response = api.http.get(f"/api/v1/complaints/{ticket}/notifications", params=params)
        assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert "token" not in api.track(ticket).text
