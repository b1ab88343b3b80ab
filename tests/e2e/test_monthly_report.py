"""The monthly report through the running stack (docs/reports.md): the scheduled report
of the month last due is archived by reporting on its own, a supervisor regenerates the
current month, and its PDF (text read back with pypdf, pages rendered by poppler's
pdftoppm), XLSX (read with openpyxl), CSV and JSON carry the same figures, the city's
and each agency's own."""

import csv
import io
import subprocess
from datetime import UTC, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from services.chassis.working_days import national_calendar
from services.reporting import analytics, monthly_report
from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e
AGENCY_NAMES = {"dpu": "Dinas Pekerjaan Umum", "dlh": "Dinas Lingkungan Hidup"}


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


def test_the_month_last_due_is_archived_by_the_schedule(api):
    now = datetime.now(UTC)
    due = monthly_report.report_due(now, national_calendar(now.year).is_working_day)

    def scheduled(answer) -> bool:
        return any(r["trigger"] == "scheduled" for r in answer.json()["reports"])

    found = api.wait_until(
        lambda: api.http.get("/api/v1/reports/archive", params={"month": due}), scheduled, 60
    )
    entry = next(r for r in found.json()["reports"] if r["trigger"] == "scheduled")
    assert entry["month"] == due and entry["requested_by"] is None
    # Only one scheduled report per month, however many checks ran.
    assert sum(r["trigger"] == "scheduled" for r in found.json()["reports"]) == 1
    # The residents' report page of that month links its latest version's documents (a
    # past month: the page's short cache of the current month's figures stays unread).
    latest = found.json()["reports"][0]["version"]
    page = api.http.get(f"/laporan/{due}")
    assert page.status_code == 200
    for form in ("pdf", "xlsx", "csv"):
        assert f'href="/api/v1/reports/monthly/{due}/{form}?version={latest}"' in page.text


def test_a_regenerated_month_reads_alike_in_every_format(api, tmp_path):
    month = analytics.month_of(datetime.now(UTC))
    tickets = []
    for title, category, agency in (
        ("Jalan berlubang di Jalan Pandanaran", "infrastruktur_fasum", "dpu"),
        ("Sampah menumpuk di Pasar Johar", "lingkungan_perumahan", "dlh"),
    ):
        answer = api.submit(complaint(title=title))
        assert answer.status_code == 202, answer.text
        ticket = answer.json()["ticket"]
        api.classify_and_forward(ticket, category, [agency])
        tickets.append(ticket)
    api.resolve_through(tickets[0], "dpu-admin", "Lubang jalan telah ditambal oleh tim DPU.")

    path = f"/api/v1/reports/monthly/{month}/regenerate"
    assert api.http.post(path).status_code == 401
    assert api.http.post(path, headers=api.login("officer1")).status_code == 403
    made = api.http.post(path, headers=api.login("supervisor1"))
    assert made.status_code == 201, made.text
    version = made.json()["version"]
    assert made.json()["trigger"] == "requested" and made.json()["requested_by"] == "supervisor1"

    document = f"/api/v1/reports/monthly/{month}"
    figures = api.http.get(f"{document}/json", params={"version": version}).json()["figures"]
    total = figures["total"]
    assert total["received"] >= 2 and total["resolved"] >= 1
    agencies = {row["key"]: row for row in figures["by"]["agency"]}
    assert {"dpu", "dlh"} <= set(agencies)

    pdf = api.http.get(f"{document}/pdf", params={"version": version})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "PEMERINTAH KOTA SEMARANG" in text
    assert f"menerima {total['received']} pengaduan" in text
    assert f"Halaman 1 dari {len(reader.pages)}" in text
    for code, name in AGENCY_NAMES.items():
        # The agency's row in the city's table, and its own page.
        assert f"{name} {agencies[code]['received']} " in text, name
        assert f"Perangkat daerah: {name}" in text
    (tmp_path / "report.pdf").write_bytes(pdf.content)
    rendered = subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        capture_output=True,
        text=True,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert len(list(tmp_path.glob("page*.png"))) == len(reader.pages)

    xlsx = api.http.get(f"{document}/xlsx", params={"version": version})
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert {"Ringkasan", "Perangkat daerah", "Kategori", "Per perangkat daerah"} <= set(
        book.sheetnames
    )
    sheet = book["Perangkat daerah"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for code in AGENCY_NAMES:
        assert rows[code][2] == agencies[code]["received"]
    assert sheet._charts, "the agency sheet has its chart"

    answer = api.http.get(f"{document}/csv", params={"version": version})
    assert answer.status_code == 200
    lines = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    city_total = next(r for r in lines if r["cakupan"] == "kota" and r["dimensi"] == "jumlah")
    assert int(city_total["received"]) == total["received"]
    dpu_total = next(r for r in lines if r["cakupan"] == "dpu" and r["dimensi"] == "jumlah")
    assert int(dpu_total["received"]) == agencies["dpu"]["received"]

    own = api.http.get(f"{document}/pdf", params={"version": version, "agency": "dpu"})
    assert own.status_code == 200
    own_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(own.content)).pages)
    assert "Dinas Pekerjaan Umum" in own_text and "Dinas Lingkungan Hidup" not in own_text

    listed = api.http.get("/api/v1/reports/archive", params={"month": month}).json()["reports"]
    assert listed[0]["version"] == version and listed[0]["trigger"] == "requested"


def test_a_report_that_is_not_there_or_not_asked_well_is_a_clear_4xx(api):
    month = analytics.month_of(datetime.now(UTC))
    for path, params, status, code in (
        ("/api/v1/reports/monthly/2001-01/pdf", {}, 404, "not_found"),
        (f"/api/v1/reports/monthly/{month}/doc", {}, 404, "not_found"),
        (f"/api/v1/reports/monthly/{month}/pdf", {"version": "x"}, 422, "invalid_field"),
        (f"/api/v1/reports/monthly/{month}/pdf", {"version": "999"}, 404, "not_found"),
        (f"/api/v1/reports/monthly/{month}/pdf", {"agency": "nope"}, 422, "invalid_field"),
        ("/api/v1/reports/monthly/2026-13/csv", {}, 422, "invalid_field"),
        ("/api/v1/reports/archive", {"month": "bulan"}, 422, "invalid_field"),
    ):
        answer = api.http.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text)
        assert answer.json()["error"] == code and answer.json()["message"]
    future = api.http.post(
        "/api/v1/reports/monthly/2999-01/regenerate", headers=api.login("supervisor1")
    )
    assert future.status_code == 422 and future.json()["field"] == "month"
