"""Deadlines: the working-day calendar, SLA policies, a complaint's SLA history, and
pausing the clock while a complaint awaits the reporter."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.actions import check_agency
from gateway.auth import require
from gateway.body import json_body
from gateway.errors import ApiError
from gateway.identity import Role, Staff
from gateway.params import path_int
from gateway.routes.complaints import ticket_from
from gateway.routes.staff import run_action

# Who changes the working-day calendar and the SLA policies, for the JSON routes and
# the supervisors' pages (gateway/pages/routes_supervisor.py) alike.
CALENDAR_KEEPERS = (Role.SUPERVISOR,)


async def calendar(request: Request) -> JSONResponse:
    year = path_int(request, "year", 0, 9999)  # the sla service checks the range it serves
    return JSONResponse(await calendar_year(request, year))


async def change_day(request: Request) -> JSONResponse:
    staff = await require(request, *CALENDAR_KEEPERS)
    body = await json_body(request)
    return JSONResponse(await change_calendar_day(request, staff, body))


async def recompute(request: Request) -> JSONResponse:
    await require(request, *CALENDAR_KEEPERS)
    return JSONResponse(await recompute_status(request, request.path_params["request_id"]))


async def policies(request: Request) -> JSONResponse:
    return JSONResponse({"policies": await sla_policies(request)})


async def calendar_year(request: Request, year: int) -> dict:
    """The year's days off and local changes (the sla service checks the year)."""
    return await request.app.state.rpc.call("sla", "calendar", year=year)


async def change_calendar_day(request: Request, staff: Staff, body: object) -> dict:
    """A day off or a working day (`{date, working, reason}`, checked by the sla
    service); answers the id of the recomputation of the deadlines it moves."""
    return await request.app.state.rpc.call("sla", "change_day", body=body, by=staff.username)


async def recompute_status(request: Request, request_id: str) -> dict:
    found = await request.app.state.rpc.call("sla", "recompute_status", request_id=request_id)
    if found is None:
        raise ApiError("not_found", f"there is no recomputation {request_id!r}")
    return found


async def sla_policies(request: Request) -> list[dict]:
    return await request.app.state.rpc.call("sla", "policies")


async def policy(request: Request) -> JSONResponse:
    policy_id = request.path_params["policy_id"]
    versions = await request.app.state.rpc.call("sla", "policy_versions", policy_id=policy_id)
    return JSONResponse({"id": policy_id, "versions": versions})


async def add_policy(request: Request) -> JSONResponse:
    staff = await require(request, *CALENDAR_KEEPERS)
    body = await json_body(request)
    return JSONResponse(await add_sla_policy(request, staff, body), status_code=201)


async def add_sla_policy(request: Request, staff: Staff, body: object) -> dict:
    """A new policy or a new version of one, checked by the sla service."""
    return await request.app.state.rpc.call("sla", "add_policy", body=body, by=staff.username)


async def digest(request: Request) -> JSONResponse:
    await require(request, Role.SUPERVISOR)
    latest = await request.app.state.rpc.call("sla", "latest_digest")
    if latest is None:
        raise ApiError("not_found", "no weekly digest has been recorded yet")
    return JSONResponse(latest)


async def history(request: Request) -> JSONResponse:
    staff = await require(request)
    ticket = ticket_from(request)
    found = await sla_history(request, staff, ticket)
    if found is None:
        raise ApiError("not_found", f"complaint {ticket} has no deadline yet")
    return JSONResponse(found)


async def sla_history(request: Request, staff: Staff, ticket: str) -> dict | None:
    """Every deadline the complaint had and why, and its timers (agency admin: own
    agency's only); None before the first deadline."""
    await check_agency(request, staff, ticket)
    return await request.app.state.rpc.call("sla", "history", ticket=ticket)


async def pause(request: Request) -> JSONResponse:
    return await run_action(request, "pause")


async def resume(request: Request) -> JSONResponse:
    return await run_action(request, "resume")


async def request_info(request: Request) -> JSONResponse:
    """Asks the reporter for missing information (`{"question"}`): the clock pauses and
    the question reaches the reporter through their channel."""
    return await run_action(request, "request-info")
