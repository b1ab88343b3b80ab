"""The README's run command starts the whole system and stops it cleanly on Ctrl-C."""

import os
import signal
import subprocess
import time
import uuid

import httpx
import pytest

from tests.support.processes import ROOT, free_port, wait_for

pytestmark = pytest.mark.e2e


def test_scripts_run_starts_everything_and_ctrl_c_stops_it(tmp_path, fresh_vhost):
    port, mongo_port = free_port(), free_port()
    metrics = {
        f"ADUAN_METRICS_PORT_{s}": str(free_port())
        for s in ("INTAKE", "TRIAGE", "DISPATCH", "SLA", "REPORTING")
    }
    env = {
        **os.environ,
        "ADUAN_GATEWAY_PORT": str(port),
        "ADUAN_MONGO_PORT": str(mongo_port),
        "ADUAN_AMQP_URI": fresh_vhost.uri,
        "ADUAN_DB_PREFIX": f"run{uuid.uuid4().hex[:6]}",
        "ADUAN_DATA_DIR": str(tmp_path),
        **metrics,
    }
    env.pop("ADUAN_MONGO_URI", None)
    process = subprocess.Popen(
        ["./scripts/run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(
            lambda: httpx.get(url + "/readyz", timeout=2).status_code == 200, 120, "the system"
        )
        agencies = httpx.get(url + "/api/v1/agencies").json()["agencies"]
        assert len(agencies) >= 32  # seeded
        time.sleep(2)  # the script polls readiness each second before it prints its banner
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert "Aduan is running" in output and "stopping" in output
    time.sleep(1)
    leftovers = subprocess.run(["pgrep", "-f", "--", f"--port {mongo_port}"], capture_output=True)
    assert leftovers.stdout == b"", "the embedded MongoDB outlived the run command"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
