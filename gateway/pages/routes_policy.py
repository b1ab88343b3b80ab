"""The supervisors' SLA policy pages: the policies and their versions, and the form that
publishes a new policy or a new version of one (prefilled from the newest version).

They run the JSON routes' own code (gateway/routes/sla.py): the same role
(CALENDAR_KEEPERS) and the same RPC; the sla service decides what a valid policy is,
and its refusal is said in Indonesian beside the form, with what was typed kept.
"""

import json
import re
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth import require
from gateway.body import parse_json
from gateway.errors import ApiError
from gateway.identity import Staff
from gateway.pages import labels, work_view
from gateway.pages.errors import said_beside_form
from gateway.pages.messages import field_error
from gateway.pages.routes_work import agency_names, render_staff
from gateway.pages.staff_access import posted_by, staff_page
from gateway.pages.work_forms import text
from gateway.routes.sla import CALENDAR_KEEPERS, add_sla_policy, sla_policies
from services.contracts.reference import CATEGORY_LABELS, Category, Scope

POLICIES = "/pengawas/kebijakan-sla"
NEW_POLICY = POLICIES + "/baru"
STAGE_LABELS = {
    "review": "Verifikasi petugas",
    "forward": "Diteruskan admin",
    "agency_response": "Tanggapan perangkat daerah",
}
# The form's day inputs, named by the API's fields ("working_days.single_agency").
SCOPE_DAYS = tuple(
    (f"working_days.{s}", f"Batas waktu bila {labels.SCOPE_LABELS.get(str(s), str(s))}")
    for s in Scope
)
STAGE_DAYS = tuple(
    (f"stage_targets.{k}", f"Target tahap {label.lower()}") for k, label in STAGE_LABELS.items()
)
DAY_LABELS = dict(SCOPE_DAYS + STAGE_DAYS)
DAY_FIELDS = tuple(DAY_LABELS)
TEXT_FIELDS = ("id", "version", "rule", "warn_fractions", "warn_days_before")
MAX_FIELDS = 30
NUMBERS = re.compile(r"[\s,;]+")


@staff_page
async def policies(request: Request) -> Response:
    """The SLA policies and their versions, as GET /api/v1/sla/policies lists them."""
    staff = await require(request, *CALENDAR_KEEPERS)
    listed = sorted(await sla_policies(request), key=_policy_order)
    added = request.query_params.get("terbit") or ""
    published = {f"{p.get('id')}@{p.get('version')}" for p in listed}
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "supervisor_policies.html",
        {
            "policies": [
                policy_model(p) | {"newest": i == 0 or listed[i - 1].get("id") != p.get("id")}
                for i, p in enumerate(listed)
            ],
            # Said only of a version that exists: the link's words are not the page's.
            "added": added if added in published else "",
        },
    )


@staff_page
async def new_policy(request: Request) -> Response:
    """The form, empty or (`?dari=<id>`) holding the newest version of a policy with the
    next version number."""
    staff = await require(request, *CALENDAR_KEEPERS)
    source = request.query_params.get("dari") or ""
    newest = {}
    for policy in await sla_policies(request):
        if policy.get("id") == source and policy.get("version", 0) > newest.get("version", 0):
            newest = policy
    return await form_page(request, staff, typed_from(newest))


@staff_page
async def add_policy(request: Request) -> Response:
    """The same as POST /api/v1/sla/policies, then 303 to the list; refused by the sla
    service, the form again with the reason beside its field."""
    staff, typed = await posted_by(request, MAX_FIELDS, CALENDAR_KEEPERS, typed_from_form)
    try:
        # Read by the API's JSON rules (NFC text, no NUL), as the JSON route reads it.
        added = await add_sla_policy(request, staff, parse_json(json.dumps(policy_body(typed))))
    except ApiError as error:
        if not said_beside_form(error):
            raise
        return await form_page(request, staff, typed, refusal(error), error.status)
    target = f"{POLICIES}?terbit={quote(str(added['id']))}@{added['version']}"
    return RedirectResponse(target, status_code=303)


async def form_page(
    request: Request,
    staff: Staff,
    typed: dict,
    refused: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    where, error = refused or ("", None)
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "supervisor_policy_form.html",
        {
            "typed": typed,
            "scopes": SCOPE_DAYS,
            "stages": STAGE_DAYS,
            "categories": [(str(c), CATEGORY_LABELS[c]) for c in Category],
            "error": error,
            "error_field": where,
        },
        status_code=status_code,
    )


def typed_from(policy: dict) -> dict:
    """The form's inputs holding a policy, its version one more (empty: a new policy)."""
    if not policy:
        empty = {name: "" for name in (*TEXT_FIELDS, *DAY_FIELDS)}
        return empty | {"version": "1", "categories": []}
    typed = {
        "id": policy.get("id") or "",
        "version": str(int(policy.get("version") or 0) + 1),
        "rule": policy.get("rule") or "",
        "warn_fractions": ", ".join(_percent(f) for f in policy.get("warn_fractions") or []),
        "warn_days_before": ", ".join(str(d) for d in policy.get("warn_days_before") or []),
        "categories": list(policy.get("categories") or []),
    }
    for name in DAY_FIELDS:
        group, key = name.split(".")
        typed[name] = str((policy.get(group) or {}).get(key, ""))
    return typed


def typed_from_form(form: FormData) -> dict:
    typed = {name: text(form, name) for name in (*TEXT_FIELDS, *DAY_FIELDS)}
    typed["categories"] = [c for c in form.getlist("categories") if isinstance(c, str) and c]
    return typed


def policy_body(typed: dict) -> dict:
    """The API's body from what was typed: whole numbers where they are whole numbers,
    percentages as fractions; anything else is sent as typed, for the sla service to
    refuse by name."""
    body: dict = {
        "id": typed["id"],
        "version": _number(typed["version"]),
        "rule": typed["rule"],
        "working_days": {},
        "stage_targets": {},
        "warn_fractions": _numbers(typed["warn_fractions"], scale=100),
        "warn_days_before": _numbers(typed["warn_days_before"]),
        "categories": typed["categories"],
    }
    for name in DAY_FIELDS:
        group, key = name.split(".")
        body[group][key] = _number(typed[name])
    return {k: v for k, v in body.items() if v != ""}


def refusal(error: ApiError) -> tuple[str, str]:
    """(input, Indonesian message); the fractions' limits are said as percentages, as the
    form asks for them."""
    if error.field == "warn_fractions":
        scaled = re.sub(r"\d+\.\d+", lambda m: _percent(float(m.group())), error.message)
        error = ApiError(error.code, scaled, error.field)
    return field_error(error, names=DAY_LABELS)


def _number(value: str) -> int | str:
    return int(value) if value.strip().isdigit() else value


def _numbers(value: str, scale: int = 1) -> list | str:
    """'50, 80' -> [0.5, 0.8] with scale 100 (commas, semicolons or spaces between
    numbers; a decimal point); what is not a list of numbers stays text."""
    parts = [p for p in NUMBERS.split(value.strip()) if p]
    try:
        numbers = [float(p) / scale for p in parts]
    except ValueError:
        return value
    return [int(n) if n.is_integer() and scale == 1 else n for n in numbers]


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}"


def policy_model(policy: dict) -> dict:
    days = policy.get("working_days") or {}
    stages = policy.get("stage_targets") or {}
    return {
        "id": policy.get("id"),
        "version": policy.get("version"),
        "rule": policy.get("rule") or "",
        "working_days": [
            (labels.SCOPE_LABELS.get(str(s), str(s)), days.get(str(s), "-")) for s in Scope
        ],
        "stages": [(label, stages.get(key, "-")) for key, label in STAGE_LABELS.items()],
        "warn_fractions": [work_view.percent(f) for f in policy.get("warn_fractions") or []],
        "warn_days_before": list(policy.get("warn_days_before") or []),
        "categories": [CATEGORY_LABELS.get(c, c) for c in policy.get("categories") or []],
    }


def _policy_order(policy: dict) -> tuple:
    return (str(policy.get("id")), -int(policy.get("version") or 0))
