"""Debian's Prometheus for the tests: promtool for the rules and dashboards, a real
prometheus scraping a running stack, and the dashboards' queries as promtool reads them."""

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.processes import ROOT

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
RULES = PROMETHEUS_DIR / "rules" / "aduan.yml"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"
RUNBOOK = ROOT / "docs" / "runbook.md"
# What a dashboard variable stands for when its queries are checked or run: every
# service (the "All" choice, a regular expression).
VARIABLES = {"$service": ".+"}


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
