"""The worklist's filters and pages through the gateway (GET /api/v1/worklist): text,
kecamatan, channel, category and status narrow the officer's queue; pages do not
repeat; a filter outside the rules is a 422 naming it."""

import uuid

import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


def worklist(api: Api, user: str = "officer1", **params) -> dict:
    response = api.http.get("/api/v1/worklist", params=params, headers=api.login(user))
    assert response.status_code == 200, response.text
    return response.json()


def submit(api: Api, marker: str, kecamatan: str) -> str:
    body = complaint(title=f"Lampu penerangan jalan padam {marker}")
    body["location"] = {**body["location"], "kecamatan": kecamatan}
    response = api.submit(body)
    assert response.status_code == 202, response.text
    ticket = response.json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    return ticket


def test_filters_narrow_the_queue_and_pages_do_not_repeat(stack):
    api = Api(stack.url)
    marker = uuid.uuid4().hex[:8]
    in_tembalang = submit(api, marker, "Tembalang")
    in_banyumanik = submit(api, marker, "Banyumanik")

    def tickets(**params) -> set[str]:
        return {item["ticket"] for item in worklist(api, **{"q": marker, **params})["items"]}

    assert tickets() == {in_tembalang, in_banyumanik}
    assert tickets(q=marker.upper()) == {in_tembalang, in_banyumanik}  # any case
    assert tickets(kecamatan="Tembalang") == {in_tembalang}
    assert tickets(channel="sapambakita") == {in_tembalang, in_banyumanik}
    assert tickets(channel="sms") == set()
    assert tickets(status="returned") == set()
    suggested = {item["category"] for item in worklist(api, q=marker)["items"]}
    for category in suggested - {None}:
        assert tickets(category=category) == {in_tembalang, in_banyumanik}
    assert tickets(q=f"{marker} tidak-ada") == set()
    # A page of one, twice: each complaint once.
    first = worklist(api, q=marker, limit=1, page=1)
    second = worklist(api, q=marker, limit=1, page=2)
    third = worklist(api, q=marker, limit=1, page=3)
    assert (first["page"], len(first["items"]), len(second["items"])) == (1, 1, 1)
    assert {first["items"][0]["ticket"], second["items"][0]["ticket"]} == {
        in_tembalang,
        in_banyumanik,
    }
    assert third["items"] == []
    # A regular-expression character is just a character.
    assert worklist(api, q=".*")["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "forwarded"}, "status"),
        ({"kecamatan": "Menteng"}, "kecamatan"),
        ({"channel": "fax"}, "channel"),
        ({"q": "a"}, "q"),
        ({"page": "0"}, "page"),
    ],
)
def test_a_filter_outside_the_rules_is_a_422_naming_it(stack, params, field):
    api = Api(stack.url)
    response = api.http.get("/api/v1/worklist", params=params, headers=api.login("officer1"))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
