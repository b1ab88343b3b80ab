"""The public report's months, numbers and charts (no services needed)."""

import asyncio
from datetime import UTC, datetime

from gateway.pages import charts
from gateway.pages.report_data import Month, MonthlyReports
from gateway.pages.routes_report import _by_category, _by_status, _percent
from services.contracts.lifecycle import Status
from services.contracts.reference import Category


def test_months_are_read_written_and_counted_back_across_years():
    assert Month.parse("2026-03") == Month(2026, 3)
    for wrong in ("2026-3", "2026-13", "2026-00", "26-03", "2026/03", "abcd-ef", "2026-03-01"):
        assert Month.parse(wrong) is None, wrong
    assert Month(2026, 3).back(3) == Month(2025, 12)
    assert Month(2026, 3).back(14) == Month(2025, 1)
    assert Month(2026, 3).key == "2026-03" and Month(2026, 3).name == "Maret 2026"
    assert Month(2025, 12) < Month(2026, 1)


def test_the_current_month_is_semarang_s():
    # 31 March, 20:00 UTC is already 1 April in Asia/Jakarta (UTC+7).
    assert Month.current(datetime(2026, 3, 31, 20, 0, tzinfo=UTC)) == Month(2026, 4)


def test_shares_are_written_as_indonesian_percentages():
    assert _percent(0.875) == "87,5 %"
    assert _percent(1.0) == "100,0 %"
    assert _percent(None) == "-"


SUMMARY = {
    "month": "2026-03",
    "total": 5,
    "by_category": {"infrastruktur_fasum": 3, "unclassified": 2},
    "by_status": {"received": 2, "resolved": 3},
    "resolved": 3,
    "rejected": 0,
    "resolution_rate": 0.6,
}


def test_every_category_and_status_has_a_row_in_indonesian():
    categories = _by_category(SUMMARY)
    assert len(categories) == len(Category) + 1
    assert ("Infrastruktur dan fasilitas umum", 3) in categories
    assert categories[-1] == ("Belum diklasifikasi", 2)
    statuses = dict(_by_status(SUMMARY))
    assert len(statuses) == len(Status)
    assert statuses["Selesai ditindaklanjuti"] == 3 and statuses["Diterima"] == 2


class Rpc:
    def __init__(self) -> None:
        self.calls: list[str] = []

    async def call(self, service: str, method: str, month: str) -> dict:
        assert (service, method) == ("reporting", "monthly")
        self.calls.append(month)
        return {**SUMMARY, "month": month}


def test_a_month_is_asked_of_reporting_once_a_minute_and_the_trend_is_twelve_months():
    rpc, now = Rpc(), [1000.0]
    reports = MonthlyReports(lambda: rpc, clock=lambda: now[0])
    trend = asyncio.run(reports.trend(Month(2026, 3)))
    assert [m.key for m, _ in trend] == [Month(2026, 3).back(n).key for n in range(11, -1, -1)]
    assert trend[0][0] == Month(2025, 4) and trend[-1][1]["month"] == "2026-03"
    asyncio.run(reports.month(Month(2026, 3)))
    assert len(rpc.calls) == 12  # the page and its charts within a minute: one ask
    now[0] += 61
    asyncio.run(reports.month(Month(2026, 3)))
    assert len(rpc.calls) == 13


def test_charts_are_svg_with_their_labels_and_numbers_as_text():
    svg = charts.bars(
        ["Infrastruktur dan fasilitas umum", "Lingkungan & perumahan"], [12, 3], "Menurut kategori"
    ).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in (
        "Infrastruktur dan fasilitas umum",
        "Lingkungan &amp; perumahan",
        "12",
        "Menurut kategori",
    ):
        assert text in svg, text
    assert "<script" not in svg
    again = charts.bars(
        ["Infrastruktur dan fasilitas umum", "Lingkungan & perumahan"], [12, 3], "Menurut kategori"
    ).decode()
    assert again == svg  # the same numbers, the same file
    trend = charts.trend(["Jan 2026", "Feb 2026"], [10, 0], [0.5, None]).decode()
    assert "Tingkat penyelesaian" in trend and "Pengaduan diterima" in trend
