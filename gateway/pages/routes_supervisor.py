"""The supervisors' pages: the overview of open complaints and the weekly digest, and
the working-day calendar (a year's days off and local changes, a form to add a day off
or a working day, and the progress of the deadlines' recomputation it starts). The SLA
policies are in routes_policy.py, triage's settings in routes_triage_settings.py and
staff accounts in routes_accounts.py.

They run the JSON routes' own code (gateway/routes/sla.py): `require` with the same
roles (CALENDAR_KEEPERS) and the same RPCs; the sla service decides what a valid change
is, and its refusal is said in Indonesian beside the form, with what was typed kept.
"""

import asyncio
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
from gateway.pages.errors import said_beside_form
from gateway.pages.messages import field_error
from gateway.pages.routes_work import agency_names, render_staff
from gateway.pages.staff_access import posted_by, staff_page
from gateway.pages.work_forms import text
from gateway.params import query_int
from gateway.routes.reports import OVERSEERS, open_overview
from gateway.routes.sla import (
    CALENDAR_KEEPERS,
    calendar_year,
    change_calendar_day,
    recompute_status,
)

OVERVIEW = "/pengawas"
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
MAX_FIELDS = 10
OVERVIEW_STATES = ("overdue", "due_soon", "paused", "on_track")
NOT_FORWARDED = "Belum diteruskan"
# Tickets named per agency in the digest; the rest are counted.
DIGEST_TICKETS = 20


@staff_page
async def overview(request: Request) -> Response:
    """Open complaints by deadline state and agency, the oldest open, and the latest
    weekly digest (GET /api/v1/reports/overview and /api/v1/sla/digest)."""
    staff = await require(request, *OVERSEERS)
    # Reporting, sla and the directory answer side by side.
    found, latest, names = await asyncio.gather(
        open_overview(request),
        request.app.state.rpc.call("sla", "latest_digest"),
        agency_names(request),
    )
    counts = found.get("by_sla_state") or {}
    states = [
        {"state": state, "count": counts.get(state, 0), **work_view.sla_badge(state)}
        for state in OVERVIEW_STATES
    ]
    return render_staff(
        request,
        staff,
        names,
        "supervisor_overview.html",
        {
            "open": found.get("open", 0),
            "states": states,
            "agencies": [
                {
                    "code": a.get("agency") or "",
                    "name": names.get(a.get("agency") or "", a.get("agency")) or NOT_FORWARDED,
                    "open": a.get("open", 0),
                    "counts": {state: a.get(state, 0) for state in OVERVIEW_STATES},
                }
                for a in found.get("by_agency") or []
            ],
            "digest": digest_model(latest, names) if latest else None,
            "oldest": [work_view.worklist_item(i, names) for i in found.get("oldest") or []],
        },
    )


def digest_model(latest: dict, names: dict[str, str]) -> dict:
    return {
        "week": latest.get("week"),
        "created_at": latest.get("created_at"),
        "total": latest.get("total_overdue", 0),
        "agencies": [
            {
                "name": NOT_FORWARDED
                if a.get("agency") == "belum_diteruskan"
                else names.get(a.get("agency") or "", a.get("agency")),
                "overdue": a.get("overdue", 0),
                "tickets": list(a.get("tickets") or [])[:DIGEST_TICKETS],
                "more": max(0, len(a.get("tickets") or []) - DIGEST_TICKETS),
            }
            for a in latest.get("agencies") or []
        ],
    }


@staff_page
async def calendar(request: Request) -> Response:
    staff = await require(request, *CALENDAR_KEEPERS)
    year = query_int(request, "tahun", this_year(), 2000, 2100)
    return await calendar_page(request, staff, year)


@staff_page
async def change_day(request: Request) -> Response:
    """The same change as POST /api/v1/calendar/days, then 303 to its recomputation's
    progress; refused by the sla service, the calendar again with the reason."""
    staff, typed = await posted_by(
        request,
        MAX_FIELDS,
        CALENDAR_KEEPERS,
        lambda posted: {name: text(posted, name) for name in ("date", "kind", "reason")},
    )
    body: dict = {name: typed[name] for name in ("date", "reason") if typed[name]}
    if typed["kind"] in KINDS:
        body["working"] = KINDS[typed["kind"]]
    try:
        # Read by the API's JSON rules (NFC text, no NUL), as the JSON route reads it.
        changed = await change_calendar_day(request, staff, parse_json(json.dumps(body)))
    except ApiError as error:
        if not said_beside_form(error):
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
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "supervisor_recompute.html",
        {
            "r": {
                "state": state,
                "state_label": RECOMPUTE_STATES.get(state, state),
                "done": state == "done",
                "day": found.get("day"),
                "reason": labels.deadline_reason(found.get("reason")),
                "clocks_read": found.get("clocks_read", 0),
                "deadlines_moved": found.get("deadlines_moved", 0),
                "requested_at": found.get("requested_at"),
                "started_at": found.get("started_at"),
                "finished_at": found.get("finished_at"),
            },
            "here": request.url.path,
            "year": _year_of(found.get("day") or ""),
        },
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
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "supervisor_calendar.html",
        {
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
    )


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
