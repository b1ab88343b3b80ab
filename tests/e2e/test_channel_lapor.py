"""SP4N-LAPOR! end to end against a local server playing the national side: complaints
handed to the city are polled, each once, and status updates go back once each."""

import time
import uuid

import httpx
import pytest

from tests.support.api import Api
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def hand_over(providers, item: dict) -> None:
    lapor = providers["lapor"]
    with lapor.lock:
        lapor.items.append({"cursor": uuid.uuid4().hex, "item": item})


def lapor_item(**overrides) -> dict:
    return {
        "tracking_id": f"LPR{uuid.uuid4().hex[:10].upper()}",
        "title": "Pungutan liar pengurusan KTP",
        "content": "Petugas kelurahan Tlogosari Kulon meminta uang Rp100.000 untuk KTP-el.",
        "created_at": "2026-03-01T08:00:00+07:00",
        "reporter": {"anonymous": True},
        "location": {"kecamatan": "Pedurungan"},
        **overrides,
    }


def updates_for(providers, tracking_id: str, count: int) -> list[dict]:
    lapor = providers["lapor"]
    found = lambda: lapor.messages(f"/laporan/{tracking_id}/")  # noqa: E731
    wait_for(lambda: len(found()) >= count, 30, f"{count} updates for {tracking_id}")
    return found()


def ticket_for(stack, tracking_id: str) -> str:
    doc = wait_for(
        lambda: stack.database("lapor").conversations.find_one({"tracking_id": tracking_id}),
        30,
        f"ticket for {tracking_id}",
    )
    return doc["_id"]


def test_a_lapor_complaint_flows_to_closed_and_lapor_hears_each_step_once(api, stack, providers):
    item = lapor_item()
    hand_over(providers, item)
    ticket = ticket_for(stack, item["tracking_id"])
    [received] = updates_for(providers, item["tracking_id"], 1)
    assert received["status"] == "diproses" and ticket in received["message"]

    api.classify_and_forward(ticket, "administrasi_kependudukan", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Petugas yang meminta uang telah diberi sanksi")
    updates = updates_for(providers, item["tracking_id"], 3)
    assert [u["status"] for u in updates] == ["diproses", "diproses", "selesai"]
    assert "diberi sanksi" in updates[-1]["message"]
    time.sleep(1.5)
    assert len(providers["lapor"].messages(f"/laporan/{item['tracking_id']}/")) == 3
    # An anonymous LAPOR! reporter is answered through LAPOR!, never contacted directly.
    assert stack.database("intake").complaints.find_one({"ticket": ticket})["reporter"]["anonymous"]


def test_a_lapor_item_seen_twice_is_one_complaint(stack, providers):
    item = lapor_item(title="Jembatan penyeberangan rusak")
    hand_over(providers, item)
    ticket_for(stack, item["tracking_id"])
    # The national side hands the same complaint over again (a retry on its side).
    hand_over(providers, item)
    polls = providers["lapor"].polls
    wait_for(lambda: providers["lapor"].polls >= polls + 3, 20, "three more polls")
    count = stack.database("intake").complaints.count_documents(
        {"title": "Jembatan penyeberangan rusak"}
    )
    assert count == 1
    assert len(updates_for(providers, item["tracking_id"], 1)) == 1


def test_an_item_intake_cannot_take_is_returned_to_lapor_with_the_reason(stack, providers):
    item = lapor_item(title="?", content="")
    hand_over(providers, item)
    [returned] = updates_for(providers, item["tracking_id"], 1)
    assert returned["status"] == "dikembalikan"
    assert "Mohon lengkapi laporan" in returned["message"]


def test_operators_see_the_last_poll_and_pending_deliveries(stack, providers):
    lapor = httpx.get(f"http://127.0.0.1:{stack.metrics_ports['lapor']}/metrics").text
    [line] = [
        row
        for row in lapor.splitlines()
        if row.startswith("aduan_lapor_last_poll_timestamp_seconds ")
    ]
    assert time.time() - float(line.split()[1]) < 30
    sms = wait_for(
        lambda: httpx.get(f"http://127.0.0.1:{stack.metrics_ports['sms']}/metrics").text,
        10,
        "sms metrics",
    )
    assert 'aduan_deliveries_pending{service="sms"}' in sms
