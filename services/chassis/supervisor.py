"""Keeps one service's Nameko container running in its process.

Nameko ends a container when a thread it manages raises: a consumer whose RPC reply
queue vanished in a broker restart while calls were pending, an extension that could
not start because a backend stayed down. `nameko run` then exits and the service is
gone until someone starts it. The supervisor starts a new container instead, after a
delay that doubles from 1 s to 60 s and is back to 1 s once a container ran for a
minute; each restart is logged and counted (aduan_service_restarts_total).

SIGTERM or Ctrl-C stops the container as Nameko does (running workers finish,
unacked messages return to their queues). A second one, or a stop that takes longer
than the grace period, ends the process at once: the broker redelivers what it held.
"""

import errno
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import eventlet
from eventlet.greenthread import GreenThread
from greenlet import GreenletExit

from services.chassis import metrics
from services.chassis.topology import NotSubscribed

log = logging.getLogger(__name__)


class Container(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...

    def kill(self) -> None: ...

    def wait(self) -> object: ...


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0
    longest: float = 60.0
    healthy_after: float = 60.0

    def delay(self, previous: float | None, ran_for: float) -> float:
        """Seconds to wait before the next start, given the last delay and how long the
        container that ended had run."""
        if previous is None or ran_for >= self.healthy_after:
            return self.first
        return min(previous * 2, self.longest)


class Supervisor:
    def __init__(
        self,
        name: str,
        make_container: Callable[[], Container],
        backoff: Backoff = Backoff(),
        stop_grace: float = 15.0,
    ) -> None:
        self.name = name
        self.make_container = make_container
        self.backoff = backoff
        self.stop_grace = stop_grace
        self.stopping = False
        self._container: Container | None = None
        self._life: GreenThread | None = None
        self._started = False
        self._deadline: GreenThread | None = None

    def run(self) -> None:
        """Runs containers until asked to stop (SIGTERM, Ctrl-C or request_stop)."""
        signal.signal(signal.SIGTERM, self._on_signal)
        metrics.SERVICE_RESTARTS.labels(self.name)  # 0 from the start, not absent
        delay: float | None = None
        while not self.stopping:
            began = time.monotonic()
            reason = self._run_once()
            if self.stopping:
                break
            ran_for = time.monotonic() - began
            delay = self.backoff.delay(delay, ran_for)
            metrics.SERVICE_RESTARTS.labels(self.name).inc()
            log.error(
                "%s container ended after %.1f s (%s); starting a new one in %.0f s",
                self.name,
                ran_for,
                reason,
                delay,
            )
            self._sleep(delay)
        if self._deadline is not None:
            self._deadline.kill()
        log.info("%s stopped", self.name)

    def request_stop(self) -> None:
        """Safe from a signal handler: the work happens in a green thread."""
        eventlet.spawn_n(self._stop)

    def _on_signal(self, signum, frame) -> None:
        self.request_stop()

    def _run_once(self) -> str:
        """Runs one container until it ends; returns why it ended."""
        container = self.make_container()
        self._container, self._started = container, False
        self._life = eventlet.spawn(self._live, container)
        while True:
            try:
                self._life.wait()
                return "it stopped"
            except KeyboardInterrupt:
                self.request_stop()
            except OSError as error:
                # A signal arriving while the hub waits on a socket surfaces here
                # as EINTR, not as the container's failure.
                if error.errno != errno.EINTR:
                    return repr(error)
            except GreenletExit:
                return "it was killed"
            except NotSubscribed:
                # A mistake in the code, not in the surroundings: no restart mends it.
                raise
            except Exception as error:
                return repr(error)

    def _live(self, container: Container) -> None:
        log.info("starting %s", self.name)
        try:
            container.start()
        except BaseException:
            container.kill()  # what did start keeps no thread or connection
            raise
        self._started = True
        log.info("%s started", self.name)
        container.wait()

    def _stop(self) -> None:
        container, life = self._container, self._life
        if self.stopping:  # asked twice: do not wait for workers
            log.warning("%s: stopping now", self.name)
            self._abandon(container, life)
            return
        self.stopping = True
        log.info("%s: stopping", self.name)
        self._deadline = eventlet.spawn(self._exit_after_grace)
        if container is None:
            return
        if self._started:
            container.stop()
        else:  # still starting (waiting for a backend): nothing to finish
            self._abandon(container, life)

    def _abandon(self, container: Container | None, life: GreenThread | None) -> None:
        if container is not None:
            container.kill()
        if life is not None:
            life.kill()

    def _exit_after_grace(self) -> None:
        eventlet.sleep(self.stop_grace)
        log.error("%s did not stop within %.0f s; exiting", self.name, self.stop_grace)
        os._exit(1)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while not self.stopping and time.monotonic() < deadline:
                eventlet.sleep(min(0.2, deadline - time.monotonic()))
        except KeyboardInterrupt:  # no container runs: nothing to finish
            self.stopping = True
