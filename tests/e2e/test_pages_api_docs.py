"""The API page (/api/docs) in a real browser: Swagger UI shows every operation of the
served document, loading nothing from another site and breaking none of the page's
Content-Security-Policy."""

import pytest

from tests.support.browser import SCREENSHOTS

pytestmark = pytest.mark.e2e


def test_the_api_page_shows_every_operation_from_this_site_only(stack, page):
    document = page.request.get(stack.url + "/api/v1/openapi.json").json()
    operations = sum(len(set(item) - {"parameters"}) for item in document["paths"].values())
    console, loaded = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(stack.url + "/api/docs")
    page.wait_for_selector(".opblock")
    shown = page.locator(".opblock-summary-path, .opblock-summary-path__deprecated").count()
    assert shown >= operations, (shown, operations)
    page.get_by_text("/api/v1/complaints/{ticket}/classify").first.click()
    page.wait_for_selector(".opblock-body")
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
    assert all(url.startswith(stack.url + "/") for url in loaded), loaded
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "api-docs-desktop.png", full_page=False)
