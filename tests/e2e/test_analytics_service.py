"""The analytics through the running stack: complaints submitted to the gateway reach
reporting's views and its event log, the month's figures count them
(`GET /api/v1/reports/analytics`), and `aduan-admin rebuild-reporting` rebuilds the views
from the log with the same figures. The year of events is in
tests/integration/test_analytics_year.py."""

from datetime import UTC, datetime

import httpx
import pytest

from services.reporting.analytics import DIMENSIONS, month_of
from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


def analytics(stack, month: str, by: str) -> dict:
    response = httpx.get(
        f"{stack.url}/api/v1/reports/analytics", params={"month": month, "by": by}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_submitted_complaints_are_counted_and_rebuilt_alike(stack):
    month = month_of(datetime.now(UTC))
    before = analytics(stack, month, "channel")["total"]["received"]
    api = Api(stack.url)
    tickets = []
    for title in ("Jalan berlubang di Jalan Majapahit", "Saluran air tersumbat di Tlogosari"):
        response = api.submit(complaint(title=title))
        assert response.status_code == 202, response.text
        tickets.append(response.json()["ticket"])
    for ticket in tickets:
        api.wait_status(ticket, "awaiting_review", timeout=30)
    counted = analytics(stack, month, "channel")
    assert counted["total"]["received"] == before + 2
    assert sum(row["received"] for row in counted["rows"]) == before + 2
    assert counted["total"]["open_at_month_end"] >= 2

    db = stack.database("reporting")
    for ticket in tickets:
        view = db.views.find_one({"_id": ticket})
        logged = db.events.count_documents({"ticket": ticket})
        assert logged == len(view["events"]) >= 2
        assert view["facts"]["month"] == month and view["facts"]["status"] == "awaiting_review"

    figures = {by: analytics(stack, month, by) for by in DIMENSIONS}
    # The monthly report's JSON carries the same figures, by every dimension at once.
    report = httpx.get(f"{stack.url}/api/v1/reports/monthly", params={"month": month}).json()
    assert report["figures"]["total"] == figures["channel"]["total"]
    for by in DIMENSIONS:
        assert report["figures"]["by"][by] == figures[by]["rows"], by
    done = stack.admin("rebuild-reporting")
    assert done.returncode == 0, done.stderr
    assert "rebuild-reporting: done" in done.stdout, done.stdout
    assert {by: analytics(stack, month, by) for by in DIMENSIONS} == figures

    response = httpx.get(
        f"{stack.url}/api/v1/reports/analytics", params={"month": month, "by": "x"}
    )
    assert response.status_code == 422 and response.json()["field"] == "by"
