"""SIGTERM while a service is still waiting for MongoDB or RabbitMQ at start-up.

Nameko's own handler stops the runner, which first waits for the start to finish, and
the start may wait minutes for a backend. This handler, chained in front of Nameko's,
records the request so the waiting loop can end the process at once: no entrypoint is
running yet, so nothing is lost.
"""

import signal

_requested = False


def watch() -> None:
    """Installs the handler once per process (call from the main thread)."""
    previous = signal.getsignal(signal.SIGTERM)
    if getattr(previous, "aduan_termination", False):
        return

    def handler(signum, frame):
        global _requested
        _requested = True
        if callable(previous):
            previous(signum, frame)

    handler.aduan_termination = True
    signal.signal(signal.SIGTERM, handler)


def requested() -> bool:
    return _requested
