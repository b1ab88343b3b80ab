"""The gateway's edges: what reaches it from clients is read so that only a 4xx can come
of it (each case was an answer of 500 once), and what it answers is always sendable."""

import json
import math

import bson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway import signature
from gateway.body import MAX_DEPTH, parse_json
from gateway.errors import ApiError, error_response
from gateway.metrics import method_label
from gateway.params import whole_number
from gateway.uploads import content_disposition


def refused(raw, where: str = "") -> ApiError:
    with pytest.raises(ApiError) as caught:
        parse_json(raw, where)
    assert 400 <= caught.value.status < 500
    json.loads(error_response(caught.value).body)  # the answer always renders
    return caught.value


def test_nesting_deeper_than_the_limit_is_refused_at_any_depth():
    for depth in (MAX_DEPTH + 2, 1000, 100_000):
        for opener, closer in (("[", "]"), ('{"a":', "}")):
            error = refused(opener * depth + "1" + closer * depth)
            assert error.code == "invalid_json" and "nested" in error.message
    assert parse_json("[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH)


def test_numbers_that_mongodb_cannot_hold_are_refused():
    assert refused("1" * 5000).code == "invalid_json"  # past Python's digit limit
    assert refused('{"lat": ' + "9" * 19 + "}").field == "lat"  # past 64 bits
    for literal in ("NaN", "Infinity", "-Infinity", "1e999", "-1e999"):
        assert refused(f'{{"x": {literal}}}').code == "invalid_json"
    assert parse_json('{"n": 9223372036854775807, "f": 1.5e300}') == {
        "n": 2**63 - 1,
        "f": 1.5e300,
    }


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"title": "jalan \\ud800 rusak"}', "title"),
        ('{"reporter": {"name": "\\udfff"}}', "reporter.name"),
        ('{"\\ud83d": 1}', "\\ud83d"),
        ('{"media": ["ok", "\\u0000"]}', "media[1]"),
        ('{"a\\u0000b": 1}', "a\x00b"),
    ],
)
def test_text_that_utf8_or_bson_cannot_carry_is_refused_naming_the_field(raw, field):
    error = refused(raw)
    assert (error.status, error.code, error.field) == (422, "invalid_field", field)
    assert json.loads(error_response(error).body)["field"] == field


def test_repeated_keys_invalid_utf8_and_multipart_fields_are_named():
    assert "twice" in refused('{"a": 1, "a": 2}').message
    assert refused(b'{"a": "\xff"}').code == "invalid_json"
    assert refused('{"title": "\\ud800"}', "complaint").field == "complaint.title"


def test_text_is_normalised_to_nfc():
    decomposed = "Kelurahan Pe\u0301durungan"  # e + combining acute
    assert parse_json(json.dumps({"k": decomposed})) == {"k": "Kelurahan P\u00e9durungan"}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(codec=None, categories=None)),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(codec=None, categories=None)), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_document_is_accepted_sendable_or_refused_with_a_4xx(value):
    raw = json.dumps(value)  # escapes surrogates, writes NaN and Infinity as Python does
    try:
        parsed = parse_json(raw.encode())
    except ApiError as error:
        assert 400 <= error.status < 500
        json.loads(error_response(error).body)
        return
    json.dumps(parsed, ensure_ascii=False, allow_nan=False).encode("utf-8")
    bson.encode({"v": parsed})


@given(st.binary(max_size=200))
def test_any_bytes_are_json_or_a_4xx(raw):
    try:
        parse_json(raw)
    except ApiError as error:
        assert 400 <= error.status < 500


@pytest.mark.parametrize(
    ("timestamp", "signed"),
    [
        ("\u00b2\u00b3", "sha256=" + "0" * 64),  # superscript digits pass str.isdigit()
        ("9" * 5000, "sha256=" + "0" * 64),
        ("-5", "sha256=" + "0" * 64),
        (None, "sha256=abc"),
        ("now", "sha256=abc"),
        ("TIMESTAMP", None),
    ],
)
def test_malformed_signature_headers_are_401(timestamp, signed):
    with pytest.raises(ApiError) as caught:
        signature.verify("secret", timestamp, signed, b"{}", 1_800_000_000)
    assert caught.value.status == 401


def test_a_signature_with_non_ascii_characters_is_401_not_a_type_error():
    stamp = "1800000000"
    for signed in ("sha256=" + "\u00e9" * 64, "\u00e9", "sha256=" + "g" * 64):
        with pytest.raises(ApiError) as caught:
            signature.verify("secret", stamp, signed, b"{}", 1_800_000_000)
        assert caught.value.status == 401
    good = signature.sign("secret", stamp, b"{}")
    signature.verify("secret", stamp, good.upper().replace("SHA256=", "sha256="), b"{}", 18e8)


@pytest.mark.parametrize("text", ["\u00b2", "\u0663", "9" * 5000, "-1", "1.5", "", " 5", "0x10"])
def test_url_numbers_other_than_ascii_digits_in_range_are_422(text):
    with pytest.raises(ApiError) as caught:
        whole_number(text, "limit", 1, 200)
    assert (caught.value.status, caught.value.field) == (422, "limit")
    assert whole_number("200", "limit", 1, 200) == 200


def test_any_file_name_makes_a_latin1_download_header():
    for name in ("laporan.pdf", "jalan rusak — Tembalang.jpg", "surat 📄.pdf", 'a"b\\c.png'):
        header = content_disposition(name)
        header.encode("latin-1")
        assert header.startswith("attachment; filename=")


def test_invented_http_methods_share_one_metric_label():
    assert {method_label(m) for m in ("GET", "POST", "PUT")} == {"GET", "POST", "PUT"}
    assert {method_label(f"X-{i}") for i in range(200)} == {"other"}


def test_an_error_echoing_a_surrogate_still_renders():
    error = ApiError("invalid_field", "field \ud800: bad", "\ud800")
    body = json.loads(error_response(error).body)
    assert body["error"] == "invalid_field" and math.isfinite(len(body["message"]))
