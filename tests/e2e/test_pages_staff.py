"""The staff pages in a real browser (Chromium through Playwright) against the running
system: a resident submits on the residents' page; the officer signs in, finds it in
the worklist with triage's suggestion and classifies; the admin forwards; the agency
liaison accepts and resolves; the public tracking page shows the whole timeline. And:
another agency's complaint is a 403 page, a form without its CSRF token changes
nothing, a signed-out browser is sent to sign in, a script title stays text. axe-core
checks every page; screenshots go to artifacts/screenshots/."""

import re
import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.support.api import Api, complaint
from tests.support.browser import check_page, png_photo, sign_in, staff_page

pytestmark = pytest.mark.e2e

WORKLIST = "/kerja"


def reload_until(page: Page, *texts: str, timeout: float = 20) -> None:
    """The read model is built from events: reload until the page shows every text."""
    deadline = time.monotonic() + timeout
    while not all(page.get_by_text(text, exact=False).count() for text in texts):
        assert time.monotonic() < deadline, f"{texts!r} never all shown on {page.url}"
        time.sleep(0.3)
        page.reload()


def forwarded_to_dpu(api: Api, **overrides) -> str:
    """A complaint classified for and forwarded to DPU through the API."""
    ticket = api.submit(complaint(**overrides)).json()["ticket"]
    api.wait_for(ticket, lambda v: v["status"] == "awaiting_review")
    body = {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]}
    assert api.act("officer1", ticket, "classify", body).status_code == 200
    api.wait_for(ticket, lambda v: v["status"] == "classified")
    assert api.act("admin1", ticket, "forward", {"agency": "dpu"}).status_code == 200
    api.wait_for(ticket, lambda v: v["status"] == "forwarded")
    return ticket


def test_a_complaint_goes_through_the_six_steps_on_the_pages(stack, browser, page, tmp_path):
    api = Api(stack.url)
    # 1. A resident submits on the residents' page, with a photo.
    marker = uuid.uuid4().hex[:6]
    title = f"Jalan berlubang besar di Jalan Ngesrep Timur {marker}"
    # Staff find it among the session's complaints with the worklist's search.
    found = f"{WORKLIST}?cari={marker}"
    page.goto(stack.url + "/")
    page.get_by_label("Judul").fill(title)
    page.get_by_label("Uraian").fill("Jalan rusak berlubang besar dan aspal mengelupas, bahaya.")
    page.get_by_label("Kecamatan").select_option("Tembalang")
    page.get_by_label("Foto pendukung").set_input_files(str(png_photo(tmp_path / "jalan.png")))
    page.get_by_label("Lapor tanpa nama").check()
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_url(re.compile(r"/tanda-terima$"))
    ticket = page.locator("#nomor-tiket").inner_text()

    # 2. The officer signs in (sent there by the worklist), finds it, reads the suggestion.
    officer = staff_page(browser)
    officer.goto(stack.url + WORKLIST)
    expect(officer.get_by_role("heading", level=1)).to_have_text("Masuk untuk petugas")
    check_page(officer, "staf-masuk")
    officer.get_by_label("Nama pengguna").fill("officer1")
    officer.get_by_label("Kata sandi").fill(PASSWORD)
    officer.get_by_role("button", name="Masuk").click()
    officer.wait_for_url(stack.url + WORKLIST)
    # The filter form (a GET form): the words of the title, Tembalang, the app channel.
    officer.get_by_label("Cari kata").fill(marker)
    officer.locator("#s-kecamatan").select_option("Tembalang")
    officer.locator("#s-saluran").select_option("sapambakita")
    officer.get_by_role("button", name="Terapkan").click()
    officer.wait_for_url(re.compile(rf"/kerja\?.*cari={marker}"))
    reload_until(officer, ticket)
    expect(officer.locator("#daftar-kerja > li")).to_have_count(1)
    expect(officer.locator("#daftar-kerja")).to_contain_text(title)
    check_page(officer, "staf-daftar-petugas")
    officer.get_by_role("link", name=ticket).click()
    officer.wait_for_url(f"{stack.url}/kerja/{ticket}")
    review = api.http.get(f"/api/v1/complaints/{ticket}/review", headers=api.login("officer1"))
    suggestion = review.json()["suggestion"]
    reload_until(officer, "Saran sistem")
    expect(officer.locator("#keyakinan")).to_have_text(f"{round(suggestion['confidence'] * 100)}%")
    for word in suggestion["category_words"]:
        expect(officer.locator("#kata-saran")).to_contain_text(word)
    # The photo is shown inline through the staff attachment endpoint.
    photo = officer.locator("#lampiran img")
    expect(photo).to_have_count(1)
    assert officer.evaluate("img => img.complete && img.naturalWidth", photo.element_handle()) == 24
    # The classification starts from the suggestion.
    if suggestion["category"]:
        expect(officer.get_by_label("Kategori")).to_have_value(suggestion["category"])
    check_page(officer, "staf-pengaduan-petugas")
    officer.get_by_label("Kategori").select_option("infrastruktur_fasum")
    officer.get_by_label("Cakupan penanganan").select_option("single_agency")
    officer.get_by_label("Perangkat daerah", exact=True).select_option(["dpu"])
    officer.get_by_role("button", name="Simpan klasifikasi").click()
    expect(officer.locator("#berhasil")).to_be_visible()
    api.wait_for(ticket, lambda v: v["status"] == "classified")
    # Signing out ends the session: the worklist sends the browser to sign in again.
    officer.get_by_role("button", name="Keluar").click()
    officer.wait_for_url(f"{stack.url}/masuk?keluar=1")
    officer.goto(stack.url + "/kerja")
    officer.wait_for_url(re.compile(r"/masuk\?next=/kerja$"))

    # 3. The admin forwards it to DPU.
    admin = staff_page(browser)
    sign_in(admin, stack.url, "admin1", found)
    reload_until(admin, ticket)
    check_page(admin, "staf-daftar-admin")
    admin.get_by_role("link", name=ticket).click()
    expect(admin.get_by_label("Perangkat daerah tujuan")).to_have_value("dpu")
    check_page(admin, "staf-pengaduan-admin")
    admin.get_by_role("button", name="Teruskan").click()
    expect(admin.locator("#berhasil")).to_be_visible()
    api.wait_for(ticket, lambda v: v["status"] == "forwarded")

    # 4. DPU's liaison accepts and resolves.
    liaison = staff_page(browser)
    sign_in(liaison, stack.url, "dpu-admin", found)
    reload_until(liaison, ticket)
    check_page(liaison, "staf-daftar-perangkat-daerah")
    liaison.get_by_role("link", name=ticket).click()
    check_page(liaison, "staf-pengaduan-perangkat-daerah")
    liaison.get_by_role("button", name="Terima pengaduan").click()
    expect(liaison.locator("#berhasil")).to_be_visible()
    api.wait_for(ticket, lambda v: v["status"] == "accepted")
    reload_until(liaison, "Simpan tindak lanjut")
    # Too short: the service's refusal shows beside the form, in Indonesian.
    liaison.get_by_label("Tindak lanjut").fill("Sudah")
    liaison.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(liaison.locator("#e-selesaikan")).to_contain_text("Tindak lanjut: minimal 10 karakter")
    liaison.get_by_label("Tindak lanjut").fill("Lubang jalan sudah ditambal dan diaspal ulang.")
    liaison.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(liaison.locator("#berhasil")).to_be_visible()

    # 5. The public tracking page shows the whole timeline.
    page.goto(f"{stack.url}/lacak/{ticket}")
    reload_until(
        page,
        "Diverifikasi dan dikelompokkan oleh petugas",
        "Diteruskan ke perangkat daerah",
        "Diteruskan ke Dinas Pekerjaan Umum",
        "Diterima perangkat daerah untuk ditangani",
        "Selesai ditindaklanjuti perangkat daerah",
        "Lubang jalan sudah ditambal",
    )
    expect(page.locator("#riwayat")).to_contain_text("Pengaduan diterima")
    assert [p.dialogs for p in (page, officer, admin, liaison)] == [[], [], [], []]


def test_an_agency_liaison_cannot_open_another_agencys_complaint(stack, browser):
    ticket = forwarded_to_dpu(Api(stack.url))
    dlh = staff_page(browser)
    sign_in(dlh, stack.url, "dlh-admin", WORKLIST)
    expect(dlh.locator("main")).not_to_contain_text(ticket)
    answer = dlh.goto(f"{stack.url}/kerja/{ticket}")
    assert answer.status == 403
    expect(dlh.get_by_role("heading", level=1)).to_have_text("Akses ditolak")
    assert "Jalan berlubang" not in dlh.content()
    check_page(dlh, "staf-akses-ditolak")
    # Nor its photos or its forms.
    refused = dlh.request.post(f"{stack.url}/kerja/{ticket}/terima", form={"x": "1"})
    assert refused.status == 403


def test_a_staff_form_posted_without_its_csrf_token_changes_nothing(stack, browser):
    api = Api(stack.url)
    ticket = api.submit(complaint()).json()["ticket"]
    api.wait_for(ticket, lambda v: v["status"] == "awaiting_review")
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", f"/kerja/{ticket}")
    reason = {"reason": "Pengaduan ini bukan wewenang Pemerintah Kota Semarang."}
    for form in (reason, reason | {"csrf_token": "forged.token.value"}):
        refused = officer.request.post(f"{stack.url}/kerja/{ticket}/tolak", form=form)
        assert refused.status == 403
        assert "Formulir tidak dapat diterima" in refused.text()
    time.sleep(1)  # a rejection, had it been taken, would be in the read model by now
    review = api.http.get(f"/api/v1/complaints/{ticket}/review", headers=api.login("officer1"))
    assert review.json()["decisions"] == []
    assert api.track(ticket, "officer1").json()["status"] == "awaiting_review"


def test_a_signed_out_browser_is_sent_to_the_sign_in_page(stack, page):
    answer = page.goto(f"{stack.url}/kerja/SMG-2026-000001")
    assert answer.url == f"{stack.url}/masuk?next=/kerja/SMG-2026-000001"
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk untuk petugas")
    page.get_by_label("Nama pengguna").fill("officer1")
    page.get_by_label("Kata sandi").fill("bukan kata sandinya")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_have_text("Nama pengguna atau kata sandi salah.")
    check_page(page, "staf-masuk-salah")


def test_a_script_title_is_shown_as_text_on_the_staff_pages(stack, browser):
    api = Api(stack.url)
    script = "<script>alert(1)</script>"
    ticket = api.submit(complaint(title=script)).json()["ticket"]
    api.wait_for(ticket, lambda v: v["status"] == "awaiting_review")
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", WORKLIST + "?cari=alert%281%29")
    reload_until(officer, ticket)
    item = officer.locator("#daftar-kerja li").filter(has_text=ticket)
    expect(item.locator(".item-title")).to_have_text(script)
    officer.goto(f"{stack.url}/kerja/{ticket}")
    expect(officer.locator("#judul-pengaduan")).to_have_text(script)
    assert officer.dialogs == []


def test_an_officer_pauses_and_resumes_the_clock_on_the_complaint_page(stack, browser):
    api = Api(stack.url)
    ticket = api.submit(complaint()).json()["ticket"]
    api.wait_for(ticket, lambda v: v["status"] == "awaiting_review" and v["deadline"])
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", f"/kerja/{ticket}")
    expect(officer.get_by_role("button", name="Lanjutkan", exact=True)).to_have_count(0)
    officer.get_by_role("button", name="Hentikan sementara").click()
    expect(officer.locator("#berhasil")).to_contain_text("Batas waktu dihentikan sementara")
    history = f"/api/v1/complaints/{ticket}/sla"
    assert api.http.get(history, headers=api.login("officer1")).json()["state"] == "paused"
    reload_until(officer, "Lanjutkan batas waktu")
    expect(officer.get_by_role("button", name="Hentikan sementara")).to_have_count(0)
    check_page(officer, "staf-waktu-dihentikan")
    officer.get_by_role("button", name="Lanjutkan", exact=True).click()
    expect(officer.locator("#berhasil")).to_contain_text("Batas waktu berjalan lagi")
    resumed = api.http.get(history, headers=api.login("officer1")).json()
    assert resumed["state"] != "paused"
    reload_until(officer, "karena jeda menunggu keterangan pelapor")
