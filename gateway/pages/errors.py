"""Errors on pages: an HTML page in Bahasa Indonesia with the fitting status, never a
traceback. The JSON API keeps its own answers: each of the gateway's handlers is
wrapped, and called unchanged for every path that is not a page."""

import logging
from collections.abc import Awaitable, Callable

from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway.errors import ApiError
from gateway.pages.rendering import render
from gateway.pages.security import is_page

log = logging.getLogger(__name__)


class PageError(Exception):
    """A page that cannot be shown, said in the resident's words."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(title)
        self.status, self.title, self.message = status, title, message


NOT_FOUND = PageError(
    404,
    "Halaman tidak ditemukan",
    "Alamat ini tidak ada, atau nomor tiketnya tidak dikenal. Periksa kembali nomor tiket "
    "Anda (contoh: SMG-2026-000123).",
)
UNAVAILABLE = PageError(
    503,
    "Layanan sedang tidak tersedia",
    "Sebagian sistem sedang tidak dapat dihubungi. Tidak ada data yang berubah; silakan "
    "coba lagi dalam beberapa saat.",
)
CSRF_REFUSED = PageError(
    403,
    "Formulir tidak dapat diterima",
    "Demi keamanan, formulir ini hanya diterima bila dikirim dari halaman Aduan yang baru "
    "dibuka. Tidak ada data yang diubah. Buka kembali halamannya, lalu kirim ulang.",
)
SECRET_LINK_INVALID = PageError(
    404,
    "Tautan tidak berlaku",
    "Nomor tiket atau kode rahasia pada tautan ini tidak cocok. Gunakan tautan lengkap "
    "dari tanda terima Anda, tanpa diubah.",
)
BY_STATUS: dict[int, PageError] = {
    400: PageError(
        400, "Permintaan tidak dapat diproses", "Periksa kembali isian Anda lalu coba lagi."
    ),
    403: PageError(403, "Akses ditolak", "Anda tidak berhak membuka halaman ini."),
    404: NOT_FOUND,
    405: PageError(405, "Cara membuka halaman tidak tepat", "Buka halaman ini dari tautannya."),
    413: PageError(
        413,
        "Berkas terlalu besar",
        "Lampiran melebihi batas ukuran. Perkecil foto Anda lalu kirim ulang.",
    ),
    429: PageError(
        429,
        "Terlalu banyak permintaan",
        "Terlalu banyak permintaan dari alamat ini dalam waktu singkat. Silakan coba lagi "
        "beberapa menit lagi.",
    ),
    500: PageError(
        500,
        "Terjadi kesalahan pada sistem",
        "Maaf, permintaan Anda tidak dapat diselesaikan. Petugas kami sudah menerima "
        "rinciannya; silakan coba lagi nanti.",
    ),
    503: UNAVAILABLE,
}


def page_for_status(status: int) -> PageError:
    if status in BY_STATUS:
        return BY_STATUS[status]
    return BY_STATUS[500] if status >= 500 else BY_STATUS[400]


def error_page(request: Request, error: PageError) -> Response:
    response = render(
        request,
        "error.html",
        {"status": error.status, "title": error.title, "message": error.message},
        status_code=error.status,
    )
    if error.status == 503:
        response.headers["retry-after"] = "5"
    return response


def as_page(error: Exception) -> PageError:
    if isinstance(error, PageError):
        return error
    if isinstance(error, ApiError):
        return page_for_status(error.status)
    if isinstance(error, HTTPException):
        return page_for_status(error.status_code)
    if isinstance(error, ConnectionFailure):
        return UNAVAILABLE
    return BY_STATUS[500]


Handler = Callable[[Request, Exception], Awaitable[Response]]


def page_aware(handlers: dict) -> dict:
    """The gateway's exception handlers, answering pages with HTML error pages."""

    def wrap(original: Handler | None) -> Handler:
        async def handle(request: Request, error: Exception) -> Response:
            if original is not None and not is_page(request.url.path):
                return await original(request, error)
            page = as_page(error)
            if page.status >= 500 and not isinstance(error, ApiError | ConnectionFailure):
                log.exception("page %s %s failed", request.method, request.url.path)
            return error_page(request, page)

        return handle

    wrapped = {kind: wrap(handler) for kind, handler in handlers.items()}
    wrapped[PageError] = wrap(None)
    return wrapped


def said_beside_form(error: ApiError, passed_on: tuple[int, ...] = ()) -> bool:
    """Whether a service's refusal is the form's to show (a 4xx about what was typed),
    rather than the page's: sign in again (401), access denied (403), `passed_on`
    (404 where the page itself is gone) and every 5xx are raised as their own pages."""
    return error.status < 500 and error.status not in (401, 403, *passed_on)
