"""The monthly report as CSV in long form: one line per scope (the city or an agency),
dimension and value, with every figure as a column; headings in Indonesian like the
other documents, values as numbers (a dot for decimals) so any tool reads them."""

import csv
import io

from gateway.documents.tables import FIGURE_COLUMNS, MonthlyReport, Part

CITY_SCOPE = "kota"
HEADER = ["bulan", "cakupan", "nama_cakupan", "dimensi", "kode", "nama"] + [
    figure for figure, _ in FIGURE_COLUMNS
]


def render(report: MonthlyReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for part in report.parts():
        writer.writerows(_lines(report.month, part))
    # A byte-order mark, so spreadsheet programs read the Indonesian names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _lines(month: str, part: Part):
    scope = part.agency or CITY_SCOPE
    total = part.total
    yield [month, scope, part.title, "jumlah", "", "Jumlah", *_figures(total)]
    for breakdown in part.breakdowns:
        for row in breakdown.rows:
            figures = row.figures
            yield [month, scope, part.title, breakdown.dimension, row.key, row.label] + list(
                _figures(figures)
            )


def _figures(figures: dict):
    for figure, _ in FIGURE_COLUMNS:
        value = figures.get(figure)
        yield "" if value is None else value
