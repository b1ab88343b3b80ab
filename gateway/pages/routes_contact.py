"""/kerja/kontak: a staff member sets the e-mail address and WhatsApp number its
notices go to, through the JSON route's own code (gateway/routes/contact.py); the
staff_notices service's refusal is said in Indonesian beside its field."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth import require
from gateway.errors import ApiError
from gateway.identity import Staff
from gateway.pages.errors import said_beside_form
from gateway.pages.routes_work import agency_names, render_staff
from gateway.pages.staff_access import posted_by, staff_page
from gateway.pages.work_forms import text
from gateway.routes.contact import own_contact, set_own_contact

CONTACT = "/kerja/kontak"
MAX_FIELDS = 5
FIELDS = ("email", "whatsapp")
REFUSALS = {
    "email": "Alamat e-mail tidak dapat dipakai. Contoh yang benar: nama@semarangkota.go.id.",
    "whatsapp": "Nomor WhatsApp tidak dapat dipakai. Contoh yang benar: 081234567890.",
}


@staff_page
async def contact(request: Request) -> Response:
    staff = await require(request)
    saved = request.query_params.get("tersimpan") == "1"
    return await contact_page(request, staff, await own_contact(request, staff), saved=saved)


@staff_page
async def save(request: Request) -> Response:
    """As PUT /api/v1/me/contact, then 303 back here saying it was saved."""
    staff, typed = await posted_by(
        request, MAX_FIELDS, (), lambda posted: {name: text(posted, name) for name in FIELDS}
    )
    try:
        await set_own_contact(request, staff, {name: typed[name] or None for name in FIELDS})
    except ApiError as error:
        if not said_beside_form(error):
            raise
        field = error.field if error.field in REFUSALS else ""
        message = REFUSALS.get(field, "Isian ini tidak dapat diterima. Periksa kembali.")
        refused = (field, message)
        return await contact_page(request, staff, typed, refused, status_code=error.status)
    return RedirectResponse(CONTACT + "?tersimpan=1", status_code=303)


async def contact_page(
    request: Request,
    staff: Staff,
    typed: dict,
    refused: tuple[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    where, error = refused or ("", None)
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "staff_contact.html",
        {"typed": typed, "error": error, "error_field": where, "saved": saved},
        status_code=status_code,
    )
