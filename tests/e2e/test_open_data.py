"""Open data through the running stack (docs/open-data.md): complaints submitted with
reporters' details no one else uses are downloaded as JSON and CSV, every page, and no
byte of any answer holds a name, phone, e-mail or address of theirs; a confidential
complaint's text is absent, a reviewed public one's present (the stack publishes free
text: tests/conftest.py), one not yet reviewed without it; the filters and pages find
what they say."""

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest

from services.contracts.open_data import OPEN_DATA_COLUMNS
from services.reporting import analytics
from tests.support.api import Api, complaint, new_phone

pytestmark = pytest.mark.e2e
BASE = "/api/v1/open-data/complaints"


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


def reporter(mark: str, confidential: bool = False) -> dict:
    return {
        "name": f"Wiryawan Kusumadewi {mark}",
        "phone": new_phone(),
        "email": f"wiryawan.{mark.lower()}@surel-pribadi.id",
        "address": f"Jalan Kenanga Buntu {mark} RT 07",
        "confidential": confidential,
    }


def every_page(api: Api, form: str, params: dict) -> list:
    """Each answer of the listing, following its `next` links from the first page."""
    answers = []
    url: str | None = f"{BASE}.{form}"
    query: dict | None = params
    while url is not None:
        answer = api.http.get(url, params=query)
        assert answer.status_code == 200, answer.text
        answers.append(answer)
        query = None  # a next link carries its query
        url = answer.json()["links"]["next"] if form == "json" else _next_link(answer)
    return answers


def _next_link(answer) -> str | None:
    for part in answer.headers["Link"].split(", "):
        target, rel = part.split("; ")
        if rel == 'rel="next"':
            return target.strip("<>")
    return None


def test_open_data_never_carries_a_reporter_or_a_confidential_text(api):
    mark = uuid.uuid4().hex[:8].upper()
    people = {
        "public": reporter(f"P{mark}"),
        "confidential": reporter(f"C{mark}", confidential=True),
        "waiting": reporter(f"W{mark}"),
    }
    texts = {
        kind: f"Saluran air mampet di gang kami, kode {kind}-{mark}, mohon segera dibersihkan."
        for kind in people
    }
    tickets = {}
    for kind, person in people.items():
        body = complaint(reporter=person, title=f"Saluran mampet {kind} {mark}")
        body["description"] = texts[kind]
        answer = api.submit(body)
        assert answer.status_code == 202, answer.text
        tickets[kind] = answer.json()["ticket"]
    for kind in ("public", "confidential"):
        api.classify_and_forward(tickets[kind], "infrastruktur_fasum", ["dpu"])
    api.resolve_through(tickets["public"], "dpu-admin", "Saluran telah dibersihkan tim DPU.")
    api.wait_status(tickets["waiting"], "awaiting_review")

    month = analytics.month_of(datetime.now(UTC))
    json_pages = every_page(api, "json", {"month": month, "per_page": 1000})
    rows = {row["ticket"]: row for page in json_pages for row in page.json()["complaints"]}
    assert set(tickets.values()) <= set(rows)

    public, hidden, waiting = (rows[tickets[k]] for k in ("public", "confidential", "waiting"))
    assert public["description"] == texts["public"] and public["status"] == "resolved"
    assert public["agency"] == "dpu" and public["kecamatan"] == "Tembalang"
    assert public["working_days_taken"] == 0 and public["within_deadline"] is True
    assert public["resolved_at"] is not None and public["forwarded_at"] is not None
    assert hidden["title"] is None and hidden["description"] is None
    assert hidden["status"] == "forwarded" and hidden["category"] == "infrastruktur_fasum"
    assert waiting["status"] == "awaiting_review" and waiting["description"] is None

    csv_pages = every_page(api, "csv", {"month": month, "per_page": 1000})
    table = [line for page in csv_pages for line in csv.DictReader(io.StringIO(_text(page)))]
    assert tuple(table[0]) == OPEN_DATA_COLUMNS
    by_ticket = {line["ticket"]: line for line in table}
    assert by_ticket[tickets["public"]]["within_deadline"] == "true"
    assert by_ticket[tickets["confidential"]]["description"] == ""
    assert set(by_ticket) == set(rows)
    assert 'rel="license"' in csv_pages[0].headers["Link"]

    # Every byte of every answer, whole listings included, against every distinctive
    # detail: names, phones (and their last eight digits, whatever form intake keeps
    # them in), e-mails, addresses, and the confidential complaint's words.
    everything = b"".join(
        [page.content for page in json_pages + csv_pages]
        + [api.http.get(f"{BASE}.json", params={"per_page": 1000}).content]
        + [api.http.get(f"{BASE}.csv", params={"per_page": 1000}).content]
    )
    secrets = [texts["confidential"], f"Saluran mampet confidential {mark}", texts["waiting"]]
    for person in people.values():
        secrets += [person["name"], person["email"], person["address"], person["phone"]]
        secrets += [person["phone"][-8:], person["name"].split()[-1]]
    for secret in secrets:
        assert secret.encode() not in everything, secret


def test_filters_and_pages_find_what_they_say(api):
    ticket = api.submit(complaint(title="Lampu jalan padam di Jalan Pemuda")).json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    month = analytics.month_of(datetime.now(UTC))
    chosen = {"month": month, "agency": "dpu", "kecamatan": "Tembalang"}
    whole = api.http.get(f"{BASE}.json", params={**chosen, "per_page": 1000}).json()
    assert whole["licence"]["id"] == "CC-BY-4.0" and whole["free_text"] is True
    assert whole["filters"] == chosen
    assert ticket in [row["ticket"] for row in whole["complaints"]]
    assert all(
        (row["month"], row["agency"], row["kecamatan"]) == (month, "dpu", "Tembalang")
        for row in whole["complaints"]
    )
    assert whole["total"] == len(whole["complaints"]) >= 1

    # One row a page: the pages together are the whole listing, in the same order.
    paged = every_page(api, "json", {**chosen, "per_page": 1})
    assert [p.json()["complaints"][0]["ticket"] for p in paged] == [
        row["ticket"] for row in whole["complaints"]
    ]
    other = {"month": month, "category": "pendidikan_kesehatan", "per_page": 1000}
    by_category = api.http.get(f"{BASE}.json", params=other).json()
    assert ticket not in [row["ticket"] for row in by_category["complaints"]]

    for params, field in (
        ({"month": "2026-13"}, "month"),
        ({"agency": "tidak-ada"}, "agency"),
        ({"kecamatan": "Bandung"}, "kecamatan"),
        ({"category": "cuaca"}, "category"),
        ({"per_page": "0"}, "per_page"),
        ({"page": "x"}, "page"),
        ({"reporter": "Siti"}, "reporter"),
    ):
        for form in ("json", "csv"):
            refused = api.http.get(f"{BASE}.{form}", params=params)
            assert refused.status_code == 422, (params, refused.text)
            assert refused.json()["error"] == "invalid_field"
            assert refused.json()["field"] == field


def _text(answer) -> str:
    return answer.content.decode("utf-8-sig")
