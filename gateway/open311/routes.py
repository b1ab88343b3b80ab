"""The GeoReport v2 endpoints under /open311/v2 (docs/open311.md). Thin: parameters are
read by params.py, complaints recorded through intake as the app's are (the same
validation, idempotency and throttling), and read from the reporting service's public
list; every refusal is the specification's error document, in the format asked for."""

from datetime import UTC, datetime
from urllib.parse import parse_qsl

from pymongo.errors import ConnectionFailure
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.body import checked_text, json_body, read_limited, require_json_type
from gateway.errors import ApiError
from gateway.open311 import catalogue, params, records, render
from gateway.open311.refusals import Refused, bad_request, from_api_error, not_found
from gateway.open311.status import aduan_statuses
from gateway.pages.agencies import agency_names
from gateway.routes.complaints import (
    idempotency_key,
    record_complaint,
    scoped_idempotency_key,
    throttle_app_client,
)
from gateway.uploads import is_multipart, read_form
from services.contracts.reference import TICKET_PATTERN, Channel

BASE = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed (discovery's changeset).
CHANGESET = "2026-12-03T00:00:00+07:00"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
FORM = "application/x-www-form-urlencoded"
MAX_FORM_FIELDS = 50


def endpoint(**handlers):
    """A route's answer: the handler of its method, the value it returns written in the
    format of the path's extension, and any refusal as the specification's errors."""

    async def answer(request: Request) -> Response:
        fmt = request.path_params.get("format")
        if fmt not in render.FORMATS:
            shown = "json" if request.url.path.endswith(".json") else "xml"
            return render.errors(shown, 404, [f"there is no {request.url.path}; see discovery"])
        handler = handlers.get("GET" if request.method == "HEAD" else request.method)
        try:
            if handler is None:
                raise Refused(405, f"{request.method} is not allowed on {request.url.path}")
            root, value = await handler(request)
            return render.document(fmt, root, value)
        except Refused as refused:
            return refusal(fmt, refused, sorted(handlers))
        except ApiError as error:
            return refusal(fmt, from_api_error(error), sorted(handlers))
        except ConnectionFailure:
            return refusal(fmt, Refused(503, "the database is not reachable; try again"), [])

    return answer


def refusal(fmt: str, refused: Refused, allowed: list[str]) -> Response:
    headers = {}
    if refused.status == 405:
        headers["Allow"] = ", ".join(allowed)
    if refused.status in (429, 503):
        headers["Retry-After"] = str(refused.retry_after or 5)
    return render.errors(fmt, refused.status, [refused.description], headers)


def query(request: Request) -> params.Params:
    found: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        found.setdefault(name, []).append(checked_text(value, name))
    return found


async def discovery(request: Request):
    url = f"{request.app.state.settings.public_url}{BASE}"
    return "discovery", {
        "changeset": CHANGESET,
        "contact": "Tim Pengelola Pengaduan Pelayanan Publik, Pemerintah Kota Semarang",
        "key_service": "api_key for Open311 apps: ask Aduan's supervisors (docs/open311.md)",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


async def services(request: Request):
    given = query(request)
    params.refuse_unknown(given, ("jurisdiction_id", "api_key"))
    params.check_jurisdiction(given)
    return "services", catalogue.service_list()


async def definition(request: Request):
    given = query(request)
    params.refuse_unknown(given, ("jurisdiction_id", "api_key"))
    params.check_jurisdiction(given)
    code = params.check_service_code(request.path_params["service_code"])
    return "service_definition", catalogue.service_definition(code)


async def list_requests(request: Request):
    asked = params.requests_query(query(request), datetime.now(UTC))
    items = await request.app.state.rpc.call(
        "reporting",
        "public_list",
        start=asked.start.isoformat(),
        end=asked.end.isoformat(),
        tickets=list(asked.tickets) if asked.tickets else None,
        categories=list(asked.categories) if asked.categories else None,
        statuses=aduan_statuses(asked.statuses) if asked.statuses else None,
    )
    names = await agency_names(request)
    return "service_requests", [records.service_request(item, names) for item in items]


async def one_request(request: Request):
    given = query(request)
    params.refuse_unknown(given, ("jurisdiction_id", "api_key"))
    params.check_jurisdiction(given)
    ticket = request.path_params["request_id"]
    if not TICKET_PATTERN.match(ticket):
        raise not_found(f"service_request_id {ticket[:40]!r} not found (SMG-2026-000123)")
    now = datetime.now(UTC)
    rpc = request.app.state.rpc
    items = await rpc.call(
        "reporting",
        "public_list",
        start=(now - params.WINDOW).isoformat(),
        end=now.isoformat(),
        tickets=[ticket],
    )
    if not items:
        # Recorded, but the read model has not caught up yet: intake's public receipt.
        receipt = await rpc.call("intake", "receipt", ticket=ticket)
        if receipt is None:
            raise not_found(f"service_request_id {ticket} not found")
        items = [{"ticket": ticket, "status": "received", "received_at": receipt["received_at"]}]
    names = await agency_names(request)
    return "service_requests", [records.service_request(item, names) for item in items]


async def token(request: Request):
    """Aduan answers every POST with its service_request_id (every service is realtime),
    so it issues no tokens: any token is unknown."""
    params.check_jurisdiction(query(request))
    raise not_found(
        "token not found: Aduan issues no tokens; POST requests answers with the "
        "service_request_id at once"
    )


async def post_request(request: Request):
    posted = params.posted_request(await posted_params(request))
    key = await run_in_threadpool(request.app.state.open311_keys.check, posted.api_key)
    if key is None:
        raise Refused(403, "api_key: unknown or revoked; see docs/open311.md for a key")
    request.app.state.key_throttles.check(f"open311:{key.id}", key.rate_limit)
    client_key = idempotency_key(request)
    throttle_app_client(request, client_key)
    scoped = scoped_idempotency_key(f"{Channel.OPEN311}:{key.id}", client_key)
    receipt = await record_complaint(request, Channel.OPEN311, posted.body, [], scoped)
    public_url = request.app.state.settings.public_url
    return "service_requests", [records.posted(receipt["ticket"], public_url)]


async def posted_params(request: Request) -> params.Params:
    """The POST's parameters: a form (the specification's), multipart, or JSON."""
    declared = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if declared == FORM:
        raw = await read_limited(request, request.app.state.settings.max_body)
        return form_params(raw)
    if is_multipart(request):
        form = await read_form(request, max_fields=MAX_FORM_FIELDS)
        try:
            found: dict[str, list[str]] = {}
            for name, value in form.multi_items():
                if not isinstance(value, str):
                    raise bad_request(f"{name}: files are not taken; send media_url")
                found.setdefault(name, []).append(checked_text(value, name))
            return found
        finally:
            await form.close()
    try:
        require_json_type(request)
    except ApiError:
        raise Refused(415, f"send the request as {FORM} (or as JSON)") from None
    return json_params(await json_body(request))


def form_params(raw: bytes) -> params.Params:
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise bad_request(f"the form cannot be read as UTF-8 {FORM}: {error}") from None
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        field = checked_text(name, "parameter name")
        found.setdefault(field, []).append(checked_text(value, field))
    return found


def json_params(body: object) -> params.Params:
    """A JSON object of the same parameters (numbers for lat and long allowed), with the
    attributes as `attribute[code]` keys or as an `attribute` object."""
    if not isinstance(body, dict):
        raise bad_request("the body: a JSON object of the request's parameters")
    found: dict[str, list[str]] = {}
    for name, value in body.items():
        if name == "attribute" and isinstance(value, dict):
            for code, given in value.items():
                found[f"attribute[{code}]"] = [json_value(f"attribute[{code}]", given)]
        else:
            found[name] = [json_value(name, value)]
    return found


def json_value(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise bad_request(f"{name}: a string or a number")


ROUTES = [
    Route(BASE + "/discovery.{format}", endpoint(GET=discovery), methods=METHODS),
    Route(BASE + "/services.{format}", endpoint(GET=services), methods=METHODS),
    Route(BASE + "/services/{service_code}.{format}", endpoint(GET=definition), methods=METHODS),
    Route(
        BASE + "/requests.{format}",
        endpoint(GET=list_requests, POST=post_request),
        methods=METHODS,
    ),
    Route(BASE + "/requests/{request_id}.{format}", endpoint(GET=one_request), methods=METHODS),
    Route(BASE + "/tokens/{token}.{format}", endpoint(GET=token), methods=METHODS),
    # Anything else under the base: the specification's 404.
    Route(BASE + "/{rest:path}", endpoint(), methods=METHODS),
]
