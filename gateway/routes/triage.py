"""The officer's review screen (triage's suggestions and the words behind them), and the
supervisors' routing table and automatic-rejection switches."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import require
from gateway.body import json_body
from gateway.errors import ApiError
from gateway.identity import Role, Staff
from gateway.routes.complaints import ticket_from

REVIEWERS = (Role.OFFICER, Role.SUPERVISOR)
# Who changes triage's settings, for the JSON routes and the supervisors' pages alike.
SETTINGS_KEEPERS = (Role.SUPERVISOR,)


async def review(request: Request) -> JSONResponse:
    await require(request, *REVIEWERS)
    ticket = ticket_from(request)
    found = await request.app.state.rpc.call("triage", "review", ticket=ticket)
    if found is None:
        raise ApiError("not_found", f"complaint {ticket} has no review (yet)")
    return JSONResponse(found)


async def routing_table(request: Request) -> JSONResponse:
    return await _read(request, "routing_table")


async def replace_routing_table(request: Request) -> JSONResponse:
    return await _replace(request, "replace_routing_table")


async def auto_reject(request: Request) -> JSONResponse:
    return await _read(request, "auto_reject")


async def replace_auto_reject(request: Request) -> JSONResponse:
    return await _replace(request, "replace_auto_reject")


async def _read(request: Request, method: str) -> JSONResponse:
    await require(request)
    return JSONResponse(await triage_setting(request, method))


async def _replace(request: Request, method: str) -> JSONResponse:
    staff = await require(request, *SETTINGS_KEEPERS)
    body = await json_body(request)
    return JSONResponse(await replace_triage_setting(request, staff, method, body))


async def triage_setting(request: Request, method: str) -> dict:
    """The routing table ("routing_table") or the automatic rejections ("auto_reject")."""
    return await request.app.state.rpc.call("triage", method)


async def replace_triage_setting(request: Request, staff: Staff, method: str, body: object) -> dict:
    """A supervisor's new version of a triage setting, validated by the service."""
    return await request.app.state.rpc.call("triage", method, body=body, by=staff.username)
