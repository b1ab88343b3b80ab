"""Reference ids of the Perwal Semarang 5/2023 complaint system.

Ids are the API's vocabulary; labels are what residents and officers read.
"""

import re
from enum import StrEnum
from zoneinfo import ZoneInfo

# Kota Semarang's time: working days, deadlines and dates residents read.
JAKARTA = ZoneInfo("Asia/Jakarta")

# Tickets read SMG-<year>-<sequence>, e.g. SMG-2026-000123.
TICKET_PATTERN = re.compile(r"^SMG-[0-9]{4}-[0-9]{6,9}$")


class Channel(StrEnum):
    TATAP_MUKA = "tatap_muka"
    SURAT = "surat"
    SMS = "sms"
    LAPOR = "lapor"
    SAPAMBAKITA = "sapambakita"
    MEDIA_SOSIAL = "media_sosial"
    WHATSAPP = "whatsapp"
    # Third-party apps speaking Open311 GeoReport v2 (docs/open311.md).
    OPEN311 = "open311"


class Category(StrEnum):
    PENDIDIKAN_KESEHATAN = "pendidikan_kesehatan"
    ADMINISTRASI_KEPENDUDUKAN = "administrasi_kependudukan"
    PERIZINAN_PAJAK = "perizinan_pajak"
    INFRASTRUKTUR_FASUM = "infrastruktur_fasum"
    LINGKUNGAN_PERUMAHAN = "lingkungan_perumahan"
    PENERANGAN_TRANSPORTASI = "penerangan_transportasi"
    PENEGAKAN_PERDA = "penegakan_perda"


CATEGORY_LABELS: dict[Category, str] = {
    Category.PENDIDIKAN_KESEHATAN: "Pendidikan dan kesehatan",
    Category.ADMINISTRASI_KEPENDUDUKAN: "Administrasi kependudukan",
    Category.PERIZINAN_PAJAK: "Perizinan dan pajak daerah",
    Category.INFRASTRUKTUR_FASUM: "Infrastruktur dan fasilitas umum",
    Category.LINGKUNGAN_PERUMAHAN: "Lingkungan dan perumahan",
    Category.PENERANGAN_TRANSPORTASI: "Penerangan jalan dan transportasi",
    Category.PENEGAKAN_PERDA: "Penegakan peraturan daerah",
}


class Scope(StrEnum):
    """Who must act, which sets the deadline (Perwal Semarang 5/2023)."""

    SINGLE_AGENCY = "single_agency"
    CROSS_AGENCY = "cross_agency"
    CROSS_INSTITUTION = "cross_institution"


KECAMATAN: tuple[str, ...] = (
    "Banyumanik",
    "Candisari",
    "Gajahmungkur",
    "Gayamsari",
    "Genuk",
    "Gunungpati",
    "Mijen",
    "Ngaliyan",
    "Pedurungan",
    "Semarang Barat",
    "Semarang Selatan",
    "Semarang Tengah",
    "Semarang Timur",
    "Semarang Utara",
    "Tembalang",
    "Tugu",
)


class AgencyKind(StrEnum):
    CITY = "city"
    KECAMATAN = "kecamatan"
    EXTERNAL = "external"


# Seed data for the agency directory; the directory itself is editable.
SEED_AGENCIES: tuple[tuple[str, str, AgencyKind], ...] = (
    ("disdik", "Dinas Pendidikan", AgencyKind.CITY),
    ("dinkes", "Dinas Kesehatan", AgencyKind.CITY),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", AgencyKind.CITY),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", AgencyKind.CITY),
    ("bapenda", "Badan Pendapatan Daerah", AgencyKind.CITY),
    ("dpu", "Dinas Pekerjaan Umum", AgencyKind.CITY),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", AgencyKind.CITY),
    ("dlh", "Dinas Lingkungan Hidup", AgencyKind.CITY),
    ("dishub", "Dinas Perhubungan", AgencyKind.CITY),
    ("satpolpp", "Satuan Polisi Pamong Praja", AgencyKind.CITY),
    *(
        ("kec-" + name.lower().replace(" ", "-"), f"Kecamatan {name}", AgencyKind.KECAMATAN)
        for name in KECAMATAN
    ),
    ("pemprov-jateng", "Pemerintah Provinsi Jawa Tengah", AgencyKind.EXTERNAL),
    ("pln", "PLN", AgencyKind.EXTERNAL),
    ("pdam", "PDAM Tirta Moedal", AgencyKind.EXTERNAL),
    ("bpn", "Badan Pertanahan Nasional", AgencyKind.EXTERNAL),
    ("bbws-pemali-juana", "BBWS Pemali Juana", AgencyKind.EXTERNAL),
    ("polrestabes", "Polrestabes Semarang", AgencyKind.EXTERNAL),
)
