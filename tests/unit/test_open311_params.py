"""The parameters of Open311 calls: GET requests' filters and a POSTed request as the
complaint intake checks; anything else is a 400 (or 403, 404) naming the parameter."""

from datetime import UTC, datetime, timedelta

import pytest

from gateway.errors import ApiError
from gateway.open311 import params
from gateway.open311.refusals import Refused, from_api_error
from gateway.open311.routes import form_params, json_params

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
KEY = "o311_0123456789abcdef_" + "a" * 43


def posted(**values):
    base = {"api_key": KEY, "service_code": "infrastruktur_fasum", "lat": "-7.05"}
    base |= {"long": "110.43", "description": "Jalan berlubang besar di depan kampus"}
    return params.posted_request({k: [v] for k, v in (base | values).items()})


def refused(call, *args) -> Refused:
    with pytest.raises(Refused) as caught:
        call(*args)
    return caught.value


def test_requests_default_to_the_last_90_days_of_every_status_and_service():
    asked = params.requests_query({}, NOW)
    assert (asked.start, asked.end) == (NOW - timedelta(days=90), NOW)
    assert (asked.tickets, asked.categories, asked.statuses) == (None, None, None)


def test_requests_filters_are_comma_delimited_or_repeated_and_empty_means_absent():
    asked = params.requests_query(
        {
            "service_code": ["infrastruktur_fasum,penegakan_perda", "infrastruktur_fasum"],
            "status": ["closed"],
            "start_date": ["2026-11-01T00:00:00Z"],
            "end_date": [""],
            "jurisdiction_id": ["semarang"],
        },
        NOW,
    )
    assert asked.categories == ("infrastruktur_fasum", "penegakan_perda")
    assert asked.statuses == ("closed",)
    assert asked.start == datetime(2026, 11, 1, tzinfo=UTC)
    assert asked.end == asked.start + timedelta(days=90)
    day = params.requests_query({"end_date": ["2026-12-01"]}, NOW)
    assert day.end.isoformat() == "2026-12-01T00:00:00+07:00"


def test_ids_override_and_are_checked():
    asked = params.requests_query({"service_request_id": ["SMG-2026-000001,SMG-2026-000002"]}, NOW)
    assert asked.tickets == ("SMG-2026-000001", "SMG-2026-000002")
    assert refused(params.requests_query, {"service_request_id": ["1; drop"]}, NOW).status == 400


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ({"status": ["pending"]}, 400, "status"),
        ({"service_code": ["graffiti"]}, 404, "service_code"),
        ({"jurisdiction_id": ["sfgov.org"]}, 404, "jurisdiction_id"),
        ({"start_date": ["yesterday"]}, 400, "start_date"),
        ({"start_date": ["2026-11-01T00:00:00"]}, 400, "start_date"),  # no offset
        ({"start_date": ["2026-02-30"]}, 400, "start_date"),
        ({"start_date": ["2026-01-01T00:00:00Z"], "end_date": ["2026-12-01T00:00:00Z"]}, 400, ""),
        ({"start_date": ["2026-12-01T00:00:00Z"], "end_date": ["2026-11-01T00:00:00Z"]}, 400, ""),
        ({"status": ["open"], "sort": ["x"]}, 400, "sort"),
        ({"status": ["open", "closed"], "jurisdiction_id": ["a", "b"]}, 400, "jurisdiction_id"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(query, status, named):
    refusal = refused(params.requests_query, query, NOW)
    assert refusal.status == status and named in refusal.description


def test_a_posted_request_becomes_the_complaint_intake_checks():
    request = posted(
        address_string="Jl. Ngesrep Timur V",
        first_name="Siti",
        last_name="Rahayu",
        email="siti@contoh.id",
        media_url="https://contoh.id/foto.jpg",
        device_id="device-123",
        **{"attribute[kecamatan]": "tembalang", "attribute[confidential]": "TRUE"},
    )
    assert request.api_key == KEY
    assert request.body == {
        "reporter": {
            "name": "Siti Rahayu",
            "email": "siti@contoh.id",
            "anonymous": False,
            "confidential": True,
        },
        "location": {
            "lat": -7.05,
            "lon": 110.43,
            "address": "Jl. Ngesrep Timur V",
            "kecamatan": "tembalang",
        },
        "category": "infrastruktur_fasum",
        "description": "Jalan berlubang besar di depan kampus",
        "media": ["https://contoh.id/foto.jpg"],
    }
    assert "device-123" not in repr(request.body)  # the device id is never stored


def test_a_request_without_contact_is_anonymous():
    assert posted().body["reporter"] == {"anonymous": True, "confidential": False}


@pytest.mark.parametrize(
    ("values", "status", "named"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "001"}, 404, "service_code"),
        ({"jurisdiction_id": "city.gov"}, 404, "jurisdiction_id"),
        ({"long": ""}, 400, "lat and long"),
        ({"lat": "", "long": ""}, 400, "location"),
        ({"lat": "", "long": "", "address_id": "545483"}, 400, "address_id"),
        ({"lat": "-7,05"}, 400, "lat"),
        ({"lat": "1e400"}, 400, "lat"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
        ({"attribute[confidential]": "maybe"}, 400, "attribute[confidential]"),
        ({"title": "Jalan rusak"}, 400, "title"),
        ({"device_id": "x" * 201}, 400, "device_id"),
    ],
)
def test_a_bad_post_is_refused_naming_the_parameter(values, status, named):
    with pytest.raises(Refused) as caught:
        posted(**values)
    assert caught.value.status == status and named in caught.value.description


def test_a_parameter_given_twice_is_refused():
    twice = {"api_key": [KEY], "service_code": ["penegakan_perda"], "description": ["a", "b"]}
    assert "description" in refused(params.posted_request, twice).description


def test_intake_s_refusals_name_the_open311_parameter():
    error = ApiError("invalid_field", "reporter.email: must be an email address", "reporter.email")
    refusal = from_api_error(error)
    assert (refusal.status, refusal.description) == (400, "email: must be an email address")
    kecamatan = ApiError("invalid_field", "location.kecamatan: must be", "location.kecamatan")
    assert from_api_error(kecamatan).description == "attribute[kecamatan]: must be"
    assert from_api_error(ApiError("unauthorized", "no")).status == 403
    assert from_api_error(ApiError("not_found", "no")).status == 404


def test_a_form_is_read_as_utf8_and_json_as_the_same_parameters():
    form = form_params(b"description=Jalan+r%C3%A9tak&attribute%5Bkecamatan%5D=Genuk&lat=")
    assert refused(form_params, b"description=%FF").status == 400
    assert form == {"description": ["Jalan rétak"], "attribute[kecamatan]": ["Genuk"], "lat": [""]}
    assert refused(form_params, b"description=\xff").status == 400
    with pytest.raises(ApiError) as nul:
        form_params(b"description=a%00b")
    assert nul.value.field == "description"
    as_json = json_params({"lat": -7.05, "attribute": {"confidential": True}, "email": None})
    assert as_json == {"lat": ["-7.05"], "attribute[confidential]": ["true"], "email": [""]}
    assert refused(json_params, [1]).status == 400
    assert refused(json_params, {"api_key": {"$gt": ""}}).status == 400
