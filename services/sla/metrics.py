"""SLA metrics: open complaints by SLA state, breaches by agency and category, and the
time to the next breach."""

from prometheus_client import Counter, Gauge

OPEN_BY_STATE = Gauge("aduan_sla_open_complaints", "Open complaints by SLA state", ["state"])
BREACHES = Counter("aduan_sla_breaches_total", "Deadlines breached", ["agency", "category"])
WARNINGS = Counter("aduan_sla_warnings_total", "SLA warnings published", ["label"])
STAGE_OVERDUE = Counter("aduan_sla_stage_overdue_total", "Stage targets missed", ["stage"])
NEXT_BREACH = Gauge(
    "aduan_sla_seconds_to_next_breach",
    "Seconds until the earliest deadline of a running clock (negative: already breached)",
)


def count_fired(events: list[dict]) -> None:
    for event in events:
        data = event["data"]
        if event["type"] == "sla.breached":
            BREACHES.labels(data["agency"] or "none", data.get("category") or "none").inc()
        elif event["type"] == "sla.warning":
            WARNINGS.labels(data["label"]).inc()
        elif event["type"] == "sla.stage_overdue":
            STAGE_OVERDUE.labels(data["label"]).inc()
