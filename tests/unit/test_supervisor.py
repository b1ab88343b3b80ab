"""The chassis keeps a service running: a dead container is replaced after a growing
delay, a stop request ends it, and a worker that lost the broker or MongoDB ends alone."""

import signal

import eventlet
import pytest
from eventlet.event import Event
from kombu.exceptions import OperationalError
from pymongo.errors import ServerSelectionTimeoutError

from services.chassis.container import answer_backend_down, survive_lost_broker
from services.chassis.supervisor import Backoff, Supervisor
from services.chassis.topology import NotSubscribed
from services.contracts.errors import CommandRejected


def test_the_delay_doubles_to_a_minute_and_starts_over_after_a_good_run():
    backoff = Backoff()
    delays, delay = [], None
    for _ in range(8):
        delay = backoff.delay(delay, ran_for=5)
        delays.append(delay)
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff.delay(60, ran_for=61) == 1


class FakeContainer:
    def __init__(self, dies: bool) -> None:
        self.dies = dies
        self.ended = Event()
        self.stopped = self.killed = False

    def start(self) -> None:
        if self.dies:
            eventlet.spawn_after(0.01, self.ended.send_exception, OperationalError("gone"))

    def stop(self) -> None:
        self.stopped = True
        self.ended.send(None)

    def kill(self) -> None:
        self.killed = True

    def wait(self) -> None:
        self.ended.wait()


@pytest.fixture
def keep_sigterm():
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_a_dead_container_is_replaced_and_a_stop_ends_the_last_one(keep_sigterm):
    made: list[FakeContainer] = []

    def make() -> FakeContainer:
        made.append(FakeContainer(dies=len(made) < 2))
        if len(made) == 3:
            eventlet.spawn_after(0.05, supervisor.request_stop)
        return made[-1]

    supervisor = Supervisor("test", make, Backoff(first=0.01, longest=0.02), stop_grace=5)
    with eventlet.Timeout(5):
        supervisor.run()
    assert len(made) == 3
    assert made[2].stopped and not made[0].stopped
    assert supervisor.stopping


def test_a_handler_outside_the_subscriptions_table_ends_the_process(keep_sigterm):
    class Refused(FakeContainer):
        def start(self) -> None:
            raise NotSubscribed("reporting may not consume channel.sms.received")

    made: list[FakeContainer] = []
    supervisor = Supervisor("test", lambda: made.append(Refused(False)) or made[-1], Backoff())
    with eventlet.Timeout(5), pytest.raises(NotSubscribed):
        supervisor.run()
    assert len(made) == 1 and made[0].killed


def test_a_stop_while_starting_abandons_the_start(keep_sigterm):
    class Stuck(FakeContainer):
        def start(self) -> None:  # waits for a backend that never comes
            Event().wait()

    stuck = Stuck(dies=False)
    supervisor = Supervisor("test", lambda: stuck, stop_grace=5)
    eventlet.spawn_after(0.05, supervisor.request_stop)
    with eventlet.Timeout(5):
        supervisor.run()
    assert stuck.killed and not stuck.stopped


def test_a_worker_whose_reply_cannot_be_sent_ends_alone():
    def reply(worker_ctx, result, exc_info):
        raise OperationalError("[Errno 111] ECONNREFUSED")

    assert survive_lost_broker(reply)(None, "ticket", None) == ("ticket", None)

    def broken(worker_ctx, result, exc_info):
        raise ValueError("a bug, not the broker")

    with pytest.raises(ValueError):
        survive_lost_broker(broken)(None, None, None)


class WorkerContext:
    service_name = "intake"


def test_an_rpc_method_without_its_database_answers_backend_unavailable():
    sent = []

    def reply(worker_ctx, result, exc_info):
        sent.append(exc_info)
        return result, exc_info

    down = ServerSelectionTimeoutError("127.0.0.1:27017: [Errno 111] ECONNREFUSED")
    exc_info = (ServerSelectionTimeoutError, down, None)
    result, seen = answer_backend_down(reply)(WorkerContext(), None, exc_info)
    assert seen is exc_info  # metrics see the real cause
    answered = sent[0][1]
    assert isinstance(answered, CommandRejected)
    assert answered.code == "backend_unavailable"

    refusal = CommandRejected("not_found", "no such complaint")
    answer_backend_down(reply)(WorkerContext(), None, (CommandRejected, refusal, None))
    assert sent[1][1] is refusal
