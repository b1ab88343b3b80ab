"""The residents' pages in a real browser (Chromium through Playwright) against the
running system: submit with a photo, the receipt with the secret link (once), tracking,
the secret-link page with its notices and the answer to the question an officer asked
on the staff complaint page (the clock resumes); a form without its CSRF
token changes nothing; user text stays text; unknown tickets get the Indonesian 404
page. axe-core checks every page; screenshots go to artifacts/screenshots/."""

import re
import time
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.api import Api, complaint
from tests.support.browser import TICKET, check_page, png_photo, sign_in, staff_page

pytestmark = pytest.mark.e2e


def count(stack) -> int:
    return stack.database("intake").complaints.count_documents({})


def reload_until(page: Page, *texts: str, timeout: float = 20) -> None:
    """The read model is built from events: reload until the page shows every text."""
    deadline = time.monotonic() + timeout
    while not all(page.get_by_text(text).count() for text in texts):
        assert time.monotonic() < deadline, f"{texts!r} never all shown on {page.url}"
        time.sleep(0.3)
        page.reload()


def test_a_resident_submits_tracks_and_answers_through_the_pages(stack, browser, page, tmp_path):
    api = Api(stack.url)
    page.goto(stack.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sampaikan pengaduan Anda")
    check_page(page, "beranda")

    # A resident fills the form with a photo and submits.
    title = f"Lampu jalan mati di Jalan Ngesrep Timur {uuid.uuid4().hex[:6]}"
    page.get_by_label("Judul").fill(title)
    page.get_by_label("Uraian").fill("Sudah seminggu lampu jalan mati, jalan gelap dan rawan.")
    page.get_by_label("Kecamatan").select_option("Tembalang")
    page.get_by_label("Kelurahan").fill("Sumurboto")
    page.get_by_label("Alamat atau patokan").fill("Jl. Ngesrep Timur V, depan masjid")
    page.get_by_label("Foto pendukung").set_input_files(str(png_photo(tmp_path / "lampu.png")))
    page.get_by_label("Nama", exact=True).fill("Siti Rahayu")
    page.get_by_label("Nomor telepon").fill("081234567890")
    page.get_by_role("button", name="Kirim pengaduan").click()

    # The receipt: ticket number and the secret link, with the warning.
    page.wait_for_url(re.compile(r"/aduan/SMG-\d{4}-\d+/tanda-terima$"))
    ticket = page.locator("#nomor-tiket").inner_text()
    assert TICKET.fullmatch(ticket)
    expect(page.get_by_text("Tautan hanya ditampilkan sekali")).to_be_visible()
    secret = page.locator("#tautan-rahasia").get_attribute("href")
    assert secret.startswith(f"{stack.url}/aduan/{ticket}/pemberitahuan?token=")
    check_page(page, "tanda-terima")
    # Shown once: the same receipt page again has no secret link.
    page.reload()
    expect(page.locator("#tautan-rahasia")).to_have_count(0)
    expect(page.locator("#nomor-tiket")).to_have_text(ticket)

    # Recorded through intake like an app complaint, with the photo.
    staff_view = api.wait_for(ticket, lambda v: v["status"] == "awaiting_review")
    staff_view = api.track(ticket, "officer1").json()
    assert staff_view["title"] == title and staff_view["channel"] == "sapambakita"
    assert [a["content_type"] for a in staff_view["attachments"]] == ["image/png"]

    # Tracking: the form, then the public timeline with Indonesian labels.
    page.goto(stack.url + "/lacak")
    check_page(page, "lacak")
    page.get_by_label("Nomor tiket").fill(ticket.lower())
    page.get_by_role("button", name="Lacak").click()
    page.wait_for_url(f"{stack.url}/lacak/{ticket}")
    reload_until(page, "Diperiksa sistem, menunggu verifikasi petugas", "Sisa waktu")
    expect(page.locator("#riwayat")).to_contain_text("Pengaduan diterima")
    expect(page.locator("#judul-pengaduan")).to_have_text(title)
    expect(page.locator("#sisa")).to_contain_text("hari kerja")
    assert "Siti" not in page.content() and "081234567890" not in page.content()
    check_page(page, "lacak-pengaduan")

    # The secret-link page: the receipt notice.
    page.goto(secret)
    expect(page.locator("#pemberitahuan")).to_contain_text("Tanda terima")
    expect(page.locator("#pemberitahuan")).to_contain_text(ticket)
    check_page(page, "pemberitahuan")

    # The officer asks a question on the complaint's page; the resident answers on the
    # secret-link page.
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", f"/kerja/{ticket}")
    officer.get_by_label("Pertanyaan").fill("Mohon sebutkan nomor tiang lampu terdekat.")
    officer.get_by_role("button", name="Kirim pertanyaan").click()
    expect(officer.locator("#berhasil")).to_be_visible()
    api.wait_until(
        lambda: api.track(ticket, "officer1").json(), lambda v: v["deadline"]["state"] == "paused"
    )
    reload_until(page, "Petugas menunggu keterangan Anda")
    expect(page.locator(".question")).to_contain_text("nomor tiang lampu")
    check_page(page, "pemberitahuan-pertanyaan")
    page.get_by_label("Jawaban Anda").fill("Tiang nomor 17, tepat di depan masjid.")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Jawaban Anda sudah kami terima")).to_be_visible()
    # Recorded for the officers, and the clock paused for the reporter runs again.
    api.wait_until(
        lambda: api.track(ticket, "officer1").json(),
        lambda v: (
            any("Tiang nomor 17" in r["text"] for r in v.get("replies", []))
            and v["deadline"]["state"] != "paused"
        ),
    )
    assert page.dialogs == []


def test_intake_refusals_show_next_to_the_form_with_the_typed_values(stack, page):
    before = count(stack)
    page.goto(stack.url + "/")
    page.get_by_label("Uraian").fill("Sampah menumpuk di pinggir jalan sejak minggu lalu.")
    page.get_by_label("Kecamatan").select_option("Genuk")
    page.get_by_label("Lapor tanpa nama").check()
    with page.expect_response(lambda r: r.url.endswith("/aduan")) as answer:
        page.get_by_role("button", name="Kirim pengaduan").click()
    assert answer.value.status == 422
    expect(page.locator("#e-title")).to_have_text("Judul: wajib diisi.")
    expect(page.get_by_label("Uraian")).to_have_value(
        "Sampah menumpuk di pinggir jalan sejak minggu lalu."
    )
    expect(page.get_by_label("Kecamatan")).to_have_value("Genuk")
    expect(page.get_by_label("Lapor tanpa nama")).to_be_checked()
    check_page(page, "beranda-isian-salah")
    assert count(stack) == before


def test_a_form_posted_without_its_csrf_token_changes_nothing(stack):
    before = count(stack)
    fields = {
        "title": "Pengaduan dari situs lain",
        "description": "Formulir ini dikirim tanpa token CSRF dari halaman Aduan.",
        "kecamatan": "Tugu",
        "anonymous": "ya",
        "idempotency_key": uuid.uuid4().hex,
    }
    with httpx.Client(base_url=stack.url, timeout=15) as client:
        # A browser that has visited the site holds the cookie; the form lacks the token.
        client.get("/")
        refused = client.post("/aduan", data=fields)
        forged = client.post("/aduan", data=fields | {"csrf_token": "forged.token.value"})
        other = httpx.post(stack.url + "/aduan", data=fields, timeout=15)  # no cookie at all
    for response in (refused, forged, other):
        assert response.status_code == 403
        assert "Formulir tidak dapat diterima" in response.text
        assert response.headers["content-type"].startswith("text/html")
    assert count(stack) == before


def test_a_script_in_a_title_is_shown_as_text(stack, page):
    api = Api(stack.url)
    script = "<script>alert(1)</script>"
    response = api.submit(complaint(title=script))
    assert response.status_code == 202, response.text
    ticket = response.json()["ticket"]
    api.wait_for(ticket, lambda view: view.get("title") == script)  # in the read model
    page.goto(f"{stack.url}/lacak/{ticket}")
    expect(page.locator("#judul-pengaduan")).to_have_text(script)
    assert page.dialogs == []


def test_an_unknown_ticket_shows_the_indonesian_404_page(stack, page):
    answer = page.goto(f"{stack.url}/lacak/SMG-2026-999999")
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    check_page(page, "tidak-ditemukan")
    wrong_token = page.goto(f"{stack.url}/aduan/SMG-2026-999999/pemberitahuan?token=tebakan")
    assert wrong_token.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Tautan tidak berlaku")
