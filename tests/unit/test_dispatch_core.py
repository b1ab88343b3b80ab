from datetime import UTC, datetime

import pytest

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.dispatch import core

NOW = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
CLASSIFIED = {
    "category": "infrastruktur_fasum",
    "scope": "single_agency",
    "agencies": ["dpu"],
    "officer": "o",
}
CROSS_AGENCY = {**CLASSIFIED, "scope": "cross_agency", "agencies": ["dpu", "dlh", "dishub"]}


def new_case(classified: dict = CLASSIFIED) -> dict:
    state, events = core.classified(None, classified, NOW)
    assert events == []
    return state


def apply(case: dict, decided) -> dict:
    return {**case, **decided[0]}


def test_forward_defaults_to_the_first_agency_and_refuses_others():
    case = new_case(CROSS_AGENCY)
    assert core.parse_forward({}, case) == "dpu"
    assert core.parse_forward({"agency": "dlh"}, case) == "dlh"
    assert core.parse_forward({"lead": "dlh", "agency": "dlh"}, case) == "dlh"
    for body in ({"agency": "disdik"}, {"lead": "dpu", "agency": "dlh"}, {"lead": ["dpu"]}):
        with pytest.raises(CommandRejected) as caught:
            core.parse_forward(body, case)
        assert caught.value.field == "lead"


def test_only_the_assigned_agency_acts():
    case = apply(new_case(), core.forward(new_case(), "dpu", "admin1", NOW))
    core.check_agency(case, "dpu")
    for other in ("dlh", None):
        with pytest.raises(CommandRejected) as caught:
            core.check_agency(case, other)
        assert caught.value.code == "forbidden"


def test_accept_resolve_and_close():
    case = new_case()
    decided = core.forward(case, "dpu", "admin1", NOW)
    forwarded = {
        "agency": "dpu",
        "admin": "admin1",
        "tasks": [{"agency": "dpu", "lead": True}],
        "referrals": [],
    }
    assert decided[1] == [(EventType.COMPLAINT_FORWARDED, forwarded)]
    case = apply(case, decided)
    case = apply(case, core.accept(case, "dpu", "dpu-admin", NOW))
    assert case["tasks"][0]["status"] == "accepted"
    decided = core.resolve(case, "dpu", "Sudah diperbaiki", "dpu-admin", NOW)
    assert "parts" not in decided[1][0][1]
    assert decided[1][0][1]["follow_up"] == "Sudah diperbaiki"
    case = apply(case, decided)
    assert core.reporter_notified(case, {"about": "rejected"}, NOW) is None
    # The result conveyed: still resolved, waiting for the reporter's rating or the timer.
    conveyed = apply(case, core.reporter_notified(case, {"about": "resolved"}, NOW))
    assert conveyed["status"] == "resolved" and conveyed["conveyed_at"] == NOW
    closed = apply(conveyed, core.closing_due(conveyed, {"working_days": 10}, NOW))
    assert closed["status"] == "closed"
    assert [h["action"] for h in closed["history"]] == [
        "classified",
        "forward",
        "accept",
        "resolve",
        "result_conveyed",
        "close",
    ]


def resolved_case() -> dict:
    case = new_case()
    for step in (
        lambda c: core.forward(c, "dpu", "a", NOW),
        lambda c: core.accept(c, "dpu", "x", NOW),
        lambda c: core.resolve(c, "dpu", "Sudah diperbaiki", "x", NOW),
        lambda c: core.reporter_notified(c, {"about": "resolved"}, NOW),
    ):
        case = apply(case, step(case))
    return case


def rating(value: int) -> dict:
    return {"rating": value, "comment": "Belum beres", "cycle": 1}


@pytest.mark.parametrize("value", [1, 2])
def test_a_low_rating_disputes_the_result_and_the_timer_then_leaves_it(value):
    case = resolved_case()
    state, [(event_type, data)] = core.rated(case, rating(value), NOW)
    assert event_type == EventType.COMPLAINT_DISPUTED and data["rating"] == value
    disputed = apply(case, (state, []))
    assert disputed["status"] == "disputed"
    assert core.closing_due(disputed, {"working_days": 10}, NOW) is None
    reopened = apply(disputed, core.reopen(disputed, "Pelapor belum puas", "o1", NOW))
    assert reopened["status"] == "awaiting_review"


@pytest.mark.parametrize("value", [3, 4, 5])
def test_a_good_rating_closes_the_case(value):
    case = resolved_case()
    state, [(event_type, data)] = core.rated(case, rating(value), NOW)
    assert event_type == EventType.COMPLAINT_CLOSED
    assert data == {"reason": "satisfied", "rating": value}
    assert apply(case, (state, []))["status"] == "closed"


def test_a_dispute_after_the_automatic_closing_still_reaches_the_officers():
    case = resolved_case()
    closed = apply(case, core.closing_due(case, {"working_days": 10}, NOW))
    assert apply(closed, core.rated(closed, rating(1), NOW))["status"] == "disputed"
    assert core.rated(closed, rating(5), NOW) is None


def test_a_rating_of_an_earlier_result_changes_a_reopened_case_not():
    case = resolved_case()
    reopened = apply(case, core.reopen(case, "Pelapor belum puas", "o1", NOW))
    assert core.rated(reopened, rating(1), NOW) is None
    assert core.closing_due(reopened, {"working_days": 10}, NOW) is None


def test_a_closed_case_reopens_without_an_agency_and_is_classified_again():
    case = resolved_case()
    case = apply(case, core.closing_due(case, {"working_days": 10}, NOW))
    assert case["status"] == "closed"
    state, [(event_type, data)] = core.reopen(case, "Pelapor: jalan rusak lagi", "o1", NOW)
    assert event_type == EventType.COMPLAINT_REOPENED and data["by"] == "o1"
    case = apply(case, (state, []))
    assert case["status"] == "awaiting_review" and case["agency"] is None
    assert apply(case, core.classified(case, CLASSIFIED, NOW))["status"] == "classified"
    with pytest.raises(CommandRejected):
        core.reopen(new_case(), "Belum diselesaikan", "o1", NOW)


def test_resolving_before_accepting_is_illegal():
    case = apply(new_case(), core.forward(new_case(), "dpu", "admin1", NOW))
    with pytest.raises(CommandRejected) as caught:
        core.resolve(case, "dpu", "Sudah diperbaiki", "dpu-admin", NOW)
    assert caught.value.code == "illegal_transition"


def test_a_return_clears_the_agency_and_a_new_classification_reopens_the_case():
    case = apply(new_case(), core.forward(new_case(), "dpu", "admin1", NOW))
    case = apply(
        case, core.return_to_officers(case, "dpu", "Bukan wewenang kami", "dpu-admin", NOW)
    )
    assert case["status"] == "returned" and case["agency"] is None
    reopened = apply(case, core.classified(case, {**CLASSIFIED, "agencies": ["dlh"]}, NOW))
    assert reopened["status"] == "classified" and reopened["agencies"] == ["dlh"]


@pytest.mark.parametrize("parse", [core.parse_reason, core.parse_follow_up])
def test_texts_are_required(parse):
    with pytest.raises(CommandRejected):
        parse({})
    with pytest.raises(CommandRejected):
        parse({"reason": {"$gt": ""}, "follow_up": {"$gt": ""}})


# -- multi-agency cases -----------------------------------------------------------------


def cross_case(lead: str = "dpu") -> dict:
    case = new_case(CROSS_AGENCY)
    return apply(case, core.forward(case, lead, "admin1", NOW))


def test_a_cross_agency_forwarding_makes_a_task_per_agency_with_one_lead():
    case = new_case(CROSS_AGENCY)
    state, [(event_type, data)] = core.forward(case, "dlh", "admin1", NOW)
    assert event_type == EventType.COMPLAINT_FORWARDED and data["agency"] == "dlh"
    assert data["tasks"] == [
        {"agency": "dlh", "lead": True},
        {"agency": "dpu", "lead": False},
        {"agency": "dishub", "lead": False},
    ]
    assert [t["status"] for t in state["tasks"]] == ["forwarded"] * 3
    assert state["agency"] == "dlh" and state["referrals"] == []


def test_each_agency_moves_its_own_task_and_the_lead_resolves_last():
    case = cross_case()
    state, [(event_type, data)] = core.accept(case, "dlh", "dlh-admin", NOW)
    assert event_type == EventType.TASK_ACCEPTED and data == {"agency": "dlh", "by": "dlh-admin"}
    case = apply(case, (state, []))
    assert case["status"] == "forwarded"  # the lead has not accepted
    case = apply(case, core.accept(case, "dpu", "dpu-admin", NOW))
    assert case["status"] == "accepted"
    case = apply(case, core.resolve(case, "dlh", "Saluran sudah dibersihkan", "dlh-admin", NOW))
    with pytest.raises(CommandRejected) as caught:
        core.resolve(case, "dpu", "Jalan sudah diaspal ulang", "dpu-admin", NOW)
    assert caught.value.code == "tasks_open" and "dishub" in caught.value.message
    # dishub's task: forwarded, so it cannot resolve before accepting.
    with pytest.raises(CommandRejected):
        core.resolve(case, "dishub", "Rambu sudah dipasang", "dishub-admin", NOW)
    case = apply(case, core.accept(case, "dishub", "dishub-admin", NOW))
    case = apply(case, core.resolve(case, "dishub", "Rambu sudah dipasang", "dishub-a", NOW))
    assert case["status"] == "accepted"
    state, [(event_type, data)] = core.resolve(case, "dpu", "Jalan sudah diaspal", "dpu-a", NOW)
    assert event_type == EventType.COMPLAINT_RESOLVED and state["status"] == "resolved"
    assert data["follow_up"] == (
        "Jalan sudah diaspal\nDLH: Saluran sudah dibersihkan\nDISHUB: Rambu sudah dipasang"
    )
    assert [p["agency"] for p in data["parts"]] == ["dpu", "dlh", "dishub"]


def test_a_task_returned_is_closed_by_the_lead_with_a_reason():
    case = apply(cross_case(), core.accept(cross_case(), "dpu", "dpu-admin", NOW))
    state, [(event_type, _)] = core.return_to_officers(
        case, "dishub", "Bukan kewenangan kami", "dishub-admin", NOW
    )
    assert event_type == EventType.TASK_RETURNED
    case = apply(case, (state, []))
    assert case["status"] == "accepted" and case["agency"] == "dpu"
    for agency, task in (("dlh", "dishub"), ("dpu", "dpu")):
        with pytest.raises(CommandRejected):
            core.close_task(case, agency, task, "Sudah ditangani DPU sendiri", "x", NOW)
    state, [(event_type, data)] = core.close_task(
        case, "dpu", "dishub", "Sudah ditangani DPU sendiri", "dpu-admin", NOW
    )
    assert event_type == EventType.TASK_CLOSED and data["agency"] == "dishub"
    case = apply(case, (state, []))
    case = apply(case, core.close_task(case, "dpu", "dlh", "Tidak diperlukan lagi", "dpu-a", NOW))
    state, [(_, data)] = core.resolve(case, "dpu", "Jalan sudah diaspal", "dpu-admin", NOW)
    assert data["follow_up"] == "Jalan sudah diaspal" and "parts" not in data


def test_the_lead_returning_withdraws_every_task():
    case = cross_case()
    state, [(event_type, data)] = core.return_to_officers(
        case, "dpu", "Perlu diklasifikasi ulang", "dpu-admin", NOW
    )
    assert event_type == EventType.COMPLAINT_RETURNED and data["withdrawn"] == ["dlh", "dishub"]
    case = apply(case, (state, []))
    assert case["status"] == "returned" and case["tasks"] == [] and case["agency"] is None
    with pytest.raises(CommandRejected) as caught:
        core.accept(case, "dlh", "dlh-admin", NOW)
    assert caught.value.code == "forbidden"


def test_a_reassigned_task_moves_and_the_old_agency_loses_it():
    case = cross_case()
    case = apply(case, core.accept(case, "dishub", "dishub-admin", NOW))
    state, [(event_type, data)] = core.reassign(
        case, "dishub", "satpolpp", "Penertiban parkir liar", "admin1", NOW
    )
    assert event_type == EventType.TASK_REASSIGNED
    assert data == {
        "agency": "satpolpp",
        "from_agency": "dishub",
        "lead": False,
        "reason": "Penertiban parkir liar",
        "admin": "admin1",
    }
    case = apply(case, (state, []))
    task = core.task_of(case, "satpolpp")
    assert task["status"] == "forwarded" and task["from"] == "dishub"
    with pytest.raises(CommandRejected) as caught:
        core.resolve(case, "dishub", "Rambu sudah dipasang", "dishub-admin", NOW)
    assert caught.value.code == "forbidden"
    for old, new in (("dlh", "dpu"), ("disdik", "dinkes")):
        with pytest.raises(CommandRejected):
            core.reassign(case, old, new, "Salah perangkat daerah", "admin1", NOW)


def test_the_lead_reassigned_forwards_the_complaint_to_the_new_lead():
    case = cross_case()
    case = apply(case, core.accept(case, "dpu", "dpu-admin", NOW))
    state, [(_, data)] = core.reassign(case, "dpu", "disperkim", "Jalan lingkungan", "a1", NOW)
    assert data["lead"] is True
    case = apply(case, (state, []))
    assert case["status"] == "forwarded" and case["agency"] == "disperkim"
    assert core.task_of(case, "disperkim")["lead"] is True
    with pytest.raises(CommandRejected):
        core.check_agency(case, "dpu")


def test_a_cross_institution_complaint_refers_the_outside_institution_to_the_lead():
    classified = {**CLASSIFIED, "scope": "cross_institution", "agencies": ["dpu", "pln"]}
    case = new_case(classified)
    state, [(_, data)] = core.forward(case, "dpu", "admin1", NOW)
    assert data["tasks"] == [{"agency": "dpu", "lead": True}] and data["referrals"] == ["pln"]
    case = apply(case, (state, []))
    referral = core.parse_referral({"sent_on": "2026-03-02"}, NOW)
    assert referral == {"sent_on": "2026-03-02", "answer": None, "answered_on": None}
    state, [(event_type, data)] = core.record_referral(case, "dpu", "pln", referral, "d", NOW)
    assert event_type == EventType.REFERRAL_RECORDED and data["institution"] == "pln"
    case = apply(case, (state, []))
    answered = core.parse_referral(
        {"sent_on": "2026-03-02", "answer": "Tiang listrik diganti", "answered_on": "2026-03-04"},
        NOW,
    )
    case = apply(case, core.record_referral(case, "dpu", "pln", answered, "d", NOW))
    with pytest.raises(CommandRejected):
        core.record_referral(case, "dpu", "pdam", answered, "d", NOW)
    case = apply(case, core.accept(case, "dpu", "dpu-admin", NOW))
    _, [(_, data)] = core.resolve(case, "dpu", "Jalan sudah diperbaiki", "dpu-admin", NOW)
    assert data["follow_up"] == "Jalan sudah diperbaiki\nPLN: Tiang listrik diganti"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"sent_on": "2026-03-06"},  # after today
        {"sent_on": "2026-02-30"},
        {"sent_on": "02-03-2026"},
        {"sent_on": "2026-03-02", "answer": "Tiang listrik diganti"},
        {"sent_on": "2026-03-02", "answered_on": "2026-03-03"},
        {"sent_on": "2026-03-02", "answer": "Tiang diganti", "answered_on": "2026-03-01"},
        {"sent_on": 20260302},
    ],
)
def test_a_referral_needs_real_days_in_order(body):
    with pytest.raises(CommandRejected) as caught:
        core.parse_referral(body, NOW)
    assert caught.value.code == "invalid_field"
