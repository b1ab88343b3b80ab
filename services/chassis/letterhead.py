"""The city's letterhead (kop surat) on an A4 page of fpdf2, shared by every document
the city issues from Aduan: the desk's reply letters and the monthly reports."""

from fpdf import FPDF

CITY = "PEMERINTAH KOTA SEMARANG"
UNIT = "UNIT PENGELOLA PENGADUAN PELAYANAN PUBLIK"
ADDRESS = "Balai Kota Semarang, Jl. Pemuda No. 148, Semarang 50132"


def latin1(text: str) -> str:
    """The PDF's built-in fonts cover Latin-1; anything else (emoji) becomes '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def letterhead(pdf: FPDF, left: float, right: float) -> None:
    """The city and unit centred, the address, and the double rule under them, between
    `left` and `right` (mm); the page goes on below the rule."""
    pdf.set_font("helvetica", style="B", size=14)
    pdf.cell(0, 7, CITY, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", style="B", size=12)
    pdf.cell(0, 6, UNIT, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    pdf.cell(0, 5, ADDRESS, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.set_line_width(0.8)
    pdf.line(left, y, right, y)
    pdf.set_line_width(0.2)
    pdf.line(left, y + 1.2, right, y + 1.2)
    pdf.set_y(y + 6)
