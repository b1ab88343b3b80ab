"""The staff pages' session: the signed cookie holding the staff token, idle expiry,
where sign-in may return to, and signing in and out through the gateway's own app
(the directory played by a stand-in; no backends)."""

import re
from collections.abc import Iterator

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.identity import Role, Staff
from gateway.pages import start
from gateway.pages.next_url import back_here, safe_next, sign_in_url
from gateway.pages.session import COOKIE, StaffSessions
from gateway.rpc import RpcClient
from gateway.throttle import Throttle
from tests.support.asgi import Client

SECRET = "unit-test-page-secret"
IDLE = 1800
T0 = 1_800_000_000.0


def cookie_of(response: Response) -> str:
    header = response.headers["set-cookie"]
    return header.split(";", 1)[0].split("=", 1)[1]


def request_with(cookie: str | None, method: str = "GET", path: str = "/kerja") -> Request:
    headers = [(b"cookie", f"{COOKIE}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    return Request(scope | {"query_string": b"", "server": ("testserver", 80), "scheme": "http"})


def test_the_cookie_holds_the_token_signed_and_http_only():
    sessions = StaffSessions(SECRET, secure_cookie=False, idle_seconds=IDLE)
    response = sessions.keep(Response(), "the-token", now=T0)
    header = response.headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/" in header
    # A session cookie: gone when the browser closes; not Secure over plain HTTP.
    assert "Max-Age" not in header and "expires" not in header.lower()
    assert "Secure" not in header
    assert sessions.token(request_with(cookie_of(response)), now=T0 + 5) == "the-token"


def test_the_cookie_is_secure_when_served_over_https():
    sessions = StaffSessions(SECRET, secure_cookie=True, idle_seconds=IDLE)
    assert "Secure" in sessions.keep(Response(), "t", now=T0).headers["set-cookie"]


def test_the_session_ends_after_the_idle_time_and_each_request_restarts_it():
    sessions = StaffSessions(SECRET, secure_cookie=False, idle_seconds=IDLE)
    first = cookie_of(sessions.keep(Response(), "tok", now=T0))
    assert sessions.token(request_with(first), now=T0 + IDLE) == "tok"
    assert sessions.token(request_with(first), now=T0 + IDLE + 1) is None
    # A request at T0 + 1000 re-signs the cookie: idle counts from there.
    later = cookie_of(sessions.keep(Response(), "tok", now=T0 + 1000))
    assert sessions.token(request_with(later), now=T0 + 1000 + IDLE) == "tok"
    assert sessions.token(request_with(later), now=T0 + 1001 + IDLE) is None


def test_a_forged_or_future_dated_cookie_is_no_session():
    sessions = StaffSessions(SECRET, secure_cookie=False, idle_seconds=IDLE)
    other = StaffSessions("another-secret", secure_cookie=False, idle_seconds=IDLE)
    forged = cookie_of(other.keep(Response(), "tok", now=T0))
    assert sessions.token(request_with(forged), now=T0) is None
    assert sessions.token(request_with("not-a-cookie"), now=T0) is None
    future = cookie_of(sessions.keep(Response(), "tok", now=T0 + 60))
    assert sessions.token(request_with(future), now=T0) is None
    assert sessions.token(request_with(None), now=T0) is None


def test_ending_the_session_deletes_the_cookie():
    sessions = StaffSessions(SECRET, secure_cookie=False, idle_seconds=IDLE)
    header = sessions.end(Response()).headers["set-cookie"]
    assert header.startswith(f"{COOKIE}=") and ("Max-Age=0" in header or "expires" in header)


@pytest.mark.parametrize(
    "value",
    ["/kerja", "/kerja/SMG-2026-000123", "/kerja?jumlah=100", "/kerja/SMG-2026-000001#riwayat"],
)
def test_next_accepts_paths_of_this_site(value):
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "kerja",
        "https://jahat.example/kerja",
        "//jahat.example/kerja",
        "/\\jahat.example",
        "/\t/jahat.example",
        "/\n/jahat.example",
        "javascript:alert(1)",
        "/" + "a" * 2001,
        ["/kerja"],
    ],
)
def test_next_refuses_anything_that_could_leave_the_site(value):
    assert safe_next(value) is None


def test_the_sign_in_url_carries_only_a_safe_next():
    assert sign_in_url("/kerja/SMG-2026-000001") == "/masuk?next=/kerja/SMG-2026-000001"
    assert sign_in_url("//jahat.example") == "/masuk"
    assert sign_in_url("/kerja?jumlah=100", "habis") == "/masuk?next=/kerja%3Fjumlah%3D100&habis=1"


def test_a_form_post_returns_to_the_page_that_holds_the_form():
    post = request_with(None, "POST", "/kerja/SMG-2026-000001/tolak")
    assert back_here(post) == "/kerja/SMG-2026-000001"
    assert back_here(request_with(None, "GET", "/kerja")) == "/kerja"


# Through the app: the directory (gateway/identity.py) is played by a stand-in.
PASSWORD = "correct horse battery staple"


class Directory:
    def __init__(self) -> None:
        self.tokens: dict[str, Staff] = {}
        self.revoked: list[str] = []

    def issue_token(self, username: str, password: str, ttl: int):
        if username != "officer1" or password != PASSWORD:
            return None
        token = f"token-{len(self.tokens) + 1}"
        self.tokens[token] = Staff(username, Role.OFFICER, None)
        return token, self.tokens[token]

    def staff_for(self, token: str) -> Staff | None:
        return self.tokens.get(token)

    def revoke_token(self, token: str) -> bool:
        self.revoked.append(token)
        return self.tokens.pop(token, None) is not None


@pytest.fixture
def app_client() -> Iterator[tuple[Client, Directory]]:
    env = {"ADUAN_PAGE_SECRET": SECRET, "ADUAN_THROTTLE_LOGIN_LIMIT": "3"}
    settings = GatewaySettings.from_env(env)
    app = create_app(settings)
    app.state.settings = settings
    app.state.login_throttle = Throttle(settings.throttle_login_limit, settings.throttle_window)
    app.state.rpc = RpcClient(settings.amqp_uri, settings.rpc_timeout)
    directory = Directory()
    app.state.identity = directory
    start(app.state, settings)
    client = Client(app)
    yield client, directory
    client.close()


def form_token(page: httpx.Response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_a_signed_out_browser_is_sent_to_sign_in_and_back(app_client):
    client, directory = app_client
    answer = client.get("/kerja/SMG-2026-000001")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/masuk?next=/kerja/SMG-2026-000001"
    sign_in = client.get(answer.headers["location"])
    assert 'name="next" value="/kerja/SMG-2026-000001"' in sign_in.text
    fields = {"username": "officer1", "password": PASSWORD, "next": "/kerja/SMG-2026-000001"}
    signed_in = client.post("/masuk", data=fields | {"csrf_token": form_token(sign_in)})
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/kerja/SMG-2026-000001"
    assert f"{COOKIE}=" in signed_in.headers["set-cookie"]
    assert list(directory.tokens) == ["token-1"]


def test_sign_in_never_returns_to_another_site(app_client):
    client, _ = app_client
    page = client.get("/masuk?next=//jahat.example")
    assert 'name="next" value=""' in page.text
    fields = {"username": "officer1", "password": PASSWORD, "next": "https://jahat.example/"}
    signed_in = client.post("/masuk", data=fields | {"csrf_token": form_token(page)})
    assert signed_in.headers["location"] == "/kerja"


def test_wrong_passwords_are_refused_and_throttled_like_the_api(app_client):
    client, directory = app_client
    page = client.get("/masuk")
    fields = {"username": "officer1", "password": "wrong password", "csrf_token": form_token(page)}
    for _ in range(3):
        refused = client.post("/masuk", data=fields)
        assert refused.status_code == 401 and "Nama pengguna atau kata sandi salah" in refused.text
        assert COOKIE not in refused.headers.get("set-cookie", "")
    # The API's throttle (3 failures here): now even the right password waits.
    throttled = client.post("/masuk", data=fields | {"password": PASSWORD})
    assert throttled.status_code == 429 and "Terlalu banyak percobaan" in throttled.text
    assert directory.tokens == {}


def test_sign_in_without_the_csrf_token_is_refused(app_client):
    client, directory = app_client
    client.get("/masuk")
    refused = client.post("/masuk", data={"username": "officer1", "password": PASSWORD})
    assert refused.status_code == 403 and directory.tokens == {}


def test_signing_out_revokes_the_token_and_a_revoked_token_is_signed_out(app_client):
    client, directory = app_client
    page = client.get("/masuk")
    data = {"username": "officer1", "password": PASSWORD, "csrf_token": form_token(page)}
    client.post("/masuk", data=data)
    out = client.post("/keluar", data={"csrf_token": form_token(page)})
    assert out.status_code == 303 and out.headers["location"] == "/masuk?keluar=1"
    assert directory.revoked == ["token-1"] and directory.tokens == {}
    assert client.get("/kerja").headers["location"] == "/masuk?next=/kerja"


def test_a_token_ended_elsewhere_ends_the_page_session(app_client):
    client, directory = app_client
    page = client.get("/masuk")
    data = {"username": "officer1", "password": PASSWORD, "csrf_token": form_token(page)}
    client.post("/masuk", data=data)
    directory.tokens.clear()  # revoked by a supervisor, or expired
    answer = client.get("/kerja")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/masuk?next=/kerja&habis=1"
