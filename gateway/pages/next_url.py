"""Where sign-in returns to: only a path of this site, never another site.

`next` comes from the URL, so anyone can write a link to /masuk?next=... : an absolute
URL, a scheme-relative `//evil.example`, or `/\\evil.example` (browsers read a backslash
as a slash) would send a freshly signed-in officer to another site.
"""

from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse

SIGN_IN = "/masuk"
HOME = "/kerja"
MAX_NEXT = 2000


def safe_next(value: object) -> str | None:
    """`value` when it is a relative path on this site, otherwise None."""
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT:
        return None
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    # Browsers drop tabs and newlines from URLs and read "\" as "/": refuse them all.
    if any(ord(ch) < 0x20 or ch in "\\\x7f" for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def sign_in_url(next_path: str | None, reason: str | None = None) -> str:
    query = []
    if next_path and safe_next(next_path):
        query.append("next=" + quote(next_path, safe="/"))
    if reason:
        query.append(reason + "=1")
    return SIGN_IN + ("?" + "&".join(query) if query else "")


def back_here(request: Request) -> str:
    """The page to come back to: this page for a GET; for a form's POST, the page that
    holds the form (the path without its last part), since a POST cannot be replayed."""
    path = request.url.path
    if request.method != "GET":
        return path.rsplit("/", 1)[0] or HOME
    query = request.url.query
    return f"{path}?{query}" if query else path


def to_sign_in(request: Request, reason: str | None = None) -> RedirectResponse:
    return RedirectResponse(sign_in_url(back_here(request), reason), status_code=303)
