"""GeoReport v2 documents written as XML (the specification's element names) and JSON."""

import json
from xml.etree import ElementTree

from gateway.open311 import catalogue, records, render
from services.contracts.reference import Category
from tests.support.open311 import REQUEST_ELEMENTS

ITEM = {
    "ticket": "SMG-2026-000123",
    "status": "resolved",
    "status_label": "Selesai ditindaklanjuti",
    "status_note": "Tindak lanjut: Jalan sudah diaspal",
    "category": "infrastruktur_fasum",
    "public_category": "infrastruktur_fasum",
    "agency": "dpu",
    "received_at": "2026-03-02T09:15:00.123000+07:00",
    "updated_at": "2026-03-05T10:00:00+07:00",
    "description": "Jalan berlubang besar di depan kampus",
    "deadline": {"due_at": "2026-03-09T23:59:59+07:00", "working_days": 5, "scope": "x"},
    "location": {"kecamatan": "Tembalang", "address": "Jl. Ngesrep Timur V", "lat": -7.05},
    "media": ["https://contoh.id/foto.jpg"],
}


def parsed(response) -> ElementTree.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.body)


def test_a_request_has_the_specification_elements_in_xml_and_json():
    record = records.service_request(ITEM, {"dpu": "Dinas Pekerjaan Umum"})
    root = parsed(render.document("xml", "service_requests", [record]))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_ELEMENTS
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == (
        "Selesai ditindaklanjuti. Tindak lanjut: Jalan sudah diaspal"
    )
    assert request.findtext("requested_datetime") == "2026-03-02T09:15:00+07:00"
    assert request.findtext("agency_responsible") == "Dinas Pekerjaan Umum"
    assert request.findtext("address") == "Jl. Ngesrep Timur V, Kecamatan Tembalang, Kota Semarang"
    assert request.findtext("lat") == "-7.05" and request.findtext("long") == ""
    as_json = json.loads(render.document("json", "service_requests", [record]).body)
    assert as_json == [record] and as_json[0]["long"] is None


def test_a_confidential_item_stays_without_text_or_place():
    item = ITEM | {"description": None, "location": {"kecamatan": "Genuk"}, "media": []}
    record = records.service_request(item, {})
    assert record["description"] is None and record["media_url"] is None
    assert (record["lat"], record["long"]) == (None, None)
    assert record["address"] == "Kecamatan Genuk, Kota Semarang"


def test_the_service_is_the_public_category_and_none_without_one():
    item = ITEM | {"public_category": "lingkungan_perumahan", "status": "received"}
    record = records.service_request(item, {})
    assert (record["service_code"], record["status"]) == ("lingkungan_perumahan", "open")
    unknown = records.service_request(ITEM | {"public_category": None}, {})
    assert (unknown["service_code"], unknown["service_name"]) == (None, None)


def test_the_service_list_names_the_seven_categories():
    root = parsed(render.document("xml", "services", catalogue.service_list()))
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert codes == [str(c) for c in Category]
    first = root.find("service")
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert (first.findtext("metadata"), first.findtext("type")) == ("true", "realtime")
    assert "(English: " in first.findtext("description")


def test_a_definition_lists_its_attributes_with_their_values():
    definition = catalogue.service_definition("penegakan_perda")
    root = parsed(render.document("xml", "service_definition", definition))
    assert root.findtext("service_code") == "penegakan_perda"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["kecamatan", "confidential"]
    kecamatan = attributes[0]
    assert kecamatan.findtext("datatype") == "singlevaluelist"
    assert kecamatan.findtext("required") == "false"
    keys = [v.findtext("key") for v in kecamatan.findall("values/value")]
    assert len(keys) == 16 and "Tembalang" in keys


def test_errors_are_the_specification_s_in_both_formats():
    root = parsed(render.errors("xml", 403, ["api_key: unknown"]))
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
        ("403", "api_key: unknown")
    ]
    answer = render.errors("json", 400, ["lat: decimal degrees"])
    assert answer.status_code == 400
    assert json.loads(answer.body) == [{"code": 400, "description": "lat: decimal degrees"}]


def test_text_xml_cannot_carry_is_still_sent_as_well_formed_xml():
    record = records.service_request(ITEM | {"description": "lubang\x01 <besar> & \x0b"}, {})
    root = parsed(render.document("xml", "service_requests", [record]))
    assert root.findtext("request/description") == "lubang\ufffd <besar> & \ufffd"


def test_a_request_the_read_model_has_not_folded_yet_reads_as_received():
    receipt = {"ticket": "SMG-2026-000124", "status": "received"}
    record = records.service_request(receipt | {"received_at": "2026-03-02T02:15:00+00:00"}, {})
    assert (record["status"], record["status_notes"]) == ("open", "Diterima")
    assert record["requested_datetime"] == record["updated_datetime"] == "2026-03-02T09:15:00+07:00"
    assert record["service_code"] is None and record["address"] is None
