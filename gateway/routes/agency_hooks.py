"""Agencies' webhook endpoints and their delivery log (the agency_hooks service).

An agency's liaison registers, lists, rotates and removes its agency's endpoints; a
supervisor does so for any agency (naming it). The delivery log and redelivery are
also open to the agency's system with an API key holding the `deliveries` permission.
"""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import require
from gateway.body import json_body, json_object
from gateway.errors import ApiError
from gateway.identity import Role, Staff
from gateway.params import query_int
from gateway.routes.users import NO_STORE

HOOK_KEEPERS = (Role.AGENCY_ADMIN, Role.SUPERVISOR)
ENDPOINT_FIELDS = ("agency", "url", "events", "description")
DELIVERY_FILTERS = ("status", "ticket", "endpoint")


async def register(request: Request) -> JSONResponse:
    """`{"url", "events"?, "description"?}` (and `agency` from a supervisor) -> 201 with
    the endpoint and its signing `secret`, shown this once."""
    staff = await require(request, *HOOK_KEEPERS)
    body = json_object(
        await json_body(request), ENDPOINT_FIELDS, '{"url", "events"?, "description"?}'
    )
    agency = await _agency_named(request, staff, body.pop("agency", None))
    created = await hooks_call(request, "register", agency=agency, body=body, by=staff.username)
    return JSONResponse(created, status_code=201, headers=NO_STORE)


async def list_endpoints(request: Request) -> JSONResponse:
    staff = await require(request, *HOOK_KEEPERS)
    agency = _scope(request, staff)
    return JSONResponse({"endpoints": await hooks_call(request, "endpoints", agency=agency)})


async def rotate_secret(request: Request) -> JSONResponse:
    staff = await require(request, *HOOK_KEEPERS)
    rotated = await hooks_call(
        request, "rotate_secret", **_endpoint_of(request, staff), by=staff.username
    )
    return JSONResponse(rotated, headers=NO_STORE)


async def remove(request: Request) -> JSONResponse:
    staff = await require(request, *HOOK_KEEPERS)
    removed = await hooks_call(request, "remove", **_endpoint_of(request, staff), by=staff.username)
    return JSONResponse(removed)


async def redeliver_parked(request: Request) -> JSONResponse:
    staff = await require(request, *HOOK_KEEPERS)
    return JSONResponse(
        await hooks_call(request, "redeliver_parked", **_endpoint_of(request, staff))
    )


async def deliveries(request: Request) -> JSONResponse:
    """The delivery log, newest first: ?status=pending|retrying|delivered|parked,
    ?ticket=, ?endpoint=, ?limit= (at most 500)."""
    staff = await require(request, *HOOK_KEEPERS)
    agency = _scope(request, staff)
    limit = query_int(request, "limit", 100, 1, 500)
    filters = {n: request.query_params[n] for n in DELIVERY_FILTERS if n in request.query_params}
    found = await hooks_call(request, "deliveries", agency=agency, filters=filters, limit=limit)
    return JSONResponse({"agency": agency, "deliveries": found})


async def redeliver(request: Request) -> JSONResponse:
    """A parked delivery is sent again with what waited behind it; a delivered one is
    sent once more as it was (same event id)."""
    staff = await require(request, *HOOK_KEEPERS)
    delivery_id = request.path_params["delivery_id"]
    agency = None if staff.role == Role.SUPERVISOR else staff.agency
    redone = await hooks_call(request, "redeliver", agency=agency, delivery_id=delivery_id)
    return JSONResponse(redone, status_code=202)


async def hooks_call(request: Request, method: str, **kwargs):
    return await request.app.state.rpc.call("agency_hooks", method, **kwargs)


def _scope(request: Request, staff: Staff) -> str | None:
    """The agency whose endpoints and log the caller reads: its own, or for a supervisor
    the one named by ?agency= (all without it)."""
    if staff.role == Role.SUPERVISOR:
        return request.query_params.get("agency") or None
    return staff.agency


def _endpoint_of(request: Request, staff: Staff) -> dict:
    agency = None if staff.role == Role.SUPERVISOR else staff.agency
    return {"agency": agency, "endpoint_id": request.path_params["endpoint_id"]}


async def _agency_named(request: Request, staff: Staff, named: object) -> str:
    if staff.role != Role.SUPERVISOR:
        if named not in (None, staff.agency):
            raise ApiError("forbidden", "an agency registers endpoints for itself only")
        return staff.agency
    if not isinstance(named, str):
        raise ApiError(
            "invalid_field", "agency: the code of the agency the endpoint is for", "agency"
        )
    unknown = await run_in_threadpool(request.app.state.identity.unknown_agencies, [named])
    if unknown:
        raise ApiError("invalid_field", f"agency: there is no agency {named!r}", "agency")
    return named
