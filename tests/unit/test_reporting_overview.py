from services.contracts.lifecycle import Status
from services.reporting import overview


def test_counts_add_up_by_state_and_agency_and_the_most_behind_come_first():
    rows = [
        ("dpu", "on_track", 5),
        ("dpu", "overdue", 1),
        ("dlh", "overdue", 3),
        ("dlh", "due_soon", 2),
        (None, "on_track", 4),
        (None, "paused", 1),
        ("dishub", "due_soon", 2),
    ]
    found = overview.overview(rows, [{"ticket": "SMG-2026-000001"}])
    assert found["open"] == 18
    assert found["by_sla_state"] == {"on_track": 9, "due_soon": 4, "paused": 1, "overdue": 4}
    assert [a["agency"] for a in found["by_agency"]] == ["dlh", "dpu", "dishub", None]
    assert found["by_agency"][0] == {
        "agency": "dlh",
        "open": 5,
        "on_track": 0,
        "due_soon": 2,
        "paused": 0,
        "overdue": 3,
    }
    assert found["oldest"] == [{"ticket": "SMG-2026-000001"}]


def test_a_view_without_a_known_state_counts_as_on_track_and_nothing_open_is_zeros():
    found = overview.overview([("dpu", None, 2), ("dpu", "stopped", 1)], [])
    assert found["by_sla_state"]["on_track"] == 3
    empty = overview.overview([], [])
    assert empty == {
        "open": 0,
        "by_sla_state": dict.fromkeys(overview.SLA_STATES, 0),
        "by_agency": [],
        "oldest": [],
    }


def test_open_means_handling_under_way():
    assert Status.RESOLVED not in overview.OPEN_STATUSES
    assert Status.LINKED not in overview.OPEN_STATUSES
    assert Status.RETURNED in overview.OPEN_STATUSES
