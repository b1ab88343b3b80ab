"""Renders a Letter as an A4 PDF with the city's letterhead (kop surat)."""

from fpdf import FPDF

from services.channels.desk.core import Letter
from services.chassis.letterhead import CITY, latin1, letterhead

SIGNATORY = ("a.n. Wali Kota Semarang", "Pengelola Pengaduan Kota Semarang")


def _block(pdf: FPDF, text: str, **options) -> None:
    pdf.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT", **options)


def render(letter: Letter) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_title(latin1(f"{letter.subject} {letter.number}"))
    pdf.set_author(CITY)
    letterhead(pdf, 25, 185)
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
