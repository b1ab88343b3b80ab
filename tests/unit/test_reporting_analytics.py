"""The analytics' pure parts: a complaint's facts, open at a month's end, the percentiles
of the working-days histogram, and a month's figures."""

import random
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from services.reporting import analytics, core
from tests.support.complaint_year import year_of_events

# 1 April 2026 01:00 in Semarang; a Wednesday.
T0 = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)


def build(events: list[dict]) -> dict:
    view = None
    for event in events:
        view, _ = core.record(view, event["ticket"], event)
    return view


def complaints(n: int) -> dict[str, list[dict]]:
    by_ticket: dict[str, list[dict]] = {}
    for event in year_of_events(n, seed=3):
        by_ticket.setdefault(event["ticket"], []).append(event)
    return by_ticket


SOME = complaints(60)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(sorted(SOME)), st.randoms(use_true_random=False))
def test_the_facts_do_not_depend_on_the_order_events_arrive_in(ticket, rng):
    events = SOME[ticket]
    arrival = rng.sample(events, len(events))
    redelivered = [*arrival, *rng.sample(events, min(3, len(events)))]
    in_order = build(events)["facts"]
    assert build(arrival)["facts"] == in_order
    # A redelivery reaches record() only when the store has not applied it (bulk.py
    # skips applied ids); folded again with its duplicate, the facts stay the same too.
    assert (
        core.rebuilt(ticket, list({e["event_id"]: e for e in redelivered}.values()))["facts"]
        == in_order
    )
    assert core.rebuilt(ticket, events) == build(events)


def event(n: int, kind: str, data: dict, days: float = 0) -> dict:
    at = T0.timestamp() + days * 86400 + n
    return {
        "event_id": f"e{n}",
        "type": kind,
        "version": 1,
        "occurred_at": datetime.fromtimestamp(at, UTC).isoformat(),
        "ticket": "SMG-2026-000001",
        "data": data,
    }


RECEIVED = event(
    0,
    "complaint.received",
    {
        "channel": "sms",
        "received_at": T0.isoformat(),
        "title": "Lampu mati",
        "description": "Lampu jalan mati",
        "location": {"kecamatan": "Genuk"},
        "confidential": False,
    },
)
CLASSIFIED = event(
    2,
    "complaint.classified",
    {"category": "penerangan_transportasi", "scope": "single_agency", "agencies": ["dishub"]},
)
DEADLINE = event(
    3,
    "sla.deadline_set",
    {
        "scope": "single_agency",
        "working_days": 5,
        "due_at": "2026-04-08T23:59:59+07:00",
        "policy": "p",
    },
)
FORWARDED = event(4, "complaint.forwarded", {"agency": "dishub"})
ACCEPTED = event(5, "complaint.accepted", {"agency": "dishub"})


def resolved(days: float) -> dict:
    return event(6, "complaint.resolved", {"agency": "dishub", "follow_up": "Diganti"}, days)


LIFE = [RECEIVED, event(1, "complaint.triaged", {"suggested_category": "x"}), CLASSIFIED]
LIFE += [DEADLINE, FORWARDED, ACCEPTED]


def test_a_complaint_resolved_in_time_and_one_late():
    fast = build([*LIFE, resolved(1)])["facts"]
    assert fast["month"] == "2026-04" and fast["agency"] == "dishub"
    assert fast["category"] == "penerangan_transportasi" and fast["kecamatan"] == "Genuk"
    assert fast["within_deadline"] is True and fast["working_days"] == 1
    assert fast["open_months"] == [] and fast["open_from"] is None
    # 22 days later: 22 April, past the deadline; 1 to 22 April holds three weekends
    # and Good Friday (3 April), so 14 working days after the day of receipt.
    late = build([*LIFE, resolved(21)])["facts"]
    assert late["within_deadline"] is False and late["working_days"] == 14


def test_open_at_the_end_of_each_month_it_was_open_in():
    # Received 1 April, still open: open at the end of April and of every month after.
    still = build(LIFE)["facts"]
    assert still["open_months"] == [] and still["open_from"] == "2026-04"
    assert analytics.is_open_at_end(still, "2026-04") and analytics.is_open_at_end(still, "2026-09")
    assert not analytics.is_open_at_end(still, "2026-03")
    # Resolved on 15 June: open at the ends of April and May only.
    done = build([*LIFE, resolved(75)])["facts"]
    assert done["open_months"] == ["2026-04", "2026-05"] and done["open_from"] is None
    # Then reopened on 1 August: open again from August on.
    reopened = event(7, "complaint.reopened", {"reason": "belum"}, 122)
    again = build([*LIFE, resolved(75), reopened])["facts"]
    assert again["open_months"] == ["2026-04", "2026-05"] and again["open_from"] == "2026-08"
    assert again["reopenings"] == 1 and again["resolved_at"] is None


def test_percentiles_of_the_histogram_are_nearest_rank():
    histogram = [0] * 61
    for days in (1, 2, 2, 3, 10):
        histogram[days] += 1
    assert analytics.percentile(histogram, 0.5) == 2
    assert analytics.percentile(histogram, 0.9) == 10
    assert analytics.percentile([0] * 61, 0.5) is None
    histogram = [0] * 61
    histogram[60] = 3  # 60 working days or more
    assert analytics.percentile(histogram, 0.9) == 60


@given(st.lists(st.integers(0, 90), min_size=1, max_size=200), st.sampled_from([0.5, 0.9]))
def test_the_histogram_percentile_is_the_sorted_lists(values, share):
    histogram = [0] * 61
    for value in values:
        histogram[min(value, 60)] += 1
    ordered = sorted(min(v, 60) for v in values)
    rank = -(-share * len(ordered) // 1)  # ceil
    assert analytics.percentile(histogram, share) == ordered[int(rank) - 1]


def test_a_months_figures_by_dimension_add_up_to_its_total():
    facts = [build(events)["facts"] for events in complaints(150).values()]
    random.Random(0).shuffle(facts)
    for month in ("2026-03", "2026-07"):
        for by in analytics.DIMENSIONS:
            result = analytics.month_analytics(month, by, facts)
            assert result["month"] == month and result["by"] == by
            for figure in ("received", "resolved", "open_at_month_end", "returns"):
                assert sum(r[figure] for r in result["rows"]) == result["total"][figure]
            total = result["total"]
            assert total["received"] == sum(f["month"] == month for f in facts)
            share = total["within_deadline_share"]
            assert share is None or 0 <= share <= 1
            wd = total["working_days_to_resolve"]
            assert wd["counted"] == total["resolved"]
            assert wd["median"] <= wd["p90"]
