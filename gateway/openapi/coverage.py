"""Which routes the API document must describe, and which it does (the route-coverage
test, tests/unit/test_openapi.py, compares the two).

The rule: every route of the app is in the document, except pages for people, which
are the paths under PAGE_PREFIXES (HTML, the pages' static files, and /api/docs, the
page that shows this document), and the interfaces another specification defines
(OTHER_SPECIFICATIONS: Open311 GeoReport v2, with its own element names, XML and error
format, docs/open311.md, tested by tests/e2e/test_open311.py and its unit tests). So a
new route under /api/v1, /webhooks or anywhere else is API until it is added to the
document, or named a page here.
"""

import re
from collections.abc import Iterable, Iterator

from starlette.routing import BaseRoute, Mount, Route

from gateway.actions import AGENCY_STEPS

PAGE_PREFIXES = (
    "/",  # the residents' home page: this one exactly, not as a prefix
    "/aduan",
    "/lacak",
    "/laporan",
    "/masuk",
    "/keluar",
    "/kerja",
    "/pengawas",
    "/static",
    "/api/docs",
)
OTHER_SPECIFICATIONS = ("/open311",)
# Routes of one template that stand for several documented paths.
EXPANSIONS = {"/api/v1/complaints/{ticket}/{action}": AGENCY_STEPS}
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
CONVERTER = re.compile(r"{([^}:]+):[^}]+}")


def is_page(path: str) -> bool:
    """Not this document's: a page for people, or an interface specified elsewhere."""
    return any(
        path == prefix or (prefix != "/" and path.startswith(prefix + "/"))
        for prefix in PAGE_PREFIXES + OTHER_SPECIFICATIONS
    )


def app_operations(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(METHOD, path template) of every route that is not a page; HEAD, which Starlette
    adds to every GET, is left out. A mount of an app without routes (static files)
    is ("*", its path)."""
    for route in routes:
        if isinstance(route, Mount):
            path = prefix + route.path
            if route.routes:
                yield from app_operations(route.routes, path)
            elif not is_page(path):
                yield "*", path
        elif isinstance(route, Route):
            path = CONVERTER.sub(r"{\1}", prefix + route.path)
            if is_page(path):
                continue
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                for concrete in expanded(path):
                    yield method, concrete


def expanded(path: str) -> list[str]:
    steps = EXPANSIONS.get(path)
    if steps is None:
        return [path]
    return [path.replace("{action}", step) for step in steps]


def document_operations(document: dict) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }
