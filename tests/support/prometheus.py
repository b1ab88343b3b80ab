"""Debian's Prometheus for the tests: promtool for the rules and dashboards, a real
prometheus scraping a running stack, and the dashboards' queries as promtool reads them."""

import importlib.util
import json
import shutil
import socket
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support.processes import ROOT, free_port, wait_for

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
RULES = PROMETHEUS_DIR / "rules" / "aduan.yml"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"
RUNBOOK = ROOT / "docs" / "runbook.md"
# What a dashboard variable stands for when its queries are checked or run: every
# service (the "All" choice, a regular expression).
VARIABLES = {"$service": ".+"}
RABBITMQ_PROMETHEUS_PORT = 15692


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: scripts/test installs it (apt-get install prometheus)")
    return found


def promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("promtool"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def alert_rules() -> list[dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def generator():
    """deploy/grafana/generate.py, imported from its path (deploy/ is not a package)."""
    spec = importlib.util.spec_from_file_location("aduan_dashboards", GRAFANA_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dashboard_queries() -> list[tuple[str, str, str]]:
    """(dashboard file, panel title, PromQL with the variables filled in) of every query
    of the committed dashboards."""
    found = []
    for path in sorted(DASHBOARDS_DIR.glob("*.json")):
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            for target in panel.get("targets") or []:
                expr = target["expr"]
                for variable, value in VARIABLES.items():
                    expr = expr.replace(variable, value)
                found.append((path.name, panel["title"], expr))
    return found


def recording_rules(queries: list[tuple[str, str, str]]) -> dict:
    """The queries as recording rules, so that `promtool check rules` parses each one."""
    return {
        "groups": [
            {
                "name": "dashboard-queries",
                "rules": [
                    {"record": f"aduan:dashboard_query:{number}", "expr": expr}
                    for number, (_file, _title, expr) in enumerate(queries)
                ],
            }
        ]
    }


def rabbitmq_plugin_up(port: int = RABBITMQ_PROMETHEUS_PORT) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def live_rules(path: Path) -> Path:
    """The alert rules with every `for:` at 0s: the live test sees an alert fire at the
    first evaluation after its condition holds, not minutes later."""
    rules = yaml.safe_load(RULES.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = "0s"
    path.write_text(yaml.safe_dump(rules, sort_keys=False))
    return path


def live_config(stack, rules: Path, with_rabbitmq: bool) -> dict:
    """deploy/prometheus/prometheus.yml with the stack's ports for its targets, a 2 s
    scrape and 1 s evaluation interval, the live rules, and RabbitMQ's per-queue metrics
    read for the stack's virtual host only."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    # A scrape may take its whole interval (the timeout) on a loaded 2-core machine.
    config["global"] |= {
        "scrape_interval": "2s",
        "scrape_timeout": "2s",
        "evaluation_interval": "1s",
    }
    config["rule_files"] = [str(rules)]
    jobs = []
    for job in config["scrape_configs"]:
        name = job["job_name"]
        if name == "aduan-services":
            job["static_configs"] = [
                {"targets": [f"127.0.0.1:{port}"], "labels": {"service": service}}
                for service, port in stack.metrics_ports.items()
            ]
        elif name == "aduan-gateway":
            job["static_configs"][0]["targets"] = [f"127.0.0.1:{stack.gateway_port}"]
        elif name.startswith("rabbitmq"):
            if not with_rabbitmq:
                continue
            if name == "rabbitmq-queues":
                job["params"]["vhost"] = [stack.vhost.name]
        jobs.append(job)
    config["scrape_configs"] = jobs
    return config


class Prometheus:
    """Debian's prometheus binary on a free port, with its configuration and storage in
    a directory of its own."""

    def __init__(self, directory: Path, config: dict, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (directory / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        with open(log_dir / "prometheus.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    tool("prometheus"),
                    f"--config.file={directory / 'prometheus.yml'}",
                    f"--storage.tsdb.path={directory / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(
            lambda: httpx.get(self.url + "/-/ready", timeout=2).status_code == 200,
            30,
            "prometheus",
            0.2,
        )

    def query(self, expr: str) -> list[dict]:
        answer = httpx.get(self.url + "/api/v1/query", params={"query": expr}, timeout=10)
        body = answer.json()
        assert body["status"] == "success", f"{expr}: {body}"
        return body["data"]["result"]

    def alerts(self, name: str) -> list[dict]:
        found = httpx.get(self.url + "/api/v1/alerts", timeout=10).json()["data"]["alerts"]
        return [alert for alert in found if alert["labels"]["alertname"] == name]

    def targets_up(self) -> dict[str, str]:
        active = httpx.get(self.url + "/api/v1/targets", timeout=10).json()["data"]
        return {
            t["labels"].get("service", t["labels"]["job"]): t["health"]
            for t in active["activeTargets"]
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
