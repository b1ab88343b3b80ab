from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.sla import core
from services.sla.calendar import WorkingDays
from services.sla.calendar_edits import parse_change, year_view
from services.sla.policy import PERWAL_5_2023, parse_policy, policy_for

CALENDAR = WorkingDays(holidays=())
POLICY = PERWAL_5_2023
RECEIVED = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 in Semarang


def started() -> dict:
    clock, _ = core.start_clock(RECEIVED, POLICY, CALENDAR)
    return {**clock, "_id": "SMG-2026-000001"}


def jakarta_day(moment: datetime) -> str:
    return moment.astimezone(core.JAKARTA).date().isoformat()


def test_the_clock_starts_on_the_provisional_five_days_with_its_timers():
    clock, [(event_type, data)] = core.start_clock(RECEIVED, POLICY, CALENDAR)
    assert event_type == EventType.DEADLINE_SET
    assert data["due_at"] == "2026-12-04T23:59:59+07:00"
    assert (data["policy"], data["policy_version"]) == ("perwal-semarang-5-2023", 1)
    timers = [(t["kind"], t["label"], jakarta_day(t["at"])) for t in clock["timers"]]
    assert timers == [
        ("stage_overdue", "review", "2026-11-30"),  # 1 working day to review
        ("warning", "50%", "2026-12-02"),  # day 3 of 5
        ("warning", "80%", "2026-12-03"),  # day 4 of 5, also one day before due
        ("breach", "due", "2026-12-04"),
    ]
    assert clock["next_at"] == clock["timers"][0]["at"]


def test_each_timer_fires_once_and_a_late_sweep_catches_up():
    clock = started()
    first = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # after the review target
    clock, events = core.fire_due(clock, first)
    assert [e[0] for e in events] == [EventType.SLA_STAGE_OVERDUE]
    assert core.fire_due(clock, first) is None

    much_later = datetime(2026, 12, 10, tzinfo=UTC)  # the service was down for days
    clock, events = core.fire_due(clock, much_later)
    assert [(e[0], e[1]["label"]) for e in events] == [
        (EventType.SLA_WARNING, "50%"),
        (EventType.SLA_WARNING, "80%"),
        (EventType.SLA_BREACHED, "due"),
    ]
    assert events[-1][1]["recipients"] == ["officer", "supervisor"]
    notices = clock["notifications"]
    assert [n["kind"] for n in notices] == ["stage_overdue", "warning", "warning", "breach"]
    assert notices[-1]["message"] == (
        "Pengaduan SMG-2026-000001 melewati batas waktu penyelesaian (04-12-2026)."
    )
    assert clock["timers"] == [] and clock["next_at"] is None
    assert core.fire_due(clock, much_later) is None


def test_a_new_scope_moves_the_deadline_but_never_refires_a_warning():
    clock, _ = core.fire_due(started(), datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    assert [f["key"] for f in clock["fired"]] == [
        "1:stage_overdue:review:" + RECEIVED.isoformat(),
        "1:warning:50%",
    ]
    now = datetime(2026, 12, 3, tzinfo=UTC)
    clock, [(_, data)] = core.rescope(clock, "cross_institution", POLICY, CALENDAR, now)
    assert data["working_days"] == 30 and data["due_at"].startswith("2027-01-08")
    labels = [t["label"] for t in clock["timers"] if t["kind"] == "warning"]
    assert "50%" not in labels and "80%" in labels and "1d" in labels
    assert clock["history"][-1]["reason"] == "classified"


def test_a_breach_of_a_forwarded_complaint_reaches_the_agency_and_its_head():
    now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    clock, _ = core.enter_stage(started(), "agency_response", "dpu", POLICY, CALENDAR, now)
    clock, events = core.fire_due(clock, datetime(2026, 12, 5, tzinfo=UTC))
    breach = [data for kind, data in events if kind == EventType.SLA_BREACHED][0]
    assert breach["recipients"] == ["agency_admin:dpu", "supervisor", "agency_head:dpu"]
    warning = [data for kind, data in events if kind == EventType.SLA_WARNING][0]
    assert warning["recipients"] == ["agency_admin:dpu"]


def test_stages_follow_forwarding_and_acceptance():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    clock, _ = core.enter_stage(started(), "agency_response", "dpu", POLICY, CALENDAR, now)
    stage = [t for t in clock["timers"] if t["kind"] == "stage_overdue"]
    assert [(t["label"], jakarta_day(t["at"])) for t in stage] == [
        ("agency_response", "2026-12-02")
    ]
    accepted, _ = core.enter_stage(clock, None, "dpu", POLICY, CALENDAR, now)
    assert not [t for t in accepted["timers"] if t["kind"] == "stage_overdue"]
    returned, events = core.enter_stage(clock, "review", None, POLICY, CALENDAR, now)
    assert events == [] and returned["due_at"] == clock["due_at"]  # a return keeps the start
    assert returned["history"] == clock["history"]


def test_each_task_has_its_own_stage_target_and_the_breach_reaches_open_tasks():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    clock, _ = core.enter_stage(started(), "agency_response", "dpu", POLICY, CALENDAR, now)
    later = now + timedelta(hours=1)
    changes = [("dlh", "agency_response", now), ("dishub", "agency_response", now)]
    clock, _ = core.task_stages(clock, changes, POLICY, CALENDAR)
    # dlh accepts; an older event about dlh arriving afterwards changes nothing.
    clock, _ = core.task_stages(clock, [("dlh", None, later)], POLICY, CALENDAR)
    clock, _ = core.task_stages(clock, [("dlh", "agency_response", now)], POLICY, CALENDAR)
    stage = [t for t in clock["timers"] if t["kind"] == "stage_overdue"]
    assert sorted(t["agency"] for t in stage) == ["dishub", "dpu"]
    fired, events = core.fire_due(clock, datetime(2026, 12, 3, tzinfo=UTC))
    overdue = [d for kind, d in events if kind == EventType.SLA_STAGE_OVERDUE]
    by_agency = {d["agency"]: d for d in overdue}
    assert by_agency["dishub"]["recipients"] == ["agency_admin:dishub"]
    assert by_agency["dishub"]["agencies"] == ["dishub"]
    assert by_agency["dpu"]["recipients"] == ["agency_admin:dpu"]
    # dishub resolves its part: the breach reaches the lead and dlh, whose task is open.
    fired, _ = core.task_stages(fired, [("dishub", core.TASK_DONE, later)], POLICY, CALENDAR)
    _, events = core.fire_due(fired, datetime(2026, 12, 12, tzinfo=UTC))
    breach = [d for kind, d in events if kind == EventType.SLA_BREACHED][0]
    assert breach["agencies"] == ["dpu", "dlh"]
    assert breach["recipients"] == [
        "agency_admin:dpu",
        "agency_admin:dlh",
        "supervisor",
        "agency_head:dpu",
        "agency_head:dlh",
    ]
    # The lead returns the complaint: every task is withdrawn, late events about them too.
    reset = core.reset_tasks(fired, later)
    reset, _ = core.task_stages(reset, [("dlh", "agency_response", now)], POLICY, CALENDAR)
    assert reset["tasks"] == [] and core.concerned_agencies(reset) == ["dpu"]


@given(st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=4))
def test_a_pause_of_k_working_days_moves_the_deadline_by_k(k, offset):
    calendar = WorkingDays(holidays=[date(2026, 12, 25), date(2026, 12, 24)])
    clock, _ = core.start_clock(RECEIVED, POLICY, calendar)
    paused_on = calendar.add(date(2026, 11, 27), offset)
    paused_at = datetime.combine(paused_on, datetime.min.time(), tzinfo=core.JAKARTA)
    clock, [(kind, _)] = core.pause(clock, paused_at)
    assert kind == EventType.SLA_PAUSED and clock["next_at"] is None
    resumed_at = datetime.combine(
        calendar.add(paused_on, k), datetime.min.time(), tzinfo=core.JAKARTA
    ) + timedelta(hours=9)
    resumed, events = core.resume(clock, POLICY, calendar, resumed_at)
    assert events[0] == (EventType.SLA_RESUMED, {"paused_working_days": k})
    assert resumed["due_at"].date() == calendar.add(clock["due_at"].date(), k)


def test_reopening_starts_a_new_recorded_cycle_whose_timers_fire_again():
    clock, _ = core.fire_due(started(), datetime(2026, 12, 10, tzinfo=UTC))
    closed, _ = core.stop_clock(clock, datetime(2026, 12, 10, tzinfo=UTC))
    reopened_at = datetime(2026, 12, 14, 3, 0, tzinfo=UTC)  # Monday
    clock, [(_, data)] = core.reopen(closed, POLICY, CALENDAR, reopened_at)
    assert clock["cycle"] == 2 and clock["running"] and data["cycle"] == 2
    assert data["due_at"].startswith("2026-12-21") and data["reason"] == "reopened (cycle 2)"
    assert [h["reason"] for h in clock["history"]] == ["received", "reopened (cycle 2)"]
    assert {t["key"].split(":")[0] for t in clock["timers"]} == {"2"}
    again, events = core.fire_due(clock, datetime(2027, 1, 1, tzinfo=UTC))
    assert EventType.SLA_BREACHED in [kind for kind, _ in events]


def test_pause_and_resume_are_refused_when_they_make_no_sense():
    clock = started()
    assert core.resume(clock, POLICY, CALENDAR, RECEIVED) is None
    paused, _ = core.pause(clock, RECEIVED)
    assert core.pause(paused, RECEIVED) is None
    stopped, _ = core.stop_clock(clock, RECEIVED)
    assert core.pause(stopped, RECEIVED) is None and core.stop_clock(stopped, RECEIVED) is None


def test_a_calendar_change_recomputes_only_what_moved():
    clock = started()
    assert core.recompute(clock, POLICY, CALENDAR, "calendar", RECEIVED) is None
    moved = WorkingDays(holidays=[date(2026, 12, 1)])
    state, [(_, data)] = core.recompute(clock, POLICY, moved, "calendar: day off", RECEIVED)
    assert data["due_at"].startswith("2026-12-07") and data["reason"] == "calendar: day off"


def test_state_and_remaining_days():
    clock = started()
    monday = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    assert core.state(clock, monday) == "on_track"
    assert core.remaining_working_days(clock, CALENDAR, monday) == 4
    warned, _ = core.fire_due(clock, datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    assert core.state(warned, datetime(2026, 12, 2, 17, 0, tzinfo=UTC)) == "due_soon"
    late = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)
    assert core.state(clock, late) == "breached"
    assert core.remaining_working_days(clock, CALENDAR, late) == -2
    assert core.state(core.pause(clock, monday)[0], monday) == "paused"


def test_policies_are_data_and_checked():
    body = {
        "id": "layanan-nasional-5-14-60",
        "version": 1,
        "rule": "Registri layanan nasional: 5/14/60 hari kerja",
        "working_days": {"single_agency": 5, "cross_agency": 14, "cross_institution": 60},
        "stage_targets": {"review": 1, "forward": 2, "agency_response": 2},
        "warn_fractions": [0.5],
        "warn_days_before": [2],
        "categories": ["perizinan_pajak"],
    }
    policy = parse_policy(body)
    assert policy.working_days["cross_institution"] == 60
    assert policy_for("perizinan_pajak", [POLICY, policy]) == policy
    assert policy_for("penegakan_perda", [POLICY, policy]) == POLICY
    clock, [(_, data)] = core.start_clock(RECEIVED, policy, CALENDAR)
    assert data["policy"] == "layanan-nasional-5-14-60"
    for field, bad in (
        ("working_days", {"single_agency": 0}),
        ("version", "1"),
        ("id", "X"),
        ("warn_fractions", [1.5]),
        ("categories", ["nope"]),
    ):
        with pytest.raises(CommandRejected) as caught:
            parse_policy({**body, field: bad})
        assert caught.value.field.startswith(field)


def test_calendar_changes_are_checked():
    today = date(2026, 11, 27)
    change = parse_change(
        {"date": "2026-12-31", "working": False, "reason": "Cuti bersama tambahan (SKB 3 Menteri)"},
        today,
    )
    assert change.day == date(2026, 12, 31) and not change.working
    for body, field in (
        ({"date": "31-12-2026", "working": False, "reason": "alasan"}, "date"),
        ({"date": "2035-01-01", "working": False, "reason": "alasan"}, "date"),
        ({"date": "1999-01-01", "working": False, "reason": "alasan"}, "date"),
        ({"date": "2026-12-31", "reason": "alasan"}, "working"),
        ({"date": "2026-12-31", "working": "no", "reason": "alasan"}, "working"),
        ({"date": "2026-12-31", "working": False}, "reason"),
        ({"date": {"$gt": ""}, "working": False, "reason": "alasan"}, "date"),
    ):
        with pytest.raises(CommandRejected) as caught:
            parse_change(body, today)
        assert caught.value.field == field


def test_a_year_reads_with_national_days_and_local_changes():
    holidays = {date(2026, 12, 24): "Christmas Joint Holiday", date(2026, 12, 25): "Christmas"}
    at = datetime(2026, 11, 27, tzinfo=UTC)
    changes = [
        {
            "_id": "2026-12-24",
            "working": True,
            "reason": "Cuti bersama dipindah",
            "by": "s",
            "at": at,
        },
        {
            "_id": "2026-12-31",
            "working": False,
            "reason": "Cuti bersama pengganti",
            "by": "s",
            "at": at,
        },
    ]
    view = year_view(2026, holidays, changes)
    assert [(d["date"], d["source"]) for d in view["days_off"]] == [
        ("2026-12-25", "national"),
        ("2026-12-31", "local"),
    ]
    assert len(view["local_changes"]) == 2


def test_working_overrides_and_counting_between_days():
    calendar = WorkingDays(holidays=[date(2026, 12, 25)], working=[date(2026, 12, 26)])
    assert calendar.is_working_day(date(2026, 12, 26))  # a Saturday made a working day
    assert not calendar.is_working_day(date(2026, 12, 25))
    assert calendar.between(date(2026, 12, 24), date(2026, 12, 28)) == 2
    assert calendar.between(date(2026, 12, 28), date(2026, 12, 24)) == 0


def test_the_weekly_digest_is_due_from_monday_eight_in_semarang():
    from services.sla import digest

    sunday_night = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # Sunday 23:00 WIB
    monday_early = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)  # Monday 06:00 WIB
    monday_eight = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
    assert digest.is_due(sunday_night)  # still the previous week's, due since Monday
    assert not digest.is_due(monday_early)
    assert digest.is_due(monday_eight) and digest.week_key(monday_eight) == "2026-W49"
    assert digest.week_key(monday_early) == "2026-W49"
    recorded = digest.digest(
        "2026-W49",
        [
            {"_id": "dpu", "overdue": 2, "tickets": ["SMG-2026-000002", "SMG-2026-000001"]},
            {"_id": None, "overdue": 1, "tickets": ["SMG-2026-000003"]},
        ],
        monday_eight,
    )
    assert [a["agency"] for a in recorded["agencies"]] == ["dpu", "belum_diteruskan"]
    assert recorded["total_overdue"] == 3
    assert recorded["recipients"] == ["supervisor", "agency_head:dpu"]


def test_a_question_for_the_reporter_is_read_and_checked():
    assert core.parse_question({"question": "  Di RT berapa?  "}) == "Di RT berapa?"
    for body in ({"question": ""}, {"question": 5}, {}, {"question": "x" * 501}, []):
        with pytest.raises(CommandRejected) as caught:
            core.parse_question(body)
        assert caught.value.field in ("question", "body")


def test_open_gauges_count_each_running_clock_once_by_its_state():
    now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    soon = timedelta(days=3)
    clocks = [
        {"due_at": now - timedelta(hours=1), "paused_since": None},  # overdue
        {"due_at": now + timedelta(days=1), "paused_since": None},  # due soon
        {"due_at": now + soon, "paused_since": None},  # on track: at the edge
        {"due_at": now + timedelta(days=9), "paused_since": None},  # on track
        {"due_at": now - timedelta(days=5), "paused_since": now - timedelta(days=6)},  # paused
    ]
    counts, to_next = core.open_gauges(clocks, now, soon)
    assert counts == {"paused": 1, "overdue": 1, "due_soon": 1, "on_track": 2}
    assert to_next == -3600.0  # the paused clock's older deadline does not count
    assert core.open_gauges([], now, soon) == (
        {"paused": 0, "overdue": 0, "due_soon": 0, "on_track": 0},
        None,
    )


def test_a_forwarding_starts_each_task_and_a_moved_lead_takes_the_stage():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    tasks = [{"agency": "dpu", "lead": True}, {"agency": "dlh", "lead": False}]
    data = {"agency": "dpu", "admin": "a", "tasks": tasks}
    clock, _ = core.lead_moved(started(), "complaint.forwarded", data, now, POLICY, CALENDAR, now)
    assert clock["agency"] == "dpu" and clock["stage"] == "agency_response"
    assert [(t["agency"], t["stage"]) for t in clock["tasks"]] == [("dlh", "agency_response")]
    later = now + timedelta(hours=2)
    moved = {"agency": "disperkim", "from_agency": "dpu", "lead": True, "reason": "r"}
    clock, _ = core.task_moved(
        clock, "complaint.task_reassigned", moved, later, POLICY, CALENDAR, later
    )
    assert clock["agency"] == "disperkim" and clock["stage_since"] == later
    assert core.concerned_agencies(clock) == ["disperkim", "dlh"]
    clock, _ = core.task_moved(
        clock, "complaint.task_resolved", {"agency": "dlh"}, later, POLICY, CALENDAR, later
    )
    assert core.concerned_agencies(clock) == ["disperkim"]
    returned, _ = core.lead_moved(
        clock, "complaint.returned", {"agency": "disperkim"}, later, POLICY, CALENDAR, later
    )
    assert returned["agency"] is None and returned["stage"] == "review"
