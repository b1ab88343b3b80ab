"""The supervisors' pages for triage's settings: the routing table (which agency each
category goes to, by the words of the complaint) and the automatic rejections.

They run the JSON routes' own code (gateway/routes/triage.py): the same role
(SETTINGS_KEEPERS) and the same RPCs; the triage service decides what a valid table
is, and its refusal is said in Indonesian beside the row or box it concerns.
"""

import json
import re

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth import require
from gateway.body import parse_json
from gateway.errors import ApiError
from gateway.identity import Staff
from gateway.pages.errors import said_beside_form
from gateway.pages.messages import field_error
from gateway.pages.routes_work import agency_names, render_staff
from gateway.pages.staff_access import posted_by, staff_page
from gateway.pages.work_forms import text
from gateway.routes.triage import SETTINGS_KEEPERS, replace_triage_setting, triage_setting
from services.contracts.reference import CATEGORY_LABELS, Category

ROUTING = "/pengawas/rute"
AUTO_REJECT = "/pengawas/penolakan-otomatis"
KECAMATAN_OFFICE = "kec-{kecamatan}"
BLANK_ROWS = 3
MAX_ROWS = 500
# Two textareas of "code: word, word" lines, and the table's maps they stand for.
WORD_MAPS = {"lembaga": "institutions", "pd_disebut": "agencies_named"}
RULE_FIELD = re.compile(r"^rules\[(\d+)\](?:\.(category|words|agency))?$")
RULE_INPUTS = {"category": "kategori", "words": "kata", "agency": "pd"}
RULE_PARTS = {"category": "kategori", "words": "kata-kata", "agency": "perangkat daerah"}


# --- automatic rejections ---------------------------------------------------------


@staff_page
async def auto_reject(request: Request) -> Response:
    staff = await require(request, *SETTINGS_KEEPERS)
    current = await triage_setting(request, "auto_reject")
    saved = "tersimpan" in request.query_params
    return await auto_reject_page(request, staff, current, saved=saved)


@staff_page
async def save_auto_reject(request: Request) -> Response:
    """The same as PUT /api/v1/triage/auto-reject, then 303 back to the page."""
    staff, flags = await posted_by(
        request,
        20,
        SETTINGS_KEEPERS,
        lambda posted: [f for f in posted.getlist("flags") if isinstance(f, str) and f],
    )
    try:
        body = parse_json(json.dumps({"flags": flags}))
        await replace_triage_setting(request, staff, "replace_auto_reject", body)
    except ApiError as error:
        if not said_beside_form(error):
            raise
        current = await triage_setting(request, "auto_reject")
        return await auto_reject_page(
            request, staff, current, error=field_error(error)[1], status_code=error.status
        )
    return RedirectResponse(AUTO_REJECT + "?tersimpan=1", status_code=303)


async def auto_reject_page(
    request: Request,
    staff: Staff,
    current: dict,
    saved: bool = False,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    reasons = current.get("reasons") or {}
    return render_staff(
        request,
        staff,
        await agency_names(request),
        "supervisor_auto_reject.html",
        {
            "flags": [
                {"code": f, "reason": reasons.get(f, f), "on": f in (current.get("flags") or [])}
                for f in current.get("available") or []
            ],
            "saved": saved,
            "error": error,
        },
        status_code=status_code,
    )


# --- the routing table ------------------------------------------------------------


@staff_page
async def routing(request: Request) -> Response:
    staff = await require(request, *SETTINGS_KEEPERS)
    table = await triage_setting(request, "routing_table")
    typed = typed_from_table(table)
    saved = "tersimpan" in request.query_params
    return await routing_page(request, staff, table.get("version"), typed, saved=saved)


@staff_page
async def save_routing(request: Request) -> Response:
    """The same as PUT /api/v1/triage/routing, then 303 back to the page; refused, the
    page again with what was typed and the reason beside its row."""
    staff, typed = await posted_by(request, MAX_ROWS * 5 + 10, SETTINGS_KEEPERS, typed_from_form)
    body, rows_of_rules = table_body(typed)
    try:
        await replace_triage_setting(
            request, staff, "replace_routing_table", parse_json(json.dumps(body))
        )
    except ApiError as error:
        if not said_beside_form(error):
            raise
        table = await triage_setting(request, "routing_table")
        refused = routing_refusal(error, typed, rows_of_rules)
        return await routing_page(
            request, staff, table.get("version"), typed, refused=refused, status_code=error.status
        )
    return RedirectResponse(ROUTING + "?tersimpan=1", status_code=303)


async def routing_page(
    request: Request,
    staff: Staff,
    version: object,
    typed: dict,
    saved: bool = False,
    refused: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    names = await agency_names(request)
    used = {row["agency"] for row in typed["rows"] if row["agency"]}
    agencies = [(KECAMATAN_OFFICE, "Kantor kecamatan tempat kejadian")] + sorted(
        ((code, name) for code, name in names.items()), key=lambda a: a[1]
    )
    # A code the table names that the directory does not know stays choosable.
    agencies += [(code, code) for code in sorted(used - {c for c, _ in agencies})]
    where, error = refused or ("", None)
    return render_staff(
        request,
        staff,
        names,
        "supervisor_routing.html",
        {
            "version": version,
            "typed": typed,
            "categories": [(str(c), CATEGORY_LABELS[c]) for c in Category],
            "agencies": agencies,
            "saved": saved,
            "error": error,
            "error_field": where,
        },
        status_code=status_code,
    )


def typed_from_table(table: dict) -> dict:
    """The form's inputs holding a table, with blank rows to add rules."""
    rows = [
        {
            "order": str(n),
            "category": rule.get("category") or "",
            "words": ", ".join(rule.get("words") or []),
            "agency": rule.get("agency") or "",
            "remove": False,
        }
        for n, rule in enumerate(table.get("rules") or [], start=1)
    ]
    rows += [_blank_row(len(rows) + n) for n in range(1, BLANK_ROWS + 1)]
    return {"rows": rows} | {
        textarea: "\n".join(
            f"{code}: {', '.join(words)}" for code, words in (table.get(key) or {}).items()
        )
        for textarea, key in WORD_MAPS.items()
    }


def typed_from_form(form: FormData) -> dict:
    count = _count(text(form, "baris"))
    rows = [
        {
            "order": text(form, f"urutan-{i}"),
            "category": text(form, f"kategori-{i}"),
            "words": text(form, f"kata-{i}"),
            "agency": text(form, f"pd-{i}"),
            "remove": bool(text(form, f"hapus-{i}")),
        }
        for i in range(count)
    ]
    return {"rows": rows} | {textarea: text(form, textarea) for textarea in WORD_MAPS}


def table_body(typed: dict) -> tuple[dict, list[int]]:
    """The API's table from the form, and for each of its rules the form row it came
    from. Rows are taken by their order number (then as listed); removed and empty rows
    are left out; words are separated by commas."""
    kept = [
        (i, row)
        for i, row in enumerate(typed["rows"])
        if not row["remove"] and (row["category"] or row["words"] or row["agency"])
    ]
    kept.sort(key=lambda item: (_order(item[1]["order"], item[0]), item[0]))
    rules = [
        {"category": row["category"], "words": _words(row["words"]), "agency": row["agency"]}
        for _, row in kept
    ]
    body: dict = {"rules": rules}
    for textarea, key in WORD_MAPS.items():
        body[key] = _word_map(typed[textarea])
    return body, [i for i, _ in kept]


def routing_refusal(error: ApiError, typed: dict, rows_of_rules: list[int]) -> tuple[str, str]:
    """(the input to mark, Indonesian message): a rule's error is said with its row's
    order number; a category's code with its name."""
    field = error.field or ""
    found = RULE_FIELD.match(field)
    if found and int(found.group(1)) < len(rows_of_rules):
        row = rows_of_rules[int(found.group(1))]
        part = found.group(2) or "category"
        label = f"Aturan nomor {typed['rows'][row]['order'] or row + 1}, {RULE_PARTS[part]}"
        _, message = field_error(error, names={field: label})
        return f"{RULE_INPUTS[part]}-{row}", message
    for textarea, key in WORD_MAPS.items():
        if field == key or field.startswith(key + "."):
            code = field[len(key) + 1 :]
            label = {"lembaga": "Instansi di luar Pemkot", "pd_disebut": "Perangkat daerah"}
            named = f"{label[textarea]} {code!r}" if code else label[textarea]
            return textarea, field_error(error, names={field: named})[1]
    where, message = field_error(error, names={"rules": "Aturan"})
    for code, label in CATEGORY_LABELS.items():
        message = message.replace(str(code), label)
    return ("rules" if field == "rules" else where), message


def _blank_row(order: int) -> dict:
    return {"order": str(order), "category": "", "words": "", "agency": "", "remove": False}


def _count(value: str) -> int:
    return min(int(value), MAX_ROWS) if value.isdigit() else 0


def _order(value: str, index: int) -> float:
    try:
        return float(value)
    except ValueError:
        return float(index + 1)


def _words(value: str) -> list[str]:
    return [w.strip() for w in value.split(",") if w.strip()]


def _word_map(value: str) -> dict[str, list[str]]:
    """'pln: pln, listrik' per line; a line without a colon is sent as a code with no
    words, for the triage service to refuse by name."""
    mapped: dict[str, list[str]] = {}
    for line in value.splitlines():
        if not line.strip():
            continue
        code, _, words = line.partition(":")
        mapped[code.strip()] = _words(words)
    return mapped
