"""The README's run command starts the whole system, starts again a process that dies
while the others go on serving, and stops everything cleanly on Ctrl-C."""

import contextlib
import os
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.api import Api, complaint
from tests.support.processes import ROOT, SERVICES, VirtualHost, free_port, wait_for

pytestmark = pytest.mark.e2e


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    data: Path
    mongo_port: int
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def pid(self, name: str) -> int:
        return int((self.data / "run" / f"{name}.pid").read_text())


@pytest.fixture(scope="module")
def run_command(tmp_path_factory):
    vhost = VirtualHost()
    data = tmp_path_factory.mktemp("run")
    port, mongo_port = free_port(), free_port()
    env = {
        **os.environ,
        "ADUAN_GATEWAY_PORT": str(port),
        "ADUAN_MONGO_PORT": str(mongo_port),
        "ADUAN_AMQP_URI": vhost.uri,
        "ADUAN_DB_PREFIX": f"run{uuid.uuid4().hex[:6]}",
        "ADUAN_DATA_DIR": str(data),
        **{f"ADUAN_METRICS_PORT_{s.upper()}": str(free_port()) for s in SERVICES},
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
    running = Running(process, f"http://127.0.0.1:{port}", data, mongo_port)
    # Read as it comes, so the tests see the terminal while the command runs.
    reader = threading.Thread(target=lambda: running.lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        wait_for(lambda: "Aduan is running" in running.output, 120, "the system", interval=0.5)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            stop(process)
        reader.join(10)
        vhost.delete()


def stop(process: subprocess.Popen) -> None:
    """Waits for the run command to end; if it does not, says what its shell was doing
    (signals ignored, blocked, pending), then stops it by SIGTERM and SIGKILL."""
    try:
        process.wait(60)
        return
    except subprocess.TimeoutExpired:
        status = Path(f"/proc/{process.pid}/status").read_text()
        tree = subprocess.run(
            ["ps", "-o", "pid,ppid,stat,wchan:20,cmd", "-g", str(process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        pytest.fail(f"the run command did not stop on Ctrl-C:\n{status}\n{tree}")


def test_a_killed_service_is_started_again_while_the_others_serve(run_command):
    agencies = httpx.get(run_command.url + "/api/v1/agencies", timeout=5).json()["agencies"]
    assert len(agencies) >= 32  # seeded
    api = Api(run_command.url)
    before = api.submit()
    assert before.status_code == 202, before.text
    ticket = before.json()["ticket"]
    api.wait_status(ticket, "awaiting_review", timeout=30)

    killed = run_command.pid("intake")
    os.kill(killed, signal.SIGKILL)
    # intake is down: the gateway and reporting still answer
    assert httpx.get(run_command.url + "/api/v1/agencies", timeout=5).status_code == 200
    assert api.track(ticket).json()["status"] == "awaiting_review"

    restarted = wait_for(
        lambda: (pid := run_command.pid("intake")) != killed and pid, 30, "intake again"
    )
    note = "intake exited (status 137)"  # bash's status for SIGKILL
    wait_for(lambda: note in run_command.output, 10, "the restart on the terminal")
    assert note in (run_command.data / "log" / "intake.log").read_text()
    os.kill(restarted, 0)  # alive

    deadline = time.monotonic() + 60
    while (after := api.submit(complaint())).status_code == 503:  # until intake is ready
        assert time.monotonic() < deadline, after.text
        time.sleep(0.5)
    assert after.status_code == 202, after.text
    api.wait_status(after.json()["ticket"], "awaiting_review", timeout=30)


def test_ctrl_c_stops_everything(run_command):
    os.killpg(run_command.process.pid, signal.SIGINT)
    stop(run_command.process)
    output = run_command.output
    assert "Aduan is running" in output and "stopping" in output
    time.sleep(1)
    leftovers = subprocess.run(
        ["pgrep", "-f", "--", f"--port {run_command.mongo_port}"], capture_output=True
    )
    assert leftovers.stdout == b"", "the embedded MongoDB outlived the run command"
    assert not list((run_command.data / "run").glob("*.pid")), "a process outlived its keeper"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{run_command.url}/healthz", timeout=2)
