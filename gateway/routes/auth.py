"""Staff sign-in: a username and password for a bearer token that expires."""

import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.body import json_body
from gateway.errors import ApiError
from gateway.identity import Staff


async def token(request: Request) -> JSONResponse:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError("invalid_field", "body: a JSON object with username and password")
    username, password = body.get("username"), body.get("password")
    for name, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            raise ApiError("invalid_field", f"{name}: required, a string", name)
    settings = request.app.state.settings
    access_token, staff = await sign_in(request, username, password)
    return JSONResponse(
        {
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": settings.token_ttl,
            "role": staff.role,
            "agency": staff.agency,
        }
    )


async def sign_in(request: Request, username: str, password: str) -> tuple[str, Staff]:
    """A new token for the user, or invalid_credentials (401); too many failed sign-ins
    for the username in the window are too_many_requests (429). The API's token endpoint
    and the sign-in page both come here."""
    # Failed sign-ins per username are limited, so passwords cannot be guessed at speed.
    failures = request.app.state.login_throttle
    key = f"login:{username.casefold()}"
    failures.ensure_room(key, "failed sign-ins for this username")
    issued = await run_in_threadpool(
        request.app.state.identity.issue_token,
        username,
        password,
        request.app.state.settings.token_ttl,
    )
    if issued is None:
        failures.record(key, uuid.uuid4().hex)
        raise ApiError("invalid_credentials", "wrong username or password")
    return issued


async def agencies(request: Request) -> JSONResponse:
    listed = await run_in_threadpool(request.app.state.identity.agencies)
    return JSONResponse({"agencies": listed})
