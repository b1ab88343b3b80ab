"""The pure parts of the social and LAPOR! adapters, and intake's reading of free text."""

import pytest

from services.channels.lapor import core as lapor
from services.channels.social import core as social
from services.contracts.errors import CommandRejected
from services.intake import core as intake

URL = "http://127.0.0.1:8080/api/v1/complaints/SMG-2026-000123"


def post(**overrides) -> dict:
    return {
        "platform": "instagram",
        "post_id": "17890001",
        "kind": "direct_message",
        "author": {"handle": "@warga.smg", "name": "Warga"},
        "text": "Trotoar di depan Pasar Johar rusak",
        "media": ["https://cdn.example/a.jpg"],
        **overrides,
    }


def test_a_post_becomes_a_text_complaint_keyed_by_platform_and_post():
    parsed = social.parse_post(post())
    assert parsed.idempotency_key() == "media_sosial:instagram:17890001"
    body = social.complaint_body(parsed)
    assert body["reporter"] == {"handle": "instagram:@warga.smg", "name": "Warga"}
    assert body["media"] == ["https://cdn.example/a.jpg"]
    assert social.answers_refusal(parsed)
    assert not social.answers_refusal(social.parse_post(post(kind="mention")))


def test_an_unknown_kind_of_post_is_refused():
    with pytest.raises(CommandRejected) as caught:
        social.parse_post(post(kind="story"))
    assert caught.value.field == "kind"


@pytest.mark.parametrize("about", ["received", "forwarded", "info_requested"])
def test_social_replies_fit_the_shortest_platform_limit(about):
    details = {"agency_name": "Dinas " * 100, "question": "Di mana? " * 100}
    text = social.reply_text(about, "SMG-2026-000123", details, URL)
    assert len(text) <= social.REPLY_LIMIT and "SMG-2026-000123" in text


def test_the_result_reply_keeps_the_link_to_the_full_text():
    text = social.reply_text("resolved", "SMG-2026-000123", {"follow_up": "x " * 400}, URL)
    assert len(text) <= social.REPLY_LIMIT and text.endswith(URL)


def test_a_lapor_item_keeps_only_what_intake_reads():
    item = lapor.parse_item(
        {
            "tracking_id": "LPR123",
            "title": "Pungli KTP",
            "content": "Diminta uang untuk KTP-el di kelurahan",
            "reporter": {"name": "Rahasia", "anonymous": True, "nik": "3374000000000001"},
            "location": {"kecamatan": "Tugu", "rt": "03"},
            "category": "Administrasi Kependudukan",
        }
    )
    assert item.tracking_id == "LPR123"
    assert item.body == {
        "reporter": {"name": "Rahasia", "anonymous": True},
        "title": "Pungli KTP",
        "description": "Diminta uang untuk KTP-el di kelurahan",
        "location": {"kecamatan": "Tugu"},
    }
    assert intake.parse_submission("lapor", item.body).reporter.anonymous


def test_a_lapor_item_without_a_tracking_id_cannot_be_taken():
    with pytest.raises(CommandRejected):
        lapor.parse_item({"title": "x"})


def test_each_notice_has_a_lapor_status():
    assert [lapor.update_for(a, "m")[0] for a in ("received", "rejected", "resolved")] == [
        "diproses",
        "ditolak",
        "selesai",
    ]


@pytest.mark.parametrize(
    ("text", "title", "kecamatan"),
    [
        (
            "Lampu PJU mati di Jl. Fatmawati Pedurungan. Sudah 2 minggu",
            "Lampu PJU mati di Jl. Fatmawati Pedurungan.",
            None,
        ),
        ("KTP saya blm jadi sdh 3 bulan, kec semarang utara", None, "Semarang Utara"),
        (
            "Halo. Sampah di Gg. Mawar No. 5 tdk diangkut",
            "Sampah di Gg. Mawar No. 5 tdk diangkut",
            None,
        ),
        ("Banjir di Genuk\nair setinggi lutut sejak semalam", "Banjir di Genuk", "Genuk"),
    ],
)
def test_free_text_gives_a_title_and_the_kecamatan_it_names(text, title, kecamatan):
    body = intake.from_text({"reporter": {"phone": "081234567890"}, "text": text})
    if title:
        assert body["title"] == title
    assert len(body["title"]) <= 83 and body["description"] == text
    if kecamatan:
        assert body["location"] == {"kecamatan": kecamatan}


def test_a_long_first_sentence_is_cut_at_a_word():
    title = intake.title_of("Jalan " * 40)
    assert title.endswith("Jalan...") and len(title) <= 83


def test_a_message_too_short_to_act_on_is_refused_by_its_field():
    with pytest.raises(CommandRejected) as caught:
        intake.parse_submission("sms", {"reporter": {"phone": "081234567890"}, "text": "tes"})
    assert caught.value.field == "text"
