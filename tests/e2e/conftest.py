"""Fixtures of the end-to-end tier beyond the running stack (tests/conftest.py)."""

# A real browser (Debian's Chromium through Playwright) for the page tests.
from tests.support.browser import browser, page  # noqa: F401


def pytest_terminal_summary(terminalreporter) -> None:
    """Schemathesis' numbers (tests/e2e/test_fuzz_api.py), whatever pytest's -s says."""
    from tests.support.fuzz import RUNS

    for run in RUNS:
        terminalreporter.write_sep("=", "API fuzzing")
        terminalreporter.write_line(run.summary())
        terminalreporter.write_line(f"  slowest operations: {run.slowest()}")
        for skipped in run.not_generated:
            terminalreporter.write_line(f"  not generated: {skipped}")
