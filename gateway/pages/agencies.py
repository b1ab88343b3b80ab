"""The agency directory's names, by code, for the pages to name agencies."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request


async def agency_names(request: Request) -> dict[str, str]:
    """The directory's names by code (GET /api/v1/agencies)."""
    listed = await run_in_threadpool(request.app.state.identity.agencies)
    return {a["code"]: a["name"] for a in listed}
