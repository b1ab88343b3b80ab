"""Agencies' API keys, for supervisors: create (the key shown once), list, rotate (the
new key shown once, the old one refused at once), revoke; and the audit log of the
calls agencies' systems made with them."""

from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.agency_keys import DEFAULT_RATE_LIMIT, AgencyKey, AgencyKeys
from gateway.auth import require
from gateway.body import json_body, json_object
from gateway.errors import ApiError
from gateway.identity import IdentityError, Role
from gateway.params import query_int
from gateway.routes.users import NO_STORE

KEY_KEEPERS = (Role.SUPERVISOR,)
NEW_KEY_FIELDS = ("agency", "name", "permissions", "rate_limit")
MAX_AUDIT = 500


async def create(request: Request) -> JSONResponse:
    """`{"agency", "name", "permissions", "rate_limit"?}` -> 201 with `key`, shown once."""
    supervisor = await require(request, *KEY_KEEPERS)
    body = await json_body(request)
    body = json_object(body, NEW_KEY_FIELDS, '{"agency", "name", "permissions", "rate_limit"?}')
    agency = body.get("agency")
    if not isinstance(agency, str):
        raise ApiError("invalid_field", "agency: an agency code", "agency")
    created, written = await _keys_call(
        keys(request).create,
        agency,
        body.get("name"),
        body.get("permissions"),
        supervisor.username,
        body.get("rate_limit", DEFAULT_RATE_LIMIT),
    )
    return JSONResponse(key_json(created) | {"key": written}, status_code=201, headers=NO_STORE)


async def list_keys(request: Request) -> JSONResponse:
    await require(request, *KEY_KEEPERS)
    agency = request.query_params.get("agency")
    listed = await run_in_threadpool(keys(request).list, agency)
    return JSONResponse({"keys": [key_json(k) for k in listed]})


async def rotate(request: Request) -> JSONResponse:
    supervisor = await require(request, *KEY_KEEPERS)
    key_id = request.path_params["key_id"]
    rotated, written = await _keys_call(keys(request).rotate, key_id, supervisor.username)
    return JSONResponse(key_json(rotated) | {"key": written}, headers=NO_STORE)


async def revoke(request: Request) -> JSONResponse:
    supervisor = await require(request, *KEY_KEEPERS)
    key_id = request.path_params["key_id"]
    return JSONResponse(
        key_json(await _keys_call(keys(request).revoke, key_id, supervisor.username))
    )


async def audit(request: Request) -> JSONResponse:
    """The calls made with agency keys, newest first: `?key=&agency=&limit=` (1-500)."""
    await require(request, *KEY_KEEPERS)
    limit = query_int(request, "limit", 100, 1, MAX_AUDIT)
    query = {
        name: request.query_params[name]
        for name in ("key", "agency")
        if request.query_params.get(name)
    }
    db = request.app.state.identity.db

    def newest() -> list[dict]:
        found = db.api_audit.find(query, {"_id": 0}).sort("at", -1).limit(limit)
        return [entry | {"at": entry["at"].isoformat()} for entry in found]

    return JSONResponse({"entries": await run_in_threadpool(newest)})


def keys(request: Request) -> AgencyKeys:
    return request.app.state.agency_keys


def key_json(key: AgencyKey) -> dict:
    return {
        "id": key.id,
        "agency": key.agency,
        "name": key.name,
        "permissions": list(key.permissions),
        "rate_limit": key.rate_limit,
        "created_by": key.created_by,
        "created_at": _iso(key.created_at),
        "rotated_at": _iso(key.rotated_at),
        "revoked_at": _iso(key.revoked_at),
        "active": key.revoked_at is None,
    }


async def _keys_call(call, *args):
    try:
        return await run_in_threadpool(call, *args)
    except IdentityError as error:
        code = "not_found" if error.field == "key" else "invalid_field"
        raise ApiError(code, str(error), None if code == "not_found" else error.field) from None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
