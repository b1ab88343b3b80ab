"""The pages through the gateway's own app (no backends needed for these): security
headers on pages and not on the API, escaping, error pages in Indonesian while the
JSON API keeps its JSON errors, and a form without its CSRF token refused."""

from collections.abc import Iterator

import pytest

from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.pages import start
from gateway.pages.rendering import TEMPLATES
from gateway.pages.security import is_page
from gateway.rpc import RpcClient
from gateway.throttle import Throttle
from tests.support.asgi import Client


@pytest.fixture
def client() -> Iterator[Client]:
    settings = GatewaySettings.from_env({"ADUAN_PAGE_SECRET": "unit-test-page-secret"})
    app = create_app(settings)
    # The lifespan (RabbitMQ, MongoDB) is not run: these requests need neither, and the
    # RPC client is never started, so a call reaching it answers "unavailable".
    app.state.settings = settings
    app.state.app_throttle = Throttle(settings.throttle_app_limit, settings.throttle_window)
    app.state.rpc = RpcClient(settings.amqp_uri, settings.rpc_timeout)
    start(app.state, settings)
    called = Client(app)
    yield called
    called.close()


def test_pages_carry_a_csp_without_inline_script_and_the_other_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in response.text  # the one script is an external file
    assert 'src="/static/lokasi.js"' in response.text
    assert client.get("/static/aduan.css").headers["x-content-type-options"] == "nosniff"


def test_the_json_api_keeps_its_answers_without_page_headers(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "content-security-policy" not in response.headers
    assert not is_page("/api/v1/complaints") and not is_page("/metrics") and is_page("/lacak")


def test_an_unknown_page_is_an_indonesian_404_page(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Halaman tidak ditemukan" in response.text and "Traceback" not in response.text
    bad_ticket = client.get("/lacak/bukan-tiket")
    assert bad_ticket.status_code == 404 and "Halaman tidak ditemukan" in bad_ticket.text


def test_a_ticket_typed_in_lower_case_with_spaces_is_found(client):
    response = client.get("/lacak", params={"tiket": " smg-2026-000123 "})
    assert response.status_code == 303
    assert response.headers["location"] == "/lacak/SMG-2026-000123"
    refused = client.get("/lacak", params={"tiket": "<b>123</b>"})
    assert refused.status_code == 422 and "&lt;b&gt;123&lt;/b&gt;" in refused.text


def test_a_form_posted_without_its_csrf_token_is_a_403_page(client):
    response = client.post("/aduan", data={"title": "Jalan rusak sekali"})
    assert response.status_code == 403
    assert "Formulir tidak dapat diterima" in response.text
    reply = client.post("/aduan/SMG-2026-000123/pemberitahuan", data={"text": "jawaban"})
    assert reply.status_code == 403


def test_a_token_from_the_form_with_its_cookie_passes_the_csrf_check(client):
    home = client.get("/")
    token = home.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    # Valid token, no backend: the request passes the guard and reaches intake's RPC,
    # which is not running here (503 page, nothing recorded).
    response = client.post("/aduan", data={"csrf_token": token, "title": "Jalan rusak"})
    assert response.status_code == 503
    assert "Layanan sedang tidak tersedia" in response.text


def test_user_text_is_escaped_in_every_template():
    model = {
        "ticket": "SMG-2026-000123",
        "status_label": "Diterima",
        "category_label": None,
        "agency": None,
        "kecamatan": "<i>Tembalang</i>",
        "received_at": None,
        "title": "<script>alert(1)</script>",
        "description": '"><img src=x onerror=alert(1)>',
        "pending": False,
        "deadline": None,
        "timeline": [{"label": "Diterima", "at": None, "note": "<b>catatan</b>"}],
        "parts": [
            {"name": "DPU", "role": "koordinator", "state": "Diterima", "follow_up": None},
            {"name": "PLN", "role": "", "state": "x", "follow_up": "<b>jawaban</b>"},
        ],
    }
    html = TEMPLATES.get_template("track.html").render({"c": model})
    assert "<b>jawaban" not in html and "&lt;b&gt;jawaban" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<b>catatan" not in html and "<i>Tembalang" not in html
