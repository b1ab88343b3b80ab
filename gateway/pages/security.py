"""Security headers on every page (and the pages' static files and error pages); the
JSON API's answers are left exactly as they were.

No inline script may run (script-src 'self': the one script is an external file), no
other site may frame a page (clickjacking), and no page tells another site where the
resident came from: the secret-link pages carry their token in the URL.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    # The home page asks for the position (only on the resident's click); nothing else.
    "permissions-policy": "geolocation=(self), camera=(), microphone=()",
}
# Paths that answer for programs, not people: their answers stay as the API defines them.
# Meta calls /webhooks/whatsapp: a machine, answered in JSON like the API.
NOT_PAGES = ("/api/", "/open311/", "/webhooks/", "/healthz", "/readyz", "/metrics")


def is_page(path: str) -> bool:
    return not any(path == p.rstrip("/") or path.startswith(p) for p in NOT_PAGES)


class PageHeaders:
    """Pure ASGI middleware (no body buffering), adding PAGE_HEADERS to page answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in PAGE_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
