"""Bad input gets its documented error and changes nothing."""

import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


def count(stack) -> int:
    return stack.database("intake").complaints.count_documents({})


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"{not json", 400, "invalid_json"),
        (b"", 400, "invalid_json"),
        (b"\xff\xfe", 400, "invalid_json"),
        (b"[]", 422, "invalid_field"),
        (b'"a string"', 422, "invalid_field"),
    ],
)
def test_malformed_bodies(stack, raw, status, code):
    api = Api(stack.url)
    before = count(stack)
    response = api.http.post(
        "/api/v1/complaints", content=raw, headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["error"]) == (status, code)
    assert response.json()["message"]
    assert count(stack) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (complaint(title=42), "title"),
        ({k: v for k, v in complaint().items() if k != "description"}, "description"),
        (complaint(reporter={"name": "Budi"}), "reporter.phone"),
        (complaint(title={"$gt": ""}), "title"),
        (complaint(reporter={"name": {"$ne": None}, "phone": "08123456789"}), "reporter.name"),
        (complaint(location={"kecamatan": {"$regex": ".*"}}), "location.kecamatan"),
        (complaint(category={"$in": ["x"]}), "category"),
        ({**complaint(), "$where": "sleep(1000)"}, "$where"),
    ],
)
def test_wrong_types_missing_fields_and_operators(stack, body, field):
    api = Api(stack.url)
    before = count(stack)
    response = api.submit(body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_field"
    assert response.json()["field"] == field
    assert count(stack) == before


def test_a_body_over_one_megabyte(stack):
    api = Api(stack.url)
    before = count(stack)
    big = complaint(description="x" * (1024 * 1024 + 1))
    response = api.submit(big)
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"
    assert count(stack) == before


def test_unknown_tickets_and_paths(stack):
    api = Api(stack.url)
    for ticket in ("SMG-2026-999999", "nope", "SMG-2026-000001%27%20OR%201=1"):
        response = api.track(ticket)
        assert response.status_code == 404, ticket
        assert response.json()["error"] == "not_found"
    response = api.act(
        "officer1",
        "SMG-2026-999999",
        "classify",
        {"category": "penegakan_perda", "scope": "single_agency", "agencies": ["satpolpp"]},
    )
    assert response.status_code == 404
    assert api.http.get("/api/v1/nothing").json()["error"] == "not_found"
    assert api.act("officer1", "SMG-2026-999999", "explode").status_code == 404
    assert api.http.delete("/api/v1/complaints").status_code == 405


def test_illegal_transitions_are_409_and_change_nothing(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    response = api.act("admin1", ticket, "forward", {})
    assert response.status_code == 404  # dispatch has no case before classification
    api.act("officer1", ticket, "reject", {"reason": "Laporan tidak sesuai fakta."})
    api.wait_status(ticket, "rejected")
    response = api.act(
        "officer1",
        ticket,
        "classify",
        {"category": "penegakan_perda", "scope": "single_agency", "agencies": ["satpolpp"]},
    )
    assert response.status_code == 409 and response.json()["error"] == "illegal_transition"
    assert api.track(ticket).json()["status"] == "rejected"


def test_unknown_agencies_and_bad_classifications(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    for body, field in (
        (
            {"category": "penegakan_perda", "scope": "single_agency", "agencies": ["nasa"]},
            "agencies",
        ),
        ({"category": "penegakan_perda", "scope": "sideways", "agencies": ["dpu"]}, "scope"),
        ({"category": "penegakan_perda", "scope": "single_agency", "agencies": "dpu"}, "agencies"),
    ):
        response = api.act("officer1", ticket, "classify", body)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
    assert api.track(ticket).json()["status"] == "awaiting_review"


def test_idempotency(stack):
    api = Api(stack.url)
    body = complaint()
    first = api.submit(body, key="same-key-1")
    again = api.submit(body, key="same-key-1")
    assert first.status_code == again.status_code == 202
    assert first.json()["ticket"] == again.json()["ticket"]
    assert first.json()["received_at"] == again.json()["received_at"]
    reused = api.submit(body | {"title": "Sesuatu yang lain sama sekali"}, key="same-key-1")
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"
    bad = api.http.post(
        "/api/v1/complaints", json=complaint(), headers={"Idempotency-Key": "spasi tidak boleh"}
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_header"


def test_bad_report_months_and_worklist_limits(stack):
    api = Api(stack.url)
    for params in ({}, {"month": "2026-13"}, {"month": "march"}):
        response = api.http.get("/api/v1/reports/monthly", params=params)
        assert response.status_code == 422 and response.json()["field"] == "month"
    response = api.http.get(
        "/api/v1/worklist", params={"limit": "0"}, headers=api.login("officer1")
    )
    assert response.status_code == 422
