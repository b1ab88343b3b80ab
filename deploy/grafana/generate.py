"""Writes Aduan's Grafana dashboards (deploy/grafana/dashboards/*.json) with Grafana's
own builders (grafana-foundation-sdk). Edit the panels here, then run

    .venv/bin/python deploy/grafana/generate.py

and commit the JSON with it; tests/unit/test_grafana_dashboards.py fails when the JSON
is not what this writes, and checks every panel's PromQL with promtool.

Every query reads the provisioned data source (uid `aduan-prometheus`,
provisioning/datasources/aduan.yml) and the metric names of docs/operations.md.
"""

import json
import sys
from pathlib import Path

from grafana_foundation_sdk.builders import prometheus, stat, timeseries
from grafana_foundation_sdk.builders.dashboard import Dashboard, QueryVariable, Row
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import DataSourceRef

HERE = Path(__file__).resolve().parent
OUT = HERE / "dashboards"
DATASOURCE = DataSourceRef(type_val="prometheus", uid="aduan-prometheus")

# The bus's own queues: each service's inbox per event type, its .retry and its .dead.
INBOXES = 'queue=~"aduan\\\\..+", queue!~".+\\\\.(retry|dead)"'
DEAD = 'queue=~"aduan\\\\..+\\\\.dead"'


def query(expr: str, legend: str = "", ref: str = "A") -> prometheus.Dataquery:
    return prometheus.Dataquery().expr(expr).legend_format(legend).ref_id(ref)


def graph(title: str, exprs: list[tuple[str, str]], unit: str = "short", span: int = 12):
    panel = (
        timeseries.Panel()
        .title(title)
        .unit(unit)
        .datasource(DATASOURCE)
        .height(8)
        .span(span)
        .min(0)
    )
    for ref, (expr, legend) in zip("ABCDEFGH", exprs, strict=False):
        panel = panel.with_target(query(expr, legend, ref))
    return panel


def number(title: str, expr: str, unit: str = "short", span: int = 6, legend: str = ""):
    return (
        stat.Panel()
        .title(title)
        .unit(unit)
        .datasource(DATASOURCE)
        .height(4)
        .span(span)
        .with_target(query(expr, legend))
    )


def dashboard(uid: str, title: str, description: str) -> Dashboard:
    return (
        Dashboard(title)
        .uid(uid)
        .description(description)
        .tags(["aduan"])
        .refresh("30s")
        .time("now-6h", "now")
        .timezone("Asia/Jakarta")
    )


def overview() -> Dashboard:
    return (
        dashboard(
            "aduan-overview",
            "Aduan: overview",
            "Complaints coming in and moving through each step, queue depths and errors.",
        )
        .with_row(Row("Complaints"))
        .with_panel(
            number(
                "Complaints received, last 24 hours",
                "sum(increase(aduan_complaints_received_total[24h]))",
            )
        )
        .with_panel(
            number(
                "Processes answering",
                'sum(up{job=~"aduan-services|aduan-gateway"})',
            )
        )
        .with_panel(
            number(
                "Processes not answering",
                'count(up{job=~"aduan-services|aduan-gateway"} == 0) or vector(0)',
            )
        )
        .with_panel(
            number(
                "Parked messages waiting",
                f"sum(rabbitmq_detailed_queue_messages{{{DEAD}}})",
            )
        )
        .with_panel(
            graph(
                "Complaints received by channel (per minute)",
                [
                    (
                        "sum by (channel) (rate(aduan_complaints_received_total[5m])) * 60",
                        "{{channel}}",
                    )
                ],
                span=12,
            )
        )
        .with_panel(
            graph(
                "Through each step: lifecycle events read by reporting (per minute)",
                [
                    (
                        'sum by (event_type) (rate(aduan_events_handled_total{service="reporting", '
                        'event_type=~"complaint\\\\..+"}[5m])) * 60',
                        "{{event_type}}",
                    )
                ],
                span=12,
            )
        )
        .with_row(Row("Queues"))
        .with_panel(
            graph(
                "Events waiting, by queue",
                [
                    (
                        "topk(10, sum by (queue) "
                        f"(rabbitmq_detailed_queue_messages_ready{{{INBOXES}}}))",
                        "{{queue}}",
                    )
                ],
            )
        )
        .with_panel(
            graph(
                "Outbox backlog by service (aggregates with unpublished events)",
                [("sum by (service) (aduan_outbox_backlog)", "{{service}}")],
            )
        )
        .with_row(Row("Errors"))
        .with_panel(
            graph(
                "Event handlers failing, by service (per minute)",
                [("sum by (service) (rate(aduan_events_failed_total[5m])) * 60", "{{service}}")],
            )
        )
        .with_panel(
            graph(
                "Gateway answers by class (per second)",
                [
                    (
                        "sum by (class) (label_replace(rate(aduan_gateway_requests_total[5m]), "
                        '"class", "${1}xx", "status", "(.)..")) ',
                        "{{class}}",
                    )
                ],
                unit="reqps",
            )
        )
    )


def per_service() -> Dashboard:
    chosen = 'service=~"$service"'
    variable = (
        QueryVariable("service")
        .label("Service")
        .datasource(DATASOURCE)
        .query("label_values(aduan_worker_seconds_count, service)")
        .multi(True)
        .include_all(True)
    )
    return (
        dashboard(
            "aduan-service",
            "Aduan: per service",
            "One service's events handled, failed and parked, its workers' latency, its "
            "queues and its outbox.",
        )
        .with_variable(variable)
        .with_row(Row("Events"))
        .with_panel(
            graph(
                "Events handled (per minute)",
                [
                    (
                        f"sum by (service, event_type) "
                        f"(rate(aduan_events_handled_total{{{chosen}}}[5m])) * 60",
                        "{{service}} {{event_type}}",
                    )
                ],
                span=8,
            )
        )
        .with_panel(
            graph(
                "Events failed (per minute; each is retried)",
                [
                    (
                        f"sum by (service, event_type) "
                        f"(rate(aduan_events_failed_total{{{chosen}}}[5m])) * 60",
                        "{{service}} {{event_type}}",
                    )
                ],
                span=8,
            )
        )
        .with_panel(
            graph(
                "Events parked, last hour",
                [
                    (
                        f"sum by (service, event_type) "
                        f"(increase(aduan_events_parked_total{{{chosen}}}[1h]))",
                        "{{service}} {{event_type}}",
                    )
                ],
                span=8,
            )
        )
        .with_row(Row("Workers"))
        .with_panel(
            graph(
                "Worker latency, 50th and 99th percentile",
                [
                    (
                        f"histogram_quantile(0.5, sum by (le, service) "
                        f"(rate(aduan_worker_seconds_bucket{{{chosen}}}[5m])))",
                        "p50 {{service}}",
                    ),
                    (
                        f"histogram_quantile(0.99, sum by (le, service) "
                        f"(rate(aduan_worker_seconds_bucket{{{chosen}}}[5m])))",
                        "p99 {{service}}",
                    ),
                ],
                unit="s",
            )
        )
        .with_panel(
            graph(
                "Workers by entrypoint and outcome (per minute)",
                [
                    (
                        f"sum by (entrypoint, outcome) "
                        f"(rate(aduan_worker_seconds_count{{{chosen}}}[5m])) * 60",
                        "{{entrypoint}} {{outcome}}",
                    )
                ],
            )
        )
        .with_row(Row("Queues and outbox"))
        .with_panel(
            graph(
                "Its queues: events waiting",
                [
                    (
                        'sum by (queue) (rabbitmq_detailed_queue_messages_ready{queue=~"aduan\\\\.('
                        '$service)\\\\..+"})',
                        "{{queue}}",
                    )
                ],
                span=8,
            )
        )
        .with_panel(
            graph(
                "Outbox: backlog and events relayed (per minute)",
                [
                    (f"sum by (service) (aduan_outbox_backlog{{{chosen}}})", "backlog {{service}}"),
                    (
                        f"sum by (service) (rate(aduan_events_relayed_total{{{chosen}}}[5m])) * 60",
                        "relayed {{service}}",
                    ),
                ],
                span=8,
            )
        )
        .with_panel(
            graph(
                "Up, and containers restarted in the last hour",
                [
                    (f"sum by (service) (up{{{chosen}}})", "up {{service}}"),
                    (
                        "sum by (service) "
                        f"(increase(aduan_service_restarts_total{{{chosen}}}[1h]))",
                        "restarts {{service}}",
                    ),
                ],
                span=8,
            )
        )
        .with_panel(
            graph(
                "MongoDB commands (per second)",
                [
                    (
                        f"topk(10, sum by (service, collection, command) "
                        f"(rate(aduan_mongo_commands_total{{{chosen}}}[5m])))",
                        "{{service}} {{command}} {{collection}}",
                    )
                ],
                unit="ops",
                span=24,
            )
        )
    )


def sla() -> Dashboard:
    return (
        dashboard(
            "aduan-sla",
            "Aduan: SLA",
            "Open complaints by SLA state, breaches by agency, warnings and stage targets "
            "missed (Perwal Semarang 5/2023: 5, 10 or 30 working days).",
        )
        .with_panel(
            number("Open, on track", 'max(aduan_sla_open_complaints{state="on_track"})', span=6)
        )
        .with_panel(
            number("Open, due within 3 days", 'max(aduan_sla_open_complaints{state="due_soon"})')
        )
        .with_panel(number("Open, overdue", 'max(aduan_sla_open_complaints{state="overdue"})'))
        .with_panel(
            number(
                "Next deadline in (negative: breached)",
                "min(aduan_sla_seconds_to_next_breach)",
                unit="s",
            )
        )
        .with_panel(
            graph(
                "Open complaints by SLA state",
                [("max by (state) (aduan_sla_open_complaints)", "{{state}}")],
                span=24,
            )
        )
        .with_panel(
            graph(
                "Breaches by agency, last 24 hours",
                [("sum by (agency) (increase(aduan_sla_breaches_total[24h]))", "{{agency}}")],
            )
        )
        .with_panel(
            graph(
                "Breaches by category, last 24 hours",
                [("sum by (category) (increase(aduan_sla_breaches_total[24h]))", "{{category}}")],
            )
        )
        .with_panel(
            graph(
                "Warnings sent, last 24 hours",
                [("sum by (label) (increase(aduan_sla_warnings_total[24h]))", "{{label}}")],
            )
        )
        .with_panel(
            graph(
                "Stage targets missed, last 24 hours",
                [("sum by (stage) (increase(aduan_sla_stage_overdue_total[24h]))", "{{stage}}")],
            )
        )
    )


def channels() -> Dashboard:
    return (
        dashboard(
            "aduan-channels",
            "Aduan: channels",
            "Complaints in by channel, the channels' messages, notices out to reporters "
            "and deliveries to the agencies' systems.",
        )
        .with_row(Row("In"))
        .with_panel(
            graph(
                "Complaints received by channel (per minute)",
                [
                    (
                        "sum by (channel) (rate(aduan_complaints_received_total[5m])) * 60",
                        "{{channel}}",
                    )
                ],
            )
        )
        .with_panel(
            graph(
                "Channel messages read by the adapters (per minute)",
                [
                    (
                        "sum by (service, event_type) (rate(aduan_events_handled_total"
                        '{event_type=~"channel\\\\..+"}[5m])) * 60',
                        "{{service}} {{event_type}}",
                    )
                ],
            )
        )
        .with_panel(
            number(
                "SP4N-LAPOR! last answered a poll, seconds ago",
                "time() - max(aduan_lapor_last_poll_timestamp_seconds)",
                unit="s",
                span=24,
            )
        )
        .with_row(Row("Out to reporters"))
        .with_panel(
            graph(
                "Notices to reporters by result (per minute)",
                [
                    (
                        "sum by (service, result) (rate(aduan_deliveries_total[5m])) * 60",
                        "{{service}} {{result}}",
                    )
                ],
            )
        )
        .with_panel(
            graph(
                "Notices waiting for the provider",
                [("sum by (service) (aduan_deliveries_pending)", "{{service}}")],
            )
        )
        .with_row(Row("Agencies' systems"))
        .with_panel(
            graph(
                "Webhook deliveries by agency and result (per minute)",
                [
                    (
                        "sum by (agency, result) (rate(aduan_hook_deliveries_total[5m])) * 60",
                        "{{agency}} {{result}}",
                    )
                ],
                span=8,
            )
        )
        .with_panel(
            graph(
                "Event to delivery, 99th percentile",
                [
                    (
                        "histogram_quantile(0.99, sum by (le, agency) "
                        "(rate(aduan_hook_delivery_delay_seconds_bucket[5m])))",
                        "{{agency}}",
                    )
                ],
                unit="s",
                span=8,
            )
        )
        .with_panel(
            graph(
                "Feeds open and parked, by agency",
                [("sum by (agency, status) (aduan_hook_feeds)", "{{agency}} {{status}}")],
                span=8,
            )
        )
    )


DASHBOARDS = {
    "overview": overview,
    "service": per_service,
    "sla": sla,
    "channels": channels,
}


def render() -> dict[str, str]:
    """Each dashboard's file name and its JSON, as written."""
    rendered = {}
    for name, build in DASHBOARDS.items():
        board = json.loads(JSONEncoder().encode(build().build()))
        for number_, panel in enumerate(board["panels"], start=1):
            panel["id"] = number_  # Grafana links and repeats panels by id
        rendered[f"aduan-{name}.json"] = json.dumps(board, indent=2, sort_keys=True) + "\n"
    return rendered


def exprs(dashboard: dict) -> list[tuple[str, str]]:
    """(panel title, PromQL) of every query of a dashboard's JSON."""
    return [
        (panel["title"], target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets") or []
    ]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text)
        print(f"wrote {OUT / name} ({len(exprs(json.loads(text)))} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
