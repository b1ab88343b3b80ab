"""Who is calling: the bearer token's staff member, an agency's system by its API key
(gateway/agency_keys.py), or nobody."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from gateway.agency_keys import looks_like_key, needed_permission
from gateway.audit import AGENCY_KEY_STATE
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
    if looks_like_key(token):
        return await key_caller(request, token)
    staff = await run_in_threadpool(request.app.state.identity.staff_for, token)
    if staff is None:
        raise ApiError("unauthorized", "the token is unknown or expired; sign in again")
    return staff


async def key_caller(request: Request, token: str) -> Staff:
    """The agency a key stands for, within its calls per minute (429 past them)."""
    found = await run_in_threadpool(request.app.state.agency_keys.staff_for, token)
    if found is None:
        raise ApiError("unauthorized", "the API key is unknown, revoked or replaced")
    staff, per_minute = found
    setattr(request.state, AGENCY_KEY_STATE, staff)  # for the audit log
    request.app.state.key_throttles.check(staff.username, per_minute)
    # Checked here, not in require(): routes that take an optional caller see keys too.
    check_key_permission(request, staff.permissions or frozenset())
    return staff


async def require(request: Request, *roles: Role) -> Staff:
    staff = await caller(request)
    if staff is None:
        raise ApiError("unauthorized", "this endpoint is for staff: sign in at /api/v1/auth/token")
    if roles and staff.role not in roles:
        allowed = " or ".join(roles)
        raise ApiError("forbidden", f"this action needs the role {allowed}")
    return staff


def check_key_permission(request: Request, permissions: frozenset[str]) -> None:
    """An agency key calls only the routes its permissions name (deny by default)."""
    needed = needed_permission(request.method, route_path(request), _action(request))
    if needed is None:
        raise ApiError(
            "forbidden", f"an agency API key cannot call {request.method} {request.url.path}"
        )
    if needed not in permissions:
        raise ApiError("forbidden", f"this API key lacks the permission {needed!r}")


def route_path(request: Request) -> str | None:
    """The path template of the route that took the request."""
    return getattr(request.scope.get("route"), "path", None)


def _action(request: Request) -> str | None:
    action = request.path_params.get("action")
    return action if isinstance(action, str) else None
