"""What residents read: Indonesian labels for every timeline event, dates, intake's
refusals said in Indonesian with intake's own numbers, and the form turned into the
app's complaint body."""

import pytest
from starlette.datastructures import FormData, Headers, UploadFile

from gateway.errors import ApiError
from gateway.pages import complaint_form, labels
from gateway.pages.messages import field_error
from services.contracts.events import EventType


def test_every_event_the_timeline_can_hold_has_an_indonesian_label():
    for event in EventType:
        if event in labels.NOT_IN_TIMELINE:
            continue
        assert event in labels.EVENT_LABELS, f"{event} has no label on the tracking page"


def test_an_unknown_event_falls_back_to_its_status_label():
    assert labels.event_label({"event": "complaint.received"}) == "Pengaduan diterima"
    entry = {"event": "complaint.something_new", "label": "Diterima"}
    assert labels.event_label(entry) == "Diterima"
    assert labels.event_label({"event": None, "label": None}) == "Perubahan status"


def test_every_notice_deadline_state_and_scope_has_a_label():
    for about in ("received", "forwarded", "info_requested", "rejected", "resolved"):
        assert labels.NOTICE_LABELS[about]
    for state in ("on_track", "due_soon", "paused", "breached", "stopped", "overdue"):
        assert labels.DEADLINE_STATE_LABELS[state]
    for scope in ("single_agency", "cross_agency", "cross_institution"):
        assert labels.SCOPE_LABELS[scope]


def test_dates_are_written_in_indonesian_in_jakarta_time():
    assert labels.date_text("2026-12-05T20:30:00+00:00") == "6 Desember 2026"
    assert labels.time_text("2026-03-01T07:05:00+07:00") == "1 Maret 2026, 07.05 WIB"
    assert labels.date_text(None) == "-" and labels.time_text("not a date") == "-"


@pytest.mark.parametrize(
    ("field", "message", "where", "expected"),
    [
        ("title", "title: must be at least 5 characters", "title", "Judul: minimal 5 karakter."),
        ("description", "description: is required", "description", "Uraian: wajib diisi."),
        (
            "reporter.phone",
            "reporter.phone: give a phone number or an email, so the result can reach you",
            "phone",
            "Nomor telepon: isi nomor telepon atau e-mail",
        ),
        (
            "location.kecamatan",
            "location.kecamatan: must be a kecamatan of Kota Semarang: Banyumanik, ...",
            "kecamatan",
            "Kecamatan: pilih kecamatan di Kota Semarang.",
        ),
        ("location.lat", "location.lat: must be between -90 and 90", "position", "antara -90"),
    ],
)
def test_intake_refusals_are_said_in_indonesian_next_to_their_input(
    field, message, where, expected
):
    found_where, said = field_error(ApiError("invalid_field", message, field))
    assert found_where == where
    assert said.startswith(expected) or expected in said


def test_a_refusal_without_known_words_is_still_indonesian_never_english():
    where, said = field_error(ApiError("invalid_field", "title: something new", "title"))
    assert where == "title" and "something" not in said and "Periksa kembali" in said


def test_file_refusals_name_the_photo_input_and_the_limits():
    where, said = field_error(ApiError("body_too_large", "x.jpg: too big"), 5, 10)
    assert where == "attachments" and "5 MB" in said and "10 MB" in said
    where, _ = field_error(ApiError("unsupported_media_type", "x.gif: not a photo"))
    assert where == "attachments"


def form(**fields) -> FormData:
    return FormData(list(fields.items()))


def test_the_form_becomes_the_apps_complaint_body():
    body = complaint_form.complaint_body(
        form(
            name=" Siti ",
            phone="0812",
            email="",
            title="Jalan rusak",
            description="Berlubang besar",
            kecamatan="Tembalang",
            kelurahan="",
            address="Jl. Ngesrep",
            lat="-7.05",
            lon="110.43",
            confidential="ya",
        )
    )
    assert body == {
        "reporter": {"anonymous": False, "confidential": True, "name": "Siti", "phone": "0812"},
        "location": {
            "kecamatan": "Tembalang",
            "address": "Jl. Ngesrep",
            "lat": -7.05,
            "lon": 110.43,
        },
        "title": "Jalan rusak",
        "description": "Berlubang besar",
    }


def test_an_anonymous_form_sends_no_name_and_bad_numbers_go_to_intake_as_typed():
    body = complaint_form.complaint_body(form(anonymous="ya", name="Siti", lat="utara", lon="nan"))
    assert body["reporter"] == {"anonymous": True, "confidential": False}
    assert body["location"] == {"lat": "utara", "lon": "nan"}


def test_an_empty_file_input_sends_no_attachment():
    empty = UploadFile(file=None, filename="", size=0, headers=Headers({}))
    photo = UploadFile(file=None, filename="a.jpg", size=3, headers=Headers({}))
    chosen = complaint_form.chosen_files(FormData([("attachments", empty), ("attachments", photo)]))
    assert chosen == [photo]
