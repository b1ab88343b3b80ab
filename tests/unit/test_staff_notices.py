"""Staff read a notice's recipient masked: enough to tell notices apart and confirm a
caller's number, never the whole number, account or postal address."""

from datetime import UTC, datetime

import pytest

from services.intake import core

NOW = datetime(2026, 3, 5, 2, 30, tzinfo=UTC)


def recorded(channel: str, **reporter) -> dict:
    return {
        "ticket": "SMG-2026-000001",
        "channel": channel,
        "reporter": {"anonymous": False, "confidential": False} | reporter,
        "notifications": [],
    }


def staff_to(complaint: dict) -> str:
    """What staff read as the recipient of the receipt notice intake records."""
    state, _ = core.notify(complaint, core.Notice.RECEIVED, {}, NOW, "n1")
    [notice] = state["notifications"]
    return core.staff_notice(notice, complaint["reporter"])["to"]


def test_an_sms_number_shows_its_last_four_digits_only():
    to = staff_to(recorded("sms", phone="+6281234567890"))
    assert to == "+62 ••• ••• 7890"
    assert "8123456" not in to


def test_a_social_account_shows_its_platform_and_first_two_characters():
    to = staff_to(recorded("media_sosial", handle="x:@warga_gayamsari"))
    assert to == "x:@wa•••"
    assert "gayamsari" not in to


def test_a_letter_shows_the_name_but_not_the_postal_address():
    complaint = recorded("surat", name="Siti Rahayu", address="Jl. Kauman No. 12, Semarang")
    to = staff_to(complaint)
    assert to.startswith("Siti Rahayu") and "Kauman" not in to


@pytest.mark.parametrize(
    ("channel", "reporter", "expected"),
    [
        ("tatap_muka", {"name": "Siti Rahayu", "phone": "081234567890"}, "Siti Rahayu"),
        ("lapor", {}, "SP4N-LAPOR!"),
        ("sapambakita", {"name": "Siti", "phone": "081234567890"}, "aplikasi SapaMbakIta"),
    ],
)
def test_other_channels_name_no_contact(channel, reporter, expected):
    to = staff_to(recorded(channel, **reporter))
    assert expected in to and "7890" not in to


def test_an_anonymous_reporter_is_read_through_the_tracking_link():
    complaint = recorded("sapambakita", name="Siti", phone="081234567890", anonymous=True)
    assert staff_to(complaint) == "tracking link"


def test_short_numbers_and_handles_keep_at_most_half():
    assert core.masked_phone("1234567") == "•••"
    assert core.masked_handle("x:@abc") == "x:@a•••"
    assert core.masked_handle("@ab") == "@a•••"
