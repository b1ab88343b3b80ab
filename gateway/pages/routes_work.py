"""The staff pages: each role's worklist, a complaint's page, and the forms of the
decisions on it (officers classify, reject, link, ask and reopen; admins forward;
agency admins accept, return, resolve and ask).

Every page runs through the API's own code: `require` for the role, the same RPCs
(gateway/routes/staff.py, complaints.py, sla.py, desk.py), and gateway/actions.py for
each decision, so agency scope is decided by the services (403 for another agency's
complaint, shown as the Indonesian 403 page).
"""

import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.actions import ACTIONS, take
from gateway.auth import require
from gateway.errors import ApiError, BackendUnavailable
from gateway.identity import Staff
from gateway.pages import labels, work_forms, work_view
from gateway.pages.agencies import agency_names
from gateway.pages.errors import NOT_FOUND, said_beside_form
from gateway.pages.rendering import render
from gateway.pages.routes_public import require_csrf
from gateway.pages.staff_access import staff_page
from gateway.params import query_int
from gateway.routes import desk
from gateway.routes.complaints import checked_ticket, staff_tracking
from gateway.routes.sla import sla_history
from gateway.routes.staff import worklist_items
from gateway.routes.triage import REVIEWERS
from gateway.uploads import read_form
from services.contracts.lifecycle import (
    TASK_DONE,
    TASK_TRANSITIONS,
    TRANSITIONS,
    Status,
    TaskStatus,
)
from services.contracts.lifecycle import Action as Move
from services.contracts.reference import CATEGORY_LABELS, Scope

log = logging.getLogger(__name__)

PAGE = 50
# Statuses in which a question to the reporter can still matter.
ASKABLE = frozenset(
    {Status.AWAITING_REVIEW, Status.RETURNED, Status.CLASSIFIED, Status.FORWARDED, Status.ACCEPTED}
)
# The clock's states (GET .../sla) in which it runs and can be paused.
RUNNING_CLOCK = frozenset({"on_track", "due_soon", "breached"})


@staff_page
async def worklist(request: Request) -> Response:
    """The caller's queue, from the same RPC as GET /api/v1/worklist, a page of PAGE at
    a time, filtered by the GET form above it (reporting checks the filters: a refused
    one is said above the list, the queue shown unfiltered is not a silent substitute)."""
    staff = await require(request)
    typed = {field: request.query_params.get(field, "").strip() for field in WORKLIST_FIELDS}
    filters = {name: typed[field] for field, name in WORKLIST_FIELDS.items() if typed[field]}
    page = query_int(request, "halaman", 1, 1, 1000)
    names = await agency_names(request)
    error, items = None, []
    try:
        # One more than a page: whether a next page exists, without counting them all.
        items = await worklist_items(request, staff, PAGE + 1, filters, page)
    except ApiError as refused:
        if refused.status >= 500:
            raise
        error = work_view.filter_error(refused)
    title = work_view.QUEUE_TITLES.get(staff.role, "Daftar kerja")
    return render(
        request,
        "work_list.html",
        {
            "me": work_view.staff_model(staff, names),
            "csrf_token": request.app.state.csrf.token(request),
            "title": title.format(agency=names.get(staff.agency or "", staff.agency)),
            "items": [work_view.worklist_item(item, names) for item in items[:PAGE]],
            "typed": typed,
            "choices": work_view.filter_choices(staff.role),
            "filtered": bool(filters),
            "error": error,
            "page": page,
            "previous": _page_url(typed, page - 1) if page > 1 else None,
            "next": _page_url(typed, page + 1) if len(items) > PAGE else None,
        },
        private=True,
    )


# The worklist form's fields (Indonesian, in the address bar) and the filters they set.
WORKLIST_FIELDS = {
    "status": "status",
    "kategori": "category",
    "kecamatan": "kecamatan",
    "saluran": "channel",
    "cari": "q",
}


def _page_url(typed: dict[str, str], page: int) -> str:
    kept = {field: value for field, value in typed.items() if value}
    return "/kerja?" + urlencode({**kept, "halaman": page})


@staff_page
async def complaint(request: Request) -> Response:
    staff = await require(request)
    ticket = checked_ticket(request.path_params["ticket"])
    done = work_forms.FORMS.get(request.query_params.get("berhasil", ""))
    return await complaint_page(request, staff, ticket, done=done.done if done else None)


@staff_page
async def act(request: Request) -> Response:
    """A decision's form: the same action as its JSON route, then 303 back to the page;
    refused by the service, the page again with the reason beside the form."""
    form = work_forms.FORMS.get(request.path_params["aksi"])
    parts = {"agency", "institution"} & set(request.path_params)
    if form is None or parts != ({form.path} if form.path else set()):
        raise NOT_FOUND
    action = ACTIONS[form.action]
    ticket = checked_ticket(request.path_params["ticket"])
    posted = await read_form(request, work_forms.MAX_FIELDS)
    try:
        require_csrf(request, posted)
        staff = await action.authorize(request)
        try:
            await take(request, form.action, staff, ticket, work_forms.body_of(form, posted))
        except ApiError as error:
            if not said_beside_form(error):
                raise
            typed = {k: v for k, v in posted.multi_items() if isinstance(v, str)}
            return await complaint_page(
                request,
                staff,
                ticket,
                failed=(request.path_params["aksi"], work_forms.refusal(error), typed),
                status_code=error.status,
            )
    finally:
        await posted.close()
    path = request.path_params["aksi"]
    return RedirectResponse(f"/kerja/{ticket}?berhasil={path}", status_code=303)


def part_forms(staff: Staff, view: dict) -> dict[str, list[str]]:
    """The forms offered beside each part of a multi-agency case: the admin moves a task
    not yet done; the lead's liaison closes another agency's, and records the outside
    institutions' part; while the complaint is with the agencies (dispatch checks
    again when the form is sent)."""
    if view.get("status") not in (Status.FORWARDED, Status.ACCEPTED):
        return {}
    tasks = view.get("tasks") or []
    lead = next((t["agency"] for t in tasks if t.get("lead")), None)
    is_lead = staff.role == "agency_admin" and staff.agency == lead
    offered: dict[str, list[str]] = {}
    for task in tasks:
        slugs = []
        if task["status"] not in TASK_DONE:
            if ACTIONS["reassign"].allows(staff):
                slugs.append("alihkan-tugas")
            if is_lead and not task.get("lead"):
                slugs.append("tutup-tugas")
        offered[task["agency"]] = slugs
    for referral in view.get("referrals") or []:
        offered[referral["institution"]] = ["catat-instansi"] if is_lead else []
    return offered


def own_task(staff: Staff, view: dict) -> dict | None:
    """The caller's own task when it is not the lead's: its steps follow the task."""
    for task in view.get("tasks") or []:
        if task["agency"] == staff.agency and not task.get("lead"):
            return task
    return None


@staff_page
async def attachment(request: Request) -> Response:
    """A photo shown inline on the complaint page: the API's own staff attachment
    endpoint (its role and agency checks), with the session's token."""
    return await desk.attachment(request)


async def complaint_page(
    request: Request,
    staff: Staff,
    ticket: str,
    done: str | None = None,
    failed: tuple[str, str, dict] | None = None,
    status_code: int = 200,
) -> Response:
    rpc = request.app.state.rpc
    view = await staff_tracking(rpc, staff, ticket)
    names = await agency_names(request)
    review = None
    if staff.role in REVIEWERS:
        review = await rpc.call("triage", "review", ticket=ticket)
    suggestion = work_view.suggestion_model(view, review, names)
    try:
        clock = await sla_history(request, staff, ticket)
    except BackendUnavailable:  # the page still serves without the sla service
        clock = None
    failed_form, error, typed = failed or ("", None, {})
    return render(
        request,
        "work_complaint.html",
        {
            "me": work_view.staff_model(staff, names),
            "csrf_token": request.app.state.csrf.token(request),
            "c": complaint_model(view, names),
            "suggestion": suggestion,
            "clock": clock_model(clock),
            "offered": offered_forms(staff, view, (clock or {}).get("state")),
            "part_forms": part_forms(staff, view),
            "done": done,
            "failed": failed_form,
            "error": error,
            "typed": typed,
            "prefill": classification_prefill(view, suggestion),
            "categories": [(str(c), label) for c, label in CATEGORY_LABELS.items()],
            "scopes": [(str(s), labels.SCOPE_LABELS[str(s)]) for s in Scope],
            "agencies": sorted(names.items(), key=lambda pair: pair[1]),
            "forward_to": [(a, names.get(a, a)) for a in view.get("agencies") or []],
        },
        status_code=status_code,
        private=True,
    )


def offered_forms(staff: Staff, view: dict, clock_state: str | None = None) -> set[str]:
    """The forms the page shows: the caller's role may take the action (the action's
    own roles) and the lifecycle allows it from the status the read model shows, or for
    the clock, from the clock's state (GET .../sla); the services check again when the
    form is sent."""
    try:
        status = Status(view.get("status") or Status.RECEIVED)
    except ValueError:
        return set()
    offered = set()
    task = own_task(staff, view)
    for path, form in work_forms.FORMS.items():
        if not ACTIONS[form.action].allows(staff) or form.path:
            continue
        if task is not None and form.action in ("accept", "return", "resolve"):
            # Another agency's part of a cross-agency complaint moves on its own.
            step = (TaskStatus(task["status"]), Move(form.action))
            allowed = status in (Status.FORWARDED, Status.ACCEPTED) and step in TASK_TRANSITIONS
        elif form.action == "request-info":
            allowed = status in ASKABLE
        elif form.action == "pause":
            allowed = status in ASKABLE and clock_state in RUNNING_CLOCK
        elif form.action == "resume":
            allowed = clock_state == "paused"
        else:
            allowed = (status, Move(form.action)) in TRANSITIONS
        if allowed:
            offered.add(path)
    return offered


def classification_prefill(view: dict, suggestion: dict | None) -> dict:
    """The classification form starts from the officer's earlier choice (a returned
    complaint) or triage's suggestion."""
    if view.get("category"):
        return {
            "category": view.get("category"),
            "scope": view.get("scope"),
            "agencies": list(view.get("agencies") or []),
        }
    suggestion = suggestion or {}
    return {
        "category": suggestion.get("category"),
        "scope": suggestion.get("scope"),
        "agencies": list(suggestion.get("agencies") or []),
    }


def complaint_model(view: dict, names: dict[str, str]) -> dict:
    deadline = view.get("deadline") or None
    state = (deadline or {}).get("state") or view.get("sla_state")
    location = view.get("location") or {}
    ticket = view["ticket"]
    attachments = [
        {
            "url": f"/kerja/{ticket}/lampiran/{a['id']}",
            "filename": a.get("filename") or "lampiran",
            "image": str(a.get("content_type", "")).startswith("image/"),
        }
        for a in view.get("attachments") or []
        if a.get("id")
    ]
    return {
        "ticket": ticket,
        "status": view.get("status"),
        "status_label": work_view.status_label(view.get("status")),
        "title": view.get("title") or "",
        "description": view.get("description") or "",
        "confidential": bool(view.get("confidential")),
        "channel": labels.CHANNEL_LABELS.get(view.get("channel") or "", view.get("channel")),
        "received_at": view.get("received_at"),
        "kecamatan": location.get("kecamatan"),
        "kelurahan": location.get("kelurahan"),
        "address": location.get("address"),
        "category": work_view.category_label(view.get("category")),
        "scope": labels.SCOPE_LABELS.get(view.get("scope") or ""),
        "agencies": [names.get(a, a) for a in view.get("agencies") or []],
        "agency": names.get(view.get("agency") or "", view.get("agency")),
        "urgent": bool(view.get("urgent")),
        "sla": work_view.sla_badge(state),
        "due_at": (deadline or {}).get("due_at"),
        "remaining": (deadline or {}).get("remaining_working_days"),
        "attachments": attachments,
        "replies": list(view.get("replies") or []),
        "rating": view.get("rating"),
        "pending": "timeline" not in view,
        "timeline": labels.timeline(view, names),
        "parts": labels.parts(view, names),
    }


def clock_model(clock: dict | None) -> dict | None:
    if not clock:
        return None
    return {
        "state": work_view.sla_badge(clock.get("state")),
        "due_at": clock.get("due_at"),
        "working_days": clock.get("working_days"),
        "remaining": clock.get("remaining_working_days"),
        "paused_days": clock.get("paused_working_days"),
        "deadlines": [
            {
                "at": d.get("at"),
                "why": labels.deadline_reason(d.get("reason")),
                "scope": labels.SCOPE_LABELS.get(d.get("scope") or "", "-"),
                "working_days": d.get("working_days"),
                "due_at": d.get("due_at"),
            }
            for d in clock.get("deadlines") or []
        ],
        "fired": [
            {"what": f.get("key", ""), "at": f.get("fired_at") or f.get("at")}
            for f in clock.get("fired") or []
        ],
    }


def render_staff(
    request: Request,
    staff: Staff,
    names: dict[str, str],
    template: str,
    context: dict,
    status_code: int = 200,
) -> Response:
    """A staff page: `context` with the staff bar's member and the forms' CSRF token,
    never kept by a cache."""
    return render(
        request,
        template,
        {
            "me": work_view.staff_model(staff, names),
            "csrf_token": request.app.state.csrf.token(request),
            **context,
        },
        status_code=status_code,
        private=True,
    )
