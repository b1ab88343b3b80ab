"""The public monthly report in a real browser: the month's numbers as reporting gives
them to the JSON API, three charts drawn on the server, the last twelve months, and
Indonesian 404 pages for months without a report."""

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from gateway.pages.report_data import Month
from tests.support.api import Api, complaint
from tests.support.browser import check_page

pytestmark = pytest.mark.e2e


def monthly(stack, month: str) -> dict:
    response = httpx.get(f"{stack.url}/api/v1/reports/monthly", params={"month": month})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_month_s_report_shows_reporting_s_numbers_and_charts(stack, page):
    month = Month.current(datetime.now(UTC))
    before = monthly(stack, month.key)["total"]
    api = Api(stack.url)
    for title in ("Lampu jalan mati di Jalan Pemuda", "<b>Sampah</b> menumpuk di pasar"):
        response = api.submit(complaint(title=title))
        assert response.status_code == 202, response.text
        # Counted by status: wait until each stands still where triage leaves it.
        api.wait_status(response.json()["ticket"], "awaiting_review", timeout=30)
    summary = monthly(stack, month.key)
    assert summary["total"] >= before + 2

    page.goto(f"{stack.url}/laporan")  # this month's report
    assert page.url == f"{stack.url}/laporan/{month.key}"
    expect(page.get_by_role("heading", level=1)).to_contain_text(month.name)
    expect(page.locator("#jumlah-diterima")).to_have_text(str(summary["total"]))
    expect(page.locator("#jumlah-selesai")).to_have_text(str(summary["resolved"]))
    received = page.locator("#tabel-status tr", has_text="Menunggu verifikasi petugas")
    waiting = summary["by_status"]["awaiting_review"]
    expect(received.locator("td")).to_have_text(str(waiting))
    expect(page.locator("#tabel-tren tbody tr")).to_have_count(12)
    for chart in ("kategori", "status", "tren"):
        image = page.locator(f'img[src="/laporan/{month.key}/{chart}.svg"]')
        expect(image).to_have_count(1)
        # Drawn and loaded in the page despite its Content-Security-Policy.
        loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"{chart} chart did not load"
    svg = httpx.get(f"{stack.url}/laporan/{month.key}/status.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "Menunggu verifikasi petugas" in svg.text and "<script" not in svg.text
    check_page(page, "laporan-bulanan")
    # The month's open data, as a resident downloads it from the page.
    card = page.locator("#data-terbuka")
    expect(card.get_by_role("link", name="Creative Commons Attribution 4.0")).to_have_count(1)
    with page.expect_download() as download:
        card.get_by_role("link", name="Unduh CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["ticket", "month", "received_at"]
    # Every complaint the summary counted (more may have arrived since), to a page's 1,000.
    assert len(rows) - 1 >= min(summary["total"], 1000)

    # Another month from the list (a GET form: no JavaScript needed).
    earlier = month.back(1)
    page.select_option("#f-bulan", earlier.key)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(f"{stack.url}/laporan/{earlier.key}")
    expected = monthly(stack, earlier.key)["total"]
    expect(page.locator("#jumlah-diterima")).to_have_text(str(expected))


def test_an_agency_s_own_month_from_the_city_s_table(stack, page):
    api = Api(stack.url)
    month = Month.current(datetime.now(UTC))
    ticket = api.submit(complaint(title="Lampu jalan padam di Jalan Pandanaran")).json()["ticket"]
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    made = api.http.post(
        f"/api/v1/reports/monthly/{month.key}/regenerate", headers=api.login("supervisor1")
    )
    assert made.status_code == 201, made.text

    # The city's page keeps reporting's figures a minute (report_data.FRESH_SECONDS): it
    # lists DPU once a figure read after the forward is shown.
    link = page.locator("#tabel-opd").get_by_role("link", name="Dinas Pekerjaan Umum")
    deadline = time.monotonic() + 70
    while True:
        page.goto(f"{stack.url}/laporan/{month.key}")
        if link.count() or time.monotonic() > deadline:
            break
        time.sleep(2)
    link.click()
    page.wait_for_url(f"{stack.url}/laporan/{month.key}/opd/dpu")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Laporan Dinas Pekerjaan Umum {month.name}"
    )
    figures = monthly(stack, month.key)["figures"]
    own = next(row for row in figures["by"]["agency"] if row["key"] == "dpu")
    expect(page.locator("#opd-diterima")).to_have_text(str(own["received"]))
    # The month's archived report: the agency's breakdowns and its own documents.
    expect(page.get_by_role("heading", name="Menurut kategori")).to_be_visible()
    expect(
        page.get_by_role("rowheader", name="Infrastruktur dan fasilitas umum").first
    ).to_be_visible()
    pdf = page.get_by_role("link", name="Unduh PDF")
    assert "agency=dpu" in pdf.get_attribute("href")
    check_page(page, "laporan-opd")
    answer = page.goto(f"{stack.url}/laporan/{month.key}/opd/tidak-ada")
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Perangkat daerah tidak ditemukan")


def test_months_without_a_report_are_an_indonesian_404_page(stack, page):
    future = Month.current(datetime.now(UTC)).back(-1)
    for path in (f"/laporan/{future.key}", "/laporan/2026-13", "/laporan/maret"):
        answer = page.goto(stack.url + path)
        assert answer.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Laporan tidak tersedia")
    answer = page.goto(f"{stack.url}/laporan/2026-01/peta.svg")
    assert answer.status == 404
