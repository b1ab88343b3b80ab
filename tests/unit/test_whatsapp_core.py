"""The WhatsApp channel's pure parts: the adapter's core (messages, the 24-hour session,
templates, status callbacks, photos) and the gateway's reading of Meta's payloads."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.errors import ApiError
from gateway.routes import whatsapp as webhook
from services.channels.whatsapp import core
from services.contracts.errors import CommandRejected
from services.intake import core as intake
from tests.support.meta import JPEG, PNG, message, payload, status

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
SENT = NOW.isoformat()


def event_data(**changes) -> dict:
    data = {
        "message_id": "wamid.1",
        "sender": "+6281234567890",
        "kind": "text",
        "text": "Jalan berlubang di Tembalang",
        "sent_at": SENT,
        "received_at": SENT,
    }
    return data | changes


def test_a_message_is_read_with_its_number_in_one_form_and_keyed_by_its_id():
    parsed = core.parse_message(event_data(sender="6281234567890"))
    assert parsed.sender == "+6281234567890"
    assert parsed.idempotency_key() == "whatsapp:wamid.1"
    assert parsed.sent_at == NOW


def test_a_location_gives_lat_lon_and_its_words_as_the_address():
    where = {"lat": -7.05, "lon": 110.44, "name": "Pasar Jatingaleh", "address": "Jl. Teuku Umar"}
    parsed = core.parse_message(event_data(kind="location", text="", location=where))
    assert parsed.location == {
        "lat": -7.05,
        "lon": 110.44,
        "address": "Pasar Jatingaleh, Jl. Teuku Umar",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "audio"}, "kind"),
        ({"kind": "image"}, "media"),
        ({"kind": "location", "location": {"lat": -7.0}}, "location"),
        ({"kind": "location", "location": {"lat": 91, "lon": 0}}, "location.lat"),
        ({"sender": "halo"}, "sender"),
        ({"sent_at": "kemarin"}, "sent_at"),
        ({"sent_at": "2026-03-05T02:00:00"}, "sent_at"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_message_not_of_the_contract_is_refused_naming_the_field(changes, field):
    with pytest.raises(CommandRejected) as refused:
        core.parse_message(event_data(**changes))
    assert refused.value.field == field


def test_within_24_hours_of_the_last_message_a_notice_is_a_session_text():
    body = core.outgoing("+6281234567890", "Halo", NOW - timedelta(hours=23, minutes=59), NOW, "t")
    assert body == {
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": "Halo"},
    }


@pytest.mark.parametrize("last", [NOW - timedelta(hours=24), NOW - timedelta(days=3), None])
def test_outside_the_session_a_notice_goes_in_the_indonesian_template(last):
    text = "Pengaduan SMG-2026-000001 diterima.\n\nPantau:   https://x"
    body = core.outgoing("+6281234567890", text, last, NOW, "aduan_pemberitahuan")
    assert body["type"] == "template" and body["to"] == "6281234567890"
    template = body["template"]
    assert template["name"] == "aduan_pemberitahuan"
    assert template["language"] == {"code": "id"}
    [component] = template["components"]
    # Meta refuses a parameter with new lines or runs of spaces.
    assert component["parameters"] == [
        {"type": "text", "text": "Pengaduan SMG-2026-000001 diterima. Pantau: https://x"}
    ]


def test_a_long_notice_is_cut_to_what_a_template_parameter_takes():
    cut = core.template_text("kata " * 400)
    assert len(cut) == core.PARAMETER_LIMIT and cut.endswith("...")


def test_the_session_window_starts_at_whatsapps_time_but_never_later_than_receipt():
    ahead = core.parse_message(event_data(sent_at=(NOW + timedelta(hours=5)).isoformat()))
    assert core.last_inbound(ahead, NOW) == NOW
    behind = core.parse_message(event_data(sent_at=(NOW - timedelta(hours=30)).isoformat()))
    assert core.last_inbound(behind, NOW) == NOW - timedelta(hours=30)


def test_statuses_only_move_forward_and_sent_is_not_reported_again():
    assert core.status_moves(None, "sent")
    assert core.status_moves("sent", "delivered") and core.status_moves("delivered", "read")
    assert not core.status_moves("read", "delivered")
    assert not core.status_moves("delivered", "delivered")
    assert core.status_moves("read", "failed")
    assert "sent" not in core.REPORTED
    parsed = core.parse_status({"message_id": "wamid.9", "status": "read", "at": SENT})
    assert parsed == core.Status("wamid.9", "read", NOW, None)
    with pytest.raises(CommandRejected):
        core.parse_status({"message_id": "wamid.9", "status": "seen", "at": SENT})


def test_photos_are_known_by_their_bytes_and_the_rest_left_out():
    jpeg = core.photo_file(JPEG, "wamid.HBgM=", 0)
    assert jpeg["content_type"] == "image/jpeg" and jpeg["filename"] == "whatsapp-wamidHBgM-0.jpg"
    assert base64.b64decode(jpeg["content_b64"]) == JPEG
    assert core.photo_file(PNG, "m", 1)["content_type"] == "image/png"
    assert core.photo_file(b"%PDF-1.4 not a photo", "m", 0) is None
    assert core.photo_file(JPEG[:3] + bytes(core.MAX_PHOTO_BYTES), "m", 0) is None


def test_the_complaint_carries_the_location_and_notices_add_links_and_the_rating_hint():
    assert core.complaint_body("teks", "+62812", {"lat": 1.0, "lon": 2.0}) == {
        "reporter": {"phone": "+62812"},
        "text": "teks",
        "location": {"lat": 1.0, "lon": 2.0},
    }
    assert "location" not in core.complaint_body("teks", "+62812", None)
    url = "http://x/api/v1/complaints/SMG-2026-000001"
    assert core.reply_text("received", "SMG-2026-000001", "Diterima.", url).endswith(url)
    result = core.reply_text("resolved", "SMG-2026-000001", "Selesai.", url)
    assert "NILAI 5" in result
    assert core.reply_text("forwarded", "SMG-2026-000001", "Diteruskan.", url) == "Diteruskan."
    assert "10 menit" in core.kept_answer("image", timedelta(minutes=10))


def raw_message(kind: str, part: dict, **extra) -> dict:
    return message("6281234567890", kind, part, "wamid.A", 1772425800) | extra


def test_the_webhook_reads_text_image_location_and_other_kinds():
    body = payload(
        [
            raw_message("text", {"body": "Lampu mati"}),
            raw_message("image", {"id": "1234", "mime_type": "image/jpeg", "caption": "Foto"}),
            raw_message("location", {"latitude": -7.0, "longitude": 110.4, "name": "Pasar"}),
            raw_message("sticker", {"id": "99"}),
        ]
    )
    messages, statuses = webhook.read_payload(body)
    assert statuses == []
    assert [m["kind"] for m in messages] == ["text", "image", "location", "unsupported"]
    assert messages[0]["sender"] == "+6281234567890"
    assert messages[0]["sent_at"] == "2026-03-02T04:30:00+00:00"
    assert messages[1]["media"] == {"id": "1234", "mime_type": "image/jpeg"}
    assert messages[1]["text"] == "Foto"
    assert messages[2]["location"] == {"lat": -7.0, "lon": 110.4, "name": "Pasar"}
    assert messages[3]["text"] == ""


def test_the_webhook_reads_statuses_without_the_recipient_and_skips_unknown_ones():
    failed = status("wamid.X", "failed", "6281", [{"code": 131047, "title": "Re-engagement"}])
    later = status("wamid.Z", "deleted", "6281")  # a status WhatsApp may add one day
    body = payload(statuses=[status("wamid.Y", "read", "6281"), failed, later])
    _, statuses = webhook.read_payload(body)
    assert [s["status"] for s in statuses] == ["read", "failed"]
    assert statuses[1]["error"] == "131047 Re-engagement"
    assert all("recipient_id" not in s and "6281" not in str(s) for s in statuses)


def change_value(body: dict) -> dict:
    return body["entry"][0]["changes"][0]["value"]


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda b: b.update(object="page"), "object"),
        (lambda b: b.update(entry={"id": 1}), "entry"),
        (lambda b: b["entry"][0].update(changes="x"), "entry[0].changes"),
        (lambda b: b["entry"][0]["changes"][0].update(value=[]), "entry[0].changes[0].value"),
        (lambda b: change_value(b).update(messages={}), "entry[0].changes[0].value.messages"),
        (lambda b: change_value(b)["messages"][0].pop("from"), "messages[0].from"),
        (lambda b: change_value(b)["messages"][0].update(timestamp="99999999999"), "timestamp"),
        (lambda b: change_value(b)["messages"][0].update(text="hi"), "messages[0].text"),
        (lambda b: change_value(b)["messages"][0].update(text={"body": 5}), "text.body"),
        (lambda b: change_value(b)["messages"][0].update(id=["x"]), "messages[0].id"),
    ],
)
def test_a_payload_not_of_the_cloud_apis_shape_is_a_4xx_naming_the_field(spoil, field):
    body = payload([raw_message("text", {"body": "Lampu mati"})])
    spoil(body)
    with pytest.raises(ApiError) as refused:
        webhook.read_payload(body)
    assert 400 <= refused.value.status < 500
    assert refused.value.field.endswith(field)


def test_a_sender_the_adapter_could_not_answer_is_refused_at_the_webhook():
    for sender in ("1234567", "62 812", "+6281234567890", "6281234567890123"):
        body = payload([raw_message("text", {"body": "x"}) | {"from": sender}])
        with pytest.raises(ApiError):
            webhook.read_payload(body)
    [read], _ = webhook.read_payload(payload([raw_message("text", {"body": "x"})]))
    assert core.parse_message(read).sender == "+6281234567890"


def test_a_bad_location_or_media_id_is_refused():
    for kind, part in (
        ("location", {"latitude": "-7", "longitude": 110.4}),
        ("location", {"latitude": -7.0, "longitude": 181}),
        ("image", {"id": "../../etc/passwd"}),
        ("image", "1234"),
    ):
        with pytest.raises(ApiError):
            webhook.read_payload(payload([raw_message(kind, part)]))


def test_the_signature_is_the_hmac_of_the_raw_body_with_the_app_secret():
    raw = b'{"object": "whatsapp_business_account"}'
    good = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
    webhook.check_signature("s3cret", good, raw)
    webhook.check_signature("s3cret", good.upper().replace("SHA256=", "sha256="), raw)
    for header in (None, "", good[:-1], "sha1=" + good[7:], good.replace("sha256=", "")):
        with pytest.raises(ApiError) as refused:
            webhook.check_signature("s3cret", header, raw)
        assert refused.value.status == 401
    with pytest.raises(ApiError):
        webhook.check_signature("other", good, raw)
    with pytest.raises(ApiError):
        webhook.check_signature("s3cret", good, raw + b" ")


def test_intake_takes_a_whatsapp_message_with_its_shared_location():
    text = "Sampah menumpuk di depan pasar, Kecamatan Gayamsari, sudah seminggu."
    body = core.complaint_body(text, "+6281234567890", {"lat": -6.99, "lon": 110.45})
    submission = intake.parse_submission("whatsapp", body)
    assert submission.location == {"kecamatan": "Gayamsari", "lat": -6.99, "lon": 110.45}
    assert submission.reporter.phone == "+6281234567890"
    assert intake.sender_on({"channel": "whatsapp", "reporter": {"phone": "+62812"}}, "whatsapp")
    assert intake.staff_recipient("whatsapp", {"phone": "+6281234567890"}) == "+62 ••• ••• 7890"
    with pytest.raises(CommandRejected):
        intake.parse_submission("whatsapp", body | {"location": "Gayamsari"})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def leaves(value, path=()):
    """Every place in a document, as the path of keys and indexes to it."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves(child, (*path, index))


def valid_payload() -> dict:
    return payload(
        [
            raw_message("text", {"body": "Lampu mati"}),
            raw_message("image", {"id": "1234", "mime_type": "image/jpeg", "caption": "Foto"}),
            raw_message("location", {"latitude": -7.0, "longitude": 110.4, "address": "Jl."}),
        ],
        [status("wamid.Y", "failed", "6281", [{"code": 1, "title": "x"}])],
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_change_anywhere_in_a_payload_is_read_or_a_4xx_never_an_error(data):
    body = valid_payload()
    places = [p for p in leaves(body) if p]
    path = data.draw(st.sampled_from(places))
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        parent.pop(path[-1])
    else:
        parent[path[-1]] = data.draw(JSON)
    try:
        messages, statuses = webhook.read_payload(body)
    except ApiError as refused:
        assert 400 <= refused.status < 500
        return
    # What passes is what the adapter's core reads without complaint.
    for found in messages:
        if found["kind"] != "unsupported":
            core.parse_message(found)
    for found in statuses:
        core.parse_status(found)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_document_is_read_or_a_4xx(value):
    try:
        webhook.read_payload(value)
    except ApiError as refused:
        assert 400 <= refused.status < 500
