import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.channels.sms import core
from services.contracts.errors import CommandRejected

URL = "http://127.0.0.1:8080/api/v1/complaints/SMG-2026-000123"


def test_numbers_are_normalised_to_one_form():
    for given_number in ("0812-3456-7890", "6281234567890", "+62 812 3456 7890"):
        message = core.parse_message({"message_id": "m", "sender": given_number, "text": "x"})
        assert message.sender == "+6281234567890"


def test_a_part_names_its_message_and_a_single_sms_its_id():
    data = {"message_id": "m1", "sender": "081234567890", "text": "abc"}
    assert core.parse_message(data).idempotency_key() == "sms:m1"
    part = core.parse_message(data | {"part": {"ref": "9", "index": 2, "total": 3}})
    assert part.idempotency_key() == "sms:+6281234567890:part:9"
    assert part.text == "abc"


@pytest.mark.parametrize(
    ("part", "field"),
    [
        ({"ref": "9", "index": 4, "total": 3}, "part.index"),
        ({"ref": "9", "index": 1, "total": 11}, "part.total"),
        ({"ref": "9", "index": "1", "total": 2}, "part.index"),
    ],
)
def test_impossible_parts_are_refused(part, field):
    data = {"message_id": "m1", "sender": "081234567890", "text": "abc", "part": part}
    with pytest.raises(CommandRejected) as caught:
        core.parse_message(data)
    assert caught.value.field == field


def test_parts_join_in_order_once_all_are_in():
    assert core.joined({"1": "ab", "3": "ef"}, 3) is None
    assert core.joined({"2": "cd ", "1": "ab ", "3": "ef"}, 3) == "ab cd ef"
    assert core.joined_with_gaps({"1": "ab", "3": "ef"}, 3) == "ab [...] ef"


@pytest.mark.parametrize(
    ("about", "details", "expected"),
    [
        ("received", {}, "Pengaduan Anda diterima, nomor SMG-2026-000123. Pantau: " + URL),
        ("forwarded", {"agency_name": "Dinas Pekerjaan Umum"}, "diteruskan ke Dinas Pekerjaan"),
        ("info_requested", {"question": "Di RT berapa?"}, "mohon keterangan tambahan: Di RT"),
        ("rejected", {"reason": "Bukan wewenang Pemkot"}, "Alasan: Bukan wewenang Pemkot"),
        ("resolved", {"follow_up": "Sudah ditambal"}, "selesai ditindaklanjuti: Sudah"),
    ],
)
def test_each_notice_is_one_sms_in_bahasa_indonesia(about, details, expected):
    text = core.reply_text(about, "SMG-2026-000123", details, URL)
    assert expected in text and len(text) <= core.SMS_LIMIT


@given(st.text(max_size=2000))
def test_a_reply_always_fits_one_plain_sms(detail):
    for about, key in (("rejected", "reason"), ("resolved", "follow_up")):
        text = core.reply_text(about, "SMG-2026-000123", {key: detail}, URL)
        assert len(text) <= core.SMS_LIMIT and text.isascii()
        assert text.startswith("Pengaduan SMG-2026-000123")


def test_typographic_characters_become_plain_ones():
    assert core.to_gsm("“Jalan” – rusak…") == '"Jalan" - rusak...'
