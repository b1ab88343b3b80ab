"""What Open311 apps read before posting: the seven categories of Perwal Semarang
5/2023 as services (the service code is the category id), and each service's
definition, whose attributes are the two things a complaint has that GeoReport v2
has no parameter for: the kecamatan and confidentiality."""

from dataclasses import dataclass

from services.contracts.reference import CATEGORY_LABELS, KECAMATAN, Category

JURISDICTION = "semarang"


@dataclass(frozen=True)
class Service:
    category: Category
    description_id: str
    description_en: str
    keywords: str
    group: str


SERVICES: dict[str, Service] = {
    str(s.category): s
    for s in (
        Service(
            Category.PENDIDIKAN_KESEHATAN,
            "Sekolah, puskesmas, rumah sakit daerah dan layanan kesehatan.",
            "Schools, community health centres, city hospitals and health services.",
            "sekolah, puskesmas, rumah sakit, school, health, hospital",
            "layanan dasar",
        ),
        Service(
            Category.ADMINISTRASI_KEPENDUDUKAN,
            "KTP, kartu keluarga, akta dan layanan kependudukan lainnya.",
            "Identity cards, family cards, certificates and other civil registration.",
            "ktp, kk, akta, dukcapil, identity card, civil registry",
            "administrasi",
        ),
        Service(
            Category.PERIZINAN_PAJAK,
            "Perizinan usaha dan bangunan, pajak dan retribusi daerah.",
            "Business and building permits, local taxes and levies.",
            "izin, pbb, pajak, retribusi, permit, tax",
            "administrasi",
        ),
        Service(
            Category.INFRASTRUKTUR_FASUM,
            "Jalan rusak, saluran, jembatan, trotoar dan fasilitas umum.",
            "Damaged roads, drains, bridges, pavements and public facilities.",
            "jalan berlubang, saluran, jembatan, pothole, drain, sidewalk",
            "prasarana",
        ),
        Service(
            Category.LINGKUNGAN_PERUMAHAN,
            "Sampah, banjir, pencemaran, taman dan permukiman.",
            "Rubbish, flooding, pollution, parks and housing areas.",
            "sampah, banjir, limbah, taman, garbage, flooding, pollution",
            "lingkungan",
        ),
        Service(
            Category.PENERANGAN_TRANSPORTASI,
            "Lampu penerangan jalan, lampu lalu lintas, angkutan umum dan parkir.",
            "Street lights, traffic lights, public transport and parking.",
            "pju, lampu jalan, bus, parkir, street light, traffic, transport",
            "prasarana",
        ),
        Service(
            Category.PENEGAKAN_PERDA,
            "Pelanggaran peraturan daerah: PKL, bangunan liar, reklame, ketertiban umum.",
            "Breaches of city by-laws: street vendors, illegal buildings, billboards, order.",
            "pkl, bangunan liar, reklame, satpol pp, by-law, vendors",
            "ketertiban",
        ),
    )
}

# The attributes of every service (`attribute[code]=value` in POST requests).
KECAMATAN_ATTRIBUTE = "kecamatan"
CONFIDENTIAL_ATTRIBUTE = "confidential"
YES_NO = {"true": "Ya (Yes)", "false": "Tidak (No)"}


def service_list() -> list[dict]:
    """GET services: one entry per category."""
    return [
        {
            "service_code": code,
            "service_name": CATEGORY_LABELS[s.category],
            "description": f"{s.description_id} (English: {s.description_en})",
            "metadata": True,
            "type": "realtime",
            "keywords": s.keywords,
            "group": s.group,
        }
        for code, s in SERVICES.items()
    ]


def service_definition(code: str) -> dict:
    """GET services/{code}: the attributes a request of the service may carry."""
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": KECAMATAN_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "Pilih satu kecamatan (choose one sub-district)",
                "order": 1,
                "description": (
                    "Kecamatan tempat masalah; bila kosong, petugas melengkapinya dari lokasi "
                    "(the sub-district of the problem; officers complete it when left out)"
                ),
                "values": [{"key": name, "name": f"Kecamatan {name}"} for name in KECAMATAN],
            },
            {
                "variable": True,
                "code": CONFIDENTIAL_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "true atau false (true or false)",
                "order": 2,
                "description": (
                    "Rahasiakan isi pengaduan dari publik? Petugas tetap membacanya "
                    "(keep the description from the public? Officers still read it)"
                ),
                "values": [{"key": key, "name": name} for key, name in YES_NO.items()],
            },
        ],
    }
