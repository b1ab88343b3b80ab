"""The monthly complaint-management report (public information, counts only) and the
supervisors' overview of open complaints."""

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import require
from gateway.errors import ApiError
from gateway.identity import Role


async def monthly(request: Request) -> JSONResponse:
    month = request.query_params.get("month")
    if month is None:
        raise ApiError("invalid_field", "month: required, written YYYY-MM", "month")
    rpc = request.app.state.rpc
    report, figures = await asyncio.gather(
        rpc.call("reporting", "monthly", month=month),
        rpc.call("reporting", "month_figures", month=month),
    )
    # The summary of before (counts by category and status), and the month's figures
    # by agency, channel, kecamatan and scope with SLA compliance (docs/reports.md).
    return JSONResponse(report | {"figures": figures})


async def analytics(request: Request) -> JSONResponse:
    """A month's figures, in total and by one dimension (docs/reports.md): counts only,
    public like the monthly report."""
    month = request.query_params.get("month")
    if month is None:
        raise ApiError("invalid_field", "month: required, written YYYY-MM", "month")
    by = request.query_params.get("by", "category")
    figures = await request.app.state.rpc.call("reporting", "analytics", month=month, by=by)
    return JSONResponse(figures)


async def overview(request: Request) -> JSONResponse:
    await require(request, *OVERSEERS)
    return JSONResponse(await open_overview(request))


# Who reads the overview, for the JSON route and the supervisors' page alike.
OVERSEERS = (Role.SUPERVISOR,)


async def open_overview(request: Request) -> dict:
    """Open complaints by deadline state and by agency, and the ten open longest."""
    return await request.app.state.rpc.call("reporting", "overview")
