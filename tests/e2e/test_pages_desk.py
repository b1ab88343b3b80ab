"""The service desk's page in a real browser against the running system: an officer
records a letter with its scanned page (refused first without the reply address), and
gets the receipt slip to print with the ticket number and, once, the reporter's secret
link, which opens the reporter's notices; the complaint carries the scan and the
officer's name. A desk form without its CSRF token records nothing; the desk is the
officers'. axe-core checks every page; screenshots go to artifacts/screenshots/."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.support.api import Api
from tests.support.browser import TICKET, check_page, sign_in, staff_page

pytestmark = pytest.mark.e2e

DESK = "/kerja/loket"
PDF_SCAN = b"%PDF-1.4\n" + b"0" * 20_000 + b"\n%%EOF\n"


def test_an_officer_records_a_letter_and_prints_the_receipt_slip(stack, browser, tmp_path):
    api = Api(stack.url)
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", "/kerja")
    officer.get_by_role("link", name="Loket pengaduan").click()
    officer.wait_for_url(stack.url + DESK)
    check_page(officer, "loket")

    title = f"Surat warga: saluran tersumbat di Jalan Pandanaran {uuid.uuid4().hex[:6]}"
    scan = tmp_path / "surat-halaman-1.pdf"
    scan.write_bytes(PDF_SCAN)
    officer.get_by_label("Surat", exact=True).check()
    officer.get_by_label("Judul").fill(title)
    officer.get_by_label("Uraian").fill(
        "Warga RT 03 menyurati: saluran di depan rumah tersumbat sejak sebulan, air meluap."
    )
    officer.get_by_label("Kecamatan").select_option("Semarang Selatan")
    officer.get_by_label("Pindaian surat dan foto").set_input_files(str(scan))
    officer.get_by_label("Nama pelapor").fill("Bapak Suparman")
    officer.get_by_role("button", name="Simpan dan buat tanda terima").click()
    # A letter needs the address the reply goes to: said beside it, the rest kept.
    expect(officer.locator("#e-reporter_address")).to_have_text(
        "Alamat surat pelapor: wajib diisi untuk pengaduan melalui surat: "
        "balasan dikirim ke alamat ini."
    )
    expect(officer.get_by_label("Judul")).to_have_value(title)
    expect(officer.get_by_label("Surat", exact=True)).to_be_checked()
    check_page(officer, "loket-ditolak")
    officer.get_by_label("Alamat surat pelapor").fill("Jl. Pandanaran II No. 7, Semarang")
    officer.get_by_label("Pindaian surat dan foto").set_input_files(str(scan))
    officer.get_by_role("button", name="Simpan dan buat tanda terima").click()

    officer.wait_for_url(re.compile(r"/kerja/loket/SMG-\d{4}-\d+/tanda-terima$"))
    ticket = officer.locator("#nomor-tiket").inner_text()
    assert TICKET.fullmatch(ticket)
    secret = officer.locator("#tautan-rahasia").inner_text().strip()
    assert secret.startswith(f"{stack.url}/aduan/{ticket}/pemberitahuan?token=")
    expect(officer.locator("#tanda-terima")).to_contain_text("officer1")
    expect(officer.locator("#alamat-lacak")).to_have_text(f"{stack.url}/lacak/{ticket}")
    check_page(officer, "loket-tanda-terima")
    # The secret link is on the slip once.
    officer.reload()
    expect(officer.locator("#tautan-rahasia")).to_have_count(0)
    expect(officer.locator("#nomor-tiket")).to_have_text(ticket)

    recorded = api.wait_for(ticket, lambda v: v["status"] == "awaiting_review")
    recorded = api.track(ticket, "officer1").json()
    assert recorded["title"] == title and recorded["channel"] == "surat"
    assert [a["content_type"] for a in recorded["attachments"]] == ["application/pdf"]
    # The reporter's link opens the reporter's notices.
    reporter = staff_page(browser)
    answer = reporter.goto(secret)
    assert answer.status == 200
    expect(reporter.get_by_role("heading", level=1)).to_have_text("Kabar pengaduan Anda")
    expect(reporter.locator("main")).to_contain_text(ticket)


def test_a_desk_form_without_its_csrf_token_records_nothing_and_the_desk_is_the_officers(
    stack, browser
):
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", DESK)
    title = f"Tanpa token {uuid.uuid4().hex[:8]}"
    form = {
        "channel": "tatap_muka",
        "title": title,
        "description": "Pengaduan yang tidak boleh tercatat tanpa token.",
        "kecamatan": "Tembalang",
        "name": "Budi",
        "phone": "081234567890",
    }
    refused = officer.request.post(stack.url + DESK, multipart=form)
    assert refused.status == 403
    listed = Api(stack.url).http.get(
        "/api/v1/worklist", params={"q": title}, headers=Api(stack.url).login("officer1")
    )
    assert listed.json()["items"] == []
    admin = staff_page(browser)
    sign_in(admin, stack.url, "admin1", "/kerja")
    expect(admin.get_by_role("link", name="Loket pengaduan")).to_have_count(0)
    assert admin.goto(stack.url + DESK).status == 403
