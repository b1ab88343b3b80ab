"""Aduan's Prometheus configuration and alert rules, checked by Debian's promtool:
the scrape configuration and rules are valid, every alert has promtool unit tests with
series that fire it and series that do not, and every alert links to its section of
docs/runbook.md."""

import re

import yaml

from tests.support.prometheus import PROMETHEUS_DIR, RULES, RUNBOOK, alert_rules, promtool

TESTS = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))


def test_the_scrape_configuration_and_its_rules_are_valid():
    checked = promtool("check", "config", "prometheus.yml", cwd=PROMETHEUS_DIR)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_alert_rules_are_valid():
    checked = promtool("check", "rules", str(RULES))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    groups = yaml.safe_load(RULES.read_text())["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert f"SUCCESS: {len(rules)} rules found" in checked.stdout


def test_the_alert_rules_pass_their_unit_tests():
    assert TESTS
    tested = promtool("test", "rules", *[str(path) for path in TESTS])
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_is_tested_firing_and_not_firing():
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in TESTS:
        for case in yaml.safe_load(path.read_text())["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    alerts = {rule["alert"] for rule in alert_rules()}
    assert alerts - firing == set(), "alerts no test fires"
    assert alerts - quiet == set(), "alerts no test shows quiet"
    assert (firing | quiet) - alerts == set(), "tests of alerts that do not exist"


def test_every_alert_links_to_its_runbook_section():
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", title.strip().lower()).replace(" ", "-")
        for title in re.findall(r"^## (.+)$", RUNBOOK.read_text(), re.MULTILINE)
    }
    for rule in alert_rules():
        assert rule["labels"]["severity"] in ("warning", "critical"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        link = rule["annotations"]["runbook_url"]
        assert link == f"docs/runbook.md#{rule['alert'].lower()}", rule["alert"]
        assert link.split("#")[1] in anchors, f"docs/runbook.md has no section {rule['alert']}"
