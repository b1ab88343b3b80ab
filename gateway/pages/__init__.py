"""Pages for people, served by the gateway beside the JSON API: server-rendered
(Jinja2), in Bahasa Indonesia, every form working without JavaScript.

This first part holds the residents' (public) pages; see docs/console.md.
"""

from starlette.datastructures import State
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.config import GatewaySettings
from gateway.pages import routes_public
from gateway.pages.csrf import CsrfGuard
from gateway.pages.errors import page_aware
from gateway.pages.receipts import ReceiptHandOver
from gateway.pages.rendering import STATIC_DIR
from gateway.pages.security import PageHeaders

SECRET_LINK = "/aduan/{ticket}/pemberitahuan"

ROUTES = [
    Route("/", routes_public.home),
    Route("/aduan", routes_public.submit, methods=["POST"]),
    Route("/aduan/{ticket}/tanda-terima", routes_public.receipt),
    Route(SECRET_LINK, routes_public.notices),
    Route(SECRET_LINK, routes_public.reply, methods=["POST"]),
    Route("/lacak", routes_public.track_form),
    Route("/lacak/{ticket}", routes_public.track),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]


def start(state: State, settings: GatewaySettings) -> None:
    """What the pages keep on the app: the CSRF guard and the receipt hand-over, signed
    with the page secret; cookies are Secure when the public URL is HTTPS."""
    secure = settings.public_url.startswith("https://")
    state.csrf = CsrfGuard(settings.page_secret, secure)
    state.receipts = ReceiptHandOver(settings.page_secret, secure)


__all__ = ["ROUTES", "PageHeaders", "page_aware", "start"]
