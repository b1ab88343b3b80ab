"""The service desk's pure core: what each letter to a walk-in or letter-writing
reporter says. Standard library only; the PDF layout is in letter.py."""

from dataclasses import dataclass
from datetime import datetime

from services.contracts.reference import JAKARTA

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

# The letter each notice becomes: (document kind, subject).
LETTERS = {
    "received": ("tanda_terima", "Tanda Terima Pengaduan"),
    "forwarded": ("pemberitahuan", "Pemberitahuan Penerusan Pengaduan"),
    "info_requested": ("permintaan_keterangan", "Permintaan Keterangan Tambahan"),
    "rejected": ("surat_jawaban", "Jawaban atas Pengaduan"),
    "resolved": ("surat_jawaban", "Jawaban atas Pengaduan"),
}
CODES = {"received": "TT", "forwarded": "PB", "info_requested": "PK", "rejected": "SJ",
         "resolved": "SJ"}  # fmt: skip


@dataclass(frozen=True)
class Letter:
    kind: str
    number: str
    date: str
    subject: str
    to_name: str
    to_address: str | None
    paragraphs: tuple[str, ...]

    def filename(self, ticket: str) -> str:
        return f"{ticket}-{self.kind}.pdf"


def indonesian_date(moment: datetime) -> str:
    local = moment.astimezone(JAKARTA)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def compose(notice: dict, addressee: dict, sequence: int, now: datetime) -> Letter:
    """The letter for one notice. `sequence` numbers the complaint's letters."""
    about = notice["about"]
    kind, subject = LETTERS[about]
    ticket = addressee["ticket"]
    received = indonesian_date(datetime.fromisoformat(addressee["received_at"]))
    opening = (
        f"Menindaklanjuti pengaduan Saudara yang kami terima pada tanggal {received} "
        f'dengan nomor {ticket} perihal "{addressee["title"]}", dengan ini kami sampaikan '
        "sebagai berikut."
    )
    if about == "received":
        opening = (
            f'Pengaduan Saudara perihal "{addressee["title"]}" telah kami terima pada '
            f"tanggal {received} dan dicatat dengan nomor {ticket}."
        )
    body = notice["message"]
    closing = (
        "Perkembangan pengaduan dapat dipantau dengan nomor tersebut. Demikian kami "
        "sampaikan; atas perhatian Saudara kami ucapkan terima kasih."
    )
    year = datetime.fromisoformat(addressee["received_at"]).astimezone(JAKARTA).year
    return Letter(
        kind=kind,
        number=f"{ticket}/{CODES[about]}-{sequence}/{year}",
        date=indonesian_date(now),
        subject=subject,
        to_name=addressee.get("name") or "Pelapor",
        to_address=addressee.get("address"),
        paragraphs=(opening, body, closing),
    )
