"""The API document: valid OpenAPI 3.1, served by the gateway, and in step with the
app's routes (a route it lacks, or an operation without a route, fails here), with the
agency keys' permissions; and its page, which loads nothing from elsewhere."""

import re

import httpx
import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from gateway.agency_keys import AGENCY_STEPS, ROUTE_PERMISSIONS, TICKET
from gateway.app import ALL_ROUTES
from gateway.openapi import document
from gateway.openapi.builder import KEY_PERMISSION_KEY
from gateway.openapi.coverage import app_operations, document_operations, is_page
from tests.support.conformance import Mismatch, conformance
from tests.unit import test_pages_headers

# The gateway's app without its backends (no lifespan): these routes need none.
client = test_pages_headers.client


def test_the_served_document_validates_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    served = response.json()
    assert served["openapi"].startswith("3.1")
    validate(served)
    assert served == document()


def test_the_validator_catches_a_broken_document():
    broken = document()
    broken["paths"]["/api/v1/worklist"]["get"]["responses"]["200"] = {"content": {}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_route_is_in_the_document_and_every_operation_is_a_route():
    routed = set(app_operations(ALL_ROUTES))
    documented = document_operations(document())
    missing = sorted(routed - documented)
    assert not missing, (
        f"routes missing from the API document (gateway/openapi/paths.py): {missing}; "
        "a page for people belongs in PAGE_PREFIXES of gateway/openapi/coverage.py"
    )
    stale = sorted(documented - routed)
    assert not stale, f"documented operations without a route: {stale}"


def test_the_coverage_rule_sees_a_new_route_and_knows_pages():
    from starlette.routing import Route

    async def endpoint(request):  # pragma: no cover - never called
        raise AssertionError

    extra = [Route("/webhooks/whatsapp", endpoint, methods=["POST"])]
    assert ("POST", "/webhooks/whatsapp") in set(app_operations(extra))
    assert is_page("/") and is_page("/kerja/SMG-2026-000001") and is_page("/api/docs")
    assert not is_page("/api/v1/complaints") and not is_page("/aduanx")
    assert not is_page("/healthz") and not is_page("/webhooks/whatsapp")
    # Open311 is specified by GeoReport v2 (docs/open311.md), not by this document.
    assert is_page("/open311/v2/requests.json")


def test_agency_key_permissions_match_the_gateway():
    """The document's x-aduan-key-permission is exactly gateway/agency_keys.py's table."""
    documented = {
        (method.upper(), path): op[KEY_PERMISSION_KEY]
        for path, item in document()["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and KEY_PERMISSION_KEY in op
    }
    expected = dict(ROUTE_PERMISSIONS)
    expected |= {("POST", f"{TICKET}/{step}"): step for step in AGENCY_STEPS}
    assert documented == expected


def test_every_operation_documents_its_errors_with_the_error_body():
    for path, item in document()["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            codes = {int(code) for code in op["responses"]}
            assert any(c < 400 for c in codes), (method, path)
            for code in codes:
                if code >= 400:
                    schema = op["responses"][str(code)]["content"]["application/json"]
                    assert schema["schema"] == {"$ref": "#/components/schemas/Error"}
            if "requestBody" in op:
                assert {400, 413, 415, 422} <= codes, (method, path)
            if op.get("x-aduan-roles"):
                assert {401, 403} <= codes, (method, path)


def test_the_api_page_loads_only_this_sites_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/api/") for s in sources), sources
    assert "<script>" not in page.text
    for source in sources:
        assert client.get(source).status_code == 200, source
    script = client.get("/api/docs/assets/docs.js").text
    assert "/api/v1/openapi.json" in script and "validatorUrl: null" in script
    assert "//" not in script.replace("// ", "")  # no other site named


def answer(method: str, path: str, status: int, body=None, **headers) -> httpx.Response:
    request = httpx.Request(method, "http://gateway" + path)
    if body is None:
        return httpx.Response(status, request=request, headers=headers)
    return httpx.Response(status, json=body, request=request, headers=headers)


def test_the_e2e_clients_check_fails_on_an_answer_the_document_does_not_describe():
    checked = conformance()
    tracking = {"ticket": "SMG-2026-000123", "status": "awaiting_review", "timeline": []}
    checked.check(answer("GET", "/api/v1/complaints/SMG-2026-000123", 200, tracking))
    error = {"error": "not_found", "message": "there is no /api/v1/nothing"}
    checked.check(answer("GET", "/api/v1/nothing", 404, error))
    checked.check(answer("GET", "/lacak/SMG-2026-000123", 200))  # a page: not API
    checked.check(answer("POST", "/api/v1/auth/logout", 204))
    for wrong in (
        answer("GET", "/api/v1/complaints/SMG-2026-000123", 200, tracking | {"status": "gone"}),
        answer("GET", "/api/v1/complaints/SMG-2026-000123", 500, error),
        answer("GET", "/api/v1/complaints/SMG-2026-000123", 404, {"message": "no code"}),
        answer("GET", "/api/v1/nothing", 404, {"detail": "Not Found"}),
        answer("GET", "/api/v1/worklist", 200, {"role": "officer", "agency": None, "page": 1}),
    ):
        with pytest.raises(Mismatch):
            checked.check(wrong)
    text_answer = httpx.Response(
        200,
        text="{}",
        headers={"content-type": "text/html"},
        request=httpx.Request("GET", "http://gateway/healthz"),
    )
    with pytest.raises(Mismatch):
        checked.check(text_answer)
