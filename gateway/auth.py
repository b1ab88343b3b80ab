"""Who is calling: the bearer token's staff member, or nobody."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from gateway.errors import ApiError
from gateway.identity import Role, Staff


def bearer_token(request: Request) -> str | None:
    """The token of the Authorization header; without the header, the token of a staff
    page's session, or None.

    Only the staff pages set `request.state.staff_token` (gateway/pages/session.py, from
    their signed session cookie, on their own paths): a cookie never authenticates a
    call to the JSON API, so another site cannot make a browser call it."""
    header = request.headers.get("authorization")
    if header is None:
        return getattr(request.state, "staff_token", None)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("unauthorized", "send the header Authorization: Bearer <token>")
    return token.strip()


async def caller(request: Request) -> Staff | None:
    token = bearer_token(request)
    if token is None:
        return None
    staff = await run_in_threadpool(request.app.state.identity.staff_for, token)
    if staff is None:
        raise ApiError("unauthorized", "the token is unknown or expired; sign in again")
    return staff


async def require(request: Request, *roles: Role) -> Staff:
    staff = await caller(request)
    if staff is None:
        raise ApiError("unauthorized", "this endpoint is for staff: sign in at /api/v1/auth/token")
    if roles and staff.role not in roles:
        allowed = " or ".join(roles)
        raise ApiError("forbidden", f"this action needs the role {allowed}")
    return staff
