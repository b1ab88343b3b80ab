"""Intake's refusals, said to the resident in Bahasa Indonesia next to the field.

The rules stay in intake (and in gateway/uploads.py for files): its error names the
field and the limit ("title: must be at least 5 characters"); here only the words are
translated, with the numbers taken from the error itself, never a second copy of a rule.
"""

import re

from gateway.errors import ApiError

# Intake's field paths, by the name of the form input that feeds them.
INPUT_FOR_FIELD: dict[str, str] = {
    "reporter": "name",
    "reporter.name": "name",
    "reporter.phone": "phone",
    "reporter.email": "email",
    "reporter.address": "reporter_address",
    "channel": "channel",
    "reporter.anonymous": "anonymous",
    "reporter.confidential": "confidential",
    "title": "title",
    "description": "description",
    "location": "kecamatan",
    "location.kecamatan": "kecamatan",
    "location.kelurahan": "kelurahan",
    "location.address": "address",
    "location.lat": "position",
    "location.lon": "position",
    "attachments": "attachments",
    "text": "text",
    # The staff pages' forms (gateway/pages/work_forms.py) name their inputs as the API's
    # fields.
    "reason": "reason",
    "follow_up": "follow_up",
    "question": "question",
    "category": "category",
    "scope": "scope",
    "agencies": "agencies",
    "agency": "agency",
    "to": "to",
    # The supervisors' calendar form (gateway/pages/routes_supervisor.py).
    "date": "date",
    "working": "working",
    # The supervisors' SLA policy form (gateway/pages/routes_policy.py); its day inputs
    # are named there.
    "id": "id",
    "version": "version",
    "rule": "rule",
    "warn_fractions": "warn_fractions",
    "warn_days_before": "warn_days_before",
    "categories": "categories",
    # The supervisors' staff accounts (gateway/pages/routes_accounts.py).
    "username": "username",
    "role": "role",
}

FIELD_NAMES: dict[str, str] = {
    "name": "Nama",
    "phone": "Nomor telepon",
    "email": "E-mail",
    "reporter_address": "Alamat surat pelapor",
    "channel": "Disampaikan melalui",
    "title": "Judul",
    "description": "Uraian",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "address": "Alamat",
    "position": "Lokasi dari peramban",
    "attachments": "Foto",
    "text": "Jawaban",
    "reason": "Alasan",
    "follow_up": "Tindak lanjut",
    "question": "Pertanyaan",
    "category": "Kategori",
    "scope": "Cakupan",
    "agencies": "Perangkat daerah",
    "agency": "Perangkat daerah",
    "to": "Nomor tiket",
    "date": "Tanggal",
    "working": "Jenis hari",
    "id": "Kode kebijakan",
    "version": "Versi",
    "rule": "Dasar aturan",
    "warn_fractions": "Peringatan saat terpakai (persen)",
    "warn_days_before": "Peringatan sebelum batas (hari kerja)",
    "categories": "Kategori",
    "username": "Nama pengguna",
    "role": "Peran",
}

# (intake's words after "field: ", the Indonesian words with the same numbers).
PHRASES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^is required$"), "wajib diisi."),
    (re.compile(r"^must be at least 1 characters$"), "wajib diisi."),
    (re.compile(r"^must be at least (\d+) characters$"), "minimal {0} karakter."),
    (re.compile(r"^must be at most (\d+) characters$"), "maksimal {0} karakter."),
    (re.compile(r"^must be a phone number"), "tulis nomor telepon, misalnya 081234567890."),
    (re.compile(r"^must be an email address"), "tulis alamat e-mail, misalnya nama@contoh.id."),
    (
        re.compile(r"^give a phone number or an email"),
        "isi nomor telepon atau e-mail agar hasilnya dapat sampai kepada Anda "
        "(atau pilih melapor tanpa nama).",
    ),
    (re.compile(r"^must be a kecamatan of Kota Semarang"), "pilih kecamatan di Kota Semarang."),
    (re.compile(r"^must be a number$"), "harus berupa angka."),
    (re.compile(r"^must be between (\S+) and (\S+)$"), "harus antara {0} dan {1}."),
    (re.compile(r"^must be one of"), "pilih salah satu pilihan yang tersedia."),
    (re.compile(r"^a date written YYYY-MM-DD$"), "tulis tanggal yang benar, misalnya 2026-08-17."),
    (
        re.compile(r"^must lie within a year before and three years after today$"),
        "harus antara setahun sebelum dan tiga tahun sesudah hari ini.",
    ),
    (re.compile(r"^is required: false adds a day off"), "pilih hari libur atau hari kerja."),
    (
        re.compile(r"^(\d+)-(\d+) lower-case letters, digits or '-'$"),
        "{0} sampai {1} huruf kecil, angka atau tanda '-', misalnya perwal-semarang-5-2023.",
    ),
    (re.compile(r"^a whole number from (\d+) to (\d+)$"), "bilangan bulat dari {0} sampai {1}."),
    (
        re.compile(r"^a whole number of working days, (\d+) to (\d+)$"),
        "tulis jumlah hari kerja, {0} sampai {1}.",
    ),
    (
        re.compile(r"^a list of at most (\d+) numbers from (\S+) to (\S+)$"),
        "paling banyak {0} angka dari {1} sampai {2}, dipisah koma.",
    ),
    (
        re.compile(r"^policy (\S+) exists; publish a new version$"),
        "versi {0} sudah ada; naikkan nomor versinya.",
    ),
    # The supervisors' routing table (gateway/pages/routes_triage_settings.py).
    (
        re.compile(r"^must be an agency code or kec-\{kecamatan\}$"),
        "pilih perangkat daerah atau kantor kecamatan.",
    ),
    (
        re.compile(r"^is not an agency code$"),
        "bukan kode perangkat daerah (huruf kecil, angka, '-').",
    ),
    (
        re.compile(r"^(\S+) needs a last rule without words$"),
        "kategori {0} memerlukan satu aturan tanpa kata-kata, sesudah aturannya yang lain, "
        "untuk pengaduan yang tidak cocok dengan aturan mana pun.",
    ),
    (re.compile(r"^must be a list of (\d+) to (\d+) rules$"), "isi {0} sampai {1} aturan."),
    # Staff accounts (gateway/identity.py, gateway/routes/users.py).
    (
        re.compile(r"^(\d+)-(\d+) lower-case letters, digits, '\.', '_' or '-'$"),
        "{0} sampai {1} huruf kecil, angka, '.', '_' atau '-', misalnya budi.santoso.",
    ),
    (re.compile(r"^user '(.+)' exists already$"), "{0} sudah dipakai akun lain."),
    (re.compile(r"^create it first$"), "perangkat daerah itu belum terdaftar."),
    (
        re.compile(r"^required for an agency_admin or agency_head, and only for them$"),
        "pilih perangkat daerah untuk admin penghubung atau kepala perangkat daerah, "
        "dan hanya untuk mereka.",
    ),
    (re.compile(r"^one of officer"), "pilih salah satu peran."),
    (re.compile(r"^required, a text$"), "wajib diisi."),
    # The service desk (gateway/pages/routes_desk.py).
    (
        re.compile(r"^give the reporter's phone, email or postal address"),
        "isi nomor telepon, e-mail atau alamat surat pelapor (salah satu), agar hasilnya "
        "sampai kepadanya.",
    ),
    (
        re.compile(r"^give the postal address the reply letter goes to"),
        "wajib diisi untuk pengaduan melalui surat: balasan dikirim ke alamat ini.",
    ),
    (re.compile(r"^must be tatap_muka or surat$"), "pilih tatap muka atau surat."),
)

BY_CODE: dict[str, str] = {
    "unsupported_media_type": "Foto harus berupa berkas JPEG atau PNG (pindaian boleh PDF).",
    "body_too_large": "Berkas terlalu besar: satu foto paling besar {file_mb} MB, "
    "semua lampiran bersama paling besar {upload_mb} MB.",
    "invalid_body": "Formulir tidak terbaca utuh. Silakan kirim ulang.",
    "too_many_requests": "Terlalu banyak pengaduan dari alamat ini dalam waktu singkat. "
    "Silakan coba lagi beberapa menit lagi.",
    "idempotency_key_reused": "Formulir ini sudah pernah dikirim dengan isi lain. "
    "Periksa isiannya lalu kirim sekali lagi sebagai pengaduan baru.",
}


def field_error(
    error: ApiError, file_mb: int = 5, upload_mb: int = 10, names: dict[str, str] | None = None
) -> tuple[str, str]:
    """(form input, Indonesian message) for a refusal; the input is "" when the error
    belongs to the whole form. `names`: a form's own inputs, named as the API's fields,
    and their labels."""
    if error.code in BY_CODE:
        where = "attachments" if error.code in ("unsupported_media_type", "body_too_large") else ""
        return where, BY_CODE[error.code].format(file_mb=file_mb, upload_mb=upload_mb)
    field = error.field or ""
    names = names or {}
    where = field if field in names else INPUT_FOR_FIELD.get(field, "")
    words = error.message.split(": ", 1)[1] if ": " in error.message else error.message
    for pattern, indonesian in PHRASES:
        found = pattern.match(words)
        if found:
            name = names.get(where) or FIELD_NAMES.get(where, "Isian ini")
            return where, f"{name}: {indonesian.format(*found.groups())}"
    return where, "Isian ini tidak dapat diterima. Periksa kembali lalu kirim ulang."
