"""What an attacker or a careless client sends gets a 4xx with the error body, changes
nothing and keeps the connection open: each case here was an answer of 500 once. A
property test then sends arbitrary JSON to every JSON endpoint and webhook."""

import json
import time

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.signature import sign
from tests.conftest import SMS_SECRET, SOCIAL_SECRET
from tests.support import meta
from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e

JPEG = b"\xff\xd8\xff\xe0" + b"1" * 2_000
DEEP = "[" * 1000 + "1" + "]" * 1000
HUGE_INT = "9" * 5000


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


@pytest.fixture(scope="module")
def ticket(api):
    """A complaint awaiting review, for the staff endpoints."""
    submitted = api.submit(complaint())
    assert submitted.status_code == 202, submitted.text
    ticket = submitted.json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    return ticket


def stored(stack) -> tuple[int, int]:
    intake = stack.database("intake")
    return intake.complaints.count_documents({}), intake["attachments.files"].count_documents({})


def assert_refused(response: httpx.Response, status: int | None = None) -> dict:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] and body["message"]
    assert response.headers.get("connection") != "close"
    return body


def signed_post(api: Api, path: str, raw: bytes, secret: str, **headers) -> httpx.Response:
    stamp = str(int(time.time()))
    return api.http.post(
        f"/api/v1/channels/{path}",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Aduan-Timestamp": stamp,
            "X-Aduan-Signature": sign(secret, stamp, raw),
            **headers,
        },
    )


def test_json_nested_a_thousand_deep_is_400_everywhere(api, stack):
    before = stored(stack)
    raw = DEEP.encode()
    headers = {"Content-Type": "application/json"}
    assert_refused(api.http.post("/api/v1/complaints", content=raw, headers=headers), 400)
    assert_refused(api.http.post("/api/v1/auth/token", content=raw, headers=headers), 400)
    multipart = api.http.post(
        "/api/v1/complaints",
        data={"complaint": DEEP},
        files=[("attachments", ("foto.jpg", JPEG, "image/jpeg"))],
    )
    assert_refused(multipart, 400)
    deep_object = ('{"a":' * 1000 + "1" + "}" * 1000).encode()
    assert_refused(signed_post(api, "sms/messages", deep_object, SMS_SECRET), 400)
    assert_refused(signed_post(api, "social/messages", raw, SOCIAL_SECRET), 400)
    signed = {"X-Hub-Signature-256": meta.sign(deep_object)}
    assert_refused(api.http.post("/webhooks/whatsapp", content=deep_object, headers=signed), 400)
    assert stored(stack) == before


def test_numbers_past_pythons_digit_limit_or_64_bits_are_refused(api, stack, ticket):
    before = stored(stack)
    for raw in (
        '{"title": ' + HUGE_INT + "}",
        json.dumps(complaint())[:-1] + ', "x": ' + "9" * 25 + "}",
        json.dumps(complaint(location={"kecamatan": "Tembalang", "lat": 10**30})),
    ):
        assert_refused(api.submit_raw(raw))
    classify = '{"category": "x", "scope": "single_agency", "agencies": [' + HUGE_INT + "]}"
    response = api.http.post(
        f"/api/v1/complaints/{ticket}/classify",
        content=classify,
        headers={"Content-Type": "application/json", **api.login("officer1")},
    )
    assert_refused(response, 400)
    assert stored(stack) == before


@pytest.mark.parametrize(
    "raw",
    [
        '{"title": "Jalan \\ud800 rusak parah sekali"}',
        '{"\\udc00title": "x"}',
        '{"reporter": {"name": "Siti \\udfff"}}',
        '{"description": "nul \\u0000 in text"}',
    ],
)
def test_unpaired_surrogates_and_nul_are_422_naming_the_field(api, stack, raw):
    before = stored(stack)
    body = assert_refused(api.submit_raw(raw), 422)
    assert body["error"] == "invalid_field" and body["field"]
    assert stored(stack) == before


def test_surrogates_in_usernames_message_ids_and_staff_reasons_are_refused(api, stack, ticket):
    token = api.http.post(
        "/api/v1/auth/token",
        content='{"username": "officer\\ud800", "password": "x"}',
        headers={"Content-Type": "application/json"},
    )
    assert_refused(token, 422)
    sms = '{"message_id": "m-\\ud800", "from": "081234567890", "text": "Lampu mati di Tembalang"}'
    assert_refused(signed_post(api, "sms/messages", sms.encode(), SMS_SECRET), 422)
    reason = api.http.post(
        f"/api/v1/complaints/{ticket}/reject",
        content='{"reason": "bukan \\udbff wewenang"}',
        headers={"Content-Type": "application/json", **api.login("officer1")},
    )
    assert_refused(reason, 422)
    assert api.track(ticket).json()["status"] == "awaiting_review"


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        ("\u00b2\u00b3", "sha256=" + "0" * 64),
        (HUGE_INT, "sha256=" + "0" * 64),
        (None, "sha256=" + "\u00e9" * 64),
        (None, "\u00ff"),
    ],
)
def test_malformed_signature_and_timestamp_headers_are_401(api, stack, timestamp, signature):
    raw = b'{"message_id": "m", "from": "081234567890", "text": "Lampu mati"}'
    headers = {
        "Content-Type": "application/json",
        "X-Aduan-Timestamp": (timestamp or str(int(time.time()))).encode("latin-1"),
        "X-Aduan-Signature": signature.encode("latin-1"),
    }
    for path in ("sms/messages", "social/messages"):
        response = api.http.post(f"/api/v1/channels/{path}", content=raw, headers=headers)
        assert assert_refused(response, 401)["error"] == "invalid_signature"


def test_non_ascii_digits_and_huge_numbers_in_the_url_are_4xx(api):
    officer = api.login("officer1")
    for limit in ("\u00b2", "\u0663", "9" * 5000, "-3"):
        response = api.http.get("/api/v1/worklist", params={"limit": limit}, headers=officer)
        assert assert_refused(response, 422)["field"] == "limit"
    for year in ("9" * 5000, "99999", "\u0662\u0660\u0662\u0666", "days"):
        assert_refused(api.http.get(f"/api/v1/calendar/{year}"), 422)
    for ticket in ("SMG-\u0662\u0660\u0662\u0666-000001", "SMG-2026-" + "9" * 5000):
        assert_refused(api.track(ticket), 404)
    for month in ("0000-01", "\u0662\u0660\u0662\u0666-01", "9" * 5000):
        assert_refused(api.http.get("/api/v1/reports/monthly", params={"month": month}), 422)


def test_an_attachment_named_outside_latin1_downloads(api):
    name = "foto jalan rusak — Tembalang 📷.jpg"
    submitted = api.http.post(
        "/api/v1/complaints",
        data={"complaint": json.dumps(complaint())},
        files=[("attachments", (name, JPEG, "image/jpeg"))],
    )
    assert submitted.status_code == 202, submitted.text
    ticket = submitted.json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    [attachment] = api.track(ticket, "officer1").json()["attachments"]
    response = api.http.get(
        f"/api/v1/complaints/{ticket}/attachments/{attachment['id']}", headers=api.login("officer1")
    )
    assert response.status_code == 200 and response.content == JPEG
    disposition = response.headers["content-disposition"]
    assert "filename*=UTF-8''foto%20jalan%20rusak%20%E2%80%94" in disposition


def test_a_chunked_upload_over_the_limit_is_413_and_stores_nothing(api, stack):
    """Three photos of 4.5 MiB (each within the 5 MiB per file) are 13.5 MiB, over the
    10 MiB an upload may hold, sent without a Content-Length to refuse it by."""
    before = stored(stack)
    boundary = "aduanboundary"
    photo = JPEG + b"1" * (4 * 1024 * 1024 + 512 * 1024 - len(JPEG))

    def chunks():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="complaint"\r\n\r\n'
            f"{json.dumps(complaint())}\r\n"
        ).encode()
        for index in range(3):
            yield (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="attachments"; filename="foto-{index}.jpg"\r\n'
                "Content-Type: image/jpeg\r\n\r\n"
            ).encode()
            for start in range(0, len(photo), 256 * 1024):
                yield photo[start : start + 256 * 1024]
            yield b"\r\n"
        yield f"--{boundary}--\r\n".encode()

    response = api.http.post(
        "/api/v1/complaints",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"
    time.sleep(1)
    assert stored(stack) == before


def test_made_up_http_methods_add_no_metric_series(api):
    for index in range(50):
        response = api.http.request(f"BREW{index}", "/api/v1/complaints")
        assert response.status_code == 405
    metrics = api.http.get("/metrics").text
    assert "BREW" not in metrics
    assert 'method="other"' in metrics


def test_json_endpoints_refuse_other_content_types(api, stack):
    before = stored(stack)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = api.http.post(
            "/api/v1/complaints", content=json.dumps(complaint()), headers=headers
        )
        assert assert_refused(response, 415)["error"] == "unsupported_media_type"
    assert stored(stack) == before


# Any JSON (any Unicode, surrogates and NUL included; numbers of any size, NaN and
# Infinity; nesting up to 1,500 levels) to every endpoint that reads JSON: never a 5xx.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=30)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=15,
)


@st.composite
def documents(draw) -> bytes:
    value = draw(JSON_VALUES)
    if draw(st.booleans()):  # a valid complaint with one field replaced
        body = complaint()
        body[draw(st.sampled_from(sorted(body)))] = value
        value = body
    depth = draw(st.sampled_from([0, 0, 0, 40, 1500]))
    raw = json.dumps(value)
    return ("[" * depth + raw + "]" * depth).encode()


ENDPOINTS = [
    ("POST", "/api/v1/complaints", None),
    ("POST", "/api/v1/auth/token", None),
    ("POST", "/api/v1/desk/complaints", "officer1"),
    ("POST", "/api/v1/complaints/{ticket}/classify", "officer1"),
    ("POST", "/api/v1/complaints/{ticket}/reject", "officer1"),
    ("POST", "/api/v1/complaints/{ticket}/link", "officer1"),
    ("POST", "/api/v1/complaints/{ticket}/reopen", "officer1"),
    ("POST", "/api/v1/complaints/{ticket}/request-info", "officer1"),
    ("POST", "/api/v1/complaints/{ticket}/forward", "admin1"),
    ("POST", "/api/v1/complaints/{ticket}/resolve", "dpu-admin"),
    ("POST", "/api/v1/complaints/{ticket}/return", "dpu-admin"),
    ("POST", "/api/v1/complaints/{ticket}/replies?token=x", None),
    ("PUT", "/api/v1/triage/routing", "supervisor1"),
    ("PUT", "/api/v1/users/dlh-admin/role", "supervisor1"),
    ("PUT", "/api/v1/triage/auto-reject", "supervisor1"),
    ("POST", "/api/v1/calendar/days", "supervisor1"),
    ("POST", "/api/v1/sla/policies", "supervisor1"),
    ("POST", "/api/v1/channels/sms/messages", SMS_SECRET),
    ("POST", "/api/v1/channels/social/messages", SOCIAL_SECRET),
    ("POST", "/webhooks/whatsapp", meta.APP_SECRET),
]


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(endpoint=st.sampled_from(ENDPOINTS), raw=documents())
def test_arbitrary_json_to_every_endpoint_is_never_a_5xx(api, ticket, endpoint, raw):
    method, path, who = endpoint
    path = path.format(ticket=ticket)
    headers = {"Content-Type": "application/json"}
    if who in (SMS_SECRET, SOCIAL_SECRET):
        stamp = str(int(time.time()))
        headers |= {"X-Aduan-Timestamp": stamp, "X-Aduan-Signature": sign(who, stamp, raw)}
    elif who == meta.APP_SECRET:  # signed as Meta signs: the raw body alone
        headers["X-Hub-Signature-256"] = meta.sign(raw)
    elif who:
        headers |= api.login(who)
    response = api.http.request(method, path, content=raw, headers=headers)
    assert response.status_code < 500, (method, path, raw[:300], response.text)
    response.json()
