"""Chaos at scale, small: 120 complaints arriving at 6 a second (so the run lasts about
20 s however fast the system is) while the services and the gateway are SIGKILLed
every 2 s, RabbitMQ is stopped once and SecantusDB restarted once (bench/chaos.py).
Every accepted complaint must reach awaiting review exactly once.

Stops the machine's shared broker for a few seconds, as test_rabbitmq_outage.py does.
"""

import pytest

from bench.chaos import Report, Snapshot, audit, run

pytestmark = pytest.mark.e2e

COMPLAINTS = 120


def test_every_accepted_complaint_reaches_review_once_through_chaos(log_dir):
    report = run(
        COMPLAINTS,
        clients=6,
        kill_every=2,
        outage=3,
        settle_timeout=90,
        seed=None,
        logs=log_dir,
        rate=6,
    )
    print("\n" + report.summary())
    findings = report.findings
    assert (len(findings.lost), len(findings.doubled), len(findings.stuck)) == (0, 0, 0), (
        report.summary()
    )
    assert findings.parked == 0, report.summary()
    assert report.passed, report.summary()  # and every complaint accepted, both outages done
    # The chaos must have fallen while complaints were arriving.
    assert sum(report.kills.values()) >= 3, report.summary()
    assert report.broker_at is not None and report.broker_at < COMPLAINTS, report.summary()
    assert report.mongo_at is not None and report.mongo_at < COMPLAINTS, report.summary()


def settled_system(tickets: list[str]) -> Snapshot:
    """What the system holds once every complaint went through once."""
    events = [
        "complaint.received",
        "reporter.notified",
        "complaint.triaged",
        "sla.deadline_set",
    ]
    return Snapshot(
        accepted={f"key-{t}": t for t in tickets},
        complaints=[
            {"_id": t, "idempotency_key": f"key-{t}", "notifications": [{"about": "received"}]}
            for t in tickets
        ],
        views=[
            {
                "_id": t,
                "status": "awaiting_review",
                "deadline": {"due_at": "2026-12-07T16:59:59Z"},
                "_applied": [f"{t}-{e}" for e in events],
                "events": [{"type": e, "event_id": f"{t}-{e}"} for e in events],
            }
            for t in tickets
        ],
        reviews=[{"_id": t, "_applied": [f"{t}-complaint.received"]} for t in tickets],
        clocks=[{"_id": t, "_applied": [f"{t}-complaint.received"]} for t in tickets],
    )


def test_the_audit_finds_a_lost_a_doubled_and_a_stuck_complaint():
    """The chaos test can fail: the audit it relies on sees each kind of harm."""
    assert audit(settled_system(["A", "B", "C", "D"])).passed

    system = settled_system(["A", "B", "C", "D"])
    system.views = [v for v in system.views if v["_id"] != "A"]  # A never reviewed
    system.complaints.append({"_id": "E", "idempotency_key": "key-B", "notifications": []})
    system.clocks[2]["_applied"].append("another complaint.received")  # C's clock twice
    del system.views[-1]["deadline"]  # D without its deadline
    system.queued = {"aduan.sla.complaint.received": 1}
    found = audit(system)
    assert set(found.lost) == {"A"}
    assert set(found.doubled) == {"key-B", "C"}
    assert set(found.stuck) == {"D", "aduan.sla.complaint.received"}
    assert not found.passed


def test_a_run_the_outages_missed_does_not_pass(tmp_path):
    """A run over before RabbitMQ or SecantusDB went down proves less than it claims."""
    report = Report(complaints=3, clients=1, kill_every=2, seed=1, logs=tmp_path, accepted=3)
    report.broker_at, report.mongo_at = 1, 2
    assert report.passed
    report.mongo_at = None
    assert not report.passed
    assert "an outage never happened" in report.summary()
