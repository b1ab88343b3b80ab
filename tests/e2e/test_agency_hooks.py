"""Agencies' systems hear of their complaints through signed webhooks (agency_hooks):
Dishub's stand-in receives the forwarded event with a valid signature and calls back
with its API key to accept and resolve, and the reporter gets the result; Disperkim's
endpoint answers 500 for a while and gets its events later, in order per complaint and
once each by id, while Dishub's keep flowing; the hooks service SIGKILLed mid-delivery
delivers everything after a restart, recorded once as delivered; a failing endpoint
is parked after the retry period and sent again on request; agencies see and manage
only their own endpoints and deliveries."""

import time
import uuid

import httpx
import pytest

from tests.support.agency_receiver import AgencyReceiver
from tests.support.api import Api, complaint
from tests.support.processes import free_port

pytestmark = pytest.mark.e2e

HOOKS = "/api/v1/agency-hooks"
CATEGORY = {"dishub": "penerangan_transportasi", "disperkim": "lingkungan_perumahan"}


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


@pytest.fixture
def endpoints(api):
    """Registers receivers as a supervisor and removes them after the test, so that no
    later test's complaint is retried against a stopped receiver."""
    made: list[tuple[str, AgencyReceiver]] = []

    def register(agency: str, receiver: AgencyReceiver, **extra) -> dict:
        body = {"agency": agency, "url": receiver.url, **extra}
        created = api.http.post(f"{HOOKS}/endpoints", json=body, headers=api.login("supervisor1"))
        assert created.status_code == 201, created.text
        endpoint = created.json()
        assert endpoint["secret"].startswith("whsec_") and created.headers["cache-control"]
        receiver.secret = endpoint["secret"]
        made.append((endpoint["id"], receiver))
        return endpoint

    yield register
    for endpoint_id, receiver in made:
        api.http.post(f"{HOOKS}/endpoints/{endpoint_id}/remove", headers=api.login("supervisor1"))
        receiver.stop()


def agency_key(api: Api, agency: str, permissions: list[str]) -> dict:
    body = {"agency": agency, "name": f"Sistem {agency} {uuid.uuid4().hex[:6]}"}
    created = api.http.post(
        "/api/v1/agency-keys",
        json=body | {"permissions": permissions},
        headers=api.login("supervisor1"),
    )
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['key']}"}


def forwarded_to(api: Api, agency: str) -> str:
    ticket = api.submit(complaint(title=f"Keluhan untuk {agency}")).json()["ticket"]
    api.classify_and_forward(ticket, CATEGORY[agency], [agency])
    return ticket


def types_of(receiver: AgencyReceiver, ticket: str) -> list[tuple[int, str]]:
    return [(e["sequence"], e["type"]) for e in receiver.unique(ticket)]


def test_an_agency_system_is_told_signs_nothing_wrong_and_answers_with_its_key(api, endpoints):
    key = agency_key(api, "dishub", ["read", "accept", "resolve", "deliveries"])

    def act_on(event: dict) -> None:  # the agency's system, as an integrator writes it
        if event["type"] != "complaint.forwarded":
            return
        with httpx.Client(base_url=api.http.base_url, headers=key, timeout=15) as gateway:
            link = event["links"]["complaint"]
            assert gateway.get(link).json()["agency"] == "dishub"
            assert gateway.post(f"{link}/accept", json={}).status_code == 200
            follow_up = {"follow_up": "Lampu penerangan jalan sudah diganti petugas Dishub."}
            assert gateway.post(f"{link}/resolve", json=follow_up).status_code == 200

    receiver = AgencyReceiver(on_event=act_on)
    endpoints("dishub", receiver, description="Sistem antrean Dishub")
    receipt = api.submit(complaint(title="Lampu jalan mati")).json()
    ticket = receipt["ticket"]
    api.classify_and_forward(ticket, CATEGORY["dishub"], ["dishub"])

    view = api.wait_result_conveyed(ticket, timeout=40)  # the reporter got the result
    assert "Lampu penerangan" in str(view)
    # The reporter is not satisfied: the agency hears of it.
    rating_url = receipt["notifications_url"].replace("/notifications?", "/rating?")
    rated = api.http.post(rating_url, json={"rating": 1, "comment": "Masih mati di malam hari"})
    assert rated.status_code == 202, rated.text
    receiver.wait_for(lambda r: len(r.unique(ticket)) >= 2, what="the forwarding and dispute")
    assert types_of(receiver, ticket) == [(1, "complaint.forwarded"), (2, "complaint.disputed")]
    first = receiver.unique(ticket)[0]
    assert first["agency"] == "dishub" and first["data"]["agency"] == "dishub"
    assert first["_headers"]["aduan-event-id"] == first["id"]
    assert receiver.bad_signatures == 0
    assert "reporter" not in str(receiver.events()) and "0812" not in str(receiver.events())

    log = api.http.get(f"{HOOKS}/deliveries", params={"ticket": ticket}, headers=key).json()
    assert log["agency"] == "dishub"
    assert sorted((d["seq"], d["status"]) for d in log["deliveries"]) == [
        (1, "delivered"),
        (2, "delivered"),
    ]
    # Sent again on request: the same event id, marked as a redelivery.
    forwarded_entry = next(d for d in log["deliveries"] if d["seq"] == 1)
    again = api.http.post(f"{HOOKS}/deliveries/{forwarded_entry['id']}/redeliver", headers=key)
    assert again.status_code == 202, again.text
    receiver.wait_for(lambda r: len(r.events(ticket)) >= 3, what="the redelivery")
    replay = receiver.events(ticket)[-1]
    assert replay["id"] == first["id"] and replay["_headers"]["aduan-redelivery"] == "true"


def test_a_failing_endpoint_gets_its_events_later_in_order_while_another_keeps_flowing(
    api, endpoints
):
    healthy, flaky = AgencyReceiver(), AgencyReceiver()
    endpoints("dishub", healthy)
    endpoints("disperkim", flaky)
    flaky_key = agency_key(api, "disperkim", ["read", "return"])
    flaky.fail_for(3600)  # until Dishub has had its event

    # Disperkim's complaints: forwarded, returned (not theirs), forwarded again.
    theirs = [forwarded_to(api, "disperkim") for _ in range(2)]
    for ticket in theirs:
        reason = {"reason": "Bukan kewenangan kami, mohon diteruskan ulang."}
        assert api.act_with(flaky_key, ticket, "return", reason).status_code == 200
        api.wait_status(ticket, "returned")
        body = {"category": CATEGORY["disperkim"], "scope": "single_agency"}
        body |= {"agencies": ["disperkim"]}
        assert api.act("officer1", ticket, "classify", body).status_code == 200
        api.wait_status(ticket, "classified")
        assert api.act("admin1", ticket, "forward", {}).status_code == 200
    ours = forwarded_to(api, "dishub")
    healthy.wait_for(lambda r: r.unique(ours), what="Dishub's forwarding")
    assert flaky.refused > 0 and not flaky.events()  # Disperkim's still failing meanwhile
    flaky.failing_until = recovered = time.monotonic()

    expected = [(1, "complaint.forwarded"), (2, "complaint.returned"), (3, "complaint.forwarded")]
    flaky.wait_for(
        lambda r: all(len(r.unique(t)) == 3 for t in theirs), timeout=60, what="all events"
    )
    for ticket in theirs:
        assert types_of(flaky, ticket) == expected
        # In order as they arrived, not just once sorted.
        arrived = [e["sequence"] for e in flaky.unique(ticket)]
        assert arrived == [1, 2, 3]
        assert all(e["_at"] >= recovered for e in flaky.events(ticket))


def test_a_hooks_service_killed_mid_delivery_delivers_everything_recorded_once(
    api, stack, endpoints
):
    receiver = AgencyReceiver()
    receiver.answer_delay = 0.4  # deliveries are in flight when the service dies
    endpoint = endpoints("dishub", receiver, events=["complaint.forwarded"])
    tickets = [forwarded_to(api, "dishub") for _ in range(2)]
    receiver.wait_for(lambda r: r.events(), what="a first delivery")
    stack.kill("agency_hooks")
    tickets += [forwarded_to(api, "dishub") for _ in range(3)]
    stack.start("agency_hooks")
    stack.wait_service("agency_hooks")

    receiver.wait_for(
        lambda r: all(r.unique(t) for t in tickets), timeout=60, what="every forwarding"
    )
    assert sorted(e["ticket"] for e in receiver.unique()) == sorted(tickets)
    deliveries = stack.database("agency_hooks").deliveries

    def logged() -> list[tuple[str, str]]:  # the answer reaches the receiver first
        return sorted(
            (d["ticket"], d["status"]) for d in deliveries.find({"endpoint": endpoint["id"]})
        )

    api.wait_until(logged, lambda found: found == sorted((t, "delivered") for t in tickets))


def test_an_endpoint_failing_past_the_retry_period_is_parked_and_sent_again_on_request(
    api, endpoints
):
    receiver = AgencyReceiver()
    receiver.fail_for(3600)
    endpoint = endpoints("disperkim", receiver)
    ticket = forwarded_to(api, "disperkim")
    supervisor = api.login("supervisor1")

    def parked() -> list[dict]:
        params = {"agency": "disperkim", "status": "parked", "ticket": ticket}
        return api.http.get(f"{HOOKS}/deliveries", params=params, headers=supervisor).json()[
            "deliveries"
        ]

    api.wait_until(parked, lambda found: len(found) == 1, timeout=60)  # ADUAN_HOOKS_RETRY_FOR, 30 s
    assert parked()[0]["attempts"] > 3 and parked()[0]["last_status"] == 500
    receiver.failing_until = 0.0
    redo = api.http.post(f"{HOOKS}/endpoints/{endpoint['id']}/redeliver-parked", headers=supervisor)
    assert redo.status_code == 200 and redo.json()["feeds"] == 1
    receiver.wait_for(lambda r: r.unique(ticket), what="the parked event")
    assert types_of(receiver, ticket) == [(1, "complaint.forwarded")]


def test_agencies_manage_and_read_only_their_own_hooks(api, endpoints):
    theirs = endpoints("disperkim", AgencyReceiver())
    dpu = api.login("dpu-admin")
    mine = api.http.post(f"{HOOKS}/endpoints", json={"url": "https://dpu.example/h"}, headers=dpu)
    assert mine.status_code == 201 and mine.json()["agency"] == "dpu"
    try:
        listed = api.http.get(f"{HOOKS}/endpoints", headers=dpu).json()["endpoints"]
        assert {e["agency"] for e in listed} == {"dpu"} and "whsec_" not in str(listed)
        other = {"agency": "disperkim", "url": "https://x.example/h"}
        refused = api.http.post(f"{HOOKS}/endpoints", json=other, headers=dpu)
        assert refused.status_code == 403
        for path in ("remove", "rotate-secret", "redeliver-parked"):
            answer = api.http.post(f"{HOOKS}/endpoints/{theirs['id']}/{path}", headers=dpu)
            assert answer.status_code == 404, (path, answer.text)
        found = api.http.get(f"{HOOKS}/deliveries", params={"agency": "disperkim"}, headers=dpu)
        assert found.json()["agency"] == "dpu"
        # Bad input gets a 4xx naming the field; a key without `deliveries` is refused.
        bad = api.http.post(f"{HOOKS}/endpoints", json={"url": "ftp://x"}, headers=dpu)
        assert bad.status_code == 422 and bad.json()["field"] == "url"
        bad = api.http.get(f"{HOOKS}/deliveries", params={"status": "lost"}, headers=dpu)
        assert bad.status_code == 422 and bad.json()["field"] == "status"
        reader = agency_key(api, "dpu", ["read"])
        assert api.http.get(f"{HOOKS}/deliveries", headers=reader).status_code == 403
        registering = agency_key(api, "dpu", ["deliveries"])
        answer = api.http.post(
            f"{HOOKS}/endpoints", json={"url": "https://y.example/h"}, headers=registering
        )
        assert answer.status_code == 403
        missing = api.http.post(f"{HOOKS}/deliveries/nope/redeliver", headers=dpu)
        assert missing.status_code == 404
        rotated = api.http.post(f"{HOOKS}/endpoints/{mine.json()['id']}/rotate-secret", headers=dpu)
        assert rotated.status_code == 200 and rotated.json()["secret"] != mine.json()["secret"]
    finally:
        api.http.post(f"{HOOKS}/endpoints/{mine.json()['id']}/remove", headers=dpu)


def test_one_hooks_process_per_agency_sends_only_its_agencys_deliveries(api, stack, endpoints):
    dishub, disperkim = AgencyReceiver(), AgencyReceiver()
    endpoints("dishub", dishub, events=["complaint.forwarded"])
    theirs = endpoints("disperkim", disperkim, events=["complaint.forwarded"])
    stack.kill("agency_hooks")
    try:
        # Each process its own metrics port, as an operator gives them.
        own = {"ADUAN_METRICS_PORT_AGENCY_HOOKS": str(free_port())}
        stack.start("agency_hooks#dishub", ADUAN_HOOKS_AGENCIES="dishub", **own)
        stack.wait_service("agency_hooks")
        for_dishub, for_disperkim = forwarded_to(api, "dishub"), forwarded_to(api, "disperkim")
        dishub.wait_for(lambda r: r.unique(for_dishub), what="its forwarding")
        supervisor = api.login("supervisor1")
        params = {"agency": "disperkim", "ticket": for_disperkim, "endpoint": theirs["id"]}
        waiting = api.http.get(f"{HOOKS}/deliveries", params=params, headers=supervisor).json()
        # Queued by the dishub process, which does not send it.
        assert [d["status"] for d in waiting["deliveries"]] == ["pending"]
        time.sleep(1)
        assert not disperkim.events()
        own = {"ADUAN_METRICS_PORT_AGENCY_HOOKS": str(free_port())}
        stack.start("agency_hooks#disperkim", ADUAN_HOOKS_AGENCIES="disperkim", **own)
        disperkim.wait_for(lambda r: r.unique(for_disperkim), what="its forwarding")
        assert not dishub.unique(for_disperkim) and not disperkim.unique(for_dishub)
    finally:
        for name in ("agency_hooks#dishub", "agency_hooks#disperkim"):
            if name in stack.processes:
                stack.kill(name)
        stack.start("agency_hooks")
        stack.wait_service("agency_hooks")
