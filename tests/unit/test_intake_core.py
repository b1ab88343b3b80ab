from datetime import UTC, datetime

import pytest

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.intake import core
from tests.support.api import complaint

NOW = datetime(2026, 3, 5, 2, 30, 15, 123456, tzinfo=UTC)


def rejected_field(body: object) -> str:
    with pytest.raises(CommandRejected) as caught:
        core.parse_submission("sapambakita", body)
    assert caught.value.code == "invalid_field"
    assert caught.value.message.startswith(caught.value.field or "body")
    return caught.value.field


def test_a_valid_complaint_is_normalised():
    submission = core.parse_submission("sapambakita", complaint(category="infrastruktur_fasum"))
    assert submission.reporter.phone == "081234567890"
    assert submission.location["kecamatan"] == "Tembalang"
    assert submission.category_hint == "infrastruktur_fasum"


def test_kecamatan_is_matched_without_regard_to_case():
    body = complaint(location={"kecamatan": "semarang utara"})
    assert core.parse_submission("sms", body).location == {"kecamatan": "Semarang Utara"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ("text", "body"),
        (complaint(title={"$gt": ""}), "title"),
        (complaint(title=123), "title"),
        (complaint(title="abc"), "title"),
        (complaint(description="x" * 5001), "description"),
        (complaint(reporter=None), "reporter"),
        (complaint(reporter={"name": "Budi"}), "reporter.phone"),
        (complaint(reporter={"name": {"$ne": 1}, "phone": "08123456789"}), "reporter.name"),
        (complaint(reporter={"name": "Budi", "phone": "12ab"}), "reporter.phone"),
        (complaint(reporter={"name": "Budi", "email": "not-an-email"}), "reporter.email"),
        (
            complaint(reporter={"name": "Budi", "phone": "08123456789", "anonymous": "yes"}),
            "reporter.anonymous",
        ),
        (complaint(location={"kecamatan": "Jakarta Selatan"}), "location.kecamatan"),
        (complaint(location={"kecamatan": "Tugu", "lat": "-7"}), "location.lat"),
        (complaint(location={"kecamatan": "Tugu", "lat": 200}), "location.lat"),
        (complaint(location={"kecamatan": "Tugu", "$where": "1"}), "location.$where"),
        (complaint(category="jalan"), "category"),
        ({**complaint(), "extra": 1}, "extra"),
    ],
)
def test_bad_input_names_the_field(body, field):
    assert rejected_field(body) == field


def test_an_unknown_channel_is_refused():
    with pytest.raises(CommandRejected):
        core.parse_submission("fax", complaint())


def test_the_ticket_number_is_readable_and_yearly():
    assert core.ticket_number(2026, 123) == "SMG-2026-000123"
    # 31 December 20:00 UTC is already 1 January in Semarang
    assert core.ticket_year(datetime(2026, 12, 31, 20, 0, tzinfo=UTC)) == 2027


def test_the_received_event_never_carries_the_reporter():
    submission = core.parse_submission("sapambakita", complaint())
    state, events = core.receive(submission, "SMG-2026-000001", NOW, "secret-token", "n1")
    [(event_type, data), (notified_type, notified)] = events
    assert event_type == EventType.COMPLAINT_RECEIVED
    assert notified_type == EventType.REPORTER_NOTIFIED
    flat = repr(data) + repr(notified)
    for secret in ("Siti Rahayu", "081234567890", "siti@contoh.id", "secret-token"):
        assert secret not in flat
    assert state["reporter"]["name"] == "Siti Rahayu"
    assert state["tracking_token"] == "secret-token"
    [receipt] = state["notifications"]
    assert receipt["about"] == "received" and "SMG-2026-000001" in receipt["message"]
    assert receipt["id"] == notified["notice_id"] == "n1"
    assert state["received_at"].microsecond == 123000


def test_the_same_content_has_the_same_fingerprint():
    body = complaint()
    first = core.parse_submission("sapambakita", body)
    second = core.parse_submission("sapambakita", dict(body))
    other = core.parse_submission("sapambakita", body | {"title": "Lampu jalan mati total"})
    assert first.fingerprint() == second.fingerprint() != other.fingerprint()


def sms_complaint(**reporter) -> dict:
    recorded = {
        "ticket": "SMG-2026-000001",
        "channel": "sms",
        "reporter": {"phone": "081234567890", "anonymous": False} | reporter,
        "notifications": [],
    }
    return recorded


def test_the_reporter_is_told_the_result_in_bahasa_indonesia():
    recorded = sms_complaint()
    about, details = core.notice_for_event(
        EventType.COMPLAINT_RESOLVED, {"follow_up": "Lubang sudah ditambal"}, {}
    )
    state, [(event_type, data)] = core.notify(recorded, about, details, NOW, "n2")
    assert event_type == EventType.REPORTER_NOTIFIED
    assert data["message"].startswith("Pengaduan Anda nomor SMG-2026-000001 telah ditindaklanjuti")
    assert data["channel"] == "sms" and data["deliver"] is True
    [notice] = state["notifications"]
    assert notice["about"] == "resolved" and notice["to"] == "081234567890"
    assert notice["delivery"] == {"status": "pending"}

    about, details = core.notice_for_event(
        EventType.COMPLAINT_REJECTED, {"reason": "Tidak sesuai fakta"}, {}
    )
    _, [(_, rejected)] = core.notify(recorded, about, details, NOW, "n3")
    assert "tidak dapat kami proses" in rejected["message"] and rejected["about"] == "rejected"


def test_forwarding_and_questions_are_notices_too():
    names = {"dpu": "Dinas Pekerjaan Umum"}
    about, details = core.notice_for_event(EventType.COMPLAINT_FORWARDED, {"agency": "dpu"}, names)
    assert "diteruskan kepada Dinas Pekerjaan Umum" in core.notice_text("T", about, details)
    about, details = core.notice_for_event(
        EventType.SLA_PAUSED, {"question": "Di RT berapa lokasinya?"}, names
    )
    assert about == "info_requested"
    assert "Di RT berapa lokasinya? Mohon" in core.notice_text("T", about, details)


def test_staff_s_words_end_one_sentence_of_the_notice_whatever_they_end_with():
    """A question, a reason or a follow-up written with or without its full stop reads as
    one sentence: never "terdekat.." nor "lokasinya?."."""
    for words, shown in (
        ("Mohon foto lokasi terdekat.", "Mohon foto lokasi terdekat. Mohon"),
        ("Mohon foto lokasi terdekat  ", "Mohon foto lokasi terdekat. Mohon"),
        ("Di RT berapa?", "Di RT berapa? Mohon"),
    ):
        assert shown in core.notice_text("T", core.Notice.INFO_REQUESTED, {"question": words})
    rejected = core.notice_text("T", core.Notice.REJECTED, {"reason": "Bukan wewenang kota."})
    assert "Alasan: Bukan wewenang kota. Anda" in rejected
    resolved = core.notice_text("T", core.Notice.RESOLVED, {"follow_up": "Lampu diganti"})
    assert "Tindak lanjut: Lampu diganti. Terima kasih" in resolved
    assert ".." not in resolved + rejected


def test_an_anonymous_app_reporter_reads_notices_only_through_the_link():
    recorded = sms_complaint(anonymous=True) | {"channel": "sapambakita"}
    state, [(_, data)] = core.notify(recorded, core.Notice.RECEIVED, {}, NOW, "n4")
    assert data["deliver"] is False
    assert state["notifications"][0]["to"] == "tracking link"
    # An SMS sender is known to the channel: the answer goes back to that number.
    _, [(_, data)] = core.notify(sms_complaint(anonymous=True), core.Notice.RECEIVED, {}, NOW, "n")
    assert data["deliver"] is True


def test_a_delivery_report_updates_its_notice_once():
    recorded = sms_complaint()
    state, _ = core.notify(recorded, core.Notice.RECEIVED, {}, NOW, "n5")
    report = {"notice_id": "n5", "status": "delivered", "attempts": 2, "at": "2026-03-05"}
    updated, events = core.record_delivery(recorded | state, report)
    assert updated["notifications"][0]["delivery"]["status"] == "delivered" and events == []
    assert core.record_delivery(recorded | state, report | {"notice_id": "other"}) is None


@pytest.mark.parametrize(
    ("channel", "reporter", "location", "field"),
    [
        ("surat", {"name": "Budi", "phone": "08123456789"}, True, "reporter.address"),
        ("sms", {"email": "a@b.id"}, False, "reporter.phone"),
        ("media_sosial", {"name": "Budi"}, False, "reporter.handle"),
        ("tatap_muka", {"phone": "08123456789"}, True, "reporter.name"),
        ("sapambakita", {"name": "Budi", "phone": "08123456789"}, False, "location"),
    ],
)
def test_each_channel_asks_for_what_its_answer_needs(channel, reporter, location, field):
    body = complaint(reporter=reporter)
    if not location:
        body.pop("location")
    with pytest.raises(CommandRejected) as caught:
        core.parse_submission(channel, body)
    assert caught.value.field == field


def test_text_channels_need_no_kecamatan_and_lapor_no_contact():
    body = complaint(reporter={"phone": "+6281234567890"})
    body.pop("location")
    assert core.parse_submission("sms", body).location == {}
    lapor = core.parse_submission("lapor", complaint(reporter={"anonymous": True}))
    assert lapor.reporter.anonymous and lapor.reporter.phone is None
    anonymous_app = complaint(reporter={"anonymous": True})
    assert core.parse_submission("sapambakita", anonymous_app).reporter.name is None


def test_a_tracking_token_matches_only_itself():
    assert core.token_matches("abc", "abc")
    for stored, given in (("abc", "abd"), ("abc", ""), (None, "abc"), ("abc", {"$ne": 1})):
        assert not core.token_matches(stored, given)


def test_a_resubmission_is_known_only_by_a_verified_sender_and_the_text():
    text = "Lampu jalan di Jalan Ngesrep Tembalang mati sejak dua minggu, mohon diperbaiki."
    sms = core.content_key(
        core.parse_submission("sms", {"text": text, "reporter": {"phone": "081234567890"}})
    )
    respaced = {"text": "  " + text.upper(), "reporter": {"phone": "+62 812-3456-7890"}}
    assert core.content_key(core.parse_submission("sms", respaced)) == sms
    other_sender = {"text": text, "reporter": {"phone": "085700001111"}}
    assert core.content_key(core.parse_submission("sms", other_sender)) != sms
    social = {"text": text, "reporter": {"handle": "x:@warga"}}
    assert core.content_key(core.parse_submission("media_sosial", social)) not in (None, sms)
    # A number typed into the app or at a desk proves nothing: no resubmission there.
    body = complaint()
    for channel in ("sapambakita", "tatap_muka"):
        assert core.content_key(core.parse_submission(channel, body)) is None


def test_only_the_reporter_may_add_to_a_complaint_and_each_reply_counts_once():
    recorded = {
        "ticket": "SMG-2026-000001",
        "tracking_token": "secret",
        "reporter": {"phone": "+6281234567890", "handle": "x:@warga"},
    }
    assert core.from_the_reporter(recorded, {"phone": "081234567890"})
    assert core.from_the_reporter(recorded, {"handle": "X:@Warga"})
    assert core.from_the_reporter(recorded, {"token": "secret"})
    for proof in ({"phone": "085700000000"}, {"token": "guess"}, {"handle": "x:@other"}, {}):
        assert not core.from_the_reporter(recorded, proof)
    state, [(event_type, data)] = core.add_reply(recorded, "di RT 04", "sms", "m1", NOW)
    assert event_type == EventType.REPORTER_REPLIED and data == {
        "channel": "sms",
        "text": "di RT 04",
    }
    assert core.add_reply(recorded | state, "di RT 04", "sms", "m1", NOW) is None


def test_an_adapter_learns_only_the_sender_of_complaints_from_its_own_channel():
    sms = {"channel": "sms", "reporter": {"phone": "+6281234567890", "handle": None}}
    social = {"channel": "media_sosial", "reporter": {"phone": None, "handle": "@warga"}}
    assert core.sender_on(sms, "sms") == "+6281234567890"
    assert core.sender_on(social, "media_sosial") == "@warga"
    assert core.sender_on(social, "sms") is None
    assert core.sender_on({"channel": "sapambakita", "reporter": {}}, "sapambakita") is None
