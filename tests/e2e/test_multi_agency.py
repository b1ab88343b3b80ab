"""Multi-agency cases: a cross-agency complaint forwarded to three agencies makes a task
for each, DPU the lead; each agency accepts and resolves its own part from its own
queue, a task moved by the admin leaves its old agency (whose key then gets 403), the
complaint resolves only when the lead resolves after every other part, and the reporter
hears one result that combines them. A cross-institution complaint: the lead's liaison
records the day it was sent to PLN and PLN's answer, which reaches the reporter too."""

import uuid

import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e

CATEGORY = "infrastruktur_fasum"


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


def agency_key(api: Api, agency: str) -> dict:
    body = {
        "agency": agency,
        "name": f"Sistem {agency} {uuid.uuid4().hex[:6]}",
        "permissions": ["read", "accept", "return", "resolve"],
    }
    created = api.http.post("/api/v1/agency-keys", json=body, headers=api.login("supervisor1"))
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['key']}"}


def queue(api: Api, headers: dict) -> list[str]:
    answer = api.http.get("/api/v1/worklist", params={"limit": 200}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["ticket"] for item in answer.json()["items"]]


def tasks_of(view: dict) -> dict[str, str]:
    return {t["agency"]: t["status"] for t in view["tasks"]}


def test_three_agencies_each_resolve_their_part_and_the_lead_resolves_last(api):
    receipt = api.submit(
        complaint(title="Jalan amblas, saluran mampet dan rambu roboh di Jalan Pemuda")
    ).json()
    ticket = receipt["ticket"]
    api.wait_status(ticket, "awaiting_review")
    body = {"category": CATEGORY, "scope": "cross_agency", "agencies": ["dpu", "dlh", "dishub"]}
    assert api.act("officer1", ticket, "classify", body).status_code == 200
    api.wait_status(ticket, "classified")
    forwarded = api.act("admin1", ticket, "forward", {"lead": "dpu"})
    assert forwarded.status_code == 200, forwarded.text
    view = api.wait_for(ticket, lambda v: len(v["tasks"]) == 3)
    assert view["agency"] == "dpu" and [t["lead"] for t in view["tasks"]] == [True, False, False]
    assert tasks_of(view) == {"dpu": "forwarded", "dlh": "forwarded", "dishub": "forwarded"}

    dishub = agency_key(api, "dishub")
    satpolpp = agency_key(api, "satpolpp")
    api.wait_until(lambda: queue(api, api.login("dlh-admin")), lambda q: ticket in q)
    assert ticket in queue(api, dishub)

    # The admin moves Dishub's part to Satpol PP: Dishub's key loses the complaint.
    moved = api.http.post(
        f"/api/v1/complaints/{ticket}/tasks/dishub/reassign",
        json={"agency": "satpolpp", "reason": "Rambu roboh karena pedagang liar: penertiban"},
        headers=api.login("admin1"),
    )
    assert moved.status_code == 200, moved.text
    view = api.wait_for(ticket, lambda v: "satpolpp" in tasks_of(v))
    assert "dishub" not in tasks_of(view)
    assert api.http.get(f"/api/v1/complaints/{ticket}", headers=dishub).status_code == 403
    refused = api.act_with(dishub, ticket, "accept", {})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert ticket not in queue(api, dishub)
    api.wait_until(lambda: queue(api, satpolpp), lambda q: ticket in q)
    # Only an admin reassigns; only to an agency of the directory.
    assert (
        api.http.post(
            f"/api/v1/complaints/{ticket}/tasks/dlh/reassign",
            json={"agency": "dinkes", "reason": "Bukan urusan lingkungan hidup"},
            headers=api.login("dpu-admin"),
        ).status_code
        == 403
    )
    unknown = api.http.post(
        f"/api/v1/complaints/{ticket}/tasks/dlh/reassign",
        json={"agency": "dinas-tidak-ada", "reason": "Bukan urusan lingkungan hidup"},
        headers=api.login("admin1"),
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "agency"

    # Each agency moves its own task; the complaint follows the lead.
    assert api.act("dlh-admin", ticket, "accept", {}).status_code == 200
    assert api.act("dpu-admin", ticket, "accept", {}).status_code == 200
    assert api.act_with(satpolpp, ticket, "accept", {}).status_code == 200
    dlh_part = {"follow_up": "Saluran air di depan toko sudah dikuras dan dibersihkan"}
    assert api.act("dlh-admin", ticket, "resolve", dlh_part).status_code == 200
    early = api.act("dpu-admin", ticket, "resolve", {"follow_up": "Jalan sudah ditambal"})
    assert early.status_code == 409, early.text
    assert early.json()["error"] == "tasks_open"
    assert "satpolpp" in early.json()["message"]
    view = api.wait_for(ticket, lambda v: tasks_of(v)["dlh"] == "resolved")
    assert view["status"] == "accepted"
    # DLH's part is done: off its queue, still readable by it.
    api.wait_until(lambda: queue(api, api.login("dlh-admin")), lambda q: ticket not in q)
    assert api.track(ticket, "dlh-admin").status_code == 200

    satpol_part = {"follow_up": "Lapak liar ditertibkan dan rambu dipasang kembali"}
    assert api.act_with(satpolpp, ticket, "resolve", satpol_part).status_code == 200
    api.wait_for(ticket, lambda v: tasks_of(v)["satpolpp"] == "resolved")
    lead_part = {"follow_up": "Jalan yang amblas sudah diurug dan diaspal ulang"}
    resolved = api.act("dpu-admin", ticket, "resolve", lead_part)
    assert resolved.status_code == 200, resolved.text
    view = api.wait_result_conveyed(ticket)
    assert tasks_of(view) == {"dpu": "resolved", "dlh": "resolved", "satpolpp": "resolved"}

    # The reporter hears one result with every agency's part.
    notices = api.http.get(receipt["notifications_url"]).json()["notifications"]
    result = [n for n in notices if n["about"] == "resolved"][-1]["message"]
    for part in (lead_part, dlh_part, satpol_part):
        assert part["follow_up"] in result
    # Tracking shows each agency's part, on the resident's page too.
    page = api.http.get(f"/lacak/{ticket}")
    assert page.status_code == 200 and 'id="bagian-tugas"' in page.text
    assert "koordinator" in page.text and "Lapak liar ditertibkan" in page.text


def test_the_lead_records_the_outside_institutions_part(api):
    receipt = api.submit(complaint(title="Tiang listrik miring menutup trotoar")).json()
    ticket = receipt["ticket"]
    api.wait_status(ticket, "awaiting_review")
    body = {"category": CATEGORY, "scope": "cross_institution", "agencies": ["dpu", "pln"]}
    assert api.act("officer1", ticket, "classify", body).status_code == 200
    api.wait_status(ticket, "classified")
    assert api.act("admin1", ticket, "forward", {}).status_code == 200
    view = api.wait_for(ticket, lambda v: v["referrals"])
    assert [t["agency"] for t in view["tasks"]] == ["dpu"]
    assert view["referrals"][0]["institution"] == "pln"

    referral = f"/api/v1/complaints/{ticket}/referrals/pln"
    sent = {"sent_on": view["received_at"][:10]}
    # Only the lead's liaison records it, with days that make sense.
    assert api.http.post(referral, json=sent, headers=api.login("dlh-admin")).status_code == 403
    future = api.http.post(referral, json={"sent_on": "2999-01-01"}, headers=api.login("dpu-admin"))
    assert future.status_code == 422 and future.json()["field"] == "sent_on"
    other = api.http.post(
        f"/api/v1/complaints/{ticket}/referrals/pdam", json=sent, headers=api.login("dpu-admin")
    )
    assert other.status_code == 404
    assert api.http.post(referral, json=sent, headers=api.login("dpu-admin")).status_code == 200
    answered = sent | {
        "answer": "PLN UP3 Semarang sudah menegakkan tiang pada 2 Desember",
        "answered_on": sent["sent_on"],
    }
    recorded = api.http.post(referral, json=answered, headers=api.login("dpu-admin"))
    assert recorded.status_code == 200, recorded.text
    view = api.wait_for(ticket, lambda v: v["referrals"][0]["answer"])
    assert view["referrals"][0]["sent_on"] == sent["sent_on"]

    api.resolve_through(ticket, "dpu-admin", "Trotoar di sekitar tiang sudah dirapikan")
    notices = api.http.get(receipt["notifications_url"]).json()["notifications"]
    result = [n for n in notices if n["about"] == "resolved"][-1]["message"]
    assert "Trotoar di sekitar tiang" in result and "PLN UP3 Semarang" in result
