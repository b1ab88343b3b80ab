"""Server-side rendering: Starlette's Jinja2Templates over an environment that escapes
every value (a title such as <script>alert(1)</script> is shown as text)."""

from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from gateway.pages import labels

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    # Always on, whatever the template's file name; `|safe` is never used in templates.
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["tanggal"] = labels.date_text
_environment.filters["waktu"] = labels.time_text
TEMPLATES = Jinja2Templates(env=_environment)


def render(
    request: Request,
    template: str,
    context: dict | None = None,
    status_code: int = 200,
    private: bool = False,
) -> Response:
    """The page; `private` pages (a secret link, a receipt) are never stored by caches.
    A CSRF cookie the page's forms need is set here."""
    headers = {"cache-control": "no-store"} if private else None
    response = TEMPLATES.TemplateResponse(
        request, template, context or {}, status_code=status_code, headers=headers
    )
    guard = getattr(request.app.state, "csrf", None)
    return guard.finish(request, response) if guard else response
