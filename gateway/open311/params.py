"""The parameters of Open311 calls, read so that only ever a 400 or a 404 comes of
them: the filters of GET requests, and a POSTed request as the body intake checks
like any other channel's (its own rules stay intake's)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from gateway.open311.catalogue import (
    CONFIDENTIAL_ATTRIBUTE,
    JURISDICTION,
    KECAMATAN_ATTRIBUTE,
    SERVICES,
)
from gateway.open311.refusals import Refused, bad_request, not_found
from gateway.open311.status import OPEN311_STATUSES, Open311Status
from services.contracts.reference import TICKET_PATTERN

JAKARTA = ZoneInfo("Asia/Jakarta")
# Parameters as the client sent them: each name with every value it was given.
Params = Mapping[str, list[str]]

MAX_IDS = 1000
WINDOW = timedelta(days=90)
W3C_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
W3C_INSTANT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$"
)
DEGREES = re.compile(r"^[+-]?[0-9]{1,3}(\.[0-9]{1,15})?$")
REQUESTS_QUERY = (
    "jurisdiction_id",
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "api_key",  # sent by some clients on every call; reading needs none
)
POST_PARAMETERS = (
    "api_key",
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
)
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\]$")
ATTRIBUTES = (KECAMATAN_ATTRIBUTE, CONFIDENTIAL_ATTRIBUTE)
# Identifiers of a person's device or account: accepted, never stored.
UNSTORED = ("device_id", "account_id")
MAX_UNSTORED = 200


@dataclass(frozen=True)
class RequestsQuery:
    """GET requests: `tickets` overrides every other filter (as the specification says)."""

    tickets: tuple[str, ...] | None
    categories: tuple[str, ...] | None
    statuses: tuple[Open311Status, ...] | None
    start: datetime
    end: datetime


@dataclass(frozen=True)
class PostedRequest:
    api_key: str
    body: dict  # the complaint, as intake.submit takes it


def check_jurisdiction(params: Params) -> None:
    given = single(params, "jurisdiction_id")
    if given not in (None, JURISDICTION):
        raise not_found(
            f"jurisdiction_id {given[:60]!r} not found: this endpoint serves {JURISDICTION!r}"
        )


def check_service_code(code: str) -> str:
    if code not in SERVICES:
        raise not_found(f"service_code {code[:60]!r} not found; GET services lists the codes")
    return code


def requests_query(params: Params, now: datetime) -> RequestsQuery:
    refuse_unknown(params, REQUESTS_QUERY)
    check_jurisdiction(params)
    tickets = listed(params, "service_request_id")
    if tickets is not None:
        wrong = [t for t in tickets if not TICKET_PATTERN.match(t)]
        if wrong:
            raise bad_request(
                f"service_request_id: {wrong[0][:40]!r} is not a request id (SMG-2026-000123)"
            )
        if len(tickets) > MAX_IDS:
            raise bad_request(f"service_request_id: at most {MAX_IDS} ids at once")
    codes = listed(params, "service_code")
    statuses = listed(params, "status")
    if statuses is not None:
        wrong = [s for s in statuses if s not in OPEN311_STATUSES]
        if wrong:
            raise bad_request(f"status: {wrong[0][:40]!r} is not open or closed")
    start, end = window(instant(params, "start_date"), instant(params, "end_date"), now)
    return RequestsQuery(
        tickets=tickets,
        categories=tuple(check_service_code(c) for c in codes) if codes is not None else None,
        statuses=statuses,  # type: ignore[arg-type]  (checked above)
        start=start,
        end=end,
    )


def window(start: datetime | None, end: datetime | None, now: datetime):
    """start_date and end_date, each defaulting so the range is 90 days (ending now)."""
    if start is None and end is None:
        end = now
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise bad_request("end_date: must not be before start_date")
    if end - start > WINDOW:
        raise bad_request("start_date and end_date: may not span more than 90 days")
    return start, end


def instant(params: Params, name: str) -> datetime | None:
    """A w3 date-time with its offset (2026-01-01T00:00:00Z), or a day (2026-01-01,
    from its start in Asia/Jakarta)."""
    given = single(params, name)
    if given is None:
        return None
    try:
        if W3C_DAY.match(given):
            return datetime.fromisoformat(given).replace(tzinfo=JAKARTA)
        if W3C_INSTANT.match(given):
            return datetime.fromisoformat(given)
    except ValueError:
        pass
    raise bad_request(f"{name}: a w3 date-time with its offset, such as 2026-01-01T00:00:00+07:00")


def posted_request(params: Params) -> PostedRequest:
    """A POSTed request as the complaint intake checks (its text, contact and location
    rules are the app channel's); a refusal names the Open311 parameter."""
    for name in params:
        single(params, name)  # a parameter given twice is refused before anything else
    attributes = attributes_of(params)
    refuse_unknown({k: v for k, v in params.items() if not ATTRIBUTE.match(k)}, POST_PARAMETERS)
    api_key = single(params, "api_key")
    if api_key is None:
        raise Refused(403, "api_key: required to post a request; see docs/open311.md")
    check_jurisdiction(params)
    code = single(params, "service_code")
    if code is None:
        raise bad_request("service_code: is required; GET services lists the codes")
    for name in UNSTORED:
        if len(single(params, name) or "") > MAX_UNSTORED:
            raise bad_request(f"{name}: at most {MAX_UNSTORED} characters")
    body = {
        "reporter": reporter(params, attributes),
        "location": location(params, attributes),
        "category": check_service_code(code),
    }
    if single(params, "description") is not None:
        body["description"] = single(params, "description")
    if single(params, "media_url") is not None:
        body["media"] = [single(params, "media_url")]
    return PostedRequest(api_key, body)


def reporter(params: Params, attributes: dict[str, str]) -> dict:
    """Who reports: nobody but intake ever reads it. Without a phone, an e-mail or a
    name the request is anonymous (its app reads its status like anyone)."""
    name = " ".join(
        part for part in (single(params, "first_name"), single(params, "last_name")) if part
    )
    contact = {"name": name or None, "phone": single(params, "phone")}
    contact["email"] = single(params, "email")
    given = {k: v for k, v in contact.items() if v is not None}
    confidential = attributes.get(CONFIDENTIAL_ATTRIBUTE, "false").lower()
    if confidential not in ("true", "false"):
        raise bad_request(f"attribute[{CONFIDENTIAL_ATTRIBUTE}]: true or false")
    return given | {"anonymous": not given, "confidential": confidential == "true"}


def location(params: Params, attributes: dict[str, str]) -> dict:
    lat, lon = single(params, "lat"), single(params, "long")
    address = single(params, "address_string")
    if (lat is None) != (lon is None):
        raise bad_request("lat and long: send both, or neither with an address_string")
    if lat is None and address is None:
        if single(params, "address_id") is not None:
            raise bad_request(
                "address_id: Aduan has no address register; send lat and long or address_string"
            )
        raise bad_request("lat and long, or address_string: a request needs its location")
    found: dict = {}
    if lat is not None:
        found |= {"lat": degrees(lat, "lat"), "lon": degrees(lon, "long")}
    if address is not None:
        found["address"] = address
    if KECAMATAN_ATTRIBUTE in attributes:
        found["kecamatan"] = attributes[KECAMATAN_ATTRIBUTE]
    return found


def degrees(text: str, name: str) -> float:
    if not DEGREES.match(text):
        raise bad_request(f"{name}: decimal degrees (WGS84), such as -7.0051")
    return float(text)


def attributes_of(params: Params) -> dict[str, str]:
    found = {}
    for key in params:
        matched = ATTRIBUTE.match(key)
        if matched is None:
            continue
        code = matched.group(1)
        if code not in ATTRIBUTES:
            raise bad_request(f"attribute[{code}]: unknown; GET services/<code> lists them")
        value = single(params, key)
        if value is not None:
            found[code] = value
    return found


def refuse_unknown(params: Params, known: tuple[str, ...]) -> None:
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise bad_request(f"{unknown[0][:60]}: not a parameter of this call")


def single(params: Params, name: str) -> str | None:
    """The parameter's one value; empty counts as not given (the specification's
    "optional" rule); twice is refused."""
    values = [v for v in params.get(name, []) if v.strip() != ""]
    if len(values) > 1:
        raise bad_request(f"{name}: given more than once")
    return values[0] if values else None


def listed(params: Params, name: str) -> tuple[str, ...] | None:
    """A comma-delimited parameter (possibly given several times), without repeats."""
    values = [v.strip() for given in params.get(name, []) for v in given.split(",")]
    values = [v for v in values if v]
    return tuple(dict.fromkeys(values)) if values else None
