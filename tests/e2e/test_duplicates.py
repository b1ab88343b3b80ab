"""Duplicates end to end: a second report of the same incident is suggested as a
duplicate, the officer links it, and when the incident is resolved both reporters get
the result; a link can be undone; a text re-sent with a number typed into the app is a
new complaint that learns nothing of the first (only verified senders resubmit: SMS)."""

import httpx
import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def report(name: str, phone: str, description: str) -> dict:
    return complaint(
        reporter={"name": name, "phone": phone},
        title="Saluran air mampet di Jalan Pedurungan Kidul",
        description=description,
        location={"kecamatan": "Pedurungan", "kelurahan": "Pedurungan Kidul"},
    )


def notices(link: str) -> list[dict]:
    return httpx.get(link).json()["notifications"]


def test_a_linked_duplicate_hears_the_result_of_the_incident(api, stack):
    first = api.submit(
        report(
            "Warga Satu",
            "085711110001",
            "Saluran drainase di Jalan Pedurungan Kidul mampet, setiap hujan air meluap ke rumah.",
        )
    ).json()
    api.wait_status(first["ticket"], "awaiting_review")
    second = api.submit(
        report(
            "Warga Dua",
            "085711110002",
            "Drainase Jalan Pedurungan Kidul tersumbat, air hujan meluap masuk ke rumah kami.",
        )
    ).json()
    api.wait_status(second["ticket"], "awaiting_review")

    review = api.http.get(
        f"/api/v1/complaints/{second['ticket']}/review", headers=api.login("officer1")
    ).json()
    assert review["suggestion"]["duplicate_of"] == first["ticket"]
    assert review["suggestion"]["duplicate_words"]

    linked = api.act("officer1", second["ticket"], "link", {"to": first["ticket"]})
    assert linked.status_code == 200, linked.text
    view = api.wait_status(second["ticket"], "linked")
    assert any(first["ticket"] in (e["note"] or "") for e in view["timeline"])

    api.classify_and_forward(first["ticket"], "infrastruktur_fasum", ["dpu"])
    api.resolve_through(first["ticket"], "dpu-admin", "Saluran sudah dikeruk dan dilebarkan")
    [result] = api.wait_until(
        lambda: [n for n in notices(second["notifications_url"]) if n["about"] == "resolved"],
        lambda found: len(found) == 1,
    )
    assert first["ticket"] in result["message"] and "dikeruk dan dilebarkan" in result["message"]
    assert any(n["about"] == "resolved" for n in notices(first["notifications_url"]))
    assert api.track(second["ticket"]).json()["status"] == "linked"
    # Its own clock stopped: it is handled as part of the first.
    clock = api.http.get(
        f"/api/v1/complaints/{second['ticket']}/sla", headers=api.login("officer1")
    ).json()
    assert clock["state"] == "stopped"


def test_a_link_can_be_undone_and_bad_links_are_refused(api):
    one = api.submit(complaint()).json()["ticket"]
    two = api.submit(complaint()).json()["ticket"]
    api.wait_status(one, "awaiting_review")
    api.wait_status(two, "awaiting_review")
    assert api.act("officer1", two, "link", {"to": two}).json()["field"] == "to"
    assert api.act("officer1", two, "link", {"to": "SMG-1999-000001"}).status_code == 422
    assert api.act("dpu-admin", two, "link", {"to": one}).status_code == 403
    assert api.act("officer1", two, "link", {"to": one}).status_code == 200
    api.wait_status(two, "linked")
    assert api.act("officer1", two, "unlink", {}).status_code == 200
    api.wait_status(two, "awaiting_review")
    assert api.act("officer1", two, "unlink", {}).status_code == 409


def test_the_same_text_with_the_same_typed_number_is_a_new_complaint_with_its_own_secret(api):
    """A number typed into the app proves nothing: re-sending a complaint's text with its
    reporter's number, written the same or otherwise, reveals neither the first ticket
    nor its secret link."""
    body = complaint()
    first = api.submit(body, key="resubmit-a").json()
    token = first["notifications_url"].split("token=")[1]
    for phone in ("0812-3456-7890", "+62 812 3456 7890", "6281234567890"):
        again = api.submit(body | {"reporter": body["reporter"] | {"phone": phone}})
        assert again.status_code == 202, again.text
        assert again.json()["ticket"] != first["ticket"]
        assert token not in again.text
