"""The service desk: officers record walk-in (tatap_muka) and letter (surat) complaints
on the reporter's behalf, with scanned pages; staff download attachments and the
letters written back to such reporters."""

import base64
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.auth import require
from gateway.errors import ApiError
from gateway.identity import Role, Staff
from gateway.routes.complaints import idempotency_key, ticket_from, with_links
from gateway.routes.sla import check_agency
from gateway.uploads import complaint_with_files, content_disposition
from services.contracts.reference import Channel

DESK_CHANNELS = (Channel.TATAP_MUKA, Channel.SURAT)
# Who records desk complaints, for the JSON route and the desk page alike.
DESK_OFFICERS = (Role.OFFICER,)
LETTER_READERS = (Role.OFFICER, Role.ADMIN, Role.SUPERVISOR)


async def record(request: Request) -> JSONResponse:
    """JSON {"channel", "complaint": {...}} or multipart with fields `channel` and
    `complaint` and files `attachments` (the letter's scanned pages, photos)."""
    staff = await require(request, *DESK_OFFICERS)
    key = idempotency_key(request)
    body, files, fields = await complaint_with_files(request)
    if not files and isinstance(body, dict) and "complaint" in body:
        fields, body = {"channel": body.get("channel")}, body["complaint"]
    receipt = await record_desk_complaint(request, staff, fields.get("channel"), body, files, key)
    return JSONResponse(with_links(request, receipt), status_code=202)


async def record_desk_complaint(
    request: Request,
    staff: Staff,
    channel: object,
    body: object,
    files: list[dict],
    key: str | None,
) -> dict:
    """A desk complaint through intake, recorded by the officer (the API and the desk
    page); the receipt holds the secret tracking token for the request that made it."""
    if channel not in DESK_CHANNELS:
        raise ApiError("invalid_field", "channel: must be tatap_muka or surat", "channel")
    # An officer's key, not the reporter's: two officers' forms never collide.
    scoped_key = f"desk:{staff.username}:{key}" if key else f"request:{uuid.uuid4().hex}"
    return await request.app.state.rpc.call(
        "intake",
        "submit",
        channel=channel,
        body=body,
        idempotency_key=scoped_key,
        files=files,
        recorded_by=staff.username,
    )


async def attachment(request: Request) -> Response:
    staff = await require(request)
    ticket = ticket_from(request)
    await check_agency(request, staff, ticket)
    found = await request.app.state.rpc.call(
        "intake", "attachment", ticket=ticket, attachment_id=request.path_params["file_id"]
    )
    return _download(found, found["content_type"])


async def letters(request: Request) -> JSONResponse:
    await require(request, *LETTER_READERS)
    ticket = ticket_from(request)
    found = await request.app.state.rpc.call("desk", "letters_for", ticket=ticket)
    return JSONResponse({"ticket": ticket, "letters": found})


async def letter(request: Request) -> Response:
    await require(request, *LETTER_READERS)
    ticket = ticket_from(request)
    found = await request.app.state.rpc.call(
        "desk", "letter", ticket=ticket, letter_id=request.path_params["letter_id"]
    )
    return _download(found, "application/pdf")


def _download(found: dict, content_type: str) -> Response:
    return Response(
        base64.b64decode(found["content_b64"]),
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(found["filename"]),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
