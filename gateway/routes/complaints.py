"""Public complaint endpoints: submit (the SapaMbakIta app channel) and track."""

import re
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import caller
from gateway.body import json_body
from gateway.errors import ApiError, BackendUnavailable
from gateway.identity import AGENCY_ROLES, Staff
from gateway.uploads import complaint_with_files
from services.contracts.reference import TICKET_PATTERN, Channel

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


async def submit(request: Request) -> JSONResponse:
    """A complaint from the app: JSON, or multipart with photos (gateway/uploads.py)."""
    key = idempotency_key(request)
    throttle_app_client(request, key)
    body, files, _ = await complaint_with_files(request)
    receipt = await record_app_complaint(request, body, files, key)
    return JSONResponse(with_links(request, receipt), status_code=202)


async def record_app_complaint(request: Request, body: object, files: list[dict], key: str | None):
    """Records a resident's complaint (the app, the residents' pages) through intake: the
    receipt, holding the secret tracking token for the request that created it. The
    caller has checked the client's throttle."""
    scoped_key = scoped_idempotency_key(str(Channel.SAPAMBAKITA), key)
    return await record_complaint(request, Channel.SAPAMBAKITA, body, files, scoped_key)


async def record_complaint(
    request: Request, channel: Channel, body: object, files: list[dict], scoped_key: str
) -> dict:
    """A complaint of a channel the gateway takes itself (the app, Open311) through intake."""
    return await request.app.state.rpc.call(
        "intake",
        "submit",
        channel=str(channel),
        body=body,
        idempotency_key=scoped_key,
        files=files,
    )


def scoped_idempotency_key(scope: str, key: str | None) -> str:
    """The client's key within its scope; without one every request is new (but a
    request redelivered to intake is not)."""
    return f"{scope}:{key}" if key else f"request:{uuid.uuid4().hex}"


def throttle_app_client(request: Request, key: str | None) -> None:
    """One client address may submit so many complaints per window (429 past it)."""
    client = request.client.host if request.client else "unknown"
    request.app.state.app_throttle.check(
        f"app:{client}", key or uuid.uuid4().hex, "complaints from this address"
    )


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise ApiError(
            "invalid_header", "Idempotency-Key: 1-200 visible ASCII characters", "Idempotency-Key"
        )
    return key


def with_links(request: Request, receipt: dict) -> dict:
    """The receipt with where to track the complaint and, for the request that created
    it, where to read its notices (the secret link)."""
    base = f"{request.app.state.settings.public_url}/api/v1/complaints/{receipt['ticket']}"
    token = receipt.pop("tracking_token", None)
    receipt["tracking_url"] = base
    if token:
        receipt["notifications_url"] = f"{base}/notifications?token={token}"
    return receipt


async def notifications(request: Request) -> JSONResponse:
    """The reporter's notices (receipt, forwarding, questions, rejection, result) for the
    app to poll; the secret token from the receipt stands in for an account, so
    anonymous reporters get them too. Staff see each notice's recipient and delivery."""
    ticket = ticket_from(request)
    staff = await caller(request)
    if staff is not None:
        if staff.role in AGENCY_ROLES:
            raise ApiError("forbidden", "notices to reporters are for officers and supervisors")
        notices = await request.app.state.rpc.call("intake", "staff_notifications", ticket=ticket)
        if notices is None:
            raise ApiError("not_found", f"there is no complaint {ticket}")
        return JSONResponse({"ticket": ticket, "notifications": notices})
    token = request.query_params.get("token", "")
    notices = await reporter_notices(request.app.state.rpc, ticket, token)
    return JSONResponse({"ticket": ticket, "notifications": notices})


async def reporter_notices(rpc, ticket: str, token: str) -> list[dict]:
    """The notices of the complaint whose secret tracking token this is (404 otherwise)."""
    return await rpc.call("intake", "notifications", ticket=ticket, token=token)


async def reply(request: Request) -> JSONResponse:
    """The reporter adds information (answering a question) with the secret token from
    the receipt: `{"text": ...}`. A clock paused for the reporter runs again."""
    return await from_the_reporter(request, reporter_reply, lambda body: body.get("text"))


async def rate(request: Request) -> JSONResponse:
    """The reporter rates the result with the secret token from the receipt:
    `{"rating": 1-5, "comment"?: str}`; once per result (409 already_rated), not before
    one (409 no_result_yet). 1-2 put the complaint in the officers' disputed list."""
    return await from_the_reporter(request, reporter_rating, lambda body: body)


async def from_the_reporter(request: Request, send, take) -> JSONResponse:
    """A reporter's message on the secret link (token in the query): `take` reads what
    `send` passes on from a JSON object body; 202 with intake's answer."""
    ticket = ticket_from(request)
    key = idempotency_key(request)
    body = await json_body(request)
    given = take(body) if isinstance(body, dict) else None
    token = request.query_params.get("token", "")
    return JSONResponse(
        await send(request.app.state.rpc, ticket, given, token, key), status_code=202
    )


async def reporter_reply(rpc, ticket: str, text: object, token: str, key: str | None) -> dict:
    """The reporter's answer, proven by the secret tracking token; recorded once per key."""
    return await _as_reporter(rpc, "reply", ticket, token, key, "reply_id", text=text)


async def reporter_rating(rpc, ticket: str, body: object, token: str, key: str | None) -> dict:
    """The reporter's rating, proven by the secret tracking token; recorded once per key."""
    return await _as_reporter(rpc, "rate", ticket, token, key, "rating_id", body=body)


async def _as_reporter(rpc, method: str, ticket: str, token: str, key, id_name: str, **given):
    return await rpc.call(
        "intake",
        method,
        ticket=ticket,
        channel=str(Channel.SAPAMBAKITA),
        proof={"token": token},
        **{id_name: f"app:{key}" if key else f"request:{uuid.uuid4().hex}"},
        **given,
    )


async def track(request: Request) -> JSONResponse:
    ticket = ticket_from(request)
    staff = await caller(request)
    rpc = request.app.state.rpc
    if staff is None:
        return JSONResponse(await public_tracking(rpc, ticket))
    return JSONResponse(await staff_tracking(rpc, staff, ticket))


async def staff_tracking(rpc, staff: Staff, ticket: str) -> dict:
    """The staff view (text always, scope, agencies, suggestion) with the live clock;
    reporting refuses an agency admin another agency's complaint (403)."""
    agency = staff.agency if staff.role in AGENCY_ROLES else None
    view = await rpc.call("reporting", "staff_view", ticket=ticket, agency=agency)
    if view is None and staff.role not in AGENCY_ROLES:
        # Recorded, but the read model has not caught up yet.
        view = await rpc.call("intake", "receipt", ticket=ticket)
    if view is None:
        raise ApiError("not_found", f"there is no complaint {ticket}")
    return await with_clock(rpc, ticket, view)


async def public_tracking(rpc, ticket: str) -> dict:
    """What anyone holding the ticket number may see (never the reporter): the read
    model's view, or intake's receipt while the read model catches up; 404 if none."""
    view = await rpc.call("reporting", "tracking", ticket=ticket)
    if view is None:
        # Recorded, but the read model has not caught up yet.
        view = await rpc.call("intake", "receipt", ticket=ticket)
    if view is None:
        raise ApiError("not_found", f"there is no complaint {ticket}")
    return await with_clock(rpc, ticket, view)


async def with_clock(rpc, ticket: str, view: dict) -> dict:
    """Adds the clock's live state (remaining working days); tracking still answers
    when the sla service does not."""
    try:
        clock = await rpc.call("sla", "summary", ticket=ticket)
    except BackendUnavailable:
        return view
    if clock and view.get("deadline"):
        view["deadline"] |= {
            "remaining_working_days": clock["remaining_working_days"],
            "state": clock["state"],
        }
    return view


def ticket_from(request: Request) -> str:
    return checked_ticket(request.path_params["ticket"])


def checked_ticket(ticket: str) -> str:
    """A ticket number, or 404: what cannot be a ticket names no complaint."""
    if not TICKET_PATTERN.match(ticket):
        raise ApiError("not_found", f"{ticket!r} is not a ticket number (e.g. SMG-2026-000123)")
    return ticket
