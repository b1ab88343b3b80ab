from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.errors import CommandRejected
from services.reporting import core

T0 = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)  # 1 April 01:00 in Semarang


def event(n: int, kind: str, data: dict) -> dict:
    at = (T0 + timedelta(minutes=n)).isoformat()
    return {
        "event_id": f"e{n}",
        "type": kind,
        "version": 1,
        "occurred_at": at,
        "ticket": "SMG-2026-000001",
        "data": data,
    }


LIFE = [
    event(
        0,
        "complaint.received",
        {
            "channel": "sms",
            "received_at": T0.isoformat(),
            "title": "Sampah menumpuk",
            "description": "Sampah tidak diangkut seminggu",
            "location": {"kecamatan": "Genuk"},
            "category_hint": None,
            "anonymous": False,
            "confidential": True,
        },
    ),
    event(
        1,
        "sla.deadline_set",
        {
            "scope": "single_agency",
            "working_days": 5,
            "starts_on": T0.isoformat(),
            "due_at": "2026-04-08T23:59:59+07:00",
            "policy": "p",
        },
    ),
    event(
        2,
        "complaint.triaged",
        {"suggested_category": "lingkungan_perumahan", "matched_keywords": ["sampah"]},
    ),
    event(
        3,
        "complaint.classified",
        {
            "category": "lingkungan_perumahan",
            "scope": "single_agency",
            "agencies": ["dlh"],
            "officer": "o",
        },
    ),
    event(4, "complaint.forwarded", {"agency": "dlh", "admin": "a"}),
    event(5, "complaint.accepted", {"agency": "dlh", "by": "x"}),
    event(6, "complaint.resolved", {"agency": "dlh", "follow_up": "Sudah diangkut", "by": "x"}),
    event(7, "reporter.notified", {"channel": "sms", "about": "resolved", "message": "..."}),
    event(8, "complaint.closed", {}),
]


def build(events: list[dict]) -> dict:
    view = None
    for e in events:
        view, _ = core.record(view, "SMG-2026-000001", e)
    return view


@given(st.permutations(LIFE))
def test_the_view_does_not_depend_on_arrival_order(arrival):
    view = build(arrival)
    assert view == build(LIFE)
    assert view["status"] == "closed"
    assert view["agency"] == "dlh" and view["category"] == "lingkungan_perumahan"


def test_an_event_in_order_is_applied_to_the_stored_view_without_folding_again(monkeypatch):
    view = build(LIFE[:3])
    stored_timeline = list(view["timeline"])

    def no_refold(ticket, events):
        raise AssertionError("refolded all the events for one in order")

    monkeypatch.setattr(core, "fold", no_refold)
    extended, _ = core.record(view, "SMG-2026-000001", LIFE[3])
    assert view["timeline"] == stored_timeline  # the stored view is left as it was read
    monkeypatch.undo()
    assert extended == build(LIFE[:4])


def test_an_event_out_of_order_or_a_view_of_another_version_is_folded_again():
    late = build([*LIFE[:2], *LIFE[3:5]])
    assert core.record(late, "SMG-2026-000001", LIFE[2])[0] == build(LIFE[:5])
    old = {**build(LIFE[:3]), "fold_version": 0, "status": "a shape of an older version"}
    assert core.record(old, "SMG-2026-000001", LIFE[3])[0] == build(LIFE[:4])


def test_a_forwarding_in_the_timeline_keeps_the_agency_it_went_to():
    public = core.public_view(build(LIFE))
    forwarded = [e for e in public["timeline"] if e["event"] == "complaint.forwarded"]
    assert [(e["agency"], e["note"]) for e in forwarded] == [("dlh", "Diteruskan ke dlh")]
    assert all(e["agency"] is None for e in public["timeline"] if e not in forwarded)


def test_the_month_is_the_month_in_semarang():
    assert build(LIFE)["month"] == "2026-04"


def test_the_public_view_hides_confidential_text_and_never_names_the_reporter():
    public = core.public_view(build(LIFE))
    assert public["description"] is None and public["title"] is None
    assert public["status_label"] == "Selesai, pengaduan ditutup"
    assert public["deadline"]["due_at"] == "2026-04-08T23:59:59+07:00"
    assert [e["event"] for e in public["timeline"]][-1] == "complaint.closed"
    staff = core.staff_view(build(LIFE))
    assert staff["description"] == "Sampah tidak diangkut seminggu"
    assert "reporter" not in staff and "reporter" not in public


def test_the_monthly_summary_counts_and_rates():
    summary = core.monthly_summary(
        "2026-04",
        [
            ("lingkungan_perumahan", "closed", 3),
            ("infrastruktur_fasum", "resolved", 1),
            ("infrastruktur_fasum", "forwarded", 2),
            (None, "rejected", 2),
            (None, "awaiting_review", 2),
        ],
    )
    assert summary["total"] == 10
    assert summary["by_category"]["unclassified"] == 4
    assert summary["resolved"] == 4 and summary["rejected"] == 2
    assert summary["resolution_rate"] == 0.5
    assert core.monthly_summary("2026-05", [])["resolution_rate"] is None


def test_month_bounds_are_in_semarang_time():
    start, end = core.month_bounds("2026-12")
    assert start.isoformat() == "2026-12-01T00:00:00+07:00"
    assert end.isoformat() == "2027-01-01T00:00:00+07:00"


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-01", "", None, {"$gt": ""}, "x"])
def test_a_bad_month_is_refused(month):
    with pytest.raises(CommandRejected) as caught:
        core.parse_month(month)
    assert caught.value.field == "month"


def sla_event(n: int, kind: str, label: str = "50%") -> dict:
    return event(
        n,
        kind,
        {
            "kind": "x",
            "label": label,
            "at": T0.isoformat(),
            "due_at": T0.isoformat(),
            "agency": None,
            "stage": None,
            "recipients": [],
        },
    )


def test_sla_events_flag_the_view_without_touching_its_timeline():
    base = build(LIFE[:5])
    assert base["sla_state"] == "on_track"
    warned = build([*LIFE[:5], sla_event(9, "sla.warning")])
    assert warned["sla_state"] == "due_soon" and warned["timeline"] == base["timeline"]
    overdue = build([*LIFE[:5], sla_event(9, "sla.warning"), sla_event(10, "sla.breached")])
    assert overdue["sla_state"] == "overdue"
    assert core.worklist_item(overdue)["sla_state"] == "overdue"
    paused = build([*LIFE[:5], event(11, "sla.paused", {"since": T0.isoformat()})])
    assert core.public_view(paused)["sla_state"] == "paused"
    resumed = build(
        [
            *LIFE[:5],
            event(11, "sla.paused", {"since": T0.isoformat()}),
            event(12, "sla.resumed", {"paused_working_days": 1}),
        ]
    )
    assert resumed["sla_state"] == "on_track"


def test_worklists_by_role_and_agency():
    officer = (["awaiting_review", "returned", "disputed"], {}, 200)
    assert core.worklist_query("officer", None, 500) == officer
    queue = (["forwarded", "accepted"], {"queue_agencies": "dpu"}, 1)
    assert core.worklist_query("agency_admin", "dpu", 0) == queue
    assert core.worklist_query("admin", "dpu", 10)[1] == {}
    for role, agency in (("agency_admin", None), ("guest", None)):
        with pytest.raises(CommandRejected):
            core.worklist_query(role, agency, 10)


def test_an_agency_admin_sees_only_its_agencys_complaints():
    view = build(LIFE)
    assert core.staff_view(view, "dlh")["agency"] == "dlh"
    with pytest.raises(CommandRejected) as caught:
        core.staff_view(view, "dpu")
    assert caught.value.code == "forbidden"
