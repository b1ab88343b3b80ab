"""The residents' pages: the complaint form and its receipt, tracking by ticket number,
and the secret-link page with the reporter's notices and an answer form.

Every page calls the same RPC layer and the same helpers as the JSON API
(gateway/routes/complaints.py, gateway/uploads.py, gateway/body.py); intake decides
what a complaint or an answer must hold, and the page says its refusal in Indonesian.
"""

import json
import logging
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.body import parse_json
from gateway.errors import ApiError
from gateway.pages import complaint_form, labels
from gateway.pages.agencies import agency_names
from gateway.pages.csrf import FIELD as CSRF_FIELD
from gateway.pages.errors import CSRF_REFUSED, SECRET_LINK_INVALID, said_beside_form
from gateway.pages.messages import field_error
from gateway.pages.receipts import receipt_path
from gateway.pages.rendering import render
from gateway.routes.complaints import (
    checked_ticket,
    public_tracking,
    record_app_complaint,
    reporter_notices,
    reporter_rating,
    reporter_reply,
    throttle_app_client,
)
from gateway.uploads import checked_files, read_form
from services.contracts.reference import TICKET_PATTERN

log = logging.getLogger(__name__)

# The complaint form's inputs (14) with room to spare; the answer form has four.
MAX_FORM_FIELDS = 20
MAX_REPLY_FIELDS = 8


async def home(request: Request) -> Response:
    return complaint_page(request, complaint_form.empty_values(), complaint_form.new_key())


async def submit(request: Request) -> Response:
    """The form's POST: a complaint through intake, as POST /api/v1/complaints makes it,
    then 303 to the receipt; refused, the form again with intake's reasons."""
    form = await read_form(request, MAX_FORM_FIELDS)
    try:
        require_csrf(request, form)
        key = complaint_form.form_key(form)
        values = complaint_form.typed_values(form)
        try:
            throttle_app_client(request, key)
            # The one reader of every JSON body: NFC text, no NUL, nothing BSON cannot hold.
            body = parse_json(json.dumps(complaint_form.complaint_body(form)))
            files = await checked_files(request, complaint_form.chosen_files(form))
            receipt = await record_app_complaint(request, body, files, key)
        except ApiError as error:
            if not said_beside_form(error, passed_on=(404,)):
                raise
            if error.code == "idempotency_key_reused":
                key = None  # a new form key, so the corrected form can be sent
            return complaint_page(
                request, values, key or complaint_form.new_key(), error, error.status
            )
    finally:
        await form.close()
    ticket = receipt["ticket"]
    response = RedirectResponse(receipt_path(ticket), status_code=303)
    return request.app.state.receipts.give(
        response, ticket, receipt.get("tracking_token"), receipt.get("resubmission") is True
    )


def complaint_page(
    request: Request,
    values: dict[str, str],
    key: str,
    error: ApiError | None = None,
    status_code: int = 200,
) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "home.html",
        complaint_form.form_context(values, key, error, settings.max_file, settings.max_upload)
        | {"csrf_token": request.app.state.csrf.token(request)},
        status_code=status_code,
    )


async def receipt(request: Request) -> Response:
    """The ticket number and, once, the secret link handed over by the POST."""
    ticket = checked_ticket(request.path_params["ticket"])
    handed = request.app.state.receipts.take(request, ticket)
    view = await public_tracking(request.app.state.rpc, ticket)
    token = handed["token"] if handed else None
    response = render(
        request,
        "receipt.html",
        {
            "ticket": ticket,
            "received_at": view.get("received_at"),
            "secret_url": secret_url(request, ticket, token) if token else None,
            "resubmission": bool(handed and handed["resubmission"]),
        },
        private=True,
    )
    return request.app.state.receipts.forget(response, ticket)


async def track_form(request: Request) -> Response:
    """The tracking form (a GET form: it works without JavaScript and changes nothing)."""
    typed = request.query_params.get("tiket")
    if typed is None:
        return render(request, "track_form.html", {"typed": "", "error": None})
    ticket = "".join(typed.split()).upper()
    if TICKET_PATTERN.match(ticket):
        return RedirectResponse(f"/lacak/{ticket}", status_code=303)
    error = "Nomor tiket ditulis seperti SMG-2026-000123 (lihat tanda terima Anda)."
    return render(
        request, "track_form.html", {"typed": typed[:40], "error": error}, status_code=422
    )


async def track(request: Request) -> Response:
    """The public timeline (what GET /api/v1/complaints/{ticket} shows anyone)."""
    ticket = checked_ticket(request.path_params["ticket"])
    view = await public_tracking(request.app.state.rpc, ticket)
    return render(request, "track.html", {"c": await tracking_model(request, view)})


async def notices(request: Request) -> Response:
    """The secret-link page: the reporter's notices, and the answer form while the
    complaint waits for the reporter."""
    ticket = checked_ticket(request.path_params["ticket"])
    token = request.query_params.get("token", "")
    sent = request.query_params.get("terkirim") == "1"
    return await notices_page(request, ticket, token, text="", error=None, sent=sent)


async def reply(request: Request) -> Response:
    """The answer form's POST: the same RPC as POST /api/v1/complaints/{ticket}/replies."""
    ticket = checked_ticket(request.path_params["ticket"])
    form = await read_form(request, MAX_REPLY_FIELDS)
    try:
        require_csrf(request, form)
        token = complaint_form.form_text(form, "token")
        text = complaint_form.form_text(form, "text")
        try:
            checked = parse_json(json.dumps({"text": text}))
            await reporter_reply(
                request.app.state.rpc,
                ticket,
                checked["text"],
                token,
                complaint_form.form_key(form, "reply_key"),
            )
        except ApiError as error:
            _raise_unless_beside_form(error)
            _, message = field_error(error)
            return await notices_page(request, ticket, token, text, message, status_code=422)
    finally:
        await form.close()
    return RedirectResponse(
        f"/aduan/{ticket}/pemberitahuan?token={quote(token, safe='')}&terkirim=1",
        status_code=303,
    )


def _raise_unless_beside_form(error: ApiError) -> None:
    """A refusal of the secret-link forms: a wrong link is its own page, as is anything
    not about what was typed; the rest is said beside the form."""
    if error.code == "not_found":
        raise SECRET_LINK_INVALID from None
    if not said_beside_form(error):
        raise error


# What the rating form says when intake refuses a rating, in Bahasa Indonesia.
RATING_REFUSALS = {
    "no_result_yet": "Hasil pengaduan ini belum disampaikan; penilaian dapat diberikan "
    "setelah hasilnya kami sampaikan.",
    "already_rated": "Hasil ini sudah Anda nilai. Setiap hasil dinilai satu kali.",
    "rating": "Pilih nilai dari 1 (sangat buruk) sampai 5 (sangat baik).",
    "comment": "Komentar paling banyak 1000 huruf.",
}


async def rate(request: Request) -> Response:
    """The rating form's POST: the same RPC as POST /api/v1/complaints/{ticket}/rating."""
    ticket = checked_ticket(request.path_params["ticket"])
    form = await read_form(request, MAX_REPLY_FIELDS)
    try:
        require_csrf(request, form)
        token = complaint_form.form_text(form, "token")
        chosen = complaint_form.form_text(form, "rating")
        comment = complaint_form.form_text(form, "comment").strip()
        body = {"rating": int(chosen) if chosen.isdigit() and len(chosen) == 1 else chosen}
        if comment:
            body["comment"] = comment
        try:
            answer = await reporter_rating(
                request.app.state.rpc,
                ticket,
                parse_json(json.dumps(body)),
                token,
                complaint_form.form_key(form, "rating_key"),
            )
        except ApiError as error:
            _raise_unless_beside_form(error)
            message = RATING_REFUSALS.get(error.code) or RATING_REFUSALS.get(
                error.field or "", RATING_REFUSALS["rating"]
            )
            return await notices_page(
                request, ticket, token, "", None, rating_error=message, status_code=422
            )
    finally:
        await form.close()
    return await notices_page(request, ticket, token, "", None, rated=answer["message"])


async def notices_page(
    request: Request,
    ticket: str,
    token: str,
    text: str,
    error: str | None,
    sent: bool = False,
    status_code: int = 200,
    rating_error: str | None = None,
    rated: str | None = None,
) -> Response:
    rpc = request.app.state.rpc
    try:
        listed = await reporter_notices(rpc, ticket, token)
    except ApiError as refused:
        if refused.code == "not_found":
            raise SECRET_LINK_INVALID from None
        raise
    view = await public_tracking(rpc, ticket)
    questions = [n for n in listed if n.get("about") == "info_requested"]
    return render(
        request,
        "notices.html",
        {
            "c": await tracking_model(request, view),
            "notices": [notice_model(n) for n in reversed(listed)],
            "awaiting_answer": awaiting_reporter(view),
            "question": questions[-1]["message"] if questions else None,
            "token": token,
            "text": text,
            "error": error,
            "sent": sent,
            "reply_key": complaint_form.new_key(),
            # The result reached the reporter and nothing has rated or closed it yet.
            "can_rate": view.get("status") == "resolved"
            and any(n.get("about") == "resolved" for n in listed),
            "rating_key": complaint_form.new_key(),
            "rating_error": rating_error,
            "rated": rated,
            "csrf_token": request.app.state.csrf.token(request),
        },
        status_code=status_code,
        private=True,
    )


def awaiting_reporter(view: dict) -> bool:
    """The clock is paused for the reporter (a question was asked, or staff paused it)."""
    deadline = view.get("deadline") or {}
    return deadline.get("state") == "paused" or view.get("sla_state") == "paused"


async def tracking_model(request: Request, view: dict) -> dict:
    """The public view as the templates read it: every key present, labels resolved.
    Built only from the public tracking view, which never holds the reporter."""
    deadline = view.get("deadline") or None
    state = (deadline or {}).get("state") or view.get("sla_state")
    names = await agency_names(request)
    return {
        "ticket": view["ticket"],
        "status_label": view.get("status_label") or "Diterima",
        "category_label": view.get("category_label"),
        "agency": await agency_name(request, view.get("agency")),
        "kecamatan": view.get("kecamatan"),
        "received_at": view.get("received_at"),
        "title": view.get("title"),
        "description": view.get("description"),
        # intake's receipt, answering while the read model catches up, has no timeline
        "pending": "timeline" not in view,
        "deadline": None
        if deadline is None
        else {
            "due_at": deadline.get("due_at"),
            "working_days": deadline.get("working_days"),
            "remaining": deadline.get("remaining_working_days"),
            "state": labels.label(labels.DEADLINE_STATE_LABELS, state, "Sesuai jadwal"),
            "scope": labels.label(labels.SCOPE_LABELS, deadline.get("scope"), ""),
        },
        "timeline": labels.timeline(view, names),
        "parts": labels.parts(view, names),
    }


def notice_model(notice: dict) -> dict:
    delivery = (notice.get("delivery") or {}).get("status")
    return {
        "label": labels.label(labels.NOTICE_LABELS, notice.get("about"), "Pemberitahuan"),
        "message": notice.get("message") or "",
        "at": notice.get("at"),
        "delivery": labels.label(labels.DELIVERY_LABELS, delivery, ""),
    }


async def agency_name(request: Request, code: str | None) -> str | None:
    """The agency's name from the directory (GET /api/v1/agencies); its code when the
    directory cannot be read, so tracking still answers."""
    if not code:
        return None
    try:
        listed = await run_in_threadpool(request.app.state.identity.agencies)
    except Exception as error:  # the gateway's database is down: the code still says it
        log.warning("agency directory unreadable: %r", error)
        return code
    return next((a["name"] for a in listed if a["code"] == code), code)


def secret_url(request: Request, ticket: str, token: str) -> str:
    base = request.app.state.settings.public_url
    return f"{base}/aduan/{ticket}/pemberitahuan?token={quote(token, safe='')}"


def require_csrf(request: Request, form: FormData) -> None:
    if not request.app.state.csrf.valid(request, form.get(CSRF_FIELD)):
        raise CSRF_REFUSED
