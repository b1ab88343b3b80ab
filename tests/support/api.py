"""A small client for the gateway, as an agency integrator would write one."""

import itertools
import json
import re
import time
import uuid

import httpx

from gateway.signature import sign
from tests.conftest import PASSWORD
from tests.support.conformance import check_response

TICKET_IN_TEXT = re.compile(r"SMG-\d{4}-\d{6}")
_numbers = itertools.count(int(time.time()) % 10_000_000)


def new_phone() -> str:
    """A phone number no other test uses, so throttling and replies never mix."""
    return f"0857{next(_numbers):08d}"


def ticket_in(text: str) -> str:
    found = TICKET_IN_TEXT.search(text)
    assert found, f"no ticket number in {text!r}"
    return found.group(0)


_complaints = itertools.count(1)


def complaint(**overrides) -> dict:
    """A valid app complaint. Each call's text differs a little (as two residents' would):
    the same reporter sending the same text again is one complaint."""
    body = {
        "reporter": {"name": "Siti Rahayu", "phone": "0812-3456-7890", "email": "siti@contoh.id"},
        "title": "Jalan berlubang di Jalan Ngesrep Timur",
        "description": "Jalan rusak berlubang besar di depan kampus, bahaya bagi pengendara "
        f"motor (laporan ke-{next(_complaints)}).",
        "location": {
            "kecamatan": "Tembalang",
            "kelurahan": "Sumurboto",
            "lat": -7.05,
            "lon": 110.43,
        },
    }
    body.update(overrides)
    return body


class Api:
    def __init__(self, url: str) -> None:
        # Every answer is checked against the API document (tests/support/conformance.py).
        self.http = httpx.Client(
            base_url=url, timeout=15, event_hooks={"response": [check_response]}
        )
        self.tokens: dict[str, str] = {}

    def login(self, username: str) -> dict:
        if username not in self.tokens:
            response = self.http.post(
                "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def submit(self, body: dict | None = None, key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": key or uuid.uuid4().hex}
        return self.http.post("/api/v1/complaints", json=body or complaint(), headers=headers)

    def submit_raw(self, raw: str | bytes) -> httpx.Response:
        """POSTs a complaint body exactly as given, as a JSON request."""
        headers = {"Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"}
        return self.http.post("/api/v1/complaints", content=raw, headers=headers)

    def webhook(self, path: str, body: dict, secret: str | None, timestamp=None):
        """POSTs a provider's webhook, signed with `secret` (None: unsigned)."""
        raw = json.dumps(body).encode()
        headers = {"content-type": "application/json"}
        if secret is not None:
            stamp = str(int(time.time() if timestamp is None else timestamp))
            headers |= {"X-Aduan-Timestamp": stamp, "X-Aduan-Signature": sign(secret, stamp, raw)}
        return self.http.post(f"/api/v1/channels/{path}", content=raw, headers=headers)

    def resolve_through(self, ticket: str, agency_admin: str, follow_up: str) -> dict:
        """Steps 4 to 6: the agency accepts and resolves; the result reaches the reporter
        (the complaint stays resolved until rated or closed by the timer)."""
        assert self.act(agency_admin, ticket, "accept", {}).status_code == 200
        body = {"follow_up": follow_up}
        assert self.act(agency_admin, ticket, "resolve", body).status_code == 200
        return self.wait_result_conveyed(ticket)

    def wait_result_conveyed(self, ticket: str, timeout: float = 20) -> dict:
        """Resolved, and the result notice recorded for the reporter after it."""

        def conveyed(view: dict) -> bool:
            events = [e["event"] for e in view["timeline"]]
            if view["status"] != "resolved" or "complaint.resolved" not in events:
                return False
            after = view["timeline"][events.index("complaint.resolved") :]
            return any(e["event"] == "reporter.notified" for e in after)

        return self.wait_for(ticket, conveyed, timeout)

    def act(self, user: str, ticket: str, action: str, body: dict | None = None):
        return self.http.post(
            f"/api/v1/complaints/{ticket}/{action}", json=body, headers=self.login(user)
        )

    def act_with(self, headers: dict, ticket: str, action: str, body: dict | None = None):
        """An action with any credentials (an agency's API key)."""
        return self.http.post(f"/api/v1/complaints/{ticket}/{action}", json=body, headers=headers)

    def track(self, ticket: str, user: str | None = None) -> httpx.Response:
        headers = self.login(user) if user else None
        return self.http.get(f"/api/v1/complaints/{ticket}", headers=headers)

    def wait_until(self, fetch, predicate, timeout: float = 20):
        deadline = time.monotonic() + timeout
        found = None
        while time.monotonic() < deadline:
            found = fetch()
            if predicate(found):
                return found
            time.sleep(0.2)
        raise AssertionError(f"never matched; last: {found}")

    def wait_for(self, ticket: str, predicate, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        view = None
        while time.monotonic() < deadline:
            response = self.track(ticket)
            if response.status_code == 200:
                view = response.json()
                if predicate(view):
                    return view
            time.sleep(0.1)
        raise AssertionError(f"{ticket} never matched; last view: {view}")

    def classify_and_forward(
        self, ticket: str, category: str, agencies: list[str], scope: str = "single_agency"
    ) -> dict:
        """Steps 2 and 3 of the flow, by the officer and the admin."""
        self.wait_status(ticket, "awaiting_review")
        body = {"category": category, "scope": scope, "agencies": agencies}
        assert self.act("officer1", ticket, "classify", body).status_code == 200
        self.wait_status(ticket, "classified")
        assert self.act("admin1", ticket, "forward", {}).status_code == 200
        # Forwarded once the timeline has it: an agency's system that accepts and resolves
        # as soon as it hears (tests/e2e/test_agency_hooks.py) can move the status past
        # `forwarded` between two polls (CI saw it resolved 100 ms after the forward).
        return self.wait_for(
            ticket, lambda view: any(e["event"] == "complaint.forwarded" for e in view["timeline"])
        )

    def wait_status(self, ticket: str, status: str, timeout: float = 20) -> dict:
        return self.wait_for(ticket, lambda view: view["status"] == status, timeout)
