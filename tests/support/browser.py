"""A real browser for the page tests: Debian's Chromium driven by Playwright (its own
browser download cannot run here), axe-core for accessibility, and screenshots of every
page at desktop width and on a 390-pixel phone, written to artifacts/screenshots/."""

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import PASSWORD
from tests.support.processes import ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# axe-core's impact levels that fail a page.
FAILING_IMPACTS = ("serious", "critical")

_axe = Axe()


# One browser per test module, not per session: Playwright's sync API keeps an event
# loop running in the main thread while it is open, and the unit tier's Starlette
# TestClient (run after the e2e tier in one pytest session) cannot start its own then.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    opened = context.new_page()
    # An alert() would mean a user's text ran as script: record every dialog.
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()


def staff_page(browser: Browser) -> Page:
    """A browser of its own (its own cookies) for one staff member."""
    opened = browser.new_context(viewport=DESKTOP, locale="id-ID").new_page()
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    return opened


def sign_in(page: Page, url: str, username: str, path: str) -> None:
    """Opens a staff page signed out, is sent to sign in, and comes back to it."""
    page.goto(url + path)
    page.wait_for_url(re.compile(r"/masuk\?next="))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(url + path)


def check_page(page: Page, name: str) -> None:
    """axe-core at desktop and phone width (no serious or critical violation), and a
    full-page screenshot of each, named NAME-desktop.png and NAME-phone.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        results = _axe.run(page)
        failing = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
            if v.get("impact") in FAILING_IMPACTS
        ]
        assert not failing, f"{name} ({width}) accessibility violations: {failing}"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def png_photo(path: Path, width: int = 24, height: int = 16) -> Path:
    """A real PNG (a small colour gradient), written with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 10 % 256, y * 15 % 256, 120)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


TICKET = re.compile(r"SMG-\d{4}-\d{6,9}")
