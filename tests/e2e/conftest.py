"""Fixtures of the end-to-end tier beyond the running stack (tests/conftest.py)."""

# A real browser (Debian's Chromium through Playwright) for the page tests.
from tests.support.browser import browser, page  # noqa: F401
