"""Staff endpoints: the six-step flow's decisions and each role's worklist."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.actions import ACTIONS, AGENCY_STEPS, Body, take
from gateway.auth import require
from gateway.body import json_body
from gateway.errors import ApiError
from gateway.identity import Staff
from gateway.params import query_int
from gateway.routes.complaints import ticket_from


async def classify(request: Request) -> JSONResponse:
    return await run_action(request, "classify")


async def reject(request: Request) -> JSONResponse:
    return await run_action(request, "reject")


async def forward(request: Request) -> JSONResponse:
    return await run_action(request, "forward")


async def link(request: Request) -> JSONResponse:
    """The officer confirms this complaint repeats another (`{"to": ticket}`)."""
    return await run_action(request, "link")


async def unlink(request: Request) -> JSONResponse:
    return await run_action(request, "unlink")


async def reopen(request: Request) -> JSONResponse:
    """The reporter disputes the result: an officer reopens the closed complaint."""
    return await run_action(request, "reopen")


async def close_task(request: Request) -> JSONResponse:
    """The lead agency closes another agency's task of a cross-agency complaint."""
    return await run_action(request, "close-task")


async def reassign_task(request: Request) -> JSONResponse:
    """An admin moves a task to another agency; the old agency loses the complaint."""
    return await run_action(request, "reassign")


async def record_referral(request: Request) -> JSONResponse:
    """A cross-institution complaint: the day it was sent to the institution, its answer."""
    return await run_action(request, "referral")


async def agency_step(request: Request) -> JSONResponse:
    """accept, return and resolve: the agency admin of the assigned agency only."""
    action = request.path_params["action"]
    if action not in AGENCY_STEPS:
        raise ApiError("not_found", f"there is no action {action!r} on a complaint")
    return await run_action(request, action)


async def run_action(request: Request, name: str) -> JSONResponse:
    """One decision (gateway/actions.py): the role first, then the ticket, then the body."""
    action = ACTIONS[name]
    staff = await action.authorize(request)
    ticket = ticket_from(request)
    body = None
    if action.body != Body.NONE:
        body = await json_body(request, required=action.body == Body.REQUIRED)
    return JSONResponse(await take(request, name, staff, ticket, body))


async def worklist(request: Request) -> JSONResponse:
    """The caller's queue: ?limit=, ?page=, and the filters status, category,
    kecamatan, channel and q (text in title or description); reporting checks them."""
    staff = await require(request)
    limit = query_int(request, "limit", 50, 1, 200)
    page = query_int(request, "page", 1, 1, 1000)
    filters = {name: request.query_params.get(name) for name in WORKLIST_FILTERS}
    items = await worklist_items(request, staff, limit, filters, page)
    return JSONResponse({"role": staff.role, "agency": staff.agency, "page": page, "items": items})


# The filters reporting's worklist takes (services/reporting/core.py worklist_filter).
WORKLIST_FILTERS = ("status", "category", "kecamatan", "channel", "q")


async def worklist_items(
    request: Request, staff: Staff, limit: int, filters: dict | None = None, page: int = 1
) -> list[dict]:
    """The staff member's queue from the read model: urgent first, then due soonest;
    an agency admin's holds its agency's complaints only (reporting decides)."""
    chosen = {name: value for name, value in (filters or {}).items() if value}
    return await request.app.state.rpc.call(
        "reporting",
        "worklist",
        role=str(staff.role),
        agency=staff.agency,
        limit=limit,
        filters=chosen,
        page=page,
    )
