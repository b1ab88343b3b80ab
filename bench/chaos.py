"""Chaos at scale: complaints keep arriving while services, the gateway, RabbitMQ and
MongoDB die; then proof that every accepted complaint reached awaiting review once.

    .venv/bin/python -m bench.chaos --complaints N [--clients 8] [--kill-every 3] [--rate R]

Starts its own SecantusDB (on disk in a temporary directory, so that it can be started
again with its data), RabbitMQ virtual host, the five services, the channel adapters and
the gateway. Clients submit N complaints, each retried with its own Idempotency-Key
until answered 202. Meanwhile, every --kill-every seconds one of the five services or
the gateway is SIGKILLed and started again; once a third of the complaints are in,
RabbitMQ is stopped for --outage seconds (`rabbitmqctl stop_app`: the machine's shared
broker, as tests/e2e/test_rabbitmq_outage.py does), and once two thirds are in,
SecantusDB is terminated and started again on the same port and data.

Then it waits for the system to settle and checks every accepted ticket: recorded once
by intake for its key, awaiting review (or later) in reporting's view with a deadline,
one triage review and one SLA clock that each applied one event, each event in the view
once; no outbox or queue left holding anything. Prints one summary; exit status 1 when
any complaint is lost, doubled or stuck (or was never accepted, or the chaos itself
failed, e.g. RabbitMQ would not stop).
"""

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pika
from pymongo import MongoClient

from services.chassis.topology import queue_name
from services.contracts.events import SUBSCRIPTIONS, EventType
from services.contracts.lifecycle import Status
from services.contracts.reference import Channel
from tests.support.api import complaint
from tests.support.processes import (
    CORE_SERVICES,
    RPC_SERVICES,
    MongoServer,
    Stack,
    VirtualHost,
)

# What gets killed: the processes a complaint passes through on its way to review. The
# adapters only deliver notices of their own channels, which app complaints have none of.
VICTIMS = (*CORE_SERVICES, "gateway")
# "Awaiting review or later": nobody acts on the complaints here, but a status past
# review is no loss.
REACHED = {str(status) for status in Status} - {Status.RECEIVED}
# The effects each complaint must show exactly once in its view: received, the receipt
# told to the reporter, triage's suggestions, the SLA deadline.
ONCE = (
    EventType.COMPLAINT_RECEIVED,
    EventType.REPORTER_NOTIFIED,
    EventType.COMPLAINT_TRIAGED,
    EventType.DEADLINE_SET,
)
# Aggregates that may hold events not yet confirmed by RabbitMQ (their `_pending` flag).
OUTBOXES = (
    ("intake", "complaints"),
    ("triage", "reviews"),
    ("dispatch", "cases"),
    ("sla", "clocks"),
    ("desk", "letters"),
    *((adapter, "deliveries") for adapter in ("sms", "social", "lapor", "desk", "whatsapp")),
)
# How the gateway stores an app client's Idempotency-Key (gateway/routes/complaints.py).
APP_KEY_SCOPE = f"{Channel.SAPAMBAKITA}:"
GIVE_UP_AFTER = 180.0  # seconds a client keeps retrying one complaint


# ---------------------------------------------------------------- the checks (pure)


@dataclass
class Snapshot:
    """What the system holds about the run's complaints, read once."""

    accepted: dict[str, str]  # Idempotency-Key -> ticket the client was answered
    complaints: list[dict]  # intake: _id (ticket), idempotency_key (as the client sent it)
    views: list[dict]  # reporting: _id, status, deadline, _applied, events.type/event_id
    reviews: list[dict]  # triage: _id, _applied
    clocks: list[dict]  # sla: _id, _applied
    pending: dict[str, int] = field(default_factory=dict)  # "owner.collection" -> docs
    queued: dict[str, int] = field(default_factory=dict)  # work, retry, rpc queue -> messages
    parked: dict[str, int] = field(default_factory=dict)  # .dead queue -> messages


@dataclass
class Findings:
    """Each problem found, by what went wrong: ticket (or key, or place) -> why."""

    lost: dict[str, str] = field(default_factory=dict)
    doubled: dict[str, str] = field(default_factory=dict)
    stuck: dict[str, str] = field(default_factory=dict)
    parked: int = 0
    unanswered: int = 0  # complaints recorded for a key whose client never got a 202

    @property
    def settled(self) -> bool:
        return not self.lost and not self.stuck

    @property
    def passed(self) -> bool:
        return self.settled and not self.doubled

    def brief(self) -> str:
        """What is not settled, in a line: counts and the first few reasons."""
        reasons = [f"{what}: {why}" for what, why in [*self.lost.items(), *self.stuck.items()]]
        return (
            f"{len(self.lost)} unreviewed, {len(self.stuck)} unfinished ({'; '.join(reasons[:3])})"
        )


def audit(snapshot: Snapshot) -> Findings:
    """Each accepted complaint reached awaiting review, with every effect, exactly once.

    While the system is still working, a complaint not yet reviewed shows as lost and
    one missing an effect as stuck: the caller waits until neither is left (settled) or
    its time is up, and then they are what they say.
    """
    found = Findings(parked=sum(snapshot.parked.values()))
    recorded_for: dict[str, list[str]] = defaultdict(list)  # key -> tickets intake recorded
    for doc in snapshot.complaints:
        recorded_for[doc["idempotency_key"]].append(doc["_id"])
    found.unanswered = sum(1 for key in recorded_for if key not in snapshot.accepted)

    keys_of: dict[str, list[str]] = defaultdict(list)
    for key, ticket in snapshot.accepted.items():
        keys_of[ticket].append(key)
        tickets = recorded_for.get(key, [])
        if not tickets:
            found.lost[ticket] = "intake recorded no complaint for its key"
        elif len(tickets) > 1:
            found.doubled[key] = f"intake recorded {len(tickets)} complaints: {tickets}"
        elif tickets != [ticket]:
            found.doubled[key] = f"answered {ticket}, but intake recorded {tickets[0]}"
    for ticket, keys in keys_of.items():
        if len(keys) > 1:  # two complaints answered with one ticket: one of them is gone
            found.lost[ticket] = f"the ticket of {len(keys)} different complaints"

    complaints = {doc["_id"]: doc for doc in snapshot.complaints}
    views = {doc["_id"]: doc for doc in snapshot.views}
    reviews = {doc["_id"]: doc for doc in snapshot.reviews}
    clocks = {doc["_id"]: doc for doc in snapshot.clocks}
    for ticket in keys_of:
        if ticket in found.lost:
            continue
        if ticket not in complaints:
            found.lost[ticket] = "intake has no complaint with this ticket"
            continue
        view = views.get(ticket)
        status = view.get("status") if view else "no view"
        if status not in REACHED:
            found.lost[ticket] = f"never reached awaiting review (status: {status})"
            continue
        doubles, missing = _effects(
            complaints[ticket], view, reviews.get(ticket), clocks.get(ticket)
        )
        if doubles:
            found.doubled[ticket] = "; ".join(doubles)
        if missing:
            found.stuck[ticket] = "; ".join(missing)

    for where, count in {**snapshot.pending, **snapshot.queued}.items():
        if count:
            found.stuck[where] = f"{count} still waiting"
    return found


def _effects(
    complaint: dict, view: dict, review: dict | None, clock: dict | None
) -> tuple[list[str], list[str]]:
    """The effects applied more than once, and those missing, for one reviewed ticket."""
    doubles: list[str] = []
    missing: list[str] = []
    kinds = Counter(event["type"] for event in view.get("events", []))
    for kind in ONCE:
        if kinds[kind] > 1:
            doubles.append(f"{kinds[kind]} {kind} events")
        elif not kinds[kind]:
            missing.append(f"no {kind} in the view")
    event_ids = [event["event_id"] for event in view.get("events", [])]
    if len(event_ids) != len(set(event_ids)) or len(view["_applied"]) != len(set(view["_applied"])):
        doubles.append("one event recorded twice in the view")
    if not (view.get("deadline") or {}).get("due_at"):
        missing.append("no deadline in the view")
    receipts = sum(1 for n in complaint.get("notifications", []) if n["about"] == "received")
    if receipts > 1:
        doubles.append(f"{receipts} receipts for the reporter")
    elif not receipts:
        missing.append("no receipt for the reporter")
    # Nobody classifies here, so triage and sla each apply complaint.received only.
    for name, aggregate in (("triage review", review), ("SLA clock", clock)):
        if aggregate is None:
            missing.append(f"no {name}")
        elif len(aggregate["_applied"]) > 1:
            doubles.append(f"{name} applied {len(aggregate['_applied'])} events")
    return doubles, missing


# ---------------------------------------------------------------- reading the system


def queue_depths(vhost: VirtualHost) -> tuple[dict[str, int], dict[str, int]]:
    """Messages ready in the work, retry and RPC queues, and in the .dead queues; one
    connection for all of them."""
    work = [f"rpc-{service}" for service in RPC_SERVICES]
    dead = []
    for service, types in SUBSCRIPTIONS.items():
        for event_type in types:
            name = queue_name(service, event_type)
            work += [name, name + ".retry"]
            dead.append(name + ".dead")
    connection = pika.BlockingConnection(pika.URLParameters(vhost.uri))
    try:
        channel = connection.channel()

        def depth(queue: str) -> int:
            nonlocal channel
            try:
                return channel.queue_declare(queue, passive=True).method.message_count
            except pika.exceptions.ChannelClosedByBroker:  # not declared (yet): nothing in it
                channel = connection.channel()
                return 0

        return {q: depth(q) for q in work}, {q: depth(q) for q in dead}
    finally:
        connection.close()


def snapshot(stack: Stack, mongo: MongoClient, accepted: dict[str, str]) -> Snapshot:
    def database(owner: str):  # as Stack.database, on one client for all the reads
        return mongo[f"{stack.prefix}_{owner}"]

    tickets = set(accepted.values())
    queued, parked = queue_depths(stack.vhost)
    complaints = list(
        database("intake").complaints.find({}, {"idempotency_key": 1, "notifications.about": 1})
    )
    for doc in complaints:  # the gateway scopes a client's key by channel: unscoped here
        doc["idempotency_key"] = doc["idempotency_key"].removeprefix(APP_KEY_SCOPE)
    return Snapshot(
        accepted=dict(accepted),
        complaints=complaints,
        # Every view, kept in Python if accepted: SecantusDB checks each document
        # against each value of an `$in`, which for 10,000 tickets takes minutes.
        views=[
            view
            for view in database("reporting").views.find(
                {},
                {"status": 1, "deadline": 1, "_applied": 1, "events.type": 1, "events.event_id": 1},
            )
            if view["_id"] in tickets
        ],
        reviews=list(database("triage").reviews.find({}, {"_applied": 1})),
        clocks=list(database("sla").clocks.find({}, {"_applied": 1})),
        pending={
            f"outbox {owner}.{collection}": database(owner)[collection].count_documents(
                {"_pending": True}
            )
            for owner, collection in OUTBOXES
        },
        queued=queued,
        parked=parked,
    )


# ---------------------------------------------------------------- clients and chaos


class Clients:
    """Threads that submit complaints as a careful client does: each retried with its
    own Idempotency-Key (and the same body) until answered 202."""

    def __init__(self, url: str, complaints: int, threads: int, rate: float = 0.0) -> None:
        self.url = url
        self.keys = [uuid.uuid4().hex for _ in range(complaints)]
        # Arrivals per second over all threads (0: each thread as fast as it is answered).
        # A paced run lasts long enough for the chaos to fall while complaints arrive,
        # however fast the system has become.
        self.rate = rate
        self.began = 0.0
        self.accepted: dict[str, str] = {}  # key -> ticket
        self.answers: Counter[str] = Counter()  # status code or transport error -> count
        self.retries = 0
        self.errors: list[str] = []  # a client thread that failed
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._submit_all, args=(i, threads), daemon=True)
            for i in range(threads)
        ]

    def start(self) -> None:
        self.began = time.monotonic()
        for thread in self.threads:
            thread.start()

    @property
    def done(self) -> bool:
        return not any(thread.is_alive() for thread in self.threads)

    def _submit_all(self, first: int, step: int) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=15) as http:
                for n in range(first, len(self.keys), step):
                    if self.rate:  # complaint n arrives n / rate seconds into the run
                        time.sleep(max(0.0, self.began + n / self.rate - time.monotonic()))
                    self._submit(http, self.keys[n])
        except Exception as error:  # the thread's other complaints count as not accepted
            with self.lock:
                self.errors.append(repr(error))

    def _submit(self, http: httpx.Client, key: str) -> None:
        # One body per complaint, kept across retries: the same key with another body
        # would be refused (422), and bodies differ so no two complaints look alike.
        body = complaint(title=f"Jalan berlubang nomor {key[:8]}")
        give_up_at = time.monotonic() + GIVE_UP_AFTER
        while time.monotonic() < give_up_at:
            try:
                response = http.post(
                    "/api/v1/complaints", json=body, headers={"Idempotency-Key": key}
                )
                answer = str(response.status_code)
            except httpx.TransportError as error:  # the gateway killed or starting
                response, answer = None, type(error).__name__
            with self.lock:
                self.answers[answer] += 1
                if response is not None and response.status_code == 202:
                    self.accepted[key] = response.json()["ticket"]
                    return
                self.retries += 1
            time.sleep(0.2)
        # Given up: the summary counts it as not accepted, and the run fails.


class Chaos(threading.Thread):
    """Kills a random victim every `kill_every` seconds and starts it again at once.
    Once a third of the complaints are in, RabbitMQ is stopped for `outage` seconds;
    at two thirds, MongoDB. The outages run beside the kills (in a thread of their own),
    so victims are also started while a backend is away."""

    def __init__(
        self,
        stack: Stack,
        mongo: MongoServer,
        clients: Clients,
        kill_every: float,
        outage: float,
        seed: int,
        log: Path,
    ) -> None:
        super().__init__(name="chaos")
        self.stack, self.mongo, self.clients = stack, mongo, clients
        self.kill_every, self.outage = kill_every, outage
        self.random = random.Random(seed)
        self.log = log
        self.stopping = threading.Event()
        self.kills: Counter[str] = Counter()
        self.broker_at: int | None = None  # complaints accepted when RabbitMQ stopped
        self.mongo_at: int | None = None  # ... when MongoDB stopped
        self.errors: list[str] = []

    def run(self) -> None:
        total = len(self.clients.keys)
        next_kill = time.monotonic() + self.kill_every
        outage: threading.Thread | None = None
        try:
            while not self.stopping.is_set():
                accepted = len(self.clients.accepted)
                if outage is None or not outage.is_alive():
                    if self.broker_at is None and accepted >= total / 3:
                        self.broker_at = accepted
                        outage = self._beside(self.restart_rabbitmq, accepted)
                    elif self.mongo_at is None and accepted >= total * 2 / 3:
                        self.mongo_at = accepted
                        outage = self._beside(self.restart_mongo, accepted)
                if time.monotonic() >= next_kill:
                    self._guarded(self.kill_one, accepted)
                    next_kill = time.monotonic() + self.kill_every
                self.stopping.wait(0.1)
        finally:
            if outage is not None:  # never leave the shared broker stopped
                outage.join()

    def _beside(self, outage: Callable[[int], None], accepted: int) -> threading.Thread:
        thread = threading.Thread(target=self._guarded, args=(outage, accepted))
        thread.start()
        return thread

    def _guarded(self, action: Callable[[int], None], accepted: int) -> None:
        try:
            action(accepted)
        except Exception as error:  # reported in the summary; the run fails
            self.errors.append(f"{action.__name__}: {error!r}")
            self.note(f"{action.__name__} failed: {error!r}")

    def kill_one(self, accepted: int) -> None:
        name = self.random.choice(VICTIMS)
        pid = self.stack.processes[name].pid
        self.stack.kill(name)
        self.stack.start(name)
        self.kills[name] += 1
        self.note(f"SIGKILL {name} (pid {pid}) after {accepted} accepted; started again")

    def restart_rabbitmq(self, accepted: int) -> None:
        self.note(f"rabbitmqctl stop_app after {accepted} accepted")
        try:
            rabbitmqctl("stop_app")
            time.sleep(self.outage)
        finally:  # the machine's broker is shared: it must come back whatever happened
            rabbitmqctl("start_app")
            rabbitmqctl("await_startup")
            self.note("rabbitmqctl start_app done")

    def restart_mongo(self, accepted: int) -> None:
        self.note(f"SecantusDB terminated after {accepted} accepted")
        self.mongo.stop()  # SIGTERM, as a service manager stops it
        time.sleep(self.outage)
        self.mongo.start()  # same port, same storage path
        self.note("SecantusDB started again")

    def note(self, what: str) -> None:
        note(self.log, what)


def note(log: Path, what: str) -> None:
    """A line in chaos.log, to set beside the processes' logs."""
    with open(log, "a") as file:
        file.write(f"{time.strftime('%H:%M:%S')} {what}\n")


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


# ---------------------------------------------------------------- the run


@dataclass
class Report:
    complaints: int
    clients: int
    kill_every: float
    seed: int
    logs: Path
    accepted: int = 0
    client_errors: list[str] = field(default_factory=list)
    retries: int = 0
    answers: Counter = field(default_factory=Counter)
    kills: Counter = field(default_factory=Counter)
    broker_at: int | None = None
    mongo_at: int | None = None
    exited: list[str] = field(default_factory=list)  # processes that ended by themselves
    chaos_errors: list[str] = field(default_factory=list)
    run_seconds: float = 0.0
    settle_seconds: float = 0.0
    waited_for: str = ""  # the last thing settling waited for
    findings: Findings = field(default_factory=Findings)

    @property
    def chaos_fell(self) -> bool:
        """Both outages happened while complaints arrived: a run without them proves
        less than it claims (a fast run can be over before two thirds trigger)."""
        return self.broker_at is not None and self.mongo_at is not None

    @property
    def passed(self) -> bool:
        every_one_accepted = self.accepted == self.complaints and not self.client_errors
        chaos_done = self.chaos_fell and not self.chaos_errors
        return self.findings.passed and every_one_accepted and chaos_done

    def summary(self) -> str:
        f = self.findings
        answers = ", ".join(f"{answer} {n}" for answer, n in self.answers.most_common())
        kills = ", ".join(f"{name} {n}" for name, n in sorted(self.kills.items()))
        lines = [
            f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; SecantusDB on disk, RabbitMQ on loopback",
            f"complaints {self.complaints}, clients {self.clients}: accepted {self.accepted}"
            f" (not accepted {self.complaints - self.accepted}), client retries {self.retries}"
            f" (answers: {answers})"
            + (f"; client failed: {'; '.join(self.client_errors)}" if self.client_errors else ""),
            f"chaos (seed {self.seed}): {sum(self.kills.values())} kills, one every "
            f"{self.kill_every:g} s ({kills}); RabbitMQ restarted after "
            f"{_at(self.broker_at)} accepted, SecantusDB after {_at(self.mongo_at)}"
            + (f"; ended by themselves: {', '.join(self.exited)}" if self.exited else "")
            + (f"; chaos failed: {'; '.join(self.chaos_errors)}" if self.chaos_errors else "")
            + ("" if self.chaos_fell else "; an outage never happened (pace with --rate)"),
            f"run {self.run_seconds:.1f} s ({self.accepted / max(self.run_seconds, 1e-9):.1f} "
            f"accepted/s), settled in {self.settle_seconds:.1f} s"
            + ("" if f.settled else " (not settled: timed out)"),
            f"  last waited for: {self.waited_for}",
            f"lost {len(f.lost)}, doubled {len(f.doubled)}, stuck {len(f.stuck)}, "
            f"parked {f.parked}, recorded but never answered 202 {f.unanswered}",
        ]
        for name, problems in (("lost", f.lost), ("doubled", f.doubled), ("stuck", f.stuck)):
            for what, why in list(problems.items())[:20]:
                lines.append(f"  {name}: {what}: {why}")
        lines.append(f"logs: {self.logs} (chaos.log: what was killed when)")
        lines.append("PASS" if self.passed else "FAIL")
        return "\n".join(lines)


def _at(accepted: int | None) -> str:
    return "never" if accepted is None else str(accepted)


def run(
    complaints: int,
    clients: int = 8,
    kill_every: float = 3.0,
    outage: float = 5.0,
    settle_timeout: float = 300.0,
    seed: int | None = None,
    logs: Path | None = None,
    rate: float = 0.0,
) -> Report:
    """Runs the whole system under chaos and audits it; the Report says what it found."""
    seed = random.randrange(1_000_000) if seed is None else seed
    logs = Path(tempfile.mkdtemp(prefix="aduan-chaos-", dir=logs))
    report = Report(complaints, clients, kill_every, seed, logs)
    # On disk, not in memory: a SecantusDB started again must find its data.
    mongo, vhost = MongoServer(logs, logs / "mongo"), VirtualHost()
    stack = Stack(mongo, vhost, logs)
    chaos = None
    try:
        stack.start_all()
        submitters = Clients(stack.url, complaints, clients, rate)
        chaos = Chaos(stack, mongo, submitters, kill_every, outage, seed, logs / "chaos.log")
        began = time.monotonic()
        submitters.start()
        chaos.start()
        while not submitters.done:
            time.sleep(0.2)
        report.run_seconds = time.monotonic() - began
        chaos.stopping.set()
        chaos.join()

        # Every process must be running for the system to settle; one that ended without
        # being killed is a finding of its own (services ride outages out in-process).
        for name, process in list(stack.processes.items()):
            if process.poll() is not None:
                report.exited.append(f"{name} (status {process.returncode})")
                stack.start(name)
        stack.wait_ready(120)

        report.findings, report.settle_seconds, report.waited_for = settle(
            stack, submitters.accepted, settle_timeout, logs / "chaos.log"
        )
        report.accepted, report.client_errors = len(submitters.accepted), submitters.errors
        report.retries, report.answers = submitters.retries, submitters.answers
        report.kills, report.broker_at, report.mongo_at = (
            chaos.kills,
            chaos.broker_at,
            chaos.mongo_at,
        )
        report.chaos_errors = chaos.errors
    finally:
        if chaos is not None and chaos.is_alive():  # never leave the broker stopped
            chaos.stopping.set()
            chaos.join()
        stack.stop_all()
        vhost.delete()
        mongo.stop()
        shutil.rmtree(logs / "mongo", ignore_errors=True)  # the logs stay, for evidence
    return report


def settle(
    stack: Stack, accepted: dict[str, str], timeout: float, log: Path
) -> tuple[Findings, float, str]:
    """Audits until settled twice in a row, a second apart (a message being redelivered
    is in no queue's count for a moment), or the time is up. Returns the last audit, the
    seconds until the first of the two settled ones (or until the time was up), and
    what the last unsettled audit was waiting for."""
    started = time.monotonic()
    settled_after = None
    waited_for = "nothing"
    noted = 0.0
    with MongoClient(stack.mongo.uri, tz_aware=True) as mongo:
        while True:
            backlog = sum(queue_depths(stack.vhost)[0].values())
            waited = time.monotonic() - started
            if backlog and waited <= timeout:
                # The services are still working through their queues: reading every
                # complaint now would only slow them (SecantusDB serves one command at
                # a time), so wait on the broker's counts, which cost the store nothing.
                settled_after, waited_for = None, f"{backlog} messages in work queues"
                if time.monotonic() - noted >= 30:
                    note(log, f"settling: {waited_for}")
                    noted = time.monotonic()
                time.sleep(2.0)
                continue
            began = time.monotonic()
            findings = audit(snapshot(stack, mongo, accepted))
            waited = time.monotonic() - started
            if not findings.settled:
                settled_after, waited_for = None, findings.brief()
                note(log, f"settling (read in {time.monotonic() - began:.1f} s): {waited_for}")
            elif settled_after is None:
                settled_after = waited
            else:
                return findings, settled_after, waited_for
            if waited > timeout:
                return findings, waited, waited_for
            time.sleep(1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between kills")
    parser.add_argument(
        "--outage", type=float, default=5.0, help="seconds RabbitMQ/Mongo stay down"
    )
    parser.add_argument("--settle-timeout", type=float, default=300.0)
    parser.add_argument(
        "--rate", type=float, default=0.0, help="arrivals per second (default: unpaced)"
    )
    parser.add_argument("--seed", type=int, help="of the choice of victims (printed)")
    args = parser.parse_args()
    report = run(
        args.complaints,
        args.clients,
        args.kill_every,
        args.outage,
        args.settle_timeout,
        args.seed,
        rate=args.rate,
    )
    print(report.summary())
    sys.exit(0 if report.passed else 1)


if __name__ == "__main__":
    main()
