"""One complaint's whole life through the gateway: the brief's six steps."""

import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


def test_a_complaint_goes_from_submission_to_closed(stack):
    api = Api(stack.url)

    # 1. received and recorded, with a ticket
    response = api.submit(complaint())
    assert response.status_code == 202, response.text
    receipt = response.json()
    ticket = receipt["ticket"]
    assert ticket.startswith("SMG-20") and receipt["status"] == "received"
    assert receipt["tracking_url"].endswith(f"/api/v1/complaints/{ticket}")

    # triage suggested a category; sla set a provisional deadline
    view = api.wait_for(ticket, lambda v: v["status"] == "awaiting_review" and v["deadline"])
    assert view["deadline"]["working_days"] == 5
    officer_items = api.http.get("/api/v1/worklist", headers=api.login("officer1")).json()
    assert ticket in [item["ticket"] for item in officer_items["items"]]

    # 2. the officer classifies: several city agencies, so 10 working days
    response = api.act(
        "officer1",
        ticket,
        "classify",
        {
            "category": "infrastruktur_fasum",
            "scope": "cross_agency",
            "agencies": ["dpu", "dlh"],
        },
    )
    assert response.status_code == 200, response.text
    view = api.wait_for(
        ticket, lambda v: v["status"] == "classified" and v["deadline"]["working_days"] == 10
    )
    assert view["category"] == "infrastruktur_fasum"

    # 3. the admin forwards it to the lead agency
    assert api.act("admin1", ticket, "forward", {"agency": "dpu"}).status_code == 200
    api.wait_status(ticket, "forwarded")

    # 4. the agency accepts it; DLH, the other agency named, does its own part
    assert api.act("dpu-admin", ticket, "accept").status_code == 200
    api.wait_status(ticket, "accepted")
    assert api.act("dlh-admin", ticket, "accept").status_code == 200
    dlh_part = {"follow_up": "Saluran di tepi jalan sudah dibersihkan DLH."}
    assert api.act("dlh-admin", ticket, "resolve", dlh_part).status_code == 200

    # 5. the agency resolves it, saying what was done
    follow_up = "Lubang sudah ditambal oleh tim DPU pada hari Kamis."
    assert api.act("dpu-admin", ticket, "resolve", {"follow_up": follow_up}).status_code == 200

    # 6. the result reaches the reporter, who rates it satisfied: the complaint closes
    api.wait_result_conveyed(ticket)
    rating_url = receipt["notifications_url"].replace("/notifications?", "/rating?")
    assert api.http.post(rating_url, json={"rating": 5}).status_code == 202
    view = api.wait_status(ticket, "closed")
    events = [entry["event"] for entry in view["timeline"]]
    assert [event for event in events if event != "reporter.notified"] == [
        "complaint.received",
        "complaint.triaged",
        "complaint.classified",
        "complaint.forwarded",
        "complaint.accepted",
        "complaint.task_accepted",
        "complaint.task_resolved",
        "complaint.resolved",
        "reporter.rated",
        "complaint.closed",
    ]
    # The reporter heard of the receipt, the forwarding and the result, then rated it.
    assert events.count("reporter.notified") == 3
    assert events[-3:] == ["reporter.notified", "reporter.rated", "complaint.closed"]
    assert [entry["at"] for entry in view["timeline"]] == sorted(
        entry["at"] for entry in view["timeline"]
    )
    assert view["deadline"]["due_at"].endswith("23:59:59+07:00")
    assert any(follow_up in (entry["note"] or "") for entry in view["timeline"])

    # the reporter reads the receipt and the result in the app, in Bahasa Indonesia
    notices = api.http.get(receipt["notifications_url"]).json()["notifications"]
    assert [n["about"] for n in notices] == ["received", "forwarded", "resolved"]
    assert notices[2]["channel"] == "sapambakita"
    assert "telah ditindaklanjuti" in notices[2]["message"]

    # and the month's report counts it as resolved
    month = view["received_at"][:7]
    report = api.http.get("/api/v1/reports/monthly", params={"month": month}).json()
    assert report["by_category"]["infrastruktur_fasum"] >= 1
    assert report["by_status"]["closed"] >= 1
    assert 0 < report["resolution_rate"] <= 1


def test_an_agency_can_return_a_complaint_to_the_officers(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, "lingkungan_perumahan", ["dlh"])

    response = api.act("dlh-admin", ticket, "return", {"reason": "Jalan adalah wewenang DPU."})
    assert response.status_code == 200, response.text
    api.wait_status(ticket, "returned")

    # the officers decide again; the same complaint goes to the right agency
    response = api.act(
        "officer1",
        ticket,
        "classify",
        {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]},
    )
    assert response.status_code == 200, response.text
    view = api.wait_status(ticket, "classified")
    assert view["agency"] is None
    assert api.act("admin1", ticket, "forward", {}).status_code == 200
    assert api.wait_status(ticket, "forwarded")["agency"] == "dpu"


def test_a_rejected_complaint_tells_the_reporter_why(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    reason = "Laporan tidak sesuai fakta di lapangan."
    assert api.act("officer1", ticket, "reject", {"reason": reason}).status_code == 200
    view = api.wait_for(
        ticket,
        lambda v: (
            v["status"] == "rejected" and "reporter.notified" in [e["event"] for e in v["timeline"]]
        ),
    )
    assert any(reason in (entry["note"] or "") for entry in view["timeline"])


def test_a_disputed_result_reopens_the_complaint_on_a_new_sla_cycle(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    assert api.act("dpu-admin", ticket, "accept").status_code == 200
    api.wait_status(ticket, "accepted")
    api.act("dpu-admin", ticket, "resolve", {"follow_up": "Lubang sudah ditambal kemarin."})
    api.wait_result_conveyed(ticket)

    reason = {"reason": "Pelapor: lubang terbuka lagi setelah hujan."}
    assert api.act("admin1", ticket, "reopen", reason).status_code == 403
    response = api.act("officer1", ticket, "reopen", reason)
    assert response.status_code == 200, response.text
    view = api.wait_status(ticket, "awaiting_review")
    assert view["agency"] is None and "Dibuka kembali" in view["timeline"][-1]["note"]
    history = api.http.get(f"/api/v1/complaints/{ticket}/sla", headers=api.login("officer1")).json()
    assert history["deadlines"][-1]["reason"] == "reopened (cycle 2)"
    assert history["state"] == "on_track"
    assert api.act("officer1", ticket, "reopen", reason).status_code == 409

    # and the flow runs again
    api.act(
        "officer1",
        ticket,
        "classify",
        {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]},
    )
    api.wait_status(ticket, "classified")
