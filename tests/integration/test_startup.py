"""A service told to stop while it still waits for MongoDB at start-up stops at once,
instead of after its minutes of retries."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.processes import ROOT

pytestmark = pytest.mark.integration


def test_sigterm_while_waiting_for_mongodb_stops_the_service(vhost, log_dir):
    env = {
        **os.environ,
        "ADUAN_MONGO_URI": "mongodb://127.0.0.1:1/",  # nothing listens there
        "ADUAN_AMQP_URI": vhost.uri,
        "ADUAN_METRICS_PORT_DISPATCH": "0",
        "PYTHONWARNINGS": "ignore",
    }
    with open(log_dir / "startup-sigterm.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.dispatch"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    time.sleep(4)  # importing, then waiting for MongoDB
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    assert process.wait(timeout=20) == 0
    assert time.monotonic() - started < 15
