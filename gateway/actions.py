"""The staff's decisions on a complaint: for each, the roles that may take it and the RPC
that carries it out. The JSON API (gateway/routes/staff.py, gateway/routes/sla.py) and
the staff pages (gateway/pages/routes_work.py) both run them from this table, so a role
rule exists once; the services check status and agency scope themselves."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from gateway import staff_actions
from gateway.auth import require
from gateway.errors import ApiError
from gateway.identity import AGENCY_CODE, AGENCY_ROLES, Role, Staff


class Body(StrEnum):
    """Whether the action reads a body: the API answers 400 for a required one missing."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


Run = Callable[[Request, Staff, str, object], Awaitable[dict]]


@dataclass(frozen=True)
class Action:
    roles: tuple[Role, ...]
    run: Run
    body: Body

    async def authorize(self, request: Request) -> Staff:
        """The caller, when its role may take this action (401 or 403 otherwise)."""
        return await require(request, *self.roles)

    def allows(self, staff: Staff) -> bool:
        """Whether a page should offer this action to `staff` (the call still checks)."""
        return staff.role in self.roles


async def take(request: Request, name: str, staff: Staff, ticket: str, body: object) -> dict:
    """Runs the action `name` for `staff` (authorized by the caller) and records it in
    the complaint's chain of staff actions (gateway/staff_actions.py)."""
    done = await ACTIONS[name].run(request, staff, ticket, body)
    address = request.client.host if request.client else None
    recorded = staff_actions.entry(
        name, staff.username, str(staff.role), staff.agency, address, done.get("status")
    )
    await run_in_threadpool(request.app.state.staff_actions.record, ticket, recorded)
    return done


async def check_agency(request: Request, staff: Staff, ticket: str) -> None:
    """An agency's liaison or head works only on its agency's complaints: reporting
    decides (403 for another agency's complaint, 404 for none)."""
    if staff.role in AGENCY_ROLES:
        view = await request.app.state.rpc.call(
            "reporting", "staff_view", ticket=ticket, agency=staff.agency
        )
        if view is None:
            raise ApiError("not_found", f"there is no complaint {ticket}")


async def known_agencies(request: Request, field: str, codes: list) -> None:
    codes = [code for code in codes if isinstance(code, str)]
    unknown = await run_in_threadpool(request.app.state.identity.unknown_agencies, codes)
    if unknown:
        raise ApiError("invalid_field", f"{field}: unknown agency {unknown[0]!r}", field)


async def _classify(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    if isinstance(body, dict) and isinstance(body.get("agencies"), list):
        await known_agencies(request, "agencies", body["agencies"])
    return await _rpc(
        request, "triage", "classify", ticket=ticket, body=body, officer=staff.username
    )


async def _reject(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    return await _rpc(request, "triage", "reject", ticket=ticket, body=body, officer=staff.username)


async def _link(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    return await _rpc(request, "triage", "link", ticket=ticket, body=body, officer=staff.username)


async def _unlink(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    return await _rpc(request, "triage", "unlink", ticket=ticket, officer=staff.username)


async def _forward(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    return await _rpc(
        request, "dispatch", "forward", ticket=ticket, body=body, admin=staff.username
    )


async def _reopen(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    return await _rpc(
        request, "dispatch", "reopen", ticket=ticket, body=body, officer=staff.username
    )


def path_code(request: Request, name: str) -> str:
    """An agency's or institution's code from the path (404 when it cannot be one)."""
    code = request.path_params[name]
    if not AGENCY_CODE.fullmatch(code):
        raise ApiError("not_found", f"there is no agency {code!r}")
    return code


def _agency_step(method: str, path: tuple[str, str] | None = None) -> Run:
    """An agency liaison's step; dispatch checks the complaint is the caller's agency's
    (accept, return, resolve) or that the caller is its lead (closing another agency's
    task, recording an outside institution's answer: `path` names the path parameter
    and the RPC argument that carry that agency or institution)."""

    async def run(request: Request, staff: Staff, ticket: str, body: object) -> dict:
        named = {path[1]: path_code(request, path[0])} if path else {}
        return await _rpc(
            request,
            "dispatch",
            method,
            ticket=ticket,
            body=body,
            actor=staff.username,
            agency=staff.agency,
            **named,
        )

    return run


async def _reassign(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    """An admin moves an agency's task to another agency of the directory."""
    task = path_code(request, "agency")
    if isinstance(body, dict) and isinstance(body.get("agency"), str):
        await known_agencies(request, "agency", [body["agency"]])
    return await _rpc(
        request, "dispatch", "reassign", ticket=ticket, task=task, body=body, admin=staff.username
    )


async def _request_info(request: Request, staff: Staff, ticket: str, body: object) -> dict:
    await check_agency(request, staff, ticket)
    return await _rpc(request, "sla", "request_info", ticket=ticket, body=body, by=staff.username)


def _clock(method: str) -> Run:
    async def run(request: Request, staff: Staff, ticket: str, body: object) -> dict:
        await check_agency(request, staff, ticket)
        return await _rpc(request, "sla", method, ticket=ticket)

    return run


async def _rpc(request: Request, service: str, method: str, **kwargs: object) -> dict:
    return await request.app.state.rpc.call(service, method, **kwargs)


OFFICER = (Role.OFFICER,)
AGENCY = (Role.AGENCY_ADMIN,)
# Asking the reporter and holding the clock: officers, and agency admins on their own.
CLOCK_KEEPERS = (Role.OFFICER, Role.AGENCY_ADMIN)

ACTIONS: dict[str, Action] = {
    "classify": Action(OFFICER, _classify, Body.REQUIRED),
    "reject": Action(OFFICER, _reject, Body.REQUIRED),
    "link": Action(OFFICER, _link, Body.REQUIRED),
    "unlink": Action(OFFICER, _unlink, Body.NONE),
    "reopen": Action(OFFICER, _reopen, Body.REQUIRED),
    "forward": Action((Role.ADMIN,), _forward, Body.OPTIONAL),
    "accept": Action(AGENCY, _agency_step("accept"), Body.OPTIONAL),
    "return": Action(AGENCY, _agency_step("return_"), Body.REQUIRED),
    "resolve": Action(AGENCY, _agency_step("resolve"), Body.REQUIRED),
    "close-task": Action(AGENCY, _agency_step("close_task", ("agency", "task")), Body.REQUIRED),
    "reassign": Action((Role.ADMIN,), _reassign, Body.REQUIRED),
    "referral": Action(
        AGENCY, _agency_step("record_referral", ("institution", "institution")), Body.REQUIRED
    ),
    "request-info": Action(CLOCK_KEEPERS, _request_info, Body.REQUIRED),
    "pause": Action(CLOCK_KEEPERS, _clock("pause"), Body.NONE),
    "resume": Action(CLOCK_KEEPERS, _clock("resume"), Body.NONE),
}
# The actions an agency admin takes at POST /api/v1/complaints/{ticket}/{action}.
AGENCY_STEPS = ("accept", "return", "resolve")
