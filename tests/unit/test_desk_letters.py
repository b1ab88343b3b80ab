import io
from datetime import UTC, datetime

import pypdf
import pytest

from services.channels.desk import core, letter

ADDRESSEE = {
    "ticket": "SMG-2026-000042",
    "received_at": "2026-03-02T03:00:00+00:00",
    "title": "Talud sungai longsor",
    "name": "Bapak Suharto",
    "address": "Jl. Kauman No. 12, Semarang",
}
NOW = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_reply_letter_has_the_letterhead_number_and_result():
    notice = {"about": "resolved", "message": "Pengaduan telah ditindaklanjuti: talud dibangun."}
    composed = core.compose(notice, ADDRESSEE, 3, NOW)
    assert composed.number == "SMG-2026-000042/SJ-3/2026"
    assert composed.date == "20 Maret 2026" and composed.kind == "surat_jawaban"
    text = text_of(letter.render(composed))
    for expected in (
        "PEMERINTAH KOTA SEMARANG",
        "SMG-2026-000042/SJ-3/2026",
        "Jawaban atas Pengaduan",
        "Bapak Suharto",
        "Jl. Kauman No. 12",
        "talud dibangun",
        "2 Maret 2026",
        "Semarang, 20 Maret 2026",
    ):
        assert expected in text


@pytest.mark.parametrize("about", sorted(core.LETTERS))
def test_every_notice_renders_even_with_characters_outside_latin1(about):
    notice = {"about": about, "message": "Keterangan 🙏 dengan “kutipan” dan ẞ " * 40}
    composed = core.compose(notice, ADDRESSEE | {"address": None, "name": None}, 1, NOW)
    pdf = letter.render(composed)
    assert pdf.startswith(b"%PDF-") and "Pelapor" in text_of(pdf)


def test_the_date_is_the_day_in_semarang():
    assert core.indonesian_date(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == "1 Januari 2027"
