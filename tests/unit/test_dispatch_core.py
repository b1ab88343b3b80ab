from datetime import UTC, datetime

import pytest

from services.contracts.errors import CommandRejected
from services.contracts.events import EventType
from services.dispatch import core

NOW = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
CLASSIFIED = {
    "category": "infrastruktur_fasum",
    "scope": "cross_agency",
    "agencies": ["dpu", "dlh"],
    "officer": "o",
}


def new_case() -> dict:
    state, events = core.classified(None, CLASSIFIED, NOW)
    assert events == []
    return state


def apply(case: dict, decided) -> dict:
    return {**case, **decided[0]}


def test_forward_defaults_to_the_first_agency_and_refuses_others():
    case = new_case()
    assert core.parse_forward({}, case) == "dpu"
    assert core.parse_forward({"agency": "dlh"}, case) == "dlh"
    with pytest.raises(CommandRejected) as caught:
        core.parse_forward({"agency": "dishub"}, case)
    assert caught.value.field == "agency"


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
    assert decided[1] == [(EventType.COMPLAINT_FORWARDED, {"agency": "dpu", "admin": "admin1"})]
    case = apply(case, decided)
    case = apply(case, core.accept(case, "dpu-admin", NOW))
    decided = core.resolve(case, "Sudah diperbaiki", "dpu-admin", NOW)
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
        lambda c: core.accept(c, "x", NOW),
        lambda c: core.resolve(c, "Sudah diperbaiki", "x", NOW),
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
        core.resolve(case, "Sudah diperbaiki", "dpu-admin", NOW)
    assert caught.value.code == "illegal_transition"


def test_a_return_clears_the_agency_and_a_new_classification_reopens_the_case():
    case = apply(new_case(), core.forward(new_case(), "dpu", "admin1", NOW))
    case = apply(case, core.return_to_officers(case, "Bukan wewenang kami", "dpu-admin", NOW))
    assert case["status"] == "returned" and case["agency"] is None
    reopened = apply(case, core.classified(case, {**CLASSIFIED, "agencies": ["dlh"]}, NOW))
    assert reopened["status"] == "classified" and reopened["agencies"] == ["dlh"]


@pytest.mark.parametrize("parse", [core.parse_reason, core.parse_follow_up])
def test_texts_are_required(parse):
    with pytest.raises(CommandRejected):
        parse({})
    with pytest.raises(CommandRejected):
        parse({"reason": {"$gt": ""}, "follow_up": {"$gt": ""}})
