"""Schemathesis fuzzes the whole HTTP API of a running system of its own (its own
databases and RabbitMQ virtual host, so its thousands of generated complaints, users
and settings never meet the other tests' data or throttles): zero server errors and
zero answers that the API document does not describe. The request count and the
failures are printed in the session's summary."""

import os
import random

import httpx
import pytest

from tests.conftest import PASSWORD, SMS_SECRET, SOCIAL_SECRET, provider_env
from tests.support.api import complaint
from tests.support.fuzz import KEY, Callers, fuzz
from tests.support.processes import Stack, VirtualHost, wait_for

pytestmark = pytest.mark.e2e

# Generated requests per operation and mode (valid, invalid): about 1,900 in all, in
# about two and a half minutes on 2 cores.
MAX_EXAMPLES = int(os.environ.get("ADUAN_FUZZ_EXAMPLES", "15"))
# Its own users: the document's examples name the session stack's (officer1...).
USERS = {
    "officer": ("fuzz-officer", None),
    "admin": ("fuzz-admin", None),
    "agency_admin": ("fuzz-dpu", "dpu"),
    "agency_head": ("fuzz-dpu-head", "dpu"),
    "supervisor": ("fuzz-supervisor", None),
}


@pytest.fixture(scope="module")
def fuzzed_stack(mongo, log_dir, providers):
    vhost = VirtualHost()
    running = Stack(mongo, vhost, log_dir, **provider_env(providers)).start_all()
    try:
        assert running.admin("seed").returncode == 0
        for role, (username, agency) in USERS.items():
            extra = ["--agency", agency] if agency else []
            created = running.admin(
                "create-user",
                username,
                "--role",
                role,
                "--password-stdin",
                *extra,
                password=PASSWORD,
            )
            assert created.returncode == 0, created.stderr
        yield running
    finally:
        running.stop_all()
        vhost.delete()


def sign_in(http: httpx.Client, username: str) -> dict[str, str]:
    answer = http.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def callers(url: str) -> Callers:
    http = httpx.Client(base_url=url, timeout=15)
    headers = {role: sign_in(http, username) for role, (username, _) in USERS.items()}
    key = http.post(
        "/api/v1/agency-keys",
        json={
            "agency": "dpu",
            "name": "fuzzing",
            "permissions": ["read", "accept", "return", "resolve", "request_info", "deliveries"],
            "rate_limit": 100_000,
        },
        headers=headers["supervisor"],
    )
    assert key.status_code == 201, key.text
    headers[KEY] = {"Authorization": f"Bearer {key.json()['key']}"}
    return Callers(
        headers=headers,
        fresh=lambda role: sign_in(http, USERS[role][0]),
        secrets={
            "/api/v1/channels/sms/messages": SMS_SECRET,
            "/api/v1/channels/social/messages": SOCIAL_SECRET,
        },
        tickets=complaints(http, headers),
    )


def complaints(http: httpx.Client, headers: dict) -> list[str]:
    """Three complaints for the generated requests to find: awaiting review, classified,
    and forwarded to dpu (the fuzzing agency admin's and key's agency)."""
    tickets = []
    for _ in range(3):
        submitted = http.post("/api/v1/complaints", json=complaint())
        assert submitted.status_code == 202, submitted.text
        tickets.append(submitted.json()["ticket"])
    for ticket in tickets:
        wait_status(http, ticket, "awaiting_review")
    for ticket in tickets[1:]:
        body = {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]}
        classified = http.post(
            f"/api/v1/complaints/{ticket}/classify", json=body, headers=headers["officer"]
        )
        assert classified.status_code == 200, classified.text
        wait_status(http, ticket, "classified")
    forwarded = http.post(
        f"/api/v1/complaints/{tickets[2]}/forward", json={}, headers=headers["admin"]
    )
    assert forwarded.status_code == 200, forwarded.text
    wait_status(http, tickets[2], "forwarded")
    return tickets


def wait_status(http: httpx.Client, ticket: str, status: str) -> None:
    wait_for(
        lambda: http.get(f"/api/v1/complaints/{ticket}").json().get("status") == status,
        30,
        f"{ticket} {status}",
        0.2,
    )


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(fuzzed_stack):
    seed = int(os.environ.get("ADUAN_FUZZ_SEED", random.randrange(2**32)))
    run = fuzz(fuzzed_stack.url, callers(fuzzed_stack.url), MAX_EXAMPLES, seed)
    print(run.summary())
    print("slowest:", run.slowest())
    for label, statuses in sorted(run.statuses.items()):
        print(f"  {label}: {statuses}")
    served = httpx.get(f"{fuzzed_stack.url}/api/v1/openapi.json").json()
    operations = sum(len(set(item) - {"parameters"}) for item in served["paths"].values())
    assert run.operations == operations, run.summary()
    assert run.requests >= 1000, run.summary()
    failures = "\n".join(
        f"- {f.operation} [{f.mode}, as {f.caller}]: {f.request}\n  -> {f.detail}"
        for f in run.failures[:20]
    )
    assert not run.failures, f"{run.summary()}\n{failures}"
