"""Open data (docs/open-data.md): every complaint as a row anyone may download and
republish, as CSV or JSON, a page at a time, under the licence the city configured.
Public, without sign-in; what a row may hold is reporting's rule (open_data.row)."""

import csv
import io
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.errors import ApiError
from gateway.pages.agencies import agency_names
from gateway.params import query_int
from services.contracts.open_data import (
    MAX_PAGE,
    MAX_PER_PAGE,
    OPEN_DATA_COLUMNS,
    OPEN_DATA_FILTERS,
)

FILTERS = OPEN_DATA_FILTERS
PAGING = ("page", "per_page")
DEFAULT_PER_PAGE = 100
PUBLISHER = "Pemerintah Kota Semarang"


async def complaints_csv(request: Request) -> Response:
    return await _complaints(request, "csv")


async def complaints_json(request: Request) -> Response:
    return await _complaints(request, "json")


async def _complaints(request: Request, form: str) -> Response:
    unknown = sorted(set(request.query_params) - {*FILTERS, *PAGING})
    if unknown:
        raise ApiError(
            "invalid_field",
            f"{unknown[0][:40]}: not a filter; the filters are {', '.join(FILTERS)}",
            unknown[0][:40],
        )
    filters = {k: request.query_params[k] for k in FILTERS if k in request.query_params}
    if "agency" in filters and filters["agency"] not in await agency_names(request):
        raise ApiError("invalid_field", "agency: not an agency code of the directory", "agency")
    page = query_int(request, "page", 1, 1, MAX_PAGE)
    per_page = query_int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    settings = request.app.state.settings
    found = await request.app.state.rpc.call(
        "reporting",
        "open_data",
        filters=filters,
        page=page,
        per_page=per_page,
        with_text=settings.open_data_free_text,
    )
    links = _links(request, form, filters, page, per_page, found["total"])
    licence = settings.open_data_licence
    if form == "json":
        return JSONResponse(
            {
                "publisher": PUBLISHER,
                "licence": licence.as_json(),
                "free_text": settings.open_data_free_text,
                "filters": filters,
                "total": found["total"],
                "page": page,
                "per_page": per_page,
                "links": links,
                "complaints": found["rows"],
            }
        )
    link_header = [f'<{url}>; rel="{rel}"' for rel, url in links.items() if url is not None]
    name = f"pengaduan-{filters.get('month', 'semua')}-hal{page}.csv"
    return Response(
        _csv(found["rows"]),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Link": ", ".join([*link_header, f'<{licence.url}>; rel="license"']),
            "X-Total-Count": str(found["total"]),
        },
    )


def _links(
    request: Request, form: str, filters: dict, page: int, per_page: int, total: int
) -> dict[str, str | None]:
    public_url = request.app.state.settings.public_url
    base = f"{public_url}/api/v1/open-data/complaints.{form}"

    def at(number: int) -> str:
        return f"{base}?{urlencode({**filters, 'page': number, 'per_page': per_page})}"

    last = max(1, -(-total // per_page))
    return {
        "self": at(page),
        "next": at(page + 1) if page < last else None,
        "prev": at(page - 1) if page > 1 else None,
        "last": at(last),
        # The daily anchors of the complaints' tamper-evident histories.
        "history_anchors": f"{public_url}/api/v1/open-data/history-anchors",
    }


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OPEN_DATA_COLUMNS)
    writer.writerows([_cell(column, row[column]) for column in OPEN_DATA_COLUMNS] for row in rows)
    # A byte-order mark, so spreadsheet programs read the Indonesian text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Residents' own words: a cell a spreadsheet would run as a formula (=, +, -, @ first)
# is written with an apostrophe before it, as OWASP's CSV-injection advice has it.
RESIDENTS_TEXT = ("title", "description")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(column: str, value: object) -> object:
    if column in RESIDENTS_TEXT and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
