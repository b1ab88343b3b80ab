"""Satisfaction and closing (issue 12, item 5) through the gateway with every process
running: the reporter rates the result by the secret link; a rating of 1 lands in the
officers' disputed list; an undisputed result closes after 10 working days (time
injected: the stored closing instant is brought forward, as the SLA timer tests do)."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from services.sla.calendar import WorkingDays
from services.sla.holidays_id import indonesian_holidays
from tests.conftest import SMS_SECRET, SOCIAL_SECRET
from tests.e2e import test_channel_social as social
from tests.e2e.test_channel_sms import replies_to, sms
from tests.support.api import Api, complaint, new_phone, ticket_in
from tests.support.browser import check_page, sign_in
from tests.support.processes import free_port, wait_for

pytestmark = pytest.mark.e2e


def resolved_complaint(api: Api) -> tuple[str, str]:
    """A complaint resolved by DPU whose result reached the reporter; its rating URL."""
    receipt = api.submit(complaint()).json()
    ticket = receipt["ticket"]
    rating_url = receipt["notifications_url"].replace("/notifications?", "/rating?")
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Lubang sudah ditambal oleh tim DPU.")
    return ticket, rating_url


def disputed_list(api: Api) -> list[str]:
    response = api.http.get(
        "/api/v1/worklist", params={"status": "disputed"}, headers=api.login("officer1")
    )
    assert response.status_code == 200, response.text
    return [item["ticket"] for item in response.json()["items"]]


def test_rating_by_the_secret_link_refuses_bad_input_then_closes_a_satisfied_result(stack):
    api = Api(stack.url)
    receipt = api.submit(complaint()).json()
    ticket = receipt["ticket"]
    rating_url = receipt["notifications_url"].replace("/notifications?", "/rating?")
    api.wait_status(ticket, "awaiting_review")

    # before any result: refused, with a code and a reason
    early = api.http.post(rating_url, json={"rating": 4})
    assert early.status_code == 409 and early.json()["error"] == "no_result_yet"

    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Lubang sudah ditambal oleh tim DPU.")
    huge = {"rating": 3, "comment": "x" * 5000}
    for bad in ({"rating": 0}, {"rating": 6}, {"rating": "abc"}, huge):
        answer = api.http.post(rating_url, json=bad)
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] in ("rating", "comment")
    wrong = api.http.post(rating_url.split("token=")[0] + "token=salah", json={"rating": 5})
    assert wrong.status_code == 404
    staff = api.track(ticket, "officer1").json()
    assert staff["status"] == "resolved" and staff["rating"] is None  # nothing stored

    answer = api.http.post(rating_url, json={"rating": 5, "comment": "Cepat, terima kasih"})
    assert answer.status_code == 202, answer.text
    assert answer.json()["disputed"] is False and "Terima kasih" in answer.json()["message"]
    view = api.wait_status(ticket, "closed")
    assert "Pelapor memberi nilai 5 dari 5" in [e["note"] for e in view["timeline"]]
    again = api.http.post(rating_url, json={"rating": 1})
    assert again.status_code == 409 and again.json()["error"] == "already_rated"
    staff = api.track(ticket, "officer1").json()
    assert staff["rating"]["rating"] == 5 and staff["rating"]["comment"] == "Cepat, terima kasih"


def test_a_rating_of_1_lands_in_the_officers_disputed_list_and_can_be_reopened(stack, page):
    api = Api(stack.url)
    ticket, rating_url = resolved_complaint(api)
    # the resident's secret-link page offers the rating form
    token = rating_url.split("token=", 1)[1]
    page.goto(f"{stack.url}/aduan/{ticket}/pemberitahuan?token={token}")
    assert "Nilai hasil penanganan" in page.content()
    check_page(page, "pemberitahuan-penilaian")
    answer = api.http.post(rating_url, json={"rating": 1, "comment": "Lubang terbuka lagi"})
    assert answer.status_code == 202 and answer.json()["disputed"] is True
    view = api.wait_status(ticket, "disputed")
    assert ticket in disputed_list(api)

    # the officer sees it in the worklist's disputed filter and on its page, with the rating
    sign_in(page, stack.url, "officer1", "/kerja?status=disputed")
    assert page.locator(f"text={ticket}").count() >= 1
    check_page(page, "staf-daftar-disanggah")
    page.goto(f"{stack.url}/kerja/{ticket}")
    assert "Nilai 1 dari 5" in page.locator("#nilai-pelapor").inner_text()
    assert "Lubang terbuka lagi" in page.content()
    check_page(page, "staf-pengaduan-disanggah")

    # the month's report counts the rating for DPU and the category, without the comment
    month = view["received_at"][:7]
    report = api.http.get("/api/v1/reports/monthly", params={"month": month}).json()
    dpu = next(r for r in report["ratings"]["by_agency"] if r["agency"] == "dpu")
    assert dpu["rated"] >= 1 and dpu["disputed"] >= 1
    assert "infrastruktur_fasum" in [r["category"] for r in report["ratings"]["by_category"]]
    public = api.http.get(f"/laporan/{month}")
    assert public.status_code == 200 and "Penilaian pelapor" in public.text
    page.goto(f"{stack.url}/laporan/{month}")
    check_page(page, "laporan-penilaian")
    assert "Lubang terbuka lagi" not in public.text and "Lubang terbuka lagi" not in str(report)

    reason = {"reason": "Pelapor menyanggah: lubang terbuka lagi setelah hujan."}
    assert api.act("officer1", ticket, "reopen", reason).status_code == 200
    api.wait_status(ticket, "awaiting_review")
    assert ticket not in disputed_list(api)


def test_an_undisputed_result_closes_after_10_working_days_once(stack):
    api = Api(stack.url)
    ticket, _ = resolved_complaint(api)
    clocks = stack.database("sla").clocks
    clock = wait_for(
        lambda: clocks.find_one({"_id": ticket, "closing_at": {"$ne": None}}), 20, "closing"
    )
    # the deadline clock stopped when the result reached the reporter
    assert clock["running"] is False
    conveyed = clock["closing"]["conveyed_at"].replace(tzinfo=UTC)
    year = conveyed.year
    calendar = WorkingDays(indonesian_holidays(year - 1, year + 3))
    expected = calendar.due_at(conveyed, 10)
    assert clock["closing_at"].replace(tzinfo=UTC) == expected
    assert clock["closing"]["working_days"] == 10

    # nine working days on, nothing has closed it; then the tenth day ends
    time_now = datetime.now(UTC)
    clocks.update_one({"_id": ticket}, {"$set": {"closing_at": time_now + timedelta(seconds=1)}})
    view = api.wait_status(ticket, "closed", timeout=30)
    notes = [e["note"] for e in view["timeline"]]
    assert "Ditutup otomatis: tidak ada sanggahan dalam 10 hari kerja" in notes
    wait_for(lambda: clocks.find_one({"_id": ticket})["closing_at"] is None, 10, "cleared")
    events = stack.database("reporting").views.find_one({"_id": ticket})["events"]
    assert [e["type"] for e in events].count("sla.closing_due") == 1
    assert [e["type"] for e in events].count("complaint.closed") == 1


def test_rating_by_sms_reply_records_a_dispute_and_answers_each_message(stack, providers):
    api = Api(stack.url)
    phone = new_phone()
    text = "Lampu PJU di jalan Ngesrep Tembalang mati sudah 2 minggu, gelap dan rawan."
    api.webhook("sms/messages", sms(f"m-{phone}", phone, text), SMS_SECRET)
    ticket = ticket_in(replies_to(providers, phone)[0]["text"])

    # a rating before the result is refused by SMS, and stores nothing
    api.webhook("sms/messages", sms(f"early-{phone}", phone, "NILAI 5"), SMS_SECRET)
    early = replies_to(providers, phone, count=2)[-1]["text"]
    assert "belum selesai" in early

    api.classify_and_forward(ticket, "penerangan_transportasi", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Lampu PJU sudah diganti petugas.")
    result = replies_to(providers, phone, count=4)[-1]["text"]
    assert "NILAI" in result and len(result) <= 160  # the result SMS says how to rate

    api.webhook("sms/messages", sms(f"bad-{phone}", phone, "nilai 9"), SMS_SECRET)
    assert "1 sampai 5" in replies_to(providers, phone, count=5)[-1]["text"]
    reply = sms(f"rate-{phone}", phone, "Nilai 1 lampu mati lagi malam ini")
    assert api.webhook("sms/messages", reply, SMS_SECRET).status_code == 202
    assert "meninjau ulang" in replies_to(providers, phone, count=6)[-1]["text"]
    api.wait_status(ticket, "disputed")
    assert ticket in disputed_list(api)
    staff = api.track(ticket, "officer1").json()
    assert staff["rating"] == {
        "rating": 1,
        "comment": "lampu mati lagi malam ini",
        "cycle": 1,
        "channel": "sms",
        "at": staff["rating"]["at"],
    }
    # the same SMS delivered again changes nothing; a second rating is refused
    api.webhook("sms/messages", reply, SMS_SECRET)
    api.webhook("sms/messages", sms(f"again-{phone}", phone, "NILAI 5"), SMS_SECRET)
    assert "sudah Anda nilai" in replies_to(providers, phone, count=7)[-1]["text"]
    assert api.track(ticket, "officer1").json()["status"] == "disputed"


def test_rating_on_the_residents_secret_link_page(stack):
    api = Api(stack.url)
    ticket, rating_url = resolved_complaint(api)
    token = rating_url.split("token=", 1)[1]
    page_url = f"/aduan/{ticket}/pemberitahuan?token={token}"
    page = api.http.get(page_url)
    assert page.status_code == 200 and "Nilai hasil penanganan" in page.text
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
        "token": token,
        "rating_key": re.search(r'name="rating_key" value="([^"]+)"', page.text).group(1),
    }
    refused = api.http.post(f"/aduan/{ticket}/penilaian", data={**form, "rating": "9"})
    assert refused.status_code == 422 and "1 (sangat buruk) sampai 5" in refused.text
    rated = api.http.post(
        f"/aduan/{ticket}/penilaian", data={**form, "rating": "4", "comment": "Sudah baik"}
    )
    assert rated.status_code == 200 and "Terima kasih atas penilaian Anda" in rated.text
    api.wait_status(ticket, "closed")
    assert "Nilai hasil penanganan" not in api.http.get(page_url).text


def test_rating_by_social_reply_disputes_the_result(stack, providers):
    api = Api(stack.url)
    handle = f"warga_nilai_{new_phone()[-6:]}"
    mention = social.post(
        handle,
        "@pemkotsemarang Sampah menumpuk di pinggir Jl. Majapahit Gayamsari sudah seminggu.",
    )
    api.webhook("social/messages", mention, SOCIAL_SECRET)
    ticket = ticket_in(social.replies_to(providers, mention["post_id"])[0]["text"])
    api.classify_and_forward(ticket, "lingkungan_perumahan", ["dlh"])
    api.resolve_through(ticket, "dlh-admin", "Sampah sudah diangkut truk DLH pagi ini")
    result = social.replies_to(providers, mention["post_id"], count=3)[-1]["text"]
    assert "NILAI" in result and len(result) <= 280

    answer = social.post(handle, "@pemkotsemarang nilai 2 sampahnya menumpuk lagi")
    assert api.webhook("social/messages", answer, SOCIAL_SECRET).status_code == 202
    [said] = social.replies_to(providers, answer["post_id"])
    assert "meninjau ulang" in said["text"] and said["handle"] == handle
    api.wait_status(ticket, "disputed")
    assert ticket in disputed_list(api)
    assert api.track(ticket, "officer1").json()["rating"]["channel"] == "media_sosial"


def test_two_sla_instances_close_each_complaint_once(stack):
    api = Api(stack.url)
    stack.start("sla#2", ADUAN_METRICS_PORT_SLA=str(free_port()))
    try:
        tickets = [resolved_complaint(api)[0] for _ in range(2)]
        clocks = stack.database("sla").clocks
        for ticket in tickets:
            wait_for(lambda t=ticket: clocks.find_one({"_id": t})["closing_at"], 20, "closing")
            due = datetime.now(UTC) + timedelta(seconds=1.5)
            clocks.update_one({"_id": ticket}, {"$set": {"closing_at": due}})
        for ticket in tickets:
            api.wait_status(ticket, "closed", timeout=30)
        time.sleep(2)  # further sweeps of either instance change nothing
        views = stack.database("reporting").views
        for ticket in tickets:
            kinds = [e["type"] for e in views.find_one({"_id": ticket})["events"]]
            assert kinds.count("sla.closing_due") == 1 and kinds.count("complaint.closed") == 1
    finally:
        stack.kill("sla#2")
