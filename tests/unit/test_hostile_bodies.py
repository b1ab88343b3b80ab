"""The classes of hostile input that generated requests rarely reach, sent to every
endpoint that reads a JSON body (and the multipart uploads) of the gateway's own app:
any Unicode a JSON parser accepts in any string (unpaired surrogates, NUL, right-to-left
marks), any nesting depth, numbers beyond 64 bits or float range, NaN, repeated keys,
bytes that are not UTF-8, bodies not declared as JSON and broken multipart. Each is a
4xx with the error body, and nothing is stored: no service is ever called (the only
way anything is stored), which the recording RPC double below sees. tests/e2e/
test_hostile_input.py sends the same classes through the running system."""

import json
import time
from collections.abc import Iterator

import pytest

from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.identity import Role, Staff
from gateway.signature import sign
from gateway.throttle import KeyThrottles, Throttle
from tests.support.api import complaint
from tests.support.asgi import Client

SMS_SECRET = "unit-sms-secret"
SOCIAL_SECRET = "unit-social-secret"
TICKET = "SMG-2026-000123"
TOKENS = {f"token-{role}": Staff(f"user-{role}", role, None) for role in Role}


class RecordingRpc:
    """Stands in for the RPC client: records every call and answers like a service."""

    ready = True

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []

    async def call(self, service: str, method: str, **kwargs) -> dict:
        self.calls.append((service, method, kwargs))
        return {"ticket": TICKET, "status": "received", "received_at": "2026-12-03T10:00:00+07:00"}

    async def publish(self, event: dict) -> None:
        self.calls.append(("bus", "publish", event))


class TokenIdentity:
    """The staff directory for a few fixed tokens, one per role."""

    def staff_for(self, token: str) -> Staff | None:
        return TOKENS.get(token)

    def unknown_agencies(self, codes: list[str]) -> list[str]:
        return []


class NoReplays:
    def first_use(self, signed: str) -> bool:
        return True


class StaffActionsKept:
    """The gateway's record of staff actions, in memory."""

    def __init__(self) -> None:
        self.recorded: list[tuple[str, dict]] = []

    def record(self, ticket: str, entry: dict) -> None:
        self.recorded.append((ticket, entry))


@pytest.fixture
def gateway() -> Iterator[tuple[Client, RecordingRpc]]:
    settings = GatewaySettings.from_env(
        {
            "ADUAN_PAGE_SECRET": "unit-test-page-secret",
            "ADUAN_SMS_WEBHOOK_SECRET": SMS_SECRET,
            "ADUAN_SOCIAL_WEBHOOK_SECRET": SOCIAL_SECRET,
        }
    )
    app = create_app(settings)
    rpc = RecordingRpc()
    app.state.settings, app.state.rpc = settings, rpc
    app.state.identity, app.state.replays = TokenIdentity(), NoReplays()
    for name in ("sender_throttle", "app_throttle", "login_throttle"):
        setattr(app.state, name, Throttle(1000, 600))
    app.state.key_throttles = KeyThrottles()
    app.state.staff_actions = StaffActionsKept()
    client = Client(app)
    yield client, rpc
    client.close()


def staff(role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer token-{role}"}


# (method, path, headers): every endpoint that reads a JSON body, as a caller it admits.
ENDPOINTS = [
    ("POST", "/api/v1/complaints", {}),
    ("POST", "/api/v1/auth/token", {}),
    ("POST", "/api/v1/desk/complaints", staff(Role.OFFICER)),
    ("POST", f"/api/v1/complaints/{TICKET}/classify", staff(Role.OFFICER)),
    ("POST", f"/api/v1/complaints/{TICKET}/reject", staff(Role.OFFICER)),
    ("POST", f"/api/v1/complaints/{TICKET}/link", staff(Role.OFFICER)),
    ("POST", f"/api/v1/complaints/{TICKET}/reopen", staff(Role.OFFICER)),
    ("POST", f"/api/v1/complaints/{TICKET}/request-info", staff(Role.OFFICER)),
    ("POST", f"/api/v1/complaints/{TICKET}/forward", staff(Role.ADMIN)),
    ("POST", f"/api/v1/complaints/{TICKET}/resolve", staff(Role.AGENCY_ADMIN)),
    ("POST", f"/api/v1/complaints/{TICKET}/replies?token=x", {}),
    ("POST", f"/api/v1/complaints/{TICKET}/rating?token=x", {}),
    ("PUT", "/api/v1/me/contact", staff(Role.OFFICER)),
    ("POST", "/api/v1/users", staff(Role.SUPERVISOR)),
    ("PUT", "/api/v1/users/someone/role", staff(Role.SUPERVISOR)),
    ("POST", "/api/v1/agency-keys", staff(Role.SUPERVISOR)),
    ("POST", "/api/v1/agency-hooks/endpoints", staff(Role.SUPERVISOR)),
    ("PUT", "/api/v1/triage/routing", staff(Role.SUPERVISOR)),
    ("PUT", "/api/v1/triage/auto-reject", staff(Role.SUPERVISOR)),
    ("POST", "/api/v1/calendar/days", staff(Role.SUPERVISOR)),
    ("POST", "/api/v1/sla/policies", staff(Role.SUPERVISOR)),
    ("POST", "/api/v1/channels/sms/messages", {"secret": SMS_SECRET}),
    ("POST", "/api/v1/channels/social/messages", {"secret": SOCIAL_SECRET}),
]
VALID = json.dumps(complaint())


def within(text: str) -> str:
    """A valid complaint whose title holds `text` (JSON-escaped as written)."""
    return VALID.replace('"title": "', '"title": "' + text, 1)


# (name, raw body, status): JSON no later hop can carry unchanged.
REFUSED = [
    ("unpaired high surrogate", within("\\ud800"), 422),
    ("unpaired low surrogate", within("\\udfff"), 422),
    ("surrogate in a key", '{"\\udc00": 1}', 422),
    ("NUL", within("\\u0000"), 422),
    ("nested 33 deep", "[" * 33 + "1" + "]" * 33, 400),
    ("nested 100,000 deep", "[" * 100_000 + "]" * 100_000, 400),
    ("objects nested 5,000 deep", '{"a":' * 5_000 + "1" + "}" * 5_000, 400),
    ("1e400", '{"title": 1e400}', 400),
    ("-1e400", '{"title": -1e400}', 400),
    ("an integer of 25 digits", '{"title": ' + "9" * 25 + "}", 400),
    ("an integer of 5,000 digits", '{"title": ' + "9" * 5_000 + "}", 400),
    ("2**63", '{"title": ' + str(2**63) + "}", 422),
    ("NaN", '{"title": NaN}', 400),
    ("Infinity", '{"title": -Infinity}', 400),
    ("a key twice", '{"title": "a", "title": "b"}', 400),
    ("a key twice, deep inside", '{"a": [{"b": {"c": 1, "c": 1}}]}', 400),
    ("not UTF-8", b'{"title": "\xff\xfe"}', 400),
    ("UTF-16", '{"title": "x"}'.encode("utf-16"), 400),
    ("not JSON", "{not json", 400),
    ("empty", "", 400),
]


def post(
    client: Client, method: str, path: str, headers: dict, raw, content_type="application/json"
):
    """Sends `raw` as given (signed for a webhook), declared as `content_type` (None: no
    Content-Type at all)."""
    raw = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    headers = dict(headers)
    secret = headers.pop("secret", None)
    if secret:
        stamp = str(int(time.time()))
        headers |= {"X-Aduan-Timestamp": stamp, "X-Aduan-Signature": sign(secret, stamp, raw)}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.loop.run_until_complete(
        client.http.request(method, path, content=raw, headers=headers)
    )


def assert_refused(response, status: int, rpc: RecordingRpc) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] and body["message"], body
    if status == 422:
        assert body["error"] == "invalid_field" and body.get("field"), body
    assert rpc.calls == [], "a refused request reached a service"
    return body


@pytest.mark.parametrize(("method", "path", "headers"), ENDPOINTS, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize(("case", "raw", "status"), REFUSED, ids=[c[0] for c in REFUSED])
def test_json_no_hop_can_carry_is_refused_everywhere(
    gateway, method, path, headers, case, raw, status
):
    client, rpc = gateway
    if case == "empty" and path.endswith("/forward"):
        # Forward's body is optional: an empty one goes through (the harness sees it).
        assert post(client, method, path, headers, raw).status_code == 200 and rpc.calls
        return
    assert_refused(post(client, method, path, headers, raw), status, rpc)


# A provider's webhook is read as JSON by its signature, whatever it declares.
DECLARED_JSON = [e for e in ENDPOINTS if not e[1].startswith("/api/v1/channels/")]


@pytest.mark.parametrize(("method", "path", "headers"), DECLARED_JSON, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json", None],
)
def test_a_body_not_declared_as_json_is_415(gateway, method, path, headers, content_type):
    client, rpc = gateway
    assert_refused(post(client, method, path, headers, VALID, content_type), 415, rpc)


# Every string of a complaint (each field a resident types), with each refused character.
STRING_FIELDS = [
    ("reporter", "name"),
    ("reporter", "phone"),
    ("reporter", "email"),
    ("title",),
    ("description",),
    ("location", "kecamatan"),
    ("location", "kelurahan"),
]


@pytest.mark.parametrize("where", STRING_FIELDS, ids=".".join)
@pytest.mark.parametrize("bad", ["\\ud834", "\\udd1e", "\\u0000"])
def test_a_refused_character_in_any_string_names_that_field(gateway, where, bad):
    client, rpc = gateway
    body = complaint()
    target = body
    for name in where[:-1]:
        target = target[name]
    target[where[-1]] = "MARK"
    raw = json.dumps(body).replace('"MARK"', f'"Jalan {bad} rusak parah"')
    response = post(client, "POST", "/api/v1/complaints", {}, raw)
    assert assert_refused(response, 422, rpc)["field"] == ".".join(where)


def test_right_to_left_marks_and_other_format_characters_are_kept_as_text(gateway):
    """They are characters (Arabic and Hebrew text need them): the complaint is passed on
    with them unchanged, normalised to NFC."""
    client, rpc = gateway
    title = "Jalan \u200frusak\u200e \u202eparah\u202c \u2066di\u2069 cafe\u0301 \U0001f6a7"
    raw = json.dumps(complaint(title=title))
    response = post(client, "POST", "/api/v1/complaints", {}, raw)
    assert response.status_code == 202, response.text
    [(service, method, sent)] = rpc.calls
    assert (service, method) == ("intake", "submit")
    assert sent["body"]["title"] == title.replace("e\u0301", "\u00e9")


def test_32_levels_are_accepted_and_33_refused(gateway):
    client, rpc = gateway
    deep_ok = '{"a": ' + "[" * 31 + "1" + "]" * 31 + "}"
    response = post(client, "PUT", "/api/v1/triage/routing", staff(Role.SUPERVISOR), deep_ok)
    assert response.status_code == 200 and len(rpc.calls) == 1, response.text
    too_deep = '{"a": ' + "[" * 32 + "1" + "]" * 32 + "}"
    rpc.calls.clear()
    response = post(client, "PUT", "/api/v1/triage/routing", staff(Role.SUPERVISOR), too_deep)
    assert_refused(response, 400, rpc)


BOUNDARY = "aduanboundary"
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 200


def multipart(*parts: bytes, end: bool = True) -> bytes:
    raw = b"".join(f"--{BOUNDARY}\r\n".encode() + part + b"\r\n" for part in parts)
    return raw + (f"--{BOUNDARY}--\r\n".encode() if end else b"")


def field(name: str, value: bytes) -> bytes:
    return f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> bytes:
    return (
        f'Content-Disposition: form-data; name="attachments"; filename="{name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode() + content


COMPLAINT_FIELD = field("complaint", VALID.encode())
BROKEN_MULTIPART = [
    ("no boundary given", multipart(COMPLAINT_FIELD), "multipart/form-data", 400),
    ("another boundary", multipart(COMPLAINT_FIELD), "multipart/form-data; boundary=zz", 400),
    ("cut off", multipart(COMPLAINT_FIELD, end=False)[:40], None, 422),
    ("a part without headers", multipart(b"\r\njust bytes"), None, 400),
    ("no complaint field", multipart(upload("a.jpg", JPEG)), None, 422),
    ("the complaint as a file", multipart(upload("c.json", VALID.encode())), None, 422),
    ("the complaint not JSON", multipart(field("complaint", b"{oops")), None, 400),
    ("the complaint a key twice", multipart(field("complaint", b'{"a":1,"a":2}')), None, 400),
    ("the complaint not UTF-8", multipart(field("complaint", b'{"title":"\xff"}')), None, 400),
    (
        "the complaint with NUL",
        multipart(field("complaint", within("\\u0000").encode())),
        None,
        422,
    ),
    ("the complaint 1e400", multipart(field("complaint", b'{"lat": 1e400}')), None, 400),
    ("an attachment that is text", multipart(COMPLAINT_FIELD, upload("a.jpg", b"hi")), None, 415),
    ("an empty attachment", multipart(COMPLAINT_FIELD, upload("a.jpg", b"")), None, 422),
    (
        "an attachment named a field",
        multipart(COMPLAINT_FIELD, field("attachments", b"x")),
        None,
        422,
    ),
    (
        "eleven attachments",
        multipart(COMPLAINT_FIELD, *[upload(f"{i}.jpg", JPEG) for i in range(11)]),
        None,
        400,
    ),
]


@pytest.mark.parametrize(
    "path", ["/api/v1/complaints", "/api/v1/desk/complaints"], ids=["app", "desk"]
)
@pytest.mark.parametrize(
    ("case", "raw", "content_type", "status"),
    BROKEN_MULTIPART,
    ids=[c[0] for c in BROKEN_MULTIPART],
)
def test_broken_multipart_is_refused_and_nothing_is_passed_on(
    gateway, path, case, raw, content_type, status
):
    client, rpc = gateway
    headers = {}
    if "desk" in path:  # the desk's form names its channel first
        headers = staff(Role.OFFICER)
        raw = multipart(field("channel", b"surat"), end=False) + raw
    declared = content_type or f"multipart/form-data; boundary={BOUNDARY}"
    response = client.loop.run_until_complete(
        client.http.post(path, content=raw, headers=headers | {"Content-Type": declared})
    )
    assert_refused(response, status, rpc)


def test_a_well_formed_upload_is_passed_on(gateway):
    """The control for the cases above: the same multipart, unbroken, reaches intake."""
    client, rpc = gateway
    accented = field(
        "complaint", json.dumps(complaint(title="Jalan rusak — café"), ensure_ascii=False).encode()
    )
    raw = multipart(accented, upload("foto.jpg", JPEG))
    declared = f"multipart/form-data; boundary={BOUNDARY}"
    response = client.loop.run_until_complete(
        client.http.post("/api/v1/complaints", content=raw, headers={"Content-Type": declared})
    )
    assert response.status_code == 202, response.text
    [(_, _, sent)] = rpc.calls
    assert sent["files"][0]["content_type"] == "image/jpeg"
    assert sent["body"]["title"] == "Jalan rusak — café"  # UTF-8 text as sent
