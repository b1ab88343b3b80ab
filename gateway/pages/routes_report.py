"""The public monthly report: counts by category and status, the share resolved, and
the last twelve months, with charts drawn on the server (charts.py). Public: counts
only, never a complaint or a reporter."""

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.pages import charts
from gateway.pages.agencies import agency_names
from gateway.pages.errors import PageError
from gateway.pages.labels import time_text
from gateway.pages.rendering import render
from gateway.pages.report_data import Month, MonthlyReports
from services.contracts.lifecycle import STATUS_LABELS, Status
from services.contracts.reference import CATEGORY_LABELS, Category

REPORT_NOT_AVAILABLE = PageError(
    404,
    "Laporan tidak tersedia",
    "Laporan hanya tersedia untuk bulan yang sudah berjalan, ditulis tahun-bulan seperti "
    "2026-03. Pilih bulan lain dari daftar laporan.",
)
CHARTS = ("kategori", "status", "tren")
MONTHS_LISTED = 24
UNCLASSIFIED = "Belum diklasifikasi"


async def latest(request: Request) -> Response:
    """/laporan: this month's report, or the month chosen in the list (a GET form)."""
    chosen = request.query_params.get("bulan")
    month = Month.parse(chosen) if chosen else Month.current(datetime.now(UTC))
    if month is None:
        raise REPORT_NOT_AVAILABLE
    return RedirectResponse(f"/laporan/{month.key}", status_code=303)


async def monthly(request: Request) -> Response:
    month = _reported_month(request)
    reports = _reports(request)
    summary = await reports.month(month)
    trend = await reports.trend(month)
    current = Month.current(datetime.now(UTC))
    published = await reports.published(month)
    figures = await reports.figures(month)
    names = await agency_names(request)
    return render(
        request,
        "report.html",
        {
            "month": month,
            "summary": summary,
            "rate": _percent(summary["resolution_rate"]),
            "categories": _by_category(summary),
            "statuses": _by_status(summary),
            "ratings": await _ratings(request, summary.get("ratings")),
            "trend": [(m, s["total"], _percent(s["resolution_rate"])) for m, s in trend],
            "months": [current.back(n) for n in range(MONTHS_LISTED)],
            "in_progress": month == current,
            "published": published,
            "published_at": time_text(published["generated_at"]) if published else None,
            "licence": request.app.state.settings.open_data_licence,
            "agencies": [
                (
                    f"/laporan/{month.key}/opd/{row['key']}",
                    names.get(row["key"], row["key"]),
                    *_agency_figures(row),
                )
                for row in figures["by"]["agency"]
                if row["key"] != NO_AGENCY
            ],
        },
    )


async def _ratings(request: Request, ratings: dict | None) -> dict | None:
    """The month's ratings as the table reads them: agencies and categories by name."""
    if not ratings or not ratings["rated"]:
        return None
    names = await agency_names(request)
    return {
        "rated": ratings["rated"],
        "average": ratings["average"],
        "disputed": ratings["disputed"],
        "by_agency": [
            (names.get(r["agency"], "Belum diteruskan"), *_figures(r)) for r in ratings["by_agency"]
        ],
        "by_category": [
            (CATEGORY_LABELS.get(r["category"], "Belum diklasifikasi"), *_figures(r))
            for r in ratings["by_category"]
        ],
    }


async def agency(request: Request) -> Response:
    """/laporan/{month}/opd/{agency}: one agency's own month, from the same figures as
    the city's (its row), with its breakdowns once the month's report is archived."""
    month = _reported_month(request)
    code = request.path_params["agency"]
    names = await agency_names(request)
    if code not in names:
        raise AGENCY_NOT_FOUND
    reports = _reports(request)
    # Asked afresh (two reads of the counters): an agency checks its own figures after
    # acting, and reads its page far less often than residents read the city's.
    figures = await request.app.state.rpc.call("reporting", "month_figures", month=month.key)
    row = next((r for r in figures["by"]["agency"] if r["key"] == code), None)
    published = await reports.published(month)
    breakdowns = []
    if published is not None:
        archived = await request.app.state.rpc.call(
            "reporting", "archived_report", month=month.key, version=published["version"]
        )
        own = (archived or {}).get("figures", {}).get("agencies", {}).get(code)
        if own is not None:
            breakdowns = _breakdowns(own["by"])
    return render(
        request,
        "report_agency.html",
        {
            "month": month,
            "code": code,
            "name": names[code],
            "figures": _agency_summary(row),
            "published": published,
            "published_at": time_text(published["generated_at"]) if published else None,
            "breakdowns": breakdowns,
        },
    )


AGENCY_NOT_FOUND = PageError(
    404,
    "Perangkat daerah tidak ditemukan",
    "Kode perangkat daerah ini tidak ada dalam daftar. Pilih dari tabel perangkat daerah "
    "pada laporan bulanan.",
)
NO_AGENCY = "none"
BREAKDOWN_TITLES = {  # dimension: (heading, first column)
    "category": ("Menurut kategori", "Kategori"),
    "channel": ("Menurut saluran", "Saluran"),
    "kecamatan": ("Menurut kecamatan", "Kecamatan"),
}
CHANNEL_NAMES = {
    "tatap_muka": "Tatap muka",
    "surat": "Surat",
    "sms": "SMS",
    "lapor": "LAPOR!",
    "sapambakita": "SapaMbakIta",
    "media_sosial": "Media sosial",
    "whatsapp": "WhatsApp",
    "open311": "Aplikasi lain (Open311)",
}


def _agency_figures(row: dict) -> tuple:
    """Received, resolved, the share within the deadline, the median working days."""
    share = row["within_deadline_share"]
    median = row["working_days_to_resolve"]["median"]
    return (
        row["received"],
        row["resolved"],
        "-" if share is None else _percent(share),
        "-" if median is None else median,
    )


def _agency_summary(row: dict | None) -> dict:
    if row is None:
        return {"received": 0, "resolved": 0, "within": "-", "median": "-", "open": 0}
    received, resolved, within, median = _agency_figures(row)
    return {
        "received": received,
        "resolved": resolved,
        "within": within,
        "median": median,
        "open": row["open_at_month_end"],
    }


def _breakdowns(by: dict) -> list[tuple[str, str, list[tuple]]]:
    tables = []
    for dimension, (title, column) in BREAKDOWN_TITLES.items():
        rows = []
        for row in by.get(dimension, []):
            key = row["key"]
            if dimension == "category":
                label = CATEGORY_LABELS.get(key, UNCLASSIFIED) if key != NO_AGENCY else UNCLASSIFIED
            elif dimension == "channel":
                label = CHANNEL_NAMES.get(key, key)
            else:
                label = key if key != NO_AGENCY else "Tidak disebutkan"
            rows.append((None, label, *_agency_figures(row)))
        tables.append((title, column, rows))
    return tables


def _figures(row: dict) -> tuple:
    return row["rated"], row["average"], row["disputed"]


async def chart(request: Request) -> Response:
    month = _reported_month(request)
    kind = request.path_params["chart"]
    if kind not in CHARTS:
        raise PageError(404, "Grafik tidak ditemukan", "Grafik ini tidak ada.")
    reports = _reports(request)
    if kind == "tren":
        trend = await reports.trend(month)
        svg = await run_in_threadpool(
            charts.trend,
            [m.short for m, _ in trend],
            [s["total"] for _, s in trend],
            [s["resolution_rate"] for _, s in trend],
        )
    else:
        summary = await reports.month(month)
        rows = _by_category(summary) if kind == "kategori" else _by_status(summary)
        title = "Menurut kategori" if kind == "kategori" else "Menurut status"
        svg = await run_in_threadpool(
            charts.bars, [label for label, _ in rows], [n for _, n in rows], title
        )
    # Public numbers that change as complaints move: a minute in a cache is fine.
    headers = {"cache-control": "public, max-age=60"}
    return Response(svg, media_type="image/svg+xml", headers=headers)


def _reported_month(request: Request) -> Month:
    month = Month.parse(request.path_params["month"])
    if month is None or month > Month.current(datetime.now(UTC)):
        raise REPORT_NOT_AVAILABLE
    return month


def _reports(request: Request) -> MonthlyReports:
    return request.app.state.monthly_reports


def _by_category(summary: dict) -> list[tuple[str, int]]:
    counts = summary["by_category"]
    rows = [(CATEGORY_LABELS[c], counts.get(str(c), 0)) for c in Category]
    return rows + [(UNCLASSIFIED, counts.get("unclassified", 0))]


def _by_status(summary: dict) -> list[tuple[str, int]]:
    counts = summary["by_status"]
    return [(STATUS_LABELS[s], counts.get(str(s), 0)) for s in Status]


def _percent(rate: float | None) -> str:
    """'87,5 %' as Indonesian writes it; '-' when no valid complaint was received."""
    if rate is None:
        return "-"
    return f"{rate * 100:.1f}".replace(".", ",") + " %"
