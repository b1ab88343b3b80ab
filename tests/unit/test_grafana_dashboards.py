"""Aduan's Grafana dashboards: the committed JSON is what deploy/grafana/generate.py
writes, each of the four dashboards has its panels, every panel's PromQL parses
(promtool checks each as a recording rule) and reads only metrics Aduan or RabbitMQ
export, and the provisioning files point at the data source the panels use."""

import json
import re

import yaml

from tests.support.prometheus import (
    DASHBOARDS_DIR,
    GRAFANA_DIR,
    dashboard_queries,
    generator,
    promtool,
    recording_rules,
)

# Metric name prefixes a panel may read: Aduan's own, RabbitMQ's plugin, `up`, time().
KNOWN = re.compile(r"^(aduan_|rabbitmq_detailed_queue_|up$)")
PROMQL_WORDS = {
    "sum", "by", "rate", "increase", "max", "min", "count", "topk", "histogram_quantile",
    "label_replace", "or", "vector", "time", "le", "and", "unless",
}  # fmt: skip


def test_the_committed_dashboards_are_what_the_generator_writes():
    rendered = generator().render()
    committed = {path.name: path.read_text() for path in DASHBOARDS_DIR.glob("*.json")}
    assert committed == rendered, "run .venv/bin/python deploy/grafana/generate.py and commit"


def test_the_four_dashboards_cover_overview_services_sla_and_channels():
    titles = {
        name: [p["title"] for p in json.loads((DASHBOARDS_DIR / name).read_text())["panels"]]
        for name in ("aduan-overview.json", "aduan-service.json", "aduan-sla.json")
        + ("aduan-channels.json",)
    }
    assert any("by channel" in t for t in titles["aduan-overview.json"])
    assert any("Through each step" in t for t in titles["aduan-overview.json"])
    assert any("waiting, by queue" in t for t in titles["aduan-overview.json"])
    assert any("handled" in t for t in titles["aduan-service.json"])
    assert any("failed" in t for t in titles["aduan-service.json"])
    assert any("parked" in t for t in titles["aduan-service.json"])
    assert any("latency" in t for t in titles["aduan-service.json"])
    assert any("by SLA state" in t for t in titles["aduan-sla.json"])
    assert any("Breaches by agency" in t for t in titles["aduan-sla.json"])
    assert any("Notices to reporters" in t for t in titles["aduan-channels.json"])
    assert any("Webhook deliveries" in t for t in titles["aduan-channels.json"])


def test_every_panel_query_parses_in_promtool(tmp_path):
    queries = dashboard_queries()
    assert len(queries) >= 30
    rules = tmp_path / "dashboard-queries.yml"
    rules.write_text(yaml.safe_dump(recording_rules(queries)))
    checked = promtool("check", "rules", str(rules))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(queries)} rules found" in checked.stdout


def test_every_panel_reads_metrics_that_exist():
    for _file, title, expr in dashboard_queries():
        without_strings = re.sub(r'"[^"]*"', '""', expr)
        without_ranges = re.sub(r"\[[^\]]*\]", "", without_strings)
        names = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", without_ranges))
        labels = set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", without_ranges))
        grouping = {
            label.strip()
            for group in re.findall(r"by \(([^)]*)\)", without_ranges)
            for label in group.split(",")
        }
        metrics = names - PROMQL_WORDS - labels - grouping
        assert metrics, title
        for metric in metrics:
            assert KNOWN.match(metric), f"{title}: {metric}"


def test_the_provisioning_points_at_the_panels_data_source():
    sources = yaml.safe_load((GRAFANA_DIR / "provisioning/datasources/aduan.yml").read_text())
    [source] = sources["datasources"]
    assert source["type"] == "prometheus" and source["uid"] == "aduan-prometheus"
    providers = yaml.safe_load((GRAFANA_DIR / "provisioning/dashboards/aduan.yml").read_text())
    assert providers["providers"][0]["type"] == "file"
    for path in DASHBOARDS_DIR.glob("*.json"):
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            if panel["type"] != "row":
                assert panel["datasource"] == {"type": "prometheus", "uid": "aduan-prometheus"}
