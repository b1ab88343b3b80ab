"""The monthly report as an A4 PDF (fpdf2): the city's letterhead, a summary in
Indonesian, the main figures, by category, agency, channel, kecamatan and scope with
charts (matplotlib) and tables, SLA compliance, then each agency's own month on pages
of its own; page numbers on every page."""

import io
from datetime import datetime

from fpdf import FPDF
from fpdf.fonts import FontFace

from gateway.documents.tables import (
    DEADLINES,
    FIGURE_COLUMNS,
    HANDLING,
    Breakdown,
    MonthlyReport,
    Part,
    cell_text,
    summary_text,
)
from gateway.pages import charts
from services.chassis.letterhead import CITY, latin1, letterhead

LEFT, RIGHT = 20, 190  # mm: A4's 210 less the margins
WIDTH = RIGHT - LEFT
HEADINGS = FontFace(emphasis="BOLD", fill_color=(225, 232, 242))
TOTALS = FontFace(emphasis="BOLD")
# Charts are drawn for the city's breakdowns with at most this many rows (an agency's
# pages have tables only: thirty agencies' charts would triple the file).
CHART_ROWS = 40


class ReportPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = latin1(footer_text)
        self.set_margins(LEFT, 18, 210 - RIGHT)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("helvetica", size=8)
        self.set_text_color(95, 107, 122)
        self.cell(WIDTH / 2, 6, self.footer_text)
        self.cell(WIDTH / 2, 6, f"Halaman {self.page_no()} dari {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def render(report: MonthlyReport) -> bytes:
    title = "LAPORAN BULANAN PENGELOLAAN PENGADUAN PELAYANAN PUBLIK"
    pdf = ReportPdf(f"Laporan Bulanan Pengaduan - {report.month_name} - versi {report.version}")
    pdf.set_title(latin1(f"{title} {report.month_name}"))
    pdf.set_author(CITY)
    pdf.set_creation_date(_generated(report))
    pdf.add_page()
    letterhead(pdf, LEFT, RIGHT)
    _centred(pdf, title, 12, "B")
    _centred(pdf, f"BULAN {report.month_name.upper()}", 12, "B")
    if report.city.agency is not None:
        _centred(pdf, report.city.title, 11, "B")
    _centred(pdf, report.provenance, 8, "I")
    pdf.ln(3)
    _heading(pdf, "Ringkasan")
    for paragraph in summary_text(report):
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(0, 5.5, latin1(paragraph), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    _main_figures(pdf, report.city)
    if report.ratings and report.ratings.get("rated"):
        _ratings(pdf, report.ratings)
    for breakdown in report.city.breakdowns:
        _breakdown(pdf, breakdown, report.city, with_chart=True)
    if report.agencies:
        for part in report.agencies:
            pdf.add_page()
            _heading(pdf, f"Perangkat daerah: {part.title}", size=12)
            _main_figures(pdf, part)
            for breakdown in part.breakdowns:
                _breakdown(pdf, breakdown, part, with_chart=False)
    return bytes(pdf.output())


def _generated(report: MonthlyReport) -> datetime:
    return datetime.fromisoformat(report.generated_at)


def _centred(pdf: FPDF, text: str, size: float, style: str = "") -> None:
    pdf.set_font("helvetica", style=style, size=size)
    pdf.multi_cell(0, size * 0.5, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str, size: float = 11) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("helvetica", style="B", size=size)
    pdf.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)


def _main_figures(pdf: FPDF, part: Part) -> None:
    _heading(pdf, "Angka utama")
    total = part.total
    pdf.set_font("helvetica", size=9)
    with pdf.table(
        col_widths=(120, 50),
        text_align=("LEFT", "RIGHT"),
        headings_style=HEADINGS,
        line_height=5,
        width=WIDTH,
    ) as table:
        table.row(["Angka", "Jumlah"])
        for figure, heading in FIGURE_COLUMNS:
            table.row([latin1(heading), cell_text(figure, total.get(figure, 0))])


def _ratings(pdf: FPDF, ratings: dict) -> None:
    average = str(ratings["average"]).replace(".", ",")
    pdf.set_font("helvetica", size=9)
    pdf.ln(1)
    text = (
        f"Penilaian pelapor atas hasil tindak lanjut bulan ini: {ratings['rated']} penilaian, "
        f"rata-rata {average} dari 5, {ratings['disputed']} hasil disanggah."
    )
    pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")


# A heading keeps at least this much of its content beside it (mm): a chart, or a table's
# headings and first rows.
KEEP_WITH_HEADING = 70


def _breakdown(pdf: FPDF, breakdown: Breakdown, part: Part, with_chart: bool) -> None:
    if pdf.will_page_break(KEEP_WITH_HEADING):
        pdf.add_page()
    _heading(pdf, f"Menurut {breakdown.title.lower()}")
    if not breakdown.rows:
        pdf.cell(0, 5, "Tidak ada pengaduan.", new_x="LMARGIN", new_y="NEXT")
        return
    if with_chart and len(breakdown.rows) <= CHART_ROWS:
        labels = [row.label for row in breakdown.rows]
        received = [row.figures["received"] for row in breakdown.rows]
        image = charts.bars(
            labels, received, f"Pengaduan diterima per {breakdown.title.lower()}", "png"
        )
        _image(pdf, image)
        if breakdown.dimension == "agency":
            shares = [row.figures["within_deadline_share"] for row in breakdown.rows]
            _image(pdf, charts.shares(labels, shares, "Selesai tepat waktu per perangkat daerah"))
    _table(pdf, breakdown, part, HANDLING, 53, "Penanganan")
    _table(pdf, breakdown, part, DEADLINES, 62, "Kepatuhan batas waktu (SLA)")


def _image(pdf: FPDF, png: bytes) -> None:
    pdf.image(io.BytesIO(png), x=LEFT, w=WIDTH)
    pdf.ln(1)


def _table(
    pdf: FPDF,
    breakdown: Breakdown,
    part: Part,
    columns: tuple[tuple[str, str], ...],
    label_width: float,
    caption: str,
) -> None:
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.set_font("helvetica", style="I", size=8)
    pdf.cell(0, 5, latin1(f"{breakdown.title}: {caption.lower()}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=7)
    rest = (WIDTH - label_width) / len(columns)
    with pdf.table(
        col_widths=(label_width, *[rest] * len(columns)),
        text_align=("LEFT", *["RIGHT"] * len(columns)),
        headings_style=HEADINGS,
        line_height=4,
        width=WIDTH,
        repeat_headings=1,
    ) as table:
        table.row([latin1(breakdown.title), *[latin1(h) for _, h in columns]])
        for row in breakdown.rows:
            table.row([latin1(row.label), *[cell_text(f, row.value(f)) for f, _ in columns]])
        total = part.total
        table.row(["Jumlah", *[cell_text(f, total.get(f)) for f, _ in columns]], style=TOTALS)
    pdf.ln(2)
