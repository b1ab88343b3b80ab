"""The agency hooks' pure core: who hears of an event, the signed body, and a feed's
course through deliveries, retries, parking and redelivery."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from services.agency_hooks import core
from services.contracts.errors import CommandRejected

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
ENDPOINT = {"_id": "ep1", "agency": "dpu"}
POLICY = core.RetryPolicy(
    base=timedelta(seconds=10), cap=timedelta(hours=1), retry_for=timedelta(hours=24)
)


def event(kind: str, data: dict | None = None, event_id: str = "e1") -> dict:
    return {
        "event_id": event_id,
        "type": kind,
        "version": 1,
        "occurred_at": NOW.isoformat(),
        "ticket": "SMG-2026-000001",
        "data": data or {},
    }


def test_events_naming_an_agency_concern_it_and_replies_follow_the_assignment():
    concerned = core.concerned_agencies
    forwarded = event("complaint.forwarded", {"agency": "dpu", "admin": "admin1"})
    assert concerned(None, forwarded) == ["dpu"]
    assignment = core.assigned(None, forwarded)
    assert assignment == {"agencies": ["dpu"], "last_agencies": ["dpu"]}
    assert concerned(assignment, event("reporter.replied", {"text": "x"})) == ["dpu"]
    breach = event("sla.breached", {"agency": "dlh", "recipients": ["supervisor"]})
    assert concerned(assignment, breach) == ["dlh"]
    assert concerned(assignment, event("sla.warning", {"agency": None})) == []
    # Returned: the agency hears its own return; replies afterwards go to nobody.
    returned = event("complaint.returned", {"agency": "dpu", "reason": "r", "by": "x"})
    assert concerned(assignment, returned) == ["dpu"]
    after = core.assigned(assignment, returned)
    assert concerned(after, event("reporter.replied")) == []
    # The agency that last had it hears of its closing and a reopening.
    assert concerned(after, event("complaint.reopened")) == ["dpu"]
    assert concerned(None, event("reporter.replied")) == []
    assert core.assigned(assignment, event("sla.warning", {"agency": "dpu"})) is None
    # An assignment stored before multi-agency cases.
    old = {"agency": "dpu", "last_agency": "dpu"}
    assert concerned(old, event("reporter.replied")) == ["dpu"]


def test_every_agency_with_a_task_hears_and_a_moved_task_tells_both():
    concerned = core.concerned_agencies
    tasks = [{"agency": "dpu", "lead": True}, {"agency": "dlh", "lead": False}]
    forwarded = event("complaint.forwarded", {"agency": "dpu", "admin": "a", "tasks": tasks})
    assert concerned(None, forwarded) == ["dpu", "dlh"]
    assignment = core.assigned(None, forwarded)
    assert concerned(assignment, event("reporter.replied")) == ["dpu", "dlh"]
    overdue = event("sla.stage_overdue", {"agency": "dlh", "agencies": ["dlh"]})
    assert concerned(assignment, overdue) == ["dlh"]
    breach = event("sla.breached", {"agency": "dpu", "agencies": ["dpu", "dlh"]})
    assert concerned(assignment, breach) == ["dpu", "dlh"]
    moved = event(
        "complaint.task_reassigned",
        {"agency": "dishub", "from_agency": "dlh", "lead": False, "reason": "r", "admin": "a"},
    )
    assert concerned(assignment, moved) == ["dlh", "dishub"]
    after = core.assigned(assignment, moved)
    assert concerned(after, event("reporter.replied")) == ["dpu", "dishub"]
    returned = event("complaint.returned", {"agency": "dpu", "withdrawn": ["dishub"]})
    assert concerned(after, returned) == ["dpu", "dishub"]
    with pytest.raises(core.MalformedEvent):
        core.check_event(event("complaint.task_reassigned", {"agency": "dishub"}))


def test_the_body_is_signed_over_timestamp_and_body_and_carries_no_recipients():
    breach = event("sla.breached", {"agency": "dpu", "recipients": ["agency_head:dpu"]})
    feed = core.enqueued(None, ENDPOINT, breach, NOW)
    head = feed["queue"][0]
    body = json.loads(head["body"])
    assert body["id"] == "e1" and body["sequence"] == 1 and body["agency"] == "dpu"
    assert "recipients" not in body["data"]
    assert body["links"]["complaint"] == "/api/v1/complaints/SMG-2026-000001"
    headers = core.request_headers("whsec_x", head, NOW)
    timestamp = int(NOW.timestamp())
    expected = core.signature("whsec_x", timestamp, head["body"].encode())
    assert headers[core.SIGNATURE_HEADER] == f"t={timestamp},v1={expected}"
    assert core.signature("other", timestamp, head["body"].encode()) != expected
    assert headers["Aduan-Event-Id"] == "e1" and headers["Aduan-Sequence"] == "1"


def test_a_feed_numbers_its_events_and_sends_them_in_order():
    feed = core.enqueued(None, ENDPOINT, event("complaint.forwarded", {"agency": "dpu"}), NOW)
    assert (feed["status"], feed["open"], feed["due_at"]) == ("pending", True, NOW)
    feed |= {"attempts": 0}
    second = core.enqueued(feed, ENDPOINT, event("reporter.replied", event_id="e2"), NOW)
    feed |= second
    assert [i["seq"] for i in feed["queue"]] == [1, 2] and feed["next_seq"] == 3
    feed |= core.claimed(feed, NOW, POLICY)
    assert feed["status"] == "sending"
    assert core.claimed(feed, NOW, POLICY) is None  # leased: no second sender
    feed |= core.head_delivered(feed, "e1", NOW, POLICY)
    assert [i["event_id"] for i in feed["queue"]] == ["e2"] and feed["status"] == "sending"
    feed |= core.head_delivered(feed, "e2", NOW, POLICY)
    assert (feed["queue"], feed["status"], feed["open"]) == ([], "idle", False)
    # A delivery recorded twice (a crash after the send) pops nothing more.
    assert core.head_delivered(feed, "e2", NOW, POLICY)["queue"] == []
    # The next event opens the idle feed again.
    third = core.enqueued(feed, ENDPOINT, event("complaint.closed", event_id="e3"), NOW)
    assert third["status"] == "pending" and third["queue"][0]["seq"] == 3


def test_a_failing_head_is_retried_with_growing_delays_for_a_day_then_parked():
    feed = core.enqueued(None, ENDPOINT, event("complaint.forwarded", {"agency": "dpu"}), NOW)
    moment, delays = NOW, []
    while True:
        feed |= core.claimed(feed, feed["due_at"], POLICY)
        feed |= core.head_failed(feed, "HTTP 500", moment, POLICY)
        if feed["status"] == "parked":
            break
        delays.append(feed["due_at"] - moment)
        moment = feed["due_at"]
    assert delays[:3] == [timedelta(seconds=s) for s in (10, 20, 40)]
    assert max(delays) == timedelta(hours=1)
    assert moment - NOW >= timedelta(hours=24) and not feed["open"]
    # Queued behind a parked head: stays parked, in order.
    behind = core.enqueued(feed, ENDPOINT, event("reporter.replied", event_id="e2"), moment)
    assert "status" not in behind and len(behind["queue"]) == 2
    feed |= behind
    again = core.unparked(feed, moment)
    assert again["status"] == "pending" and again["attempts"] == 0 and again["open"]
    assert core.unparked(feed | again, moment) is None


def test_a_delivered_event_replayed_keeps_its_id_sequence_and_body():
    feed = core.enqueued(None, ENDPOINT, event("complaint.forwarded", {"agency": "dpu"}), NOW)
    sent = feed["queue"][0]
    feed |= core.head_delivered(feed | {"attempts": 0}, "e1", NOW, POLICY)
    feed |= core.replayed(feed, sent, NOW)
    again = feed["queue"][0]
    assert (again["event_id"], again["seq"], again["body"]) == ("e1", 1, sent["body"])
    assert again["redelivery"] and feed["status"] == "pending"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": "ftp://example.org/hook"}, "url"),
        ({"url": "https://user:pw@example.org/hook"}, "url"),
        ({"url": "https:///nohost"}, "url"),
        ({"url": "https://example.org/h", "events": ["complaint.received"]}, "events"),
        ({"url": "https://example.org/h", "events": "complaint.forwarded"}, "events"),
        ({"url": "https://example.org/h", "colour": "red"}, "colour"),
        ({"url": {"$gt": ""}}, "url"),
        ([], "body"),
    ],
)
def test_an_endpoint_outside_the_rules_is_refused_naming_the_field(body, field):
    with pytest.raises(CommandRejected) as refused:
        core.parse_endpoint(body)
    assert refused.value.code == "invalid_field" and refused.value.field == field


def test_an_endpoint_gets_every_hook_event_unless_it_names_some():
    assert core.parse_endpoint({"url": "https://dpu.example/hook"})["events"] == list(
        core.HOOK_EVENT_NAMES
    )
    named = core.parse_endpoint({"url": "http://10.0.0.5/h", "events": ["sla.breached"]})
    assert named["events"] == ["sla.breached"]


def test_another_agencys_endpoint_is_not_found():
    mine = {"_id": "ep1", "agency": "dpu"}
    assert core.check_owner(mine, "dpu", "ep1") is mine
    assert core.check_owner(mine, None, "ep1") is mine  # a supervisor
    with pytest.raises(CommandRejected):
        core.check_owner(mine, "dlh", "ep1")
    with pytest.raises(CommandRejected):
        core.check_owner(None, "dpu", "ep1")


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "t"},
        {"ticket": ""},
        {"type": "complaint.forwarded", "data": {"agency": None}},
    ],
)
def test_an_event_not_shaped_as_its_type_raises_to_be_parked(broken):
    core.check_event(event("sla.warning", {"agency": "dpu"}))
    with pytest.raises(core.MalformedEvent):
        core.check_event(event("sla.warning", {"agency": "dpu"}) | broken)
