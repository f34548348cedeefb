"""Prometheus rules as the chart renders them: `promtool check rules` and `promtool test rules`."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

RULE_TESTS = Path(__file__).parent / "promtool" / "rules_test.yaml"

REQUIRED_ALERTS = {
    "WirewatchWorkerDown", "WirewatchAbsent", "WirewatchNotProcessing", "WirewatchConsumerLagHigh",
    "WirewatchConsumerLagGrowing", "WirewatchDeadLetterRateHigh", "WirewatchProcessingLatencyHigh",
    "WirewatchRebalanceStorm", "WirewatchPartitionStalled", "WirewatchCasualtyFigureHigh", "WirewatchHostileEventSpike",
}
SEVERITIES = {"info", "warning", "critical"}


def rules_of(path: Path) -> list[dict]:
    return [r for g in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"] for r in g["rules"]]


def test_promtool_check_rules(rendered_rules, tools):
    result = tools.run([tools.path("promtool"), "check", "rules", str(rendered_rules)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules_of(rendered_rules))} rules found" in result.stdout


def test_rendered_rules_cover_the_required_alerts(rendered_rules):
    rules = rules_of(rendered_rules)
    alerts = {r["alert"]: r for r in rules if "alert" in r}
    assert set(alerts) == REQUIRED_ALERTS
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in SEVERITIES, name
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], name
    records = [r["record"] for r in rules if "record" in r]
    assert all(r.startswith("wirewatch:") and r.count(":") == 2 for r in records), records


def test_every_alert_has_a_unit_test():
    tested = {case["alertname"] for test in yaml.safe_load(RULE_TESTS.read_text(encoding="utf-8"))["tests"]
              for case in test.get("alert_rule_test", []) if case["exp_alerts"]}
    assert tested == REQUIRED_ALERTS


def run_rule_tests(tools, rules: Path, tests: Path, workdir: Path):
    shutil.copy(rules, workdir / "rules.yaml")
    shutil.copy(tests, workdir / "rules_test.yaml")
    return tools.run([tools.path("promtool"), "test", "rules", "rules_test.yaml"], cwd=workdir)


def test_promtool_unit_tests_pass(rendered_rules, tools, tmp_path):
    result = run_rule_tests(tools, rendered_rules, RULE_TESTS, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_unit_tests_catch_a_changed_threshold(rendered_rules, tools, tmp_path):
    """The unit tests pin the thresholds: raising the lag threshold makes them fail."""
    text = rendered_rules.read_text(encoding="utf-8")
    assert "wirewatch:consumer_lag:sum_by_topic > 1000" in text
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace("wirewatch:consumer_lag:sum_by_topic > 1000",
                                    "wirewatch:consumer_lag:sum_by_topic > 5000"), encoding="utf-8")
    workdir = tmp_path / "run"
    workdir.mkdir()
    result = run_rule_tests(tools, changed, RULE_TESTS, workdir)
    assert result.returncode != 0
    assert "WirewatchConsumerLagHigh" in result.stdout + result.stderr
