"""The tamper-evident history through the running stack: complaints taken through the
flow leave hash-chained histories in dispatch, sla and the gateway (who did what, when,
from which address); `aduan-admin verify-history` passes on the untouched databases,
then names the complaint of an entry changed directly in MongoDB, of one deleted, of
two swapped, and of a staff action edited."""

import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api(stack) -> Api:
    return Api(stack.url)


def settled_case(stack, api: Api, ticket: str) -> dict:
    """The dispatch case once its last step (the result conveyed) is saved: nothing
    changes it while the test edits it behind the service's back."""
    cases = stack.database("dispatch").cases
    return api.wait_until(
        lambda: cases.find_one({"_id": ticket}),
        lambda case: case is not None and case.get("conveyed_at") is not None,
        30,
    )


def test_verify_history_finds_changed_deleted_and_swapped_entries(stack, api):
    tickets = []
    for n in range(4):
        answer = api.submit(complaint(title=f"Jalan berlubang di Jalan Kaligawe ruas {n + 1}"))
        assert answer.status_code == 202, answer.text
        ticket = answer.json()["ticket"]
        api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
        api.resolve_through(ticket, "dpu-admin", "Lubang jalan telah ditambal oleh tim DPU.")
        tickets.append(ticket)
    changed, deleted, swapped, edited = tickets
    cases = {ticket: settled_case(stack, api, ticket) for ticket in tickets}
    assert all(len(case["history"]) >= 4 for case in cases.values())

    # Who did what, when and from where: the supervisors read the staff actions' chain.
    path = f"/api/v1/complaints/{edited}/staff-actions"
    assert api.http.get(path, headers=api.login("officer1")).status_code == 403
    read = api.http.get(path, headers=api.login("supervisor1"))
    assert read.status_code == 200, read.text
    actions = read.json()["actions"]
    assert [(a["action"], a["by"]) for a in actions] == [
        ("classify", "officer1"),
        ("forward", "admin1"),
        ("accept", "dpu-admin"),
        ("resolve", "dpu-admin"),
    ]
    assert all(a["address"] == "127.0.0.1" for a in actions)
    assert actions[1]["prev"] == actions[0]["hash"]
    anchors = api.http.get("/api/v1/open-data/history-anchors")
    assert anchors.status_code == 200, anchors.text
    assert set(anchors.json()["anchors"]) == {"gateway", "dispatch", "sla"}

    intact = stack.admin("verify-history")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "verify-history: all" in intact.stdout and "chains intact" in intact.stdout

    db = stack.database("dispatch")
    history = cases[changed]["history"]
    history[1]["by"] = "orang-lain"
    db.cases.update_one({"_id": changed}, {"$set": {"history": history}})
    history = cases[deleted]["history"]
    db.cases.update_one({"_id": deleted}, {"$set": {"history": history[:1] + history[2:]}})
    history = cases[swapped]["history"]
    reordered = [history[0], history[2], history[1], *history[3:]]
    db.cases.update_one({"_id": swapped}, {"$set": {"history": reordered}})
    staff = stack.database("gateway").staff_actions
    entries = staff.find_one({"_id": edited})["history"]
    entries[3]["by"] = "officer1"
    staff.update_one({"_id": edited}, {"$set": {"history": entries}})

    found = stack.admin("verify-history")
    assert found.returncode == 1, found.stdout + found.stderr
    lines = found.stdout.splitlines()
    problems = [line.strip() for line in lines if line.startswith("  ")]

    def about(ticket: str) -> list[str]:
        return [line for line in problems if ticket in line]

    assert about(changed) == [f"dispatch {changed}: entry 2: content changed since it was recorded"]
    assert (
        f"dispatch {deleted}: entry 2: does not follow the entry before it (deleted or moved)"
        in (about(deleted))
    )
    assert about(swapped)[:2] == [
        f"dispatch {swapped}: entry 2: does not follow the entry before it (deleted or moved)",
        f"dispatch {swapped}: entry 3: does not follow the entry before it (deleted or moved)",
    ]
    assert about(edited) == [f"gateway {edited}: entry 4: content changed since it was recorded"]
    # Nothing else of the stack's histories is reported.
    named = {changed, deleted, swapped, edited}
    assert all(any(ticket in line for ticket in named) for line in problems), problems
