"""staff_notices' core: who among the staff is told of an SLA event, by which medium,
in what words, and under which notice id (the key that keeps a notice from going twice)."""

import pytest

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.staff_notices import core

URL = "https://lapor.semarangkota.go.id"


def member(username: str, role: str, agency: str | None = None, **contact) -> dict:
    return {"_id": username, "role": role, "agency": agency, "active": True, **contact}


STAFF = [
    member("kadis.dpu", "agency_head", "dpu", email="kadis@dpu.semarangkota.go.id"),
    member("kadis.dlh", "agency_head", "dlh", email="kadis@dlh.semarangkota.go.id"),
    member("admin.dpu", "agency_admin", "dpu", email="admin@dpu.go.id", whatsapp="+628111"),
    member("pengawas1", "supervisor", email="pengawas1@semarangkota.go.id"),
    member("pengawas2", "supervisor", whatsapp="+6281234567890"),
    member("petugas1", "officer", email="petugas1@semarangkota.go.id"),
    {**member("pengawas.lama", "supervisor", email="lama@semarangkota.go.id"), "active": False},
]


def sla_event(event_type: EventType, recipients: list[str], **data) -> dict:
    return {
        "event_id": "e1",
        "type": str(event_type),
        "version": 1,
        "occurred_at": "2026-12-04T17:00:00+00:00",
        "ticket": "SMG-2026-000042",
        "data": {
            "kind": "breach",
            "label": "due",
            "at": "2026-12-04T16:59:59+00:00",
            "due_at": "2026-12-04T23:59:59+07:00",
            "agency": "dpu",
            "stage": "agency_response",
            "recipients": recipients,
        }
        | data,
    }


BREACH = sla_event(EventType.SLA_BREACHED, ["agency_admin:dpu", "supervisor", "agency_head:dpu"])


def test_a_breach_tells_the_agency_admin_its_head_and_every_active_supervisor():
    made = core.notices(BREACH, STAFF, URL)
    assert sorted((n.to["username"], n.to["medium"]) for n in made) == [
        ("admin.dpu", "email"),
        ("admin.dpu", "whatsapp"),
        ("kadis.dpu", "email"),
        ("pengawas1", "email"),
        ("pengawas2", "whatsapp"),
    ]  # not the other agency's head, not a disabled supervisor, not the officers


def test_each_notice_is_keyed_by_event_person_and_medium_so_it_is_enqueued_once():
    made = core.notices(BREACH, STAFF, URL)
    ids = [n.notice_id for n in made]
    assert len(set(ids)) == len(ids)
    assert "e1:kadis.dpu:email" in ids
    # The same event (a redelivery, a republished outbox) makes the very same ids.
    assert [n.notice_id for n in core.notices(BREACH, STAFF, URL)] == ids


def test_the_breach_is_said_in_indonesian_with_the_due_date_in_semarang():
    notice = next(n for n in core.notices(BREACH, STAFF, URL) if n.to["medium"] == "email")
    assert notice.to["subject"] == "Melewati batas waktu: pengaduan SMG-2026-000042"
    assert "melewati batas waktu penyelesaian (04-12-2026)" in notice.text
    assert f"{URL}/kerja/SMG-2026-000042" in notice.text
    assert "Ditangani oleh: DPU." in notice.text


def test_a_whatsapp_message_starts_with_the_subject():
    notice = next(n for n in core.notices(BREACH, STAFF, URL) if n.to["medium"] == "whatsapp")
    assert notice.text.startswith("*Melewati batas waktu: pengaduan SMG-2026-000042*\n")


def test_a_warning_before_forwarding_goes_to_the_officers():
    warning = sla_event(EventType.SLA_WARNING, ["officer"], kind="warning", label="50%")
    [notice] = core.notices(warning, STAFF, URL)
    assert notice.to["username"] == "petugas1" and notice.about == "warning"
    assert notice.to["subject"] == "Peringatan batas waktu: pengaduan SMG-2026-000042"
    assert "telah melewati 50% dari batas waktu" in notice.text


def test_a_late_stage_is_named_in_indonesian():
    late = sla_event(EventType.SLA_STAGE_OVERDUE, ["agency_admin:dpu"], label="agency_response")
    notice = core.notices(late, STAFF, URL)[0]
    assert "Tahap tanggapan perangkat daerah untuk pengaduan" in notice.text


def test_the_digest_tells_a_head_of_its_own_agency_and_a_supervisor_of_all():
    digest = {
        "event_id": "d1",
        "type": str(EventType.SLA_DIGEST),
        "ticket": "",
        "data": {
            "week": "2026-W49",
            "total_overdue": 3,
            "agencies": [
                {"agency": "dpu", "overdue": 2, "tickets": ["SMG-2026-000001", "SMG-2026-000002"]},
                {"agency": "dlh", "overdue": 1, "tickets": ["SMG-2026-000003"]},
            ],
            "recipients": ["supervisor", "agency_head:dpu", "agency_head:dlh"],
        },
    }
    made = {n.to["username"]: n for n in core.notices(digest, STAFF, URL)}
    assert set(made) == {"pengawas1", "pengawas2", "kadis.dpu", "kadis.dlh"}
    head = made["kadis.dpu"]
    assert head.to["subject"] == "Ringkasan mingguan 2026-W49: 2 pengaduan melewati batas waktu"
    assert "SMG-2026-000003" not in head.text and "DPU: 2 pengaduan" in head.text
    assert "3 pengaduan" in made["pengawas1"].to["subject"]


def test_staff_without_contact_details_are_skipped():
    assert core.notices(BREACH, [member("kadis.dpu", "agency_head", "dpu")], URL) == []


def test_contact_details_are_normalised_and_may_be_cleared():
    given = {"email": " Kadis@DPU.semarangkota.go.id ", "whatsapp": "0812-3456-7890"}
    assert core.parse_contact(given) == {
        "email": "kadis@dpu.semarangkota.go.id",
        "whatsapp": "+6281234567890",
    }
    assert core.parse_contact({"email": "", "whatsapp": None}) == {"email": None, "whatsapp": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "bukan-alamat"}, "email"),
        ({"email": {"$gt": ""}}, "email"),
        ({"whatsapp": "nomor saya"}, "whatsapp"),
        ({"telepon": "0812"}, "telepon"),
        ([], "body"),
    ],
)
def test_bad_contact_details_are_refused_naming_the_field(body, field):
    with pytest.raises(CommandRejected) as refused:
        core.parse_contact(body)
    assert refused.value.code == "invalid_field" and refused.value.field == field
