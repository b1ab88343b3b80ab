"""The service desk's pages for officers: a walk-in (tatap muka) or letter (surat)
complaint recorded on the reporter's behalf with its scanned pages, and the receipt slip
printed for the reporter (the ticket number and, this once, the secret link).

They run the JSON route's own code (gateway/routes/desk.py, POST /api/v1/desk/complaints):
the same role, the same idempotency and the same intake rules; intake's refusal is said
beside its field, with what was typed kept.
"""

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth import require
from gateway.body import parse_json
from gateway.errors import ApiError
from gateway.identity import Staff
from gateway.pages import complaint_form
from gateway.pages.errors import said_beside_form
from gateway.pages.routes_public import require_csrf, secret_url
from gateway.pages.routes_work import agency_names, render_staff
from gateway.pages.staff_access import staff_page
from gateway.routes.complaints import checked_ticket, public_tracking
from gateway.routes.desk import DESK_CHANNELS, DESK_OFFICERS, record_desk_complaint
from gateway.uploads import checked_files, read_form

DESK = "/kerja/loket"
SLIP = DESK + "/{ticket}/tanda-terima"
MAX_FORM_FIELDS = 30
CHANNEL_LABELS = {"tatap_muka": "Tatap muka di loket", "surat": "Surat"}
DESK_INPUTS = ("channel", "reporter_address")


@staff_page
async def desk_form(request: Request) -> Response:
    staff = await require(request, *DESK_OFFICERS)
    values = complaint_form.empty_values() | {"channel": "tatap_muka", "reporter_address": ""}
    return await desk_page(request, staff, values, complaint_form.new_key())


@staff_page
async def record(request: Request) -> Response:
    """The form's POST: the complaint through intake as the desk API records it, then 303
    to the receipt slip; refused, the form again with intake's reasons."""
    form = await read_form(request, MAX_FORM_FIELDS)
    try:
        require_csrf(request, form)
        staff = await require(request, *DESK_OFFICERS)
        key = complaint_form.form_key(form)
        values = complaint_form.typed_values(form) | {
            name: complaint_form.form_text(form, name) for name in DESK_INPUTS
        }
        try:
            body = complaint_form.complaint_body(form)
            if values["reporter_address"]:
                body["reporter"]["address"] = values["reporter_address"]
            # The one reader of every JSON body: NFC text, no NUL, nothing BSON cannot hold.
            body = parse_json(json.dumps(body))
            files = await checked_files(request, complaint_form.chosen_files(form))
            receipt = await record_desk_complaint(
                request, staff, values["channel"], body, files, key
            )
        except ApiError as error:
            if not said_beside_form(error, passed_on=(404,)):
                raise
            if error.code == "idempotency_key_reused":
                key = None  # a new form key, so the corrected form can be sent
            return await desk_page(
                request, staff, values, key or complaint_form.new_key(), error, error.status
            )
    finally:
        await form.close()
    ticket = receipt["ticket"]
    slip = SLIP.format(ticket=ticket)
    return request.app.state.receipts.give(
        RedirectResponse(slip, status_code=303),
        ticket,
        receipt.get("tracking_token"),
        receipt.get("resubmission") is True,
        path=slip,
    )


@staff_page
async def slip(request: Request) -> Response:
    """The receipt slip to print for the reporter; the secret link is on it once."""
    staff = await require(request, *DESK_OFFICERS)
    ticket = checked_ticket(request.path_params["ticket"])
    path = SLIP.format(ticket=ticket)
    handed = request.app.state.receipts.take(request, ticket)
    view = await public_tracking(request.app.state.rpc, ticket)
    token = handed["token"] if handed else None
    response = render_staff(
        request,
        staff,
        await agency_names(request),
        "desk_slip.html",
        {
            "ticket": ticket,
            "received_at": view.get("received_at"),
            "title": view.get("title"),
            "secret_url": secret_url(request, ticket, token) if token else None,
            "resubmission": bool(handed and handed["resubmission"]),
            "officer": staff.username,
            "track_url": f"{request.app.state.settings.public_url}/lacak/{ticket}",
        },
    )
    return request.app.state.receipts.forget(response, ticket, path=path)


async def desk_page(
    request: Request,
    staff: Staff,
    values: dict[str, str],
    key: str,
    error: ApiError | None = None,
    status_code: int = 200,
) -> Response:
    settings = request.app.state.settings
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "desk.html",
        complaint_form.form_context(values, key, error, settings.max_file, settings.max_upload)
        | {"channels": [(str(c), CHANNEL_LABELS[str(c)]) for c in DESK_CHANNELS]},
        status_code=status_code,
    )
