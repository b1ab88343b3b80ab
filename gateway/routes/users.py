"""Staff accounts: supervisors create, list, disable, enable and re-role users, give
them a new temporary password and end their tokens; any staff member signs its own
token out. A password made here is answered once, never stored in the clear.

Every change to a user ends that user's tokens at once (gateway/identity.py), so a
disabled or demoted user loses its rights on its very next request.
"""

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.auth import bearer_token, require
from gateway.body import json_body, json_object
from gateway.errors import ApiError
from gateway.identity import (
    AGENCY_ROLES,
    USERNAME,
    Account,
    Identity,
    IdentityError,
    Role,
    Staff,
    UnknownUser,
    UserChange,
)
from gateway.passwords import new_password
from gateway.staff_directory import announce

ROLE_CHANGE_FIELDS = ("role", "agency")
NEW_USER_FIELDS = ("username", "role", "agency")
# Who manages staff accounts, for the JSON routes and the supervisors' pages alike.
ACCOUNT_KEEPERS = (Role.SUPERVISOR,)
# An answer holding a password is kept by no cache.
NO_STORE = {"Cache-Control": "no-store"}
T = TypeVar("T")


async def list_users(request: Request) -> JSONResponse:
    await require(request, *ACCOUNT_KEEPERS)
    accounts = await run_in_threadpool(identity(request).list_users)
    return JSONResponse({"users": [account_json(account) for account in accounts]})


async def create(request: Request) -> JSONResponse:
    """`{"username", "role", "agency"?}` -> 201 with the account and its temporary
    password, shown this once."""
    supervisor = await require(request, *ACCOUNT_KEEPERS)
    created, password = await create_user(request, supervisor, await json_body(request))
    return JSONResponse(
        account_json(created) | {"password": password}, status_code=201, headers=NO_STORE
    )


async def reset_password(request: Request) -> JSONResponse:
    """A new temporary password for the user (shown this once); its tokens end."""
    supervisor = await require(request, *ACCOUNT_KEEPERS)
    password, revoked = await reset_user_password(request, supervisor, username_from(request))
    return JSONResponse(
        {"username": username_from(request), "password": password, "tokens_revoked": revoked},
        headers=NO_STORE,
    )


async def create_user(request: Request, supervisor: Staff, body: object) -> tuple[Account, str]:
    username, role, agency = new_user_from(body)
    password = new_password()
    add = identity(request).add_user
    created = await _directory(add, username, password, role, agency, by=supervisor.username)
    await announce(request.app.state, created)
    return created, password


async def reset_user_password(
    request: Request, supervisor: Staff, username: str
) -> tuple[str, int]:
    return await _directory(identity(request).reset_password, username, by=supervisor.username)


async def disable(request: Request) -> JSONResponse:
    supervisor = await require(request, *ACCOUNT_KEEPERS)
    return JSONResponse(
        change_json(await disable_user(request, supervisor, username_from(request)))
    )


async def enable(request: Request) -> JSONResponse:
    supervisor = await require(request, *ACCOUNT_KEEPERS)
    return JSONResponse(change_json(await enable_user(request, supervisor, username_from(request))))


async def set_role(request: Request) -> JSONResponse:
    """`{"role", "agency"?}`: the user's tokens end; it signs in again with the new rights."""
    supervisor = await require(request, *ACCOUNT_KEEPERS)
    username = username_from(request)
    body = await json_body(request)
    return JSONResponse(change_json(await change_role(request, supervisor, username, body)))


async def disable_user(request: Request, supervisor: Staff, username: str) -> UserChange:
    if username == supervisor.username:
        # Disabling or demoting oneself could lock the city out of managing users: another
        # supervisor, or aduan-admin, must do it.
        raise ApiError("own_account", "you cannot disable your own account; ask another supervisor")
    change = await _directory(identity(request).disable_user, username, by=supervisor.username)
    return await _announced(request, change)


async def enable_user(request: Request, supervisor: Staff, username: str) -> UserChange:
    change = await _directory(identity(request).enable_user, username, by=supervisor.username)
    return await _announced(request, change)


async def change_role(
    request: Request, supervisor: Staff, username: str, body: object
) -> UserChange:
    role, agency = role_change_from(body)
    if username == supervisor.username and role != Role.SUPERVISOR:
        raise ApiError("own_account", "you cannot take the supervisor role from your own account")
    set_role = identity(request).set_role
    change = await _directory(set_role, username, role, agency, by=supervisor.username)
    return await _announced(request, change)


async def _announced(request: Request, change: UserChange) -> UserChange:
    """Tells staff_notices of a change that changed something."""
    if change.changed:
        await announce(request.app.state, change.account)
    return change


async def revoke_tokens(request: Request) -> JSONResponse:
    supervisor = await require(request, *ACCOUNT_KEEPERS)
    username = username_from(request)
    revoked = await _directory(identity(request).revoke_tokens, username, by=supervisor.username)
    return JSONResponse({"username": username, "tokens_revoked": revoked})


async def logout(request: Request) -> Response:
    """The caller's own token ends; its other tokens (other devices) stay."""
    await sign_out(request)
    return Response(status_code=204)


async def sign_out(request: Request) -> None:
    """Ends the caller's own token (401 without one): the API's logout and the pages'
    sign-out."""
    await require(request)
    await run_in_threadpool(identity(request).revoke_token, bearer_token(request))


def username_from(request: Request) -> str:
    """The path's username; a name that cannot exist is as unknown as a missing user."""
    username = request.path_params["username"]
    if not USERNAME.fullmatch(username):
        raise ApiError("not_found", "there is no such user")
    return username


def new_user_from(body: object) -> tuple[str, Role, str | None]:
    """The username, role and agency of a new account (the directory checks the
    username's form, that it is free and that the agency exists)."""
    body = json_object(body, NEW_USER_FIELDS, '{"username", "role", "agency"?}')
    username = body.get("username")
    if not isinstance(username, str):
        raise ApiError("invalid_field", "username: required, a text", "username")
    role, agency = role_change_from({k: v for k, v in body.items() if k != "username"})
    return username, role, agency


def role_change_from(body: object) -> tuple[Role, str | None]:
    """The role and agency of a role change's body (whether the agency exists is the
    directory's check)."""
    body = json_object(body, ROLE_CHANGE_FIELDS, '{"role", "agency"?}')
    role, agency = body.get("role"), body.get("agency")
    if not isinstance(role, str) or role not in set(Role):
        raise ApiError("invalid_field", f"role: one of {', '.join(Role)}", "role")
    if agency is not None and not isinstance(agency, str):
        raise ApiError("invalid_field", "agency: an agency code, or null", "agency")
    if (role in AGENCY_ROLES) != (agency is not None):
        raise ApiError(
            "invalid_field",
            "agency: required for an agency_admin or agency_head, and only for them",
            "agency",
        )
    return Role(role), agency


def account_json(account: Account) -> dict:
    return {
        "username": account.username,
        "role": account.role,
        "agency": account.agency,
        "active": account.active,
        "created_at": account.created_at.isoformat() if account.created_at else None,
    }


def change_json(change: UserChange) -> dict:
    return account_json(change.account) | {
        "changed": change.changed,
        "tokens_revoked": change.tokens_revoked,
    }


def identity(request: Request) -> Identity:
    return request.app.state.identity


async def _directory(call: Callable[..., T], *args, **kwargs) -> T:
    """Calls the directory off the event loop; its refusals become API errors."""
    try:
        return await run_in_threadpool(call, *args, **kwargs)
    except UnknownUser as error:
        raise ApiError("not_found", str(error)) from None
    except IdentityError as error:
        raise ApiError("invalid_field", str(error), error.field) from None
