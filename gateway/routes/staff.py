"""Staff endpoints: the six-step flow's decisions and each role's worklist."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import require
from gateway.body import json_body
from gateway.errors import ApiError
from gateway.identity import Role
from gateway.params import query_int
from gateway.routes.complaints import ticket_from

AGENCY_METHODS = {"accept": "accept", "return": "return_", "resolve": "resolve"}


async def classify(request: Request) -> JSONResponse:
    staff = await require(request, Role.OFFICER)
    ticket, body = ticket_from(request), await json_body(request)
    if isinstance(body, dict) and isinstance(body.get("agencies"), list):
        await known_agencies(request, "agencies", body["agencies"])
    return await _call(
        request, "triage", "classify", ticket=ticket, body=body, officer=staff.username
    )


async def reject(request: Request) -> JSONResponse:
    staff = await require(request, Role.OFFICER)
    ticket, body = ticket_from(request), await json_body(request)
    return await _call(
        request, "triage", "reject", ticket=ticket, body=body, officer=staff.username
    )


async def forward(request: Request) -> JSONResponse:
    staff = await require(request, Role.ADMIN)
    ticket, body = ticket_from(request), await json_body(request, required=False)
    return await _call(
        request, "dispatch", "forward", ticket=ticket, body=body, admin=staff.username
    )


async def link(request: Request) -> JSONResponse:
    """The officer confirms this complaint repeats another (`{"to": ticket}`)."""
    staff = await require(request, Role.OFFICER)
    ticket, body = ticket_from(request), await json_body(request)
    return await _call(request, "triage", "link", ticket=ticket, body=body, officer=staff.username)


async def unlink(request: Request) -> JSONResponse:
    staff = await require(request, Role.OFFICER)
    ticket = ticket_from(request)
    return await _call(request, "triage", "unlink", ticket=ticket, officer=staff.username)


async def reopen(request: Request) -> JSONResponse:
    """The reporter disputes the result: an officer reopens the closed complaint."""
    staff = await require(request, Role.OFFICER)
    ticket, body = ticket_from(request), await json_body(request)
    return await _call(
        request, "dispatch", "reopen", ticket=ticket, body=body, officer=staff.username
    )


async def agency_step(request: Request) -> JSONResponse:
    """accept, return and resolve: the agency admin of the assigned agency only."""
    action = request.path_params["action"]
    method = AGENCY_METHODS.get(action)
    if method is None:
        raise ApiError("not_found", f"there is no action {action!r} on a complaint")
    staff = await require(request, Role.AGENCY_ADMIN)
    ticket = ticket_from(request)
    body = await json_body(request, required=action != "accept")
    return await _call(
        request,
        "dispatch",
        method,
        ticket=ticket,
        body=body,
        actor=staff.username,
        agency=staff.agency,
    )


async def worklist(request: Request) -> JSONResponse:
    staff = await require(request)
    limit = query_int(request, "limit", 50, 1, 200)
    items = await request.app.state.rpc.call(
        "reporting", "worklist", role=str(staff.role), agency=staff.agency, limit=limit
    )
    return JSONResponse({"role": staff.role, "agency": staff.agency, "items": items})


async def known_agencies(request: Request, field: str, codes: list) -> None:
    codes = [code for code in codes if isinstance(code, str)]
    unknown = await run_in_threadpool(request.app.state.identity.unknown_agencies, codes)
    if unknown:
        raise ApiError("invalid_field", f"{field}: unknown agency {unknown[0]!r}", field)


async def _call(request: Request, service: str, method: str, **kwargs) -> JSONResponse:
    return JSONResponse(await request.app.state.rpc.call(service, method, **kwargs))
