"""The API document (/api/v1/openapi.json) and the page that shows it (/api/docs), with
the vendored Swagger UI (gateway/openapi/viewer) under /api/docs/assets."""

import functools
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from gateway.openapi import document
from gateway.pages.security import PAGE_HEADERS

VIEWER_DIR = Path(__file__).resolve().parents[1] / "openapi" / "viewer"
ASSETS = "/api/docs/assets"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aduan API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<noscript>The API document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/docs.js"></script>
</body>
</html>
"""


@functools.cache
def encoded_document() -> bytes:
    return json.dumps(document(), ensure_ascii=False).encode()


async def openapi_json(request: Request) -> Response:
    return Response(encoded_document(), media_type="application/json")


async def page(request: Request) -> HTMLResponse:
    """A page for people, with the pages' security headers (only this site's scripts)."""
    return HTMLResponse(PAGE, headers=PAGE_HEADERS)
