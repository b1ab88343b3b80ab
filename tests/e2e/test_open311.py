"""Open311 GeoReport v2 through the running stack: an app with its api_key posts a
request as a form (the specification's) and as JSON, lists it, reads it by id, and reads
it closed once the agency resolved it; XML is parsed and read by the specification's
element names. Never the reporter's identity; a confidential request without its
text; bad input of any shape is the specification's error, with nothing stored."""

import json
import re
import uuid
from urllib.parse import urlencode
from xml.etree import ElementTree

import httpx
import pytest

from tests.support.api import Api
from tests.support.open311 import REQUEST_ELEMENTS
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

BASE = "/open311/v2"
KEY_IN_OUTPUT = re.compile(r"o311_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


def new_key(stack, *extra: str) -> str:
    name = f"Aplikasi uji {uuid.uuid4().hex[:6]}"
    made = stack.admin("create-open311-key", name, "--contact", "dev@contoh.id", *extra)
    assert made.returncode == 0, made.stderr
    return KEY_IN_OUTPUT.search(made.stdout).group(0)


@pytest.fixture(scope="module")
def api_key(stack) -> str:
    return new_key(stack)


def xml(response: httpx.Response, root: str) -> ElementTree.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8", response.text
    parsed = ElementTree.fromstring(response.content)
    assert parsed.tag == root
    return parsed


def xml_errors(response: httpx.Response, status: int) -> list[str]:
    """The specification's <errors><error><code/><description/></error></errors>."""
    assert response.status_code == status, response.text
    errors = xml(response, "errors").findall("error")
    assert errors and all(e.findtext("code") == str(status) for e in errors)
    return [e.findtext("description") for e in errors]


def json_errors(response: httpx.Response, status: int) -> list[str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    listed = response.json()
    assert listed and all(set(e) == {"code", "description"} for e in listed)
    assert all(e["code"] == status for e in listed)
    return [e["description"] for e in listed]


def form_request(api_key: str, **values) -> dict:
    return {
        "api_key": api_key,
        "jurisdiction_id": "semarang",
        "service_code": "infrastruktur_fasum",
        "lat": "-7.0512",
        "long": "110.4381",
        "address_string": "Jl. Ngesrep Timur V",
        "description": f"Jalan berlubang besar di depan kampus, bahaya ({uuid.uuid4().hex[:8]})",
        "first_name": "Siti",
        "last_name": "Rahayu",
        "email": "siti.open311@contoh.id",
        "phone": "081234560311",
        "attribute[kecamatan]": "Tembalang",
        **values,
    }


def post_form(api: Api, body: dict, key: str | None = None) -> httpx.Response:
    headers = FORM | ({"Idempotency-Key": key} if key else {})
    return api.http.post(f"{BASE}/requests.xml", content=urlencode(body), headers=headers)


def posted_ticket(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    [request] = xml(response, "service_requests").findall("request")
    assert request.find("token") is None  # realtime: the id at once, never a token
    ticket = request.findtext("service_request_id")
    assert re.fullmatch(r"SMG-\d{4}-\d{6}", ticket)
    assert ticket in request.findtext("service_notice")
    return ticket


def read_xml(api: Api, ticket: str) -> ElementTree.Element:
    response = api.http.get(f"{BASE}/requests/{ticket}.xml")
    assert response.status_code == 200, response.text
    [request] = xml(response, "service_requests").findall("request")
    assert [child.tag for child in request] == REQUEST_ELEMENTS
    return request


def wait_request(api: Api, ticket: str, predicate) -> ElementTree.Element:
    """The request as GET requests/{id}.xml reads it, once `predicate` holds for it."""

    def matching() -> list[ElementTree.Element]:
        request = read_xml(api, ticket)
        return [request] if predicate(request) else []

    return wait_for(matching, 30, f"{ticket} as Open311 reads it")[0]


def listed_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    root = xml(response, "service_requests")
    return [r.findtext("service_request_id") for r in root.findall("request")]


def test_discovery_services_and_a_definition(api, stack):
    discovery = xml(api.http.get(f"{BASE}/discovery.xml"), "discovery")
    [endpoint] = discovery.findall("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == f"{stack.url}{BASE}"
    formats = [f.text for f in endpoint.findall("formats/format")]
    assert formats == ["text/xml", "application/json"]

    services = xml(api.http.get(f"{BASE}/services.xml?jurisdiction_id=semarang"), "services")
    codes = [s.findtext("service_code") for s in services.findall("service")]
    assert len(codes) == 7 and "infrastruktur_fasum" in codes
    assert all(s.findtext("type") == "realtime" for s in services.findall("service"))
    assert api.http.get(f"{BASE}/services.json").json()[0]["service_code"] == codes[0]

    definition = api.http.get(f"{BASE}/services/penegakan_perda.json").json()
    assert definition["service_code"] == "penegakan_perda"
    assert [a["code"] for a in definition["attributes"]] == ["kecamatan", "confidential"]


def test_a_request_posted_as_a_form_and_as_json_is_listed_read_and_closed_once_resolved(
    api, stack, api_key
):
    form = form_request(api_key, media_url="https://contoh.id/lubang.jpg")
    key = uuid.uuid4().hex
    by_form = posted_ticket(post_form(api, form, key))
    # The same Idempotency-Key and body is the same request; another body is refused.
    assert posted_ticket(post_form(api, form, key)) == by_form
    reused = post_form(api, form_request(api_key), key)
    assert "Idempotency-Key" in xml_errors(reused, 400)[0]

    body = {
        "api_key": api_key,
        "service_code": "lingkungan_perumahan",
        "lat": -6.9553,
        "long": 110.4721,
        "description": "Sampah menumpuk di pinggir jalan, tidak diangkut seminggu di Genuk.",
        "email": "warga.open311@contoh.id",
        "attribute": {"confidential": "false"},
    }
    by_json = api.http.post(f"{BASE}/requests.json", json=body)
    assert by_json.status_code == 200, by_json.text
    [answer] = by_json.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    json_ticket = answer["service_request_id"]

    # Read by id, once the read model has it: the specification's elements.
    request = wait_request(api, by_form, lambda r: r.findtext("service_code"))
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "infrastruktur_fasum"
    assert request.findtext("description") == form["description"]
    assert request.findtext("address") == (
        "Jl. Ngesrep Timur V, Kecamatan Tembalang, Kota Semarang"
    )
    assert (request.findtext("lat"), request.findtext("long")) == ("-7.0512", "110.4381")
    assert request.findtext("media_url") == "https://contoh.id/lubang.jpg"
    assert request.findtext("requested_datetime").endswith("+07:00")
    read_json = wait_for(
        lambda: [
            found
            for found in api.http.get(f"{BASE}/requests/{json_ticket}.json").json()
            if found["service_code"]
        ],
        30,
        "the JSON request read back",
    )[0]
    assert read_json["service_request_id"] == json_ticket
    assert read_json["service_code"] == "lingkungan_perumahan"
    assert read_json["address"] == "Kecamatan Genuk, Kota Semarang"  # from its text

    # Listed: by ids, by service code and status, as XML and JSON.
    both = api.http.get(
        f"{BASE}/requests.xml", params={"service_request_id": f"{by_form},{json_ticket}"}
    )
    assert sorted(listed_ids(both)) == sorted([by_form, json_ticket])
    open_roads = {"service_code": "infrastruktur_fasum", "status": "open"}
    listed = listed_ids(api.http.get(f"{BASE}/requests.xml", params=open_roads))
    assert by_form in listed and json_ticket not in listed
    as_json = api.http.get(f"{BASE}/requests.json", params=open_roads).json()
    assert by_form in [r["service_request_id"] for r in as_json]

    # The agency resolves it: Open311 reads it closed, with the follow-up.
    api.wait_status(by_form, "awaiting_review")
    api.classify_and_forward(by_form, "infrastruktur_fasum", ["dpu"])
    forwarded = wait_request(api, by_form, lambda r: r.findtext("agency_responsible"))
    assert forwarded.findtext("agency_responsible") == "Dinas Pekerjaan Umum"
    assert forwarded.findtext("expected_datetime").endswith("+07:00")
    api.resolve_through(by_form, "dpu-admin", "Lubang sudah ditambal dan diaspal ulang")
    closed = wait_request(api, by_form, lambda r: r.findtext("status") == "closed")
    assert "diaspal ulang" in closed.findtext("status_notes")
    assert closed.findtext("updated_datetime") >= closed.findtext("requested_datetime")
    closed_roads = {"service_code": "infrastruktur_fasum", "status": "closed"}
    assert by_form in listed_ids(api.http.get(f"{BASE}/requests.xml", params=closed_roads))
    assert by_form not in listed_ids(api.http.get(f"{BASE}/requests.xml", params=open_roads))

    # The monthly report counts the channel.
    month = read_json["requested_datetime"][:7]
    report = api.http.get("/api/v1/reports/monthly", params={"month": month}).json()
    assert report["by_channel"]["open311"] >= 2
    staff = api.track(by_form, "officer1").json()
    assert staff["channel"] == "open311"


def test_never_the_reporter_and_a_confidential_request_without_its_text(api, stack, api_key):
    mark = uuid.uuid4().hex[:10]
    secret = form_request(
        api_key,
        first_name="Prameswarti",
        last_name="Wargakuseti",
        email=f"pelapor.{mark}@contoh.id",
        phone="081299990311",
        description=f"Pungutan liar di loket kelurahan oleh oknum petugas ({mark}).",
        **{"attribute[confidential]": "true"},
    )
    ticket = posted_ticket(post_form(api, secret))
    request = wait_request(api, ticket, lambda r: r.findtext("service_code"))
    assert request.findtext("description") == ""  # confidential: no text
    assert (request.findtext("lat"), request.findtext("media_url")) == ("", "")
    assert request.findtext("address") == "Kecamatan Tembalang, Kota Semarang"
    assert "Ngesrep" not in api.http.get(f"{BASE}/requests/{ticket}.json").text
    answers = [
        api.http.get(f"{BASE}/requests/{ticket}.xml").text,
        api.http.get(f"{BASE}/requests/{ticket}.json").text,
        api.http.get(f"{BASE}/requests.xml").text,
        api.http.get(f"{BASE}/requests.json").text,
    ]
    assert all(ticket in shown for shown in answers)
    for shown in answers:
        for identity in ("Prameswarti", "Wargakuseti", mark, "81299990311"):
            assert identity not in shown
        # Nor any other Open311 reporter of this module.
        assert "siti.open311" not in shown and "81234560311" not in shown
    # Staff read the text; intake alone holds the reporter.
    assert api.track(ticket, "officer1").json()["description"] == secret["description"]
    stored = stack.database("intake").complaints.find_one({"_id": ticket})
    assert stored["reporter"]["email"] == secret["email"]
    views = json.dumps(list(stack.database("reporting").views.find({}, {"_id": 0})), default=str)
    assert secret["email"] not in views and "81299990311" not in views


def stored_open311(stack) -> int:
    return stack.database("intake").complaints.count_documents({"channel": "open311"})


def test_bad_input_is_the_specification_s_error_and_stores_nothing(api, stack, api_key):
    before = stored_open311(stack)
    revoked = new_key(stack)
    key_id = revoked.split("_")[1]
    assert stack.admin("revoke-open311-key", key_id).returncode == 0
    listing = stack.admin("list-open311-keys").stdout
    assert key_id in listing and revoked not in listing
    kept = stack.database("gateway").open311_keys.find_one({"_id": key_id})
    assert kept["revoked_at"] is not None and revoked.split("_")[2] not in str(kept)
    assert [
        e["action"] for e in stack.database("gateway").open311_key_log.find({"key": key_id})
    ] == ["create", "revoke"]

    refusals = [
        (post_form(api, form_request("")), 403, "api_key"),
        (post_form(api, form_request("o311_0123456789abcdef_" + "x" * 43)), 403, "api_key"),
        (post_form(api, form_request(revoked)), 403, "api_key"),
        (post_form(api, form_request(api_key, service_code="001")), 404, "service_code"),
        (post_form(api, form_request(api_key, jurisdiction_id="sfgov.org")), 404, "jurisdiction"),
        (post_form(api, form_request(api_key, description="")), 400, "description"),
        (post_form(api, form_request(api_key, description="pendek")), 400, "description"),
        (post_form(api, form_request(api_key, email="bukan-email")), 400, "email"),
        (post_form(api, form_request(api_key, lat="utara")), 400, "lat"),
        (post_form(api, form_request(api_key, lat="95")), 400, "lat"),
        (post_form(api, form_request(api_key, long="")), 400, "lat and long"),
        (
            post_form(api, form_request(api_key, **{"attribute[kecamatan]": "Atlantis"})),
            400,
            "kecamatan",
        ),
        (post_form(api, form_request(api_key, media_url="javascript:alert(1)")), 400, "media_url"),
        (post_form(api, form_request(api_key, colour="red")), 400, "colour"),
        (
            api.http.post(f"{BASE}/requests.xml", content=b"api_key=\xff\xfe", headers=FORM),
            400,
            "UTF-8",
        ),
        (
            api.http.post(f"{BASE}/requests.xml", content="description=a%00b", headers=FORM),
            400,
            "NUL",
        ),
        (
            api.http.post(
                f"{BASE}/requests.xml", content="x", headers={"Content-Type": "text/plain"}
            ),
            415,
            "x-www-form-urlencoded",
        ),
        (api.http.get(f"{BASE}/requests.xml", params={"status": "pending"}), 400, "status"),
        (api.http.get(f"{BASE}/requests.xml", params={"start_date": "kemarin"}), 400, "start"),
        (api.http.get(f"{BASE}/requests.xml", params={"service_code": "x"}), 404, "service"),
        (api.http.get(f"{BASE}/requests/SMG-2099-999999.xml"), 404, "SMG-2099-999999"),
        (api.http.get(f"{BASE}/requests/1234.xml"), 404, "1234"),
        (api.http.get(f"{BASE}/services/graffiti.xml"), 404, "graffiti"),
        (api.http.get(f"{BASE}/tokens/12345.xml"), 404, "token"),
        (api.http.get(f"{BASE}/nothing-here"), 404, "nothing-here"),
        (api.http.get(f"{BASE}/services.html"), 404, "services.html"),
        (api.http.put(f"{BASE}/requests.xml", content=b""), 405, "PUT"),
    ]
    for response, status, named in refusals:
        descriptions = xml_errors(response, status)
        assert named in " ".join(descriptions), (response.request.url, descriptions)

    as_json = [
        (api.http.post(f"{BASE}/requests.json", json=[1, 2]), 400, "JSON object"),
        (api.http.post(f"{BASE}/requests.json", json={"api_key": {"$gt": ""}}), 400, "api_key"),
        (
            api.http.post(
                f"{BASE}/requests.json", content=b"{", headers={"Content-Type": "application/json"}
            ),
            400,
            "JSON",
        ),
        (api.http.get(f"{BASE}/requests/SMG-2099-999999.json"), 404, "not found"),
    ]
    for response, status, named in as_json:
        assert named in " ".join(json_errors(response, status)), response.request.url
    assert stored_open311(stack) == before


def test_a_key_past_its_requests_per_minute_is_told_to_wait(api, stack):
    limited = new_key(stack, "--rate-limit", "2")
    for _ in range(2):
        posted_ticket(post_form(api, form_request(limited)))
    refused = post_form(api, form_request(limited))
    assert "too many" in xml_errors(refused, 429)[0]
    assert int(refused.headers["Retry-After"]) > 0
