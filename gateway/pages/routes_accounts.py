"""The supervisors' staff account pages: the accounts, a form to create one, and each
account's page to change its role or agency, disable or enable it, or give it a new
temporary password. A password made here is shown once, on a page no cache keeps.

They run the JSON routes' own code (gateway/routes/users.py): the same role
(ACCOUNT_KEEPERS), the same checks (no supervisor disables or demotes itself) and the
same directory; a refusal is said in Indonesian beside its form.
"""

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth import require
from gateway.errors import ApiError
from gateway.identity import AGENCY_ROLES, Account, Role, Staff
from gateway.pages import work_view
from gateway.pages.errors import said_beside_form
from gateway.pages.messages import field_error
from gateway.pages.routes_work import agency_names, render_staff
from gateway.pages.staff_access import posted_by, staff_page
from gateway.pages.work_forms import text
from gateway.routes.users import (
    ACCOUNT_KEEPERS,
    change_role,
    create_user,
    disable_user,
    enable_user,
    identity,
    reset_user_password,
    username_from,
)

ACCOUNTS = "/pengawas/staf"
ACCOUNT = ACCOUNTS + "/{username}"
MAX_FIELDS = 10
# What each action's button says was done, on the account's page afterwards.
DONE = {
    "nonaktifkan": "Akun dinonaktifkan: tidak dapat masuk lagi, dan sesi yang terbuka "
    "sudah berakhir.",
    "aktifkan": "Akun diaktifkan kembali: dapat masuk dengan kata sandinya.",
    "ubah-peran": "Peran diubah: sesi yang terbuka sudah berakhir; pengguna masuk lagi "
    "dengan hak barunya.",
}
REFUSED_IN_INDONESIAN = {
    "own_account": "Anda tidak dapat menonaktifkan akun sendiri atau melepas peran supervisor "
    "dari akun sendiri. Mintalah supervisor lain.",
}


@staff_page
async def accounts(request: Request) -> Response:
    staff = await require(request, *ACCOUNT_KEEPERS)
    return await accounts_page(request, staff)


@staff_page
async def create(request: Request) -> Response:
    """The same as POST /api/v1/users: the new account's temporary password is shown on
    the answer itself (never in a redirect's address)."""
    staff, typed = await posted_by(
        request,
        MAX_FIELDS,
        ACCOUNT_KEEPERS,
        lambda posted: {name: text(posted, name) for name in ("username", "role", "agency")},
    )
    body = {"username": typed["username"], "role": typed["role"]}
    if typed["role"] in AGENCY_ROLES:  # the agency chosen for another role is not one
        body["agency"] = typed["agency"] or None
    try:
        created, password = await create_user(request, staff, body)
    except ApiError as error:
        if not said_beside_form(error):
            raise
        refused = field_error(error)
        return await accounts_page(request, staff, typed, refused, error.status)
    return await password_page(request, staff, created.username, password, new=True)


@staff_page
async def account(request: Request) -> Response:
    staff = await require(request, *ACCOUNT_KEEPERS)
    username = username_from(request)
    done = DONE.get(request.query_params.get("selesai") or "")
    return await account_page(request, staff, username, done=done)


@staff_page
async def act(request: Request) -> Response:
    """One action on an account, as the API's route for it does it."""
    staff, typed = await posted_by(
        request,
        MAX_FIELDS,
        ACCOUNT_KEEPERS,
        lambda posted: {name: text(posted, name) for name in ("role", "agency")},
    )
    username = username_from(request)
    action = request.path_params["aksi"]
    try:
        if action == "atur-ulang-sandi":
            password, _ = await reset_user_password(request, staff, username)
            return await password_page(request, staff, username, password, new=False)
        if action == "nonaktifkan":
            await disable_user(request, staff, username)
        elif action == "aktifkan":
            await enable_user(request, staff, username)
        elif action == "ubah-peran":
            agency = typed["agency"] if typed["role"] in AGENCY_ROLES else None
            await change_role(request, staff, username, {"role": typed["role"], "agency": agency})
        else:
            raise ApiError("not_found", f"there is no account action {action!r}")
    except ApiError as error:
        if not said_beside_form(error, passed_on=(404,)):
            raise
        refused = REFUSED_IN_INDONESIAN.get(error.code) or field_error(error)[1]
        return await account_page(
            request, staff, username, typed=typed, error=refused, status_code=error.status
        )
    target = f"{ACCOUNT.format(username=quote(username))}?selesai={action}"
    return RedirectResponse(target, status_code=303)


async def accounts_page(
    request: Request,
    staff: Staff,
    typed: dict | None = None,
    refused: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    names = await agency_names(request)
    listed = await run_in_threadpool(identity(request).list_users)
    where, error = refused or ("", None)
    return render_staff(
        request,
        staff,
        names,
        "supervisor_accounts.html",
        {
            "accounts": [account_model(a, names) for a in listed],
            "roles": role_choices(),
            "agencies": sorted(names.items(), key=lambda a: a[1]),
            "typed": typed or {"username": "", "role": str(Role.OFFICER), "agency": ""},
            "error": error,
            "error_field": where,
        },
        status_code=status_code,
    )


async def account_page(
    request: Request,
    staff: Staff,
    username: str,
    typed: dict | None = None,
    done: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    names = await agency_names(request)
    listed = await run_in_threadpool(identity(request).list_users)
    found = next((a for a in listed if a.username == username), None)
    if found is None:
        raise ApiError("not_found", "there is no such user")
    shown = account_model(found, names)
    return render_staff(
        request,
        staff,
        names,
        "supervisor_account.html",
        {
            "account": shown,
            "own": found.username == staff.username,
            "roles": role_choices(),
            "agencies": sorted(names.items(), key=lambda a: a[1]),
            "typed": typed or {"role": str(found.role), "agency": found.agency or ""},
            "done": done,
            "error": error,
        },
        status_code=status_code,
    )


async def password_page(
    request: Request, staff: Staff, username: str, password: str, new: bool
) -> Response:
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "supervisor_password.html",
        {
            "username": username,
            "password": password,
            "new": new,
            "own": username == staff.username,
        },
    )


def account_model(account: Account, names: dict[str, str]) -> dict:
    return {
        "username": account.username,
        "role": work_view.ROLE_LABELS.get(account.role, str(account.role)),
        "agency": names.get(account.agency or "", account.agency) or "",
        "active": account.active,
        "created_at": account.created_at.isoformat() if account.created_at else None,
        "href": ACCOUNT.format(username=quote(account.username)),
    }


def role_choices() -> list[tuple[str, str]]:
    return [(str(role), work_view.ROLE_LABELS.get(role, str(role))) for role in Role]
