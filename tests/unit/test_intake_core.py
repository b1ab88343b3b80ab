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
    state, events = core.receive(submission, "SMG-2026-000001", NOW, "secret-token")
    [(event_type, data)] = events
    assert event_type == EventType.COMPLAINT_RECEIVED
    flat = repr(data)
    for secret in ("Siti Rahayu", "081234567890", "siti@contoh.id"):
        assert secret not in flat
    assert state["reporter"]["name"] == "Siti Rahayu"
    assert "secret-token" not in flat and state["tracking_token"] == "secret-token"
    [receipt] = state["notifications"]
    assert receipt["about"] == "received" and "SMG-2026-000001" in receipt["message"]
    assert state["received_at"].microsecond == 123000


def test_the_same_content_has_the_same_fingerprint():
    first = core.parse_submission("sapambakita", complaint())
    second = core.parse_submission("sapambakita", complaint())
    other = core.parse_submission("sapambakita", complaint(title="Lampu jalan mati total"))
    assert first.fingerprint() == second.fingerprint() != other.fingerprint()


def test_the_reporter_is_told_the_result_in_bahasa_indonesia():
    recorded = {"ticket": "SMG-2026-000001", "channel": "sms", "notifications": []}
    state, [(event_type, data)] = core.notify(
        recorded, EventType.COMPLAINT_RESOLVED, {"follow_up": "Lubang sudah ditambal"}, NOW
    )
    assert event_type == EventType.REPORTER_NOTIFIED
    assert data["message"].startswith("Pengaduan Anda nomor SMG-2026-000001 telah ditindaklanjuti")
    assert data["channel"] == "sms" and state["notifications"][0]["about"] == "resolved"

    _, [(_, rejected)] = core.notify(
        recorded, EventType.COMPLAINT_REJECTED, {"reason": "Tidak sesuai fakta"}, NOW
    )
    assert "tidak dapat kami proses" in rejected["message"] and rejected["about"] == "rejected"


def test_a_tracking_token_matches_only_itself():
    assert core.token_matches("abc", "abc")
    for stored, given in (("abc", "abd"), ("abc", ""), (None, "abc"), ("abc", {"$ne": 1})):
        assert not core.token_matches(stored, given)
