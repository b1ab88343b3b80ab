"""Notices that reach people (issue 12): an SLA breach goes by e-mail (a real SMTP
server, aiosmtpd) and WhatsApp (a local stand-in for the Cloud API) to the agency's
head, its admin and the supervisors who gave their contact details, once: after the sla
service is restarted, after staff_notices is restarted, and when the event comes again."""

import time
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from services.chassis.publisher import EventPublisher
from tests.conftest import PASSWORD, WHATSAPP_NUMBER_ID
from tests.support.api import Api
from tests.support.browser import check_page, sign_in, staff_page
from tests.support.clock import bring_timer_forward
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

HEAD = ("kadis-dpu", "kadis@dpu.semarangkota.go.id", "0812-3456-7001")


@pytest.fixture(scope="module")
def api(stack) -> Api:
    """The DPU's head (made by aduan-admin, which announces it), with contact details;
    the supervisor's and the DPU admin's e-mail."""
    created = stack.admin(
        "create-user", HEAD[0], "--role", "agency_head", "--agency", "dpu",
        "--password-stdin", password=PASSWORD,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    client = Api(stack.url)
    contacts = {
        HEAD[0]: {"email": HEAD[1], "whatsapp": HEAD[2]},
        "supervisor1": {"email": "pengawas1@semarangkota.go.id"},
        "dpu-admin": {"email": "admin@dpu.semarangkota.go.id"},
    }
    for username, body in contacts.items():
        answer = client.http.put("/api/v1/me/contact", json=body, headers=client.login(username))
        assert answer.status_code == 200, answer.text
    return client


def test_staff_read_and_set_their_own_contact_details(api):
    headers = api.login(HEAD[0])
    found = api.http.get("/api/v1/me/contact", headers=headers).json()
    assert found == {"username": HEAD[0], "email": HEAD[1], "whatsapp": "+6281234567001"}
    refused = api.http.put("/api/v1/me/contact", json={"email": "kadis"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"] == "invalid_field" and refused.json()["field"] == "email"
    assert "e-mail address" in refused.json()["message"]
    unknown = api.http.put("/api/v1/me/contact", json={"telepon": "1"}, headers=headers)
    assert unknown.status_code == 422
    # Nothing refused was stored.
    assert api.http.get("/api/v1/me/contact", headers=headers).json() == found
    assert api.http.get("/api/v1/me/contact").status_code == 401


def test_a_breach_mails_the_head_and_the_supervisor_once_across_restarts(stack, api, providers):
    mail, whatsapp = providers["mail"], providers["whatsapp"]
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.wait_for(ticket, lambda v: v.get("deadline") is not None)
    # The breach falls due while sla is down; the restarted sla fires it.
    stack.kill("sla")
    bring_timer_forward(stack, ticket, "breach", 1)
    time.sleep(1.5)
    stack.start("sla")
    stack.wait_service("sla")

    subject = f"Melewati batas waktu: pengaduan {ticket}"
    to_head = mail.wait_for(HEAD[1], subject)
    to_supervisor = mail.wait_for("pengawas1@semarangkota.go.id", subject)
    mail.wait_for("admin@dpu.semarangkota.go.id", subject)
    assert "melewati batas waktu penyelesaian" in to_head.get_content()
    assert f"/kerja/{ticket}" in to_supervisor.get_content()
    # The same stand-in takes the residents' WhatsApp channel's messages (some templates).
    [message] = whatsapp.wait_for(lambda m: ticket in text_of(m))
    assert message["_path"] == f"/{WHATSAPP_NUMBER_ID}/messages"
    assert message["to"] == "6281234567001" and message["messaging_product"] == "whatsapp"

    # sla and staff_notices restarted, and the very event published again (a relay
    # that lost the broker's confirm): no notice goes out twice.
    stack.kill("sla")
    stack.start("sla")
    stack.kill("staff_notices")
    stack.start("staff_notices")
    stack.wait_service("sla")
    stack.wait_service("staff_notices")
    deliveries = stack.database("staff_notices").deliveries
    delivered = wait_for(
        lambda: [d for d in deliveries.find({"ticket": ticket}) if d["status"] == "delivered"],
        20,
        "the deliveries' record",
    )
    view = stack.database("reporting").views.find_one({"_id": ticket})
    [breach] = [e for e in view["events"] if e["type"] == "sla.breached"]
    assert delivered[0]["_id"].startswith(breach["event_id"] + ":")
    again = {key: breach[key] for key in ("event_id", "type", "version", "ticket", "data")}
    again["occurred_at"] = datetime.now(UTC).isoformat()
    EventPublisher(stack.vhost.uri)(again)
    time.sleep(4)  # sweeps, relays and the redelivered event change nothing
    assert len(mail.messages(HEAD[1], subject)) == 1
    assert len(mail.messages("pengawas1@semarangkota.go.id", subject)) == 1
    assert len([m for m in whatsapp.messages() if ticket in text_of(m)]) == 1
    records = list(deliveries.find({"ticket": ticket}))
    assert sorted((d["to"]["username"], d["to"]["medium"], d["status"]) for d in records) == [
        ("dpu-admin", "email", "delivered"),
        (HEAD[0], "email", "delivered"),
        (HEAD[0], "whatsapp", "delivered"),
        ("supervisor1", "email", "delivered"),
    ]
    assert all(d["attempts"] == 1 for d in records)
    listed = api.http.get(
        f"/api/v1/complaints/{ticket}/staff-notices", headers=api.login("supervisor1")
    )
    assert listed.status_code == 200
    assert {d["status"] for d in listed.json()["deliveries"]} == {"delivered"}
    assert len(listed.json()["deliveries"]) == 4
    as_officer = api.http.get(
        f"/api/v1/complaints/{ticket}/staff-notices", headers=api.login("officer1")
    )
    assert as_officer.status_code == 403


def test_a_staff_member_sets_its_contact_on_the_kontak_page(stack, browser):
    """In a real browser: the form, a refused number said in Indonesian beside its field
    (nothing stored), then saved, and the API reads what the page saved."""
    officer = staff_page(browser)
    sign_in(officer, stack.url, "dlh-admin", "/kerja/kontak")
    expect(officer.get_by_role("heading", name="Kontak saya")).to_be_visible()
    check_page(officer, "kerja-kontak")
    officer.get_by_label("Alamat e-mail").fill("admin@dlh.semarangkota.go.id")
    officer.get_by_label("Nomor WhatsApp").fill("nomor saya")
    officer.get_by_role("button", name="Simpan").click()
    expect(officer.get_by_role("alert")).to_contain_text("Nomor WhatsApp tidak dapat dipakai")
    expect(officer.get_by_label("Nomor WhatsApp")).to_have_attribute("aria-invalid", "true")
    check_page(officer, "kerja-kontak-ditolak")
    api = Api(stack.url)
    before = api.http.get("/api/v1/me/contact", headers=api.login("dlh-admin")).json()
    assert before["email"] is None and before["whatsapp"] is None
    officer.get_by_label("Nomor WhatsApp").fill("0812 3456 7002")
    officer.get_by_role("button", name="Simpan").click()
    expect(officer.locator("#tersimpan")).to_contain_text("Kontak Anda tersimpan")
    expect(officer.get_by_label("Nomor WhatsApp")).to_have_value("+6281234567002")
    saved = api.http.get("/api/v1/me/contact", headers=api.login("dlh-admin")).json()
    assert saved == {
        "username": "dlh-admin",
        "email": "admin@dlh.semarangkota.go.id",
        "whatsapp": "+6281234567002",
    }


def test_account_changes_reach_staff_notices_and_the_gateway_start_resyncs(stack, api):
    """A supervisor's change through the API is announced at once; an account whose
    announcement was lost is announced again when the gateway starts."""
    staff = stack.database("staff_notices").staff
    supervisor = api.login("supervisor1")
    created = api.http.post(
        "/api/v1/users", json={"username": "kadis-dlh", "role": "agency_head", "agency": "dlh"},
        headers=supervisor,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    wait_for(lambda: (staff.find_one({"_id": "kadis-dlh"}) or {}).get("role"), 20, "the account")
    disabled = api.http.post("/api/v1/users/kadis-dlh/disable", headers=supervisor)
    assert disabled.status_code == 200
    wait_for(lambda: staff.find_one({"_id": "kadis-dlh"})["active"] is False, 20, "the disable")

    staff.delete_one({"_id": "officer1"})  # as if its announcement never arrived
    stack.kill("gateway")
    stack.start("gateway")
    stack.wait_gateway()
    found = wait_for(lambda: staff.find_one({"_id": "officer1"}), 30, "the resync")
    assert (found["role"], found["active"]) == ("officer", True)
    assert staff.find_one({"_id": "kadis-dlh"})["active"] is False


def test_the_weekly_digest_is_mailed_to_the_supervisor_and_the_agency_head(stack, api, providers):
    """sla records the week's digest with its event (from Monday 08:00 WIB, all week);
    staff_notices mails it: the supervisor every agency's count, the head its own."""
    mail = providers["mail"]
    ticket = api.submit().json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.wait_for(ticket, lambda v: v.get("deadline") is not None)
    stack.kill("sla")
    # Overdue, and this week's digest not yet recorded (sla writes it at its first sweep).
    clocks = stack.database("sla").clocks
    clocks.update_one({"_id": ticket}, {"$set": {"due_at": datetime.now(UTC)}})
    stack.database("sla").digests.delete_many({})
    stack.start("sla")
    stack.wait_service("sla")
    to_head = mail.wait_for(HEAD[1], "Ringkasan mingguan")
    to_supervisor = mail.wait_for("pengawas1@semarangkota.go.id", "Ringkasan mingguan")
    assert ticket in to_head.get_content() and ticket in to_supervisor.get_content()
    assert "DPU:" in to_head.get_content()
    assert "DLH" not in to_head.get_content()  # its own agency's overdue complaints only


def text_of(message: dict) -> str:
    return message.get("text", {}).get("body", "")
