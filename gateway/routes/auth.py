"""Staff sign-in: a username and password for a bearer token that expires."""

import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.body import json_body
from gateway.errors import ApiError


async def token(request: Request) -> JSONResponse:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError("invalid_field", "body: a JSON object with username and password")
    username, password = body.get("username"), body.get("password")
    for name, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            raise ApiError("invalid_field", f"{name}: required, a string", name)
    settings = request.app.state.settings
    # Failed sign-ins per username are limited, so passwords cannot be guessed at speed.
    failures = request.app.state.login_throttle
    failures.ensure_room(f"login:{username.casefold()}", "failed sign-ins for this username")
    issued = await run_in_threadpool(
        request.app.state.identity.issue_token, username, password, settings.token_ttl
    )
    if issued is None:
        failures.record(f"login:{username.casefold()}", uuid.uuid4().hex)
        raise ApiError("invalid_credentials", "wrong username or password")
    access_token, staff = issued
    return JSONResponse(
        {
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": settings.token_ttl,
            "role": staff.role,
            "agency": staff.agency,
        }
    )


async def agencies(request: Request) -> JSONResponse:
    listed = await run_in_threadpool(request.app.state.identity.agencies)
    return JSONResponse({"agencies": listed})
