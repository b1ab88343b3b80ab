"""Signing in and out of the staff pages, through the same code as the API's
POST /api/v1/auth/token (password check and throttling of failed sign-ins) and
POST /api/v1/auth/logout (the token is revoked, not only forgotten by the browser)."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.errors import ApiError
from gateway.pages.next_url import HOME, safe_next
from gateway.pages.rendering import render
from gateway.pages.routes_public import require_csrf
from gateway.routes.auth import sign_in as issue_token
from gateway.routes.users import sign_out as revoke_token
from gateway.uploads import read_form

MAX_FIELDS = 8
NOTES = {
    "keluar": "Anda sudah keluar. Sampai jumpa.",
    "habis": "Sesi Anda sudah berakhir karena lama tidak aktif. Silakan masuk kembali.",
}
WRONG = "Nama pengguna atau kata sandi salah."
EMPTY = "Isi nama pengguna dan kata sandi."


async def sign_in_form(request: Request) -> Response:
    params = request.query_params
    note = next((text for key, text in NOTES.items() if params.get(key) == "1"), None)
    return sign_in_page(request, "", safe_next(params.get("next")), note=note)


async def sign_in(request: Request) -> Response:
    form = await read_form(request, MAX_FIELDS)
    try:
        require_csrf(request, form)
        username = _text(form.get("username"))
        # A password is taken as typed: spaces may belong to it.
        password = form.get("password") if isinstance(form.get("password"), str) else ""
        back = safe_next(form.get("next"))
    finally:
        await form.close()
    if not username or not password:
        return sign_in_page(request, username, back, error=EMPTY, status_code=422)
    try:
        token, _ = await issue_token(request, username, password)
    except ApiError as error:
        if error.code == "invalid_credentials":
            return sign_in_page(request, username, back, error=WRONG, status_code=401)
        if error.code == "too_many_requests":
            minutes = max(1, (getattr(error, "retry_after", 60) + 59) // 60)
            message = (
                "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. "
                f"Coba lagi dalam {minutes} menit."
            )
            return sign_in_page(request, username, back, error=message, status_code=429)
        raise
    response = RedirectResponse(back or HOME, status_code=303)
    return request.app.state.sessions.keep(response, token)


async def sign_out(request: Request) -> Response:
    """POST with the CSRF token: the token is revoked and the cookie deleted."""
    form = await read_form(request, MAX_FIELDS)
    try:
        require_csrf(request, form)
    finally:
        await form.close()
    sessions = request.app.state.sessions
    token = sessions.token(request)
    if token is not None:
        request.state.staff_token = token
        try:
            await revoke_token(request)
        except ApiError as error:
            if error.status != 401:  # 401: the token had ended already
                raise
    return sessions.end(RedirectResponse("/masuk?keluar=1", status_code=303))


def sign_in_page(
    request: Request,
    username: str,
    back: str | None,
    note: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "sign_in.html",
        {
            "username": username,
            "next": back or "",
            "note": note,
            "error": error,
            "csrf_token": request.app.state.csrf.token(request),
        },
        status_code=status_code,
        private=True,
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
