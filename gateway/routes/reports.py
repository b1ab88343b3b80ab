"""The monthly complaint-management report: public information, counts only."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.errors import ApiError


async def monthly(request: Request) -> JSONResponse:
    month = request.query_params.get("month")
    if month is None:
        raise ApiError("invalid_field", "month: required, written YYYY-MM", "month")
    report = await request.app.state.rpc.call("reporting", "monthly", month=month)
    return JSONResponse(report)
