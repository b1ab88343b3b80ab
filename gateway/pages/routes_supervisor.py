"""The supervisors' pages: the working-day calendar (a year's days off and local
changes, a form to add a day off or a working day, and the progress of the deadlines'
recomputation it starts) and the SLA policies.

They run the JSON routes' own code (gateway/routes/sla.py): `require` with the same
roles (CALENDAR_KEEPERS) and the same RPCs; the sla service decides what a valid change
is, and its refusal is said in Indonesian beside the form, with what was typed kept.
"""

import json
from datetime import date, datetime
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth import require
from gateway.body import parse_json
from gateway.errors import ApiError
from gateway.identity import Staff
from gateway.pages import labels, work_view
from gateway.pages.messages import field_error
from gateway.pages.rendering import render
from gateway.pages.routes_public import require_csrf
from gateway.pages.routes_work import agency_names
from gateway.pages.staff_access import staff_page
from gateway.pages.work_forms import text
from gateway.params import query_int
from gateway.routes.sla import (
    CALENDAR_KEEPERS,
    calendar_year,
    change_calendar_day,
    recompute_status,
    sla_policies,
)
from gateway.uploads import read_form
from services.contracts.reference import CATEGORY_LABELS, Scope

CALENDAR = "/pengawas/kalender"
RECOMPUTE = CALENDAR + "/hitung-ulang/{request_id}"
# The form's choice of day, and the API's `working` it sends.
KINDS = {"libur": False, "kerja": True}
SOURCES = {"national": "Libur nasional / cuti bersama", "local": "Ditetapkan Pemerintah Kota"}
RECOMPUTE_STATES = {
    "pending": "Menunggu giliran",
    "running": "Sedang dihitung ulang",
    "done": "Selesai",
}
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
STAGE_LABELS = {
    "review": "Verifikasi petugas",
    "forward": "Diteruskan admin",
    "agency_response": "Tanggapan perangkat daerah",
}
MAX_FIELDS = 10


@staff_page
async def calendar(request: Request) -> Response:
    staff = await require(request, *CALENDAR_KEEPERS)
    year = query_int(request, "tahun", this_year(), 2000, 2100)
    return await calendar_page(request, staff, year)


@staff_page
async def change_day(request: Request) -> Response:
    """The same change as POST /api/v1/calendar/days, then 303 to its recomputation's
    progress; refused by the sla service, the calendar again with the reason."""
    posted = await read_form(request, MAX_FIELDS)
    try:
        require_csrf(request, posted)
        staff = await require(request, *CALENDAR_KEEPERS)
        typed = {name: text(posted, name) for name in ("date", "kind", "reason")}
    finally:
        await posted.close()
    body: dict = {name: typed[name] for name in ("date", "reason") if typed[name]}
    if typed["kind"] in KINDS:
        body["working"] = KINDS[typed["kind"]]
    try:
        # Read by the API's JSON rules (NFC text, no NUL), as the JSON route reads it.
        changed = await change_calendar_day(request, staff, parse_json(json.dumps(body)))
    except ApiError as error:
        if error.status >= 500 or error.status in (401, 403):
            raise
        where, message = field_error(error)
        if message.startswith("Isian ini tidak dapat diterima"):
            message = f"{message} ({error.message})"
        year = _year_of(typed["date"])
        return await calendar_page(
            request, staff, year, typed, (where, message), status_code=error.status
        )
    target = RECOMPUTE.format(request_id=quote(str(changed["recompute"]), safe=""))
    return RedirectResponse(target, status_code=303)


@staff_page
async def recompute(request: Request) -> Response:
    """The progress of the recomputation (GET /api/v1/calendar/recomputes/{id}): read
    again with the page's "Muat ulang" link, no script needed."""
    staff = await require(request, *CALENDAR_KEEPERS)
    found = await recompute_status(request, request.path_params["request_id"])
    state = str(found.get("state") or "pending")
    return render(
        request,
        "supervisor_recompute.html",
        {
            "me": work_view.staff_model(staff, await agency_names(request)),
            "csrf_token": request.app.state.csrf.token(request),
            "r": {
                "state": state,
                "state_label": RECOMPUTE_STATES.get(state, state),
                "done": state == "done",
                "day": found.get("day"),
                "reason": found.get("reason") or "",
                "clocks_read": found.get("clocks_read", 0),
                "deadlines_moved": found.get("deadlines_moved", 0),
                "requested_at": found.get("requested_at"),
                "started_at": found.get("started_at"),
                "finished_at": found.get("finished_at"),
            },
            "here": request.url.path,
            "year": _year_of(found.get("day") or ""),
        },
        private=True,
    )


@staff_page
async def policies(request: Request) -> Response:
    """The SLA policies and their versions, as GET /api/v1/sla/policies lists them."""
    staff = await require(request, *CALENDAR_KEEPERS)
    listed = await sla_policies(request)
    return render(
        request,
        "supervisor_policies.html",
        {
            "me": work_view.staff_model(staff, await agency_names(request)),
            "csrf_token": request.app.state.csrf.token(request),
            "policies": [policy_model(p) for p in sorted(listed, key=_policy_order)],
        },
        private=True,
    )


async def calendar_page(
    request: Request,
    staff: Staff,
    year: int,
    typed: dict[str, str] | None = None,
    refused: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    found = await calendar_year(request, year)
    where, error = refused or ("", None)
    current = this_year()
    return render(
        request,
        "supervisor_calendar.html",
        {
            "me": work_view.staff_model(staff, await agency_names(request)),
            "csrf_token": request.app.state.csrf.token(request),
            "year": year,
            # Changes are taken a year back and three ahead: the years worth choosing.
            "years": sorted({*range(current - 1, current + 4), year}),
            "days_off": [
                {
                    "date": d.get("date"),
                    "weekday": weekday(d.get("date")),
                    "name": d.get("name") or "",
                    "source": SOURCES.get(d.get("source") or "", d.get("source") or "-"),
                }
                for d in found.get("days_off") or []
            ],
            "changes": [
                {
                    "date": c.get("date"),
                    "weekday": weekday(c.get("date")),
                    "kind": "Hari kerja" if c.get("working") else "Hari libur",
                    "reason": c.get("reason") or "",
                    "by": c.get("by") or "-",
                    "at": c.get("at"),
                }
                for c in found.get("local_changes") or []
            ],
            "typed": typed or {"date": "", "kind": "libur", "reason": ""},
            "error": error,
            "error_field": where,
        },
        status_code=status_code,
        private=True,
    )


def policy_model(policy: dict) -> dict:
    days = policy.get("working_days") or {}
    stages = policy.get("stage_targets") or {}
    return {
        "id": policy.get("id"),
        "version": policy.get("version"),
        "rule": policy.get("rule") or "",
        "working_days": [
            (work_view.labels.SCOPE_LABELS.get(str(s), str(s)), days.get(str(s), "-"))
            for s in Scope
        ],
        "stages": [(label, stages.get(key, "-")) for key, label in STAGE_LABELS.items()],
        "warn_fractions": [work_view.percent(f) for f in policy.get("warn_fractions") or []],
        "warn_days_before": list(policy.get("warn_days_before") or []),
        "categories": [CATEGORY_LABELS.get(c, c) for c in policy.get("categories") or []],
    }


def _policy_order(policy: dict) -> tuple:
    return (str(policy.get("id")), -int(policy.get("version") or 0))


def this_year() -> int:
    return datetime.now(labels.JAKARTA).year


def weekday(day: object) -> str:
    try:
        return WEEKDAYS[date.fromisoformat(str(day)).weekday()]
    except ValueError:
        return ""


def _year_of(day: str) -> int:
    try:
        year = date.fromisoformat(day).year
    except ValueError:
        return this_year()
    return year if 2000 <= year <= 2100 else this_year()
