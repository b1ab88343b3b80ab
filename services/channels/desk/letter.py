"""Renders a Letter as an A4 PDF with the city's letterhead (kop surat)."""

from fpdf import FPDF

from services.channels.desk.core import Letter

CITY = "PEMERINTAH KOTA SEMARANG"
UNIT = "UNIT PENGELOLA PENGADUAN PELAYANAN PUBLIK"
ADDRESS = "Balai Kota Semarang, Jl. Pemuda No. 148, Semarang 50132"
SIGNATORY = ("a.n. Wali Kota Semarang", "Pengelola Pengaduan Kota Semarang")


def latin1(text: str) -> str:
    """The PDF's built-in fonts cover Latin-1; anything else (emoji) becomes '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _block(pdf: FPDF, text: str, **options) -> None:
    pdf.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT", **options)


def render(letter: Letter) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_title(latin1(f"{letter.subject} {letter.number}"))
    pdf.set_author(CITY)
    _letterhead(pdf)
    pdf.set_font("helvetica", size=11)
    for label, value in (
        ("Nomor", letter.number),
        ("Lampiran", "-"),
        ("Perihal", letter.subject),
    ):
        pdf.cell(28, 6, label)
        pdf.cell(0, 6, latin1(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _block(pdf, "Kepada Yth.\n" + letter.to_name)
    if letter.to_address:
        _block(pdf, letter.to_address)
    _block(pdf, "di tempat")
    pdf.ln(4)
    _block(pdf, "Dengan hormat,")
    pdf.ln(2)
    for paragraph in letter.paragraphs:
        _block(pdf, paragraph, align="J")
        pdf.ln(3)
    pdf.ln(6)
    for line in (f"Semarang, {letter.date}", *SIGNATORY):
        pdf.set_x(110)
        pdf.cell(0, 6, latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _letterhead(pdf: FPDF) -> None:
    pdf.set_font("helvetica", style="B", size=14)
    pdf.cell(0, 7, CITY, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", style="B", size=12)
    pdf.cell(0, 6, UNIT, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    pdf.cell(0, 5, ADDRESS, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.set_line_width(0.8)
    pdf.line(25, y, 185, y)
    pdf.set_line_width(0.2)
    pdf.line(25, y + 1.2, 185, y + 1.2)
    pdf.set_y(y + 6)
