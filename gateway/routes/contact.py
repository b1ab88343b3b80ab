"""A staff member's own contact details, for the notices staff_notices sends them
(SLA warnings, breaches, the weekly digest): GET and PUT /api/v1/me/contact; and, for
supervisors, the record of those notices about a complaint.

The details belong to staff_notices, which sends by them; the gateway passes on the
caller's verified username, role and agency with them.
"""

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import require
from gateway.body import json_body
from gateway.identity import Role, Staff
from gateway.routes.complaints import ticket_from


async def show(request: Request) -> JSONResponse:
    staff = await require(request)
    return JSONResponse(await own_contact(request, staff))


async def replace(request: Request) -> JSONResponse:
    """`{"email"?: str|null, "whatsapp"?: str|null}`; null or "" clears one."""
    staff = await require(request)
    return JSONResponse(await set_own_contact(request, staff, await json_body(request)))


async def own_contact(request: Request, staff: Staff) -> dict:
    return await request.app.state.rpc.call("staff_notices", "contact", username=staff.username)


async def set_own_contact(request: Request, staff: Staff, body: object) -> dict:
    return await request.app.state.rpc.call(
        "staff_notices",
        "set_contact",
        username=staff.username,
        role=str(staff.role),
        agency=staff.agency,
        body=body,
    )


async def staff_deliveries(request: Request) -> JSONResponse:
    """Supervisors: the notices to staff about one complaint, each with its medium,
    recipient, status and attempts."""
    await require(request, Role.SUPERVISOR)
    ticket = ticket_from(request)
    found = await request.app.state.rpc.call("staff_notices", "deliveries", ticket=ticket)
    return JSONResponse({"ticket": ticket, "deliveries": found})
