"""The pages' CSRF guard: a form is taken only with a fresh token signed for the cookie
the same browser sends; the receipt hand-over gives a ticket's secret link once."""

import time

from itsdangerous import URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from gateway.pages import csrf
from gateway.pages.csrf import COOKIE, CsrfGuard
from gateway.pages.receipts import ReceiptHandOver

SECRET = "unit-test-page-secret"


def request(cookies: dict[str, str] | None = None) -> Request:
    header = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
    headers = [(b"cookie", header.encode())] if header else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


def browser_cookie(guard: CsrfGuard) -> tuple[str, str]:
    """(cookie value, form token) as a first page view hands them out."""
    first = request()
    token = guard.token(first)
    response = guard.finish(first, Response())
    set_cookie = response.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    value = set_cookie.split(";", 1)[0].split("=", 1)[1]
    return value, token


def test_a_token_handed_out_with_its_cookie_is_accepted():
    guard = CsrfGuard(SECRET, secure_cookie=False)
    cookie, token = browser_cookie(guard)
    assert guard.valid(request({COOKIE: cookie}), token)


def test_a_form_without_a_token_or_without_the_cookie_is_refused():
    guard = CsrfGuard(SECRET, secure_cookie=False)
    cookie, token = browser_cookie(guard)
    assert not guard.valid(request({COOKIE: cookie}), None)
    assert not guard.valid(request({COOKIE: cookie}), "")
    assert not guard.valid(request(), token)


def test_a_token_of_another_browser_is_refused():
    guard = CsrfGuard(SECRET, secure_cookie=False)
    cookie, _ = browser_cookie(guard)
    _, other_token = browser_cookie(guard)
    assert not guard.valid(request({COOKIE: cookie}), other_token)


def test_a_token_signed_with_another_secret_or_tampered_is_refused():
    guard = CsrfGuard(SECRET, secure_cookie=False)
    cookie, token = browser_cookie(guard)
    forged = URLSafeTimedSerializer("another-secret", salt=csrf.SALT).dumps(cookie)
    assert not guard.valid(request({COOKIE: cookie}), forged)
    # A character inside the signature, where every bit counts (the last character of
    # base64 carries padding bits: a change there can decode to the same signature).
    swapped = "A" if token[-10] != "A" else "B"
    assert not guard.valid(request({COOKIE: cookie}), token[:-10] + swapped + token[-9:])
    # The cookie value itself is no token (a plain double-submit would take it).
    assert not guard.valid(request({COOKIE: cookie}), cookie)


def test_an_expired_token_is_refused(monkeypatch):
    guard = CsrfGuard(SECRET, secure_cookie=False)
    cookie, token = browser_cookie(guard)
    later = time.time() + csrf.MAX_AGE + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert not guard.valid(request({COOKIE: cookie}), token)


def test_a_browser_with_a_cookie_keeps_it_and_gets_no_new_one():
    guard = CsrfGuard(SECRET, secure_cookie=True)
    cookie, _ = browser_cookie(guard)
    again = request({COOKIE: cookie})
    token = guard.token(again)
    assert "set-cookie" not in guard.finish(again, Response()).headers
    assert guard.valid(request({COOKIE: cookie}), token)


def test_the_cookie_is_secure_when_served_over_https():
    guard = CsrfGuard(SECRET, secure_cookie=True)
    first = request()
    guard.token(first)
    assert "Secure" in guard.finish(first, Response()).headers["set-cookie"]


def test_the_receipt_hands_the_secret_link_to_its_own_ticket_only():
    handover = ReceiptHandOver(SECRET, secure_cookie=False)
    response = handover.give(Response(), "SMG-2026-000123", "tok-en", resubmission=False)
    set_cookie = response.headers["set-cookie"]
    assert "Path=/aduan/SMG-2026-000123/tanda-terima" in set_cookie and "HttpOnly" in set_cookie
    value = set_cookie.split(";", 1)[0].split("=", 1)[1]
    handed = handover.take(request({"aduan_tanda_terima": value}), "SMG-2026-000123")
    assert handed == {"token": "tok-en", "resubmission": False}
    assert handover.take(request({"aduan_tanda_terima": value}), "SMG-2026-000124") is None
    forged = URLSafeTimedSerializer("x", salt="aduan.pages.receipt").dumps(
        {"ticket": "SMG-2026-000123", "token": "mine"}
    )
    assert handover.take(request({"aduan_tanda_terima": forged}), "SMG-2026-000123") is None
    forgotten = handover.forget(Response(), "SMG-2026-000123").headers["set-cookie"]
    assert "Max-Age=0" in forgotten or "expires=" in forgotten.lower()
