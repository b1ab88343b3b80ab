"""The monthly report as a spreadsheet (xlsxwriter): a summary sheet, a sheet per
dimension of the city's month with a native bar chart, and one long sheet of every
agency's own figures, so a researcher can filter it without reshaping."""

import io

import xlsxwriter

from gateway.documents.tables import (
    FIGURE_COLUMNS,
    Breakdown,
    MonthlyReport,
    Part,
    summary_text,
)

# Excel refuses sheet names over 31 characters and these: []:*?/\
SHEET_NAME_LIMIT = 31


def render(report: MonthlyReport) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = _formats(book)
    _summary(book, formats, report)
    for breakdown in report.city.breakdowns:
        _breakdown_sheet(book, formats, breakdown, report.city)
    if report.agencies:
        _agencies_sheet(book, formats, report.agencies)
    book.set_properties(
        {"title": f"Laporan Pengelolaan Pengaduan {report.month_name}", "author": "Aduan"}
    )
    book.close()
    return out.getvalue()


def _formats(book) -> dict:
    return {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "heading": book.add_format({"bold": True, "bg_color": "#E1E8F2", "border": 1}),
        "total": book.add_format({"bold": True, "top": 1}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "total_percent": book.add_format({"bold": True, "top": 1, "num_format": "0.0%"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _summary(book, formats: dict, report: MonthlyReport) -> None:
    sheet = book.add_worksheet("Ringkasan")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 16)
    sheet.write(0, 0, f"Laporan Pengelolaan Pengaduan {report.city.title}", formats["title"])
    sheet.write(1, 0, report.provenance)
    row = 3
    for paragraph in summary_text(report):
        sheet.merge_range(row, 0, row, 7, paragraph, formats["wrap"])
        sheet.set_row(row, 75)
        row += 1
    row += 1
    sheet.write_row(row, 0, ["Angka", "Kota Semarang"], formats["heading"])
    total = report.city.total
    for figure, heading in FIGURE_COLUMNS:
        row += 1
        sheet.write(row, 0, heading)
        _write_figure(sheet, row, 1, figure, total.get(figure), formats, total_row=False)


def _breakdown_sheet(book, formats: dict, breakdown: Breakdown, part: Part) -> None:
    sheet = book.add_worksheet(breakdown.title[:SHEET_NAME_LIMIT])
    headings = ["Kode", breakdown.title, *(heading for _, heading in FIGURE_COLUMNS)]
    sheet.write_row(0, 0, headings, formats["heading"])
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, len(headings) - 1, 12)
    for index, row in enumerate(breakdown.rows, start=1):
        sheet.write(index, 0, row.key)
        sheet.write(index, 1, row.label)
        for column, (figure, _) in enumerate(FIGURE_COLUMNS, start=2):
            _write_figure(sheet, index, column, figure, row.value(figure), formats, False)
    last = len(breakdown.rows) + 1
    sheet.write(last, 1, "Jumlah", formats["total"])
    total = part.total
    for column, (figure, _) in enumerate(FIGURE_COLUMNS, start=2):
        _write_figure(sheet, last, column, figure, total.get(figure), formats, True)
    sheet.freeze_panes(1, 2)
    if breakdown.rows:
        chart = book.add_chart({"type": "bar"})
        name = sheet.name
        chart.add_series(
            {
                "name": "Diterima",
                "categories": [name, 1, 1, len(breakdown.rows), 1],
                "values": [name, 1, 2, len(breakdown.rows), 2],
            }
        )
        chart.set_title({"name": f"Pengaduan diterima per {breakdown.title.lower()}"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 640, "height": max(240, 22 * len(breakdown.rows) + 90)})
        sheet.insert_chart(last + 2, 1, chart)


def _agencies_sheet(book, formats: dict, agencies: list[Part]) -> None:
    """Every agency's month in one long table: agency, dimension, key, label, figures."""
    sheet = book.add_worksheet("Per perangkat daerah")
    headings = [
        "Kode perangkat daerah",
        "Perangkat daerah",
        "Dimensi",
        "Kode",
        "Nama",
        *(heading for _, heading in FIGURE_COLUMNS),
    ]
    sheet.write_row(0, 0, headings, formats["heading"])
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 4, 18)
    row = 0
    for part in agencies:
        row += 1
        sheet.write_row(row, 0, [part.agency, part.title, "Jumlah", "", ""], formats["total"])
        total = part.total
        for column, (figure, _) in enumerate(FIGURE_COLUMNS, start=5):
            _write_figure(sheet, row, column, figure, total.get(figure), formats, True)
        for breakdown in part.breakdowns:
            for line in breakdown.rows:
                row += 1
                sheet.write_row(
                    row, 0, [part.agency, part.title, breakdown.title, line.key, line.label]
                )
                for column, (figure, _) in enumerate(FIGURE_COLUMNS, start=5):
                    _write_figure(sheet, row, column, figure, line.value(figure), formats, False)
    sheet.autofilter(0, 0, row, len(headings) - 1)
    sheet.freeze_panes(1, 2)


def _write_figure(sheet, row: int, column: int, figure: str, value, formats, total_row: bool):
    if value is None:
        sheet.write_blank(row, column, None, formats["total"] if total_row else None)
    elif figure == "within_deadline_share":
        sheet.write_number(row, column, value, formats["total_percent" if total_row else "percent"])
    else:
        sheet.write_number(row, column, value, formats["total"] if total_row else None)
