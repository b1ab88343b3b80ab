"""The head of an agency (kepala dinas): a supervisor makes the account; the head reads
its agency's complaints (its worklist holds them to their result) and acts on none;
another agency's complaint is refused, as for its liaison; on the pages the head sees
the complaint without a single decision form."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.support.api import Api
from tests.support.browser import check_page, staff_page

pytestmark = pytest.mark.e2e


def test_the_head_of_an_agency_reads_its_complaints_and_acts_on_none(stack, browser):
    api = Api(stack.url)
    supervisor = api.login("supervisor1")
    username = f"kepala-{uuid.uuid4().hex[:8]}"
    refused = api.http.post(
        "/api/v1/users", json={"username": username, "role": "agency_head"}, headers=supervisor
    )
    assert refused.status_code == 422 and refused.json()["field"] == "agency"
    body = {"username": username, "role": "agency_head", "agency": "dpu"}
    created = api.http.post("/api/v1/users", json=body, headers=supervisor)
    assert created.status_code == 201, created.text
    password = created.json()["password"]
    signed_in = api.http.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    ).json()
    assert (signed_in["role"], signed_in["agency"]) == ("agency_head", "dpu")
    head = {"Authorization": f"Bearer {signed_in['access_token']}"}

    ours = api.submit().json()["ticket"]
    api.classify_and_forward(ours, "infrastruktur_fasum", ["dpu"])
    theirs = api.submit().json()["ticket"]
    api.classify_and_forward(theirs, "lingkungan_perumahan", ["dlh"])
    queue = api.http.get("/api/v1/worklist", headers=head).json()
    assert queue["agency"] == "dpu" and ours in [i["ticket"] for i in queue["items"]]
    assert theirs not in [i["ticket"] for i in queue["items"]]
    assert api.http.get(f"/api/v1/complaints/{ours}", headers=head).status_code == 200
    assert api.http.get(f"/api/v1/complaints/{theirs}", headers=head).status_code == 403
    for action, step in (("accept", {}), ("resolve", {"follow_up": "Sudah ditambal rapi."})):
        assert api.act_with(head, ours, action, step).status_code == 403
    assert api.act_with(head, ours, "pause").status_code == 403
    assert api.track(ours).json()["status"] == "forwarded"

    page = staff_page(browser)
    page.goto(f"{stack.url}/kerja/{ours}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{stack.url}/kerja/{ours}")
    expect(page.locator("#judul-pengaduan")).to_be_visible()
    expect(page.locator("form[action^='/kerja/" + ours + "/']")).to_have_count(0)
    check_page(page, "staf-pengaduan-kepala")
    page.goto(f"{stack.url}/kerja")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengaduan Dinas Pekerjaan Umum")
    assert page.goto(f"{stack.url}/kerja/{theirs}").status == 403
