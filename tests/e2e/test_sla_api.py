"""Deadlines through the gateway: calendar, policies, SLA history, pause and resume."""

from datetime import date, timedelta

import pytest

from tests.support.api import Api

pytestmark = pytest.mark.e2e


def test_the_calendar_of_a_year_lists_lebaran_and_its_cuti_bersama(stack):
    api = Api(stack.url)
    days = {d["date"]: d for d in api.http.get("/api/v1/calendar/2026").json()["days_off"]}
    for day in ("2026-03-20", "2026-03-21", "2026-03-23", "2026-03-24", "2026-12-25"):
        assert day in days
    assert api.http.get("/api/v1/calendar/1850").status_code == 422


def test_a_supervisor_adds_a_day_off_and_open_deadlines_move(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    before = api.wait_for(ticket, lambda v: v.get("deadline"))["deadline"]
    due = date.fromisoformat(before["due_at"][:10])
    assert before["remaining_working_days"] >= 4 and before["state"] == "on_track"

    # a new cuti bersama on a working day before the deadline pushes it one working day
    day_off = due - timedelta(days=1)
    while day_off.weekday() >= 5:
        day_off -= timedelta(days=1)
    body = {
        "date": day_off.isoformat(),
        "working": False,
        "reason": "Cuti bersama tambahan menurut SKB 3 Menteri",
    }
    refused = api.http.post("/api/v1/calendar/days", json=body, headers=api.login("officer1"))
    assert refused.status_code == 403
    response = api.http.post("/api/v1/calendar/days", json=body, headers=api.login("supervisor1"))
    assert response.status_code == 200, response.text
    recompute = f"/api/v1/calendar/recomputes/{response.json()['recompute']}"
    done = api.wait_until(
        lambda: api.http.get(recompute, headers=api.login("supervisor1")).json(),
        lambda r: r["state"] == "done",
    )
    assert done["deadlines_moved"] >= 1
    after = api.wait_for(ticket, lambda v: v["deadline"]["due_at"] != before["due_at"])
    assert after["deadline"]["due_at"][:10] > before["due_at"][:10]

    history = api.http.get(
        f"/api/v1/complaints/{ticket}/sla", headers=api.login("supervisor1")
    ).json()
    reasons = [d["reason"] for d in history["deadlines"]]
    assert reasons[0] == "received" and "Cuti bersama tambahan" in reasons[-1]
    year = api.http.get(f"/api/v1/calendar/{day_off.year}").json()
    assert {"date": day_off.isoformat(), "working": False, "by": "supervisor1"}.items() <= {
        **next(c for c in year["local_changes"] if c["date"] == day_off.isoformat())
    }.items()

    # undo it, so other tests see the national calendar
    body["working"] = True
    body["reason"] = "Dibatalkan: kembali hari kerja"
    assert (
        api.http.post(
            "/api/v1/calendar/days", json=body, headers=api.login("supervisor1")
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2026-02-30", "working": False, "reason": "tanggal salah"},
        {"date": "2099-01-01", "working": False, "reason": "terlalu jauh"},
        {"date": "2026-12-31", "reason": "tanpa working"},
    ],
)
def test_bad_calendar_changes_are_refused(stack, body):
    api = Api(stack.url)
    before = api.http.get("/api/v1/calendar/2026").json()
    response = api.http.post("/api/v1/calendar/days", json=body, headers=api.login("supervisor1"))
    assert response.status_code == 422 and response.json()["error"] == "invalid_field"
    assert api.http.get("/api/v1/calendar/2026").json() == before


def test_policies_are_listed_and_added_without_code(stack):
    api = Api(stack.url)
    listed = api.http.get("/api/v1/sla/policies").json()["policies"]
    assert any(
        p["id"] == "perwal-semarang-5-2023" and p["working_days"]["cross_agency"] == 10
        for p in listed
    )
    policy = {
        "id": "registri-layanan-5-14-60",
        "version": 1,
        "rule": "Registri layanan publik nasional",
        "working_days": {"single_agency": 5, "cross_agency": 14, "cross_institution": 60},
        "stage_targets": {"review": 1, "forward": 1, "agency_response": 1},
        "warn_fractions": [0.5, 0.8],
        "warn_days_before": [1],
        "categories": ["perizinan_pajak"],
    }
    assert (
        api.http.post(
            "/api/v1/sla/policies", json=policy, headers=api.login("officer1")
        ).status_code
        == 403
    )
    created = api.http.post("/api/v1/sla/policies", json=policy, headers=api.login("supervisor1"))
    assert created.status_code == 201, created.text
    again = api.http.post("/api/v1/sla/policies", json=policy, headers=api.login("supervisor1"))
    assert again.status_code == 422 and again.json()["field"] == "version"
    one = api.http.get("/api/v1/sla/policies/registri-layanan-5-14-60").json()
    assert [v["version"] for v in one["versions"]] == [1]
    unknown = api.http.get("/api/v1/sla/policies/tidak-ada")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"

    # a licensing complaint classified cross_agency now gets 14 working days
    ticket = api.submit().json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    api.act(
        "officer1",
        ticket,
        "classify",
        {
            "category": "perizinan_pajak",
            "scope": "cross_agency",
            "agencies": ["dpmptsp", "bapenda"],
        },
    )
    view = api.wait_for(ticket, lambda v: (v["deadline"] or {}).get("working_days") == 14)
    history = api.http.get(f"/api/v1/complaints/{ticket}/sla", headers=api.login("officer1")).json()
    assert history["policy"] == {"id": "registri-layanan-5-14-60", "version": 1}
    assert view["deadline"]["scope"] == "cross_agency"


def test_pausing_for_the_reporter_stops_and_extends_the_clock(stack):
    api = Api(stack.url)
    ticket = api.submit().json()["ticket"]
    api.wait_for(ticket, lambda v: v.get("deadline"))
    paused = api.http.post(f"/api/v1/complaints/{ticket}/pause", headers=api.login("officer1"))
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    again = api.http.post(f"/api/v1/complaints/{ticket}/pause", headers=api.login("officer1"))
    assert again.status_code == 409
    api.wait_for(ticket, lambda v: v["sla_state"] == "paused")
    resumed = api.http.post(f"/api/v1/complaints/{ticket}/resume", headers=api.login("officer1"))
    assert resumed.status_code == 200 and resumed.json()["state"] == "on_track"
    assert resumed.json()["paused_working_days"] == 0  # paused and resumed the same day
    assert api.http.post(f"/api/v1/complaints/{ticket}/pause").status_code == 401
    other = api.http.post(f"/api/v1/complaints/{ticket}/pause", headers=api.login("dpu-admin"))
    assert other.status_code in (403, 404)


def test_supervisors_read_the_weekly_digest_and_sla_metrics_are_exported(stack):
    api = Api(stack.url)
    assert api.http.get("/api/v1/sla/digest", headers=api.login("officer1")).status_code == 403
    response = api.http.get("/api/v1/sla/digest", headers=api.login("supervisor1"))
    assert response.status_code in (200, 404)  # recorded from Monday 08:00 on
    if response.status_code == 200:
        assert response.json()["week"].startswith("20") and "message" in response.json()
    import httpx

    metrics = httpx.get(f"http://127.0.0.1:{stack.metrics_ports['sla']}/metrics").text
    assert 'aduan_sla_open_complaints{state="on_track"}' in metrics
    assert "aduan_sla_seconds_to_next_breach" in metrics
