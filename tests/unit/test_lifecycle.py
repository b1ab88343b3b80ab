import pytest

from services.contracts.errors import CommandRejected
from services.contracts.lifecycle import (
    FINAL_STATUSES,
    STATUS_AFTER_EVENT,
    TRANSITIONS,
    Action,
    Status,
    next_status,
)

HAPPY_PATH = [
    (Action.TRIAGE, Status.AWAITING_REVIEW),
    (Action.CLASSIFY, Status.CLASSIFIED),
    (Action.FORWARD, Status.FORWARDED),
    (Action.ACCEPT, Status.ACCEPTED),
    (Action.RESOLVE, Status.RESOLVED),
    (Action.CLOSE, Status.CLOSED),
]


def test_the_six_steps_lead_from_received_to_closed():
    status = Status.RECEIVED
    for action, expected in HAPPY_PATH:
        status = next_status(status, action)
        assert status == expected


def test_a_returned_complaint_goes_back_to_the_officers():
    status = next_status(Status.FORWARDED, Action.RETURN)
    assert status == Status.RETURNED
    assert next_status(status, Action.CLASSIFY) == Status.CLASSIFIED
    assert next_status(status, Action.REJECT) == Status.REJECTED


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_move_outside_the_table_is_an_illegal_transition(status, action):
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) == TRANSITIONS[(status, action)]
        return
    with pytest.raises(CommandRejected) as caught:
        next_status(status, action)
    assert caught.value.code == "illegal_transition"
    assert status.value in caught.value.message


def test_a_closed_complaint_can_be_reopened_for_a_new_review():
    assert next_status(Status.CLOSED, Action.REOPEN) == Status.AWAITING_REVIEW


def test_final_statuses_have_no_way_out():
    assert not [key for key in TRANSITIONS if key[0] in FINAL_STATUSES]


def test_every_status_is_announced_by_an_event():
    announced = set(STATUS_AFTER_EVENT.values())
    assert announced == set(Status)
