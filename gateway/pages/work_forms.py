"""The staff pages' forms, one per decision: the Indonesian path of each, the body the
API's action (gateway/actions.py) takes from it, and what the page says afterwards.
The rules stay in the services; a refusal is said in Indonesian next to its form."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import FormData

from gateway.body import parse_json
from gateway.errors import ApiError
from gateway.pages.messages import field_error


@dataclass(frozen=True)
class Form:
    action: str  # the key in gateway.actions.ACTIONS
    body: Callable[[FormData], dict | None]
    done: str  # said on the complaint page after the action succeeded
    # A form about one part of a multi-agency case is posted to
    # /kerja/TICKET/tugas/AGENCY/SLUG (path "agency") or .../instansi/CODE/SLUG.
    path: str | None = None


def _texts(*names: str) -> Callable[[FormData], dict]:
    """A body of the form's non-empty text inputs (empty ones left for the service to
    call missing)."""

    def body(form: FormData) -> dict:
        return {name: value for name in names if (value := text(form, name))}

    return body


def _classification(form: FormData) -> dict:
    body = _texts("category", "scope")(form)
    body["agencies"] = [a for a in form.getlist("agencies") if isinstance(a, str) and a]
    return body


def _link(form: FormData) -> dict:
    to = "".join(text(form, "to").split()).upper()
    return {"to": to} if to else {}


FORMS: dict[str, Form] = {
    "klasifikasi": Form(
        "classify", _classification, "Pengaduan sudah diverifikasi dan menunggu diteruskan."
    ),
    "tolak": Form("reject", _texts("reason"), "Pengaduan ditolak; alasannya dikirim ke pelapor."),
    "gabungkan": Form("link", _link, "Pengaduan digabungkan dengan pengaduan yang diulanginya."),
    "pisahkan": Form("unlink", lambda form: None, "Pengaduan dipisahkan kembali."),
    "buka-kembali": Form(
        "reopen", _texts("reason"), "Pengaduan dibuka kembali untuk ditinjau ulang."
    ),
    "teruskan": Form("forward", _texts("agency"), "Pengaduan sudah diteruskan."),
    "terima": Form("accept", lambda form: {}, "Pengaduan diterima untuk ditangani."),
    "kembalikan": Form("return", _texts("reason"), "Pengaduan dikembalikan kepada petugas."),
    "selesaikan": Form(
        "resolve", _texts("follow_up"), "Tindak lanjut dicatat dan dikirim ke pelapor."
    ),
    "minta-keterangan": Form(
        "request-info",
        _texts("question"),
        "Pertanyaan dikirim ke pelapor; batas waktu dihentikan sementara.",
    ),
    "hentikan-waktu": Form(
        "pause", lambda form: None, "Batas waktu dihentikan sementara sambil menunggu pelapor."
    ),
    "lanjutkan-waktu": Form(
        "resume",
        lambda form: None,
        "Batas waktu berjalan lagi, diperpanjang sebanyak hari kerja yang terjeda.",
    ),
    # The parts of a multi-agency case (shown in the parts table, per agency).
    "tutup-tugas": Form(
        "close-task",
        _texts("reason"),
        "Bagian tugas ditutup; pengaduan dapat diselesaikan tanpanya.",
        path="agency",
    ),
    "alihkan-tugas": Form(
        "reassign",
        _texts("agency", "reason"),
        "Bagian tugas dialihkan ke perangkat daerah lain.",
        path="agency",
    ),
    "catat-instansi": Form(
        "referral",
        _texts("sent_on", "answer", "answered_on"),
        "Penyampaian kepada instansi luar dicatat.",
        path="institution",
    ),
}
# The form of each action, for the templates.
PATH_OF = {form.action: path for path, form in FORMS.items()}
# Inputs a form sends at most (the classification's agencies are one input each).
MAX_FIELDS = 80

CONFLICT = (
    "Langkah ini tidak dapat dilakukan pada status pengaduan sekarang (mungkin sudah "
    "diubah oleh orang lain). Muat ulang halaman untuk melihat statusnya."
)


def body_of(form: Form, posted: FormData) -> dict | None:
    """The action's body, read by the API's JSON rules (NFC text, no NUL)."""
    body = form.body(posted)
    return None if body is None else parse_json(json.dumps(body))


def refusal(error: ApiError) -> str:
    """The service's refusal in Indonesian; its own words when there is no translation
    (they name the field and the limit)."""
    if error.code == "illegal_transition":
        return CONFLICT
    if error.code == "not_found":
        return f"Tidak ditemukan: {error.message}"
    _, message = field_error(error)
    if message.startswith("Isian ini tidak dapat diterima"):
        return f"{message} ({error.message})"
    return message


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
