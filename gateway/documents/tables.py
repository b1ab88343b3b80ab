"""The monthly report's tables, in Bahasa Indonesia, drawn from an archived snapshot
(services/reporting/monthly_report.py): one place that names the figures and the rows,
read by the PDF, the XLSX and the CSV alike, so the three documents agree."""

from dataclasses import dataclass, field

from gateway.pages.labels import CHANNEL_LABELS, MONTHS, SCOPE_LABELS, time_text
from services.contracts.reference import CATEGORY_LABELS

NONE_KEY = "none"  # reporting's key before a complaint has a value
# (figure, column heading): what became of the month's complaints ...
HANDLING = (
    ("received", "Diterima"),
    ("rejected", "Ditolak"),
    ("forwarded", "Diteruskan"),
    ("resolved", "Selesai"),
    ("closed", "Ditutup"),
    ("open_at_month_end", "Terbuka akhir bulan"),
    ("returns", "Dikembalikan"),
    ("reopenings", "Dibuka kembali"),
    ("duplicates_linked", "Duplikat"),
)
# ... and how they met the deadline (SLA compliance).
DEADLINES = (
    ("resolved_with_deadline", "Selesai bertenggat"),
    ("resolved_within_deadline", "Tepat waktu"),
    ("within_deadline_share", "Tepat waktu (%)"),
    ("median_days", "Median hari kerja"),
    ("p90_days", "P90 hari kerja"),
    ("breaches", "Melewati tenggat"),
)
FIGURE_COLUMNS = HANDLING + DEADLINES
DIMENSION_TITLES = {
    "category": "Kategori",
    "agency": "Perangkat daerah",
    "channel": "Kanal pengaduan",
    "kecamatan": "Kecamatan",
    "scope": "Lingkup penanganan",
}
NONE_LABELS = {
    "category": "Belum diklasifikasi",
    "agency": "Belum diteruskan",
    "channel": "Tidak diketahui",
    "kecamatan": "Tanpa kecamatan",
    "scope": "Belum diklasifikasi",
}


def flat(figures: dict) -> dict:
    """A row's figures with the working days' median and p90 as columns of their own
    (done once, as the report is read; an agency without complaints keeps {})."""
    if not figures:
        return {}
    days = figures.get("working_days_to_resolve") or {}
    return figures | {"median_days": days.get("median"), "p90_days": days.get("p90")}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figures: dict

    def value(self, figure: str):
        return self.figures.get(figure)


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class Part:
    """The city's whole month, or one agency's own month."""

    title: str
    total: dict
    breakdowns: list[Breakdown]
    agency: str | None = None


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    month_name: str
    version: int
    trigger: str
    generated_at: str  # ISO, UTC
    requested_by: str | None
    city: Part
    agencies: list[Part] = field(default_factory=list)
    ratings: dict | None = None

    @property
    def generated_text(self) -> str:
        return time_text(self.generated_at)

    @property
    def provenance(self) -> str:
        """How the version came about, for the document's first page."""
        made = f"Dibuat {self.generated_text}, versi {self.version}"
        if self.trigger == "scheduled":
            return made + " (otomatis, hari kerja pertama setelah bulan berakhir)"
        return made + " (dibuat ulang atas permintaan pengawas)"

    def parts(self) -> list[Part]:
        return [self.city, *self.agencies]


def month_name(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def labeller(dimension: str, names: dict[str, str]):
    tables = {"category": CATEGORY_LABELS, "agency": names, "channel": CHANNEL_LABELS}
    table = tables.get(dimension, {})

    def label(key: str) -> str:
        if key == NONE_KEY:
            return NONE_LABELS[dimension]
        if dimension == "scope":
            return SCOPE_LABELS.get(key, key).capitalize()
        return table.get(key, key)

    return label


def breakdown(dimension: str, rows: list[dict], names: dict[str, str]) -> Breakdown:
    label = labeller(dimension, names)
    built = [Row(r["key"], label(r["key"]), flat(r)) for r in rows]
    # Most complaints first, the unknown last; ties by name, so the order is stable.
    built.sort(key=lambda r: (r.key == NONE_KEY, -r.figures["received"], r.label))
    return Breakdown(dimension, DIMENSION_TITLES[dimension], built)


def monthly_report(
    archived: dict, names: dict[str, str], agency: str | None = None
) -> MonthlyReport:
    """The report of an archived version (reporting's archived_report), the city's or,
    with `agency`, that agency's own month alone."""
    figures = archived["figures"]
    month = archived["month"]
    city = Part(
        f"Kota Semarang, {month_name(month)}",
        flat(figures["total"]),
        [breakdown(d, rows, names) for d, rows in figures["by"].items()],
    )
    agencies = [
        Part(
            names.get(code, code),
            flat(own["total"]),
            [breakdown(d, rows, names) for d, rows in own["by"].items()],
            agency=code,
        )
        for code, own in figures["agencies"].items()
    ]
    agencies.sort(key=lambda part: part.title)
    if agency is not None:
        chosen = [part for part in agencies if part.agency == agency]
        city = chosen[0] if chosen else empty_part(names.get(agency, agency), agency)
        agencies = []
    return MonthlyReport(
        month=month,
        month_name=month_name(month),
        version=archived["version"],
        trigger=archived["trigger"],
        generated_at=archived["generated_at"],
        requested_by=archived.get("requested_by"),
        city=city,
        agencies=agencies,
        ratings=None if agency else (figures.get("summary") or {}).get("ratings"),
    )


def empty_part(title: str, agency: str) -> Part:
    """An agency that led no complaint of the month: its pages say so with zeros."""
    return Part(title, {}, [], agency=agency)


def percent(share: float | None) -> str:
    """'87,5 %' as Indonesian writes it; '-' when there is nothing to divide."""
    return "-" if share is None else f"{share * 100:.1f}".replace(".", ",") + " %"


def cell_text(figure: str, value) -> str:
    if value is None:
        return "-"
    if figure == "within_deadline_share":
        return percent(value)
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def summary_text(report: MonthlyReport) -> list[str]:
    """The summary's paragraphs, in Indonesian, from the figures."""
    part = report.city
    total = part.total
    received = total.get("received", 0)
    who = "Pemerintah Kota Semarang" if part.agency is None else part.title
    if not received:
        return [
            f"Selama {report.month_name} {who} tidak menerima pengaduan yang tercatat "
            "dalam sistem pengelolaan pengaduan."
        ]
    valid = received - total["rejected"] - total["duplicates_linked"]
    resolved_share = total["resolved"] / valid if valid > 0 else None
    first = (
        f"Selama {report.month_name} {who} menerima {cell_text('received', received)} "
        f"pengaduan. Sebanyak {cell_text('rejected', total['rejected'])} tidak dapat diproses "
        f"dan {cell_text('duplicates_linked', total['duplicates_linked'])} digabungkan "
        f"dengan pengaduan lain atas kejadian yang sama. Dari pengaduan yang diproses, "
        f"{cell_text('resolved', total['resolved'])} ({percent(resolved_share)}) telah "
        f"selesai ditindaklanjuti dan {cell_text('closed', total['closed'])} telah ditutup."
    )
    with_deadline = total["resolved_with_deadline"]
    days = total.get("working_days_to_resolve") or {}
    second = (
        f"Dari {cell_text('resolved', with_deadline)} pengaduan selesai yang memiliki batas "
        f"waktu, {cell_text('resolved', total['resolved_within_deadline'])} "
        f"({percent(total['within_deadline_share'])}) selesai tepat waktu"
    )
    if days.get("median") is not None:
        second += (
            f"; separuh di antaranya selesai dalam {days['median']} hari kerja atau kurang, "
            f"dan 90 % dalam {days['p90']} hari kerja atau kurang"
        )
    second += (
        f". Sebanyak {cell_text('breaches', total['breaches'])} pengaduan melewati batas waktu "
        f"penyelesaian, dan {cell_text('open_at_month_end', total['open_at_month_end'])} "
        f"pengaduan (dari bulan ini maupun sebelumnya) masih dalam penanganan pada akhir bulan."
    )
    return [first, second]
