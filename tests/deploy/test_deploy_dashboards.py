"""Grafana dashboards: structure, datasource variable, stable uids, and every query parsed."""
from __future__ import annotations

import re

import yaml

PROMETHEUS_DS = {"type": "prometheus", "uid": "${datasource}"}
EXPECTED_UIDS = {"wirewatch-pipeline.json": "wirewatch-pipeline", "wirewatch-news.json": "wirewatch-news"}
CONTRACT_METRICS = {
    "wirewatch-pipeline": {
        "wirewatch_articles_consumed_total", "wirewatch_articles_processed_total",
        "wirewatch_articles_deadlettered_total", "wirewatch_consumer_lag",
        "wirewatch_article_processing_seconds_bucket", "wirewatch_end_to_end_latency_seconds_bucket",
        "wirewatch_batch_processing_seconds_bucket", "wirewatch_rebalances_total",
        "wirewatch_ready", "wirewatch_build_info", "wirewatch_assigned_partitions",
    },
    "wirewatch-news": {
        "wirewatch_events_extracted_total", "wirewatch_event_dyads_total",
        "wirewatch_casualty_claims_total", "wirewatch_casualty_figure_max",
        "wirewatch_alerts_published_total",
    },
}


def test_dashboards_have_stable_uids(dashboards):
    assert {name: d["uid"] for name, d in dashboards.items()} == EXPECTED_UIDS
    assert all(d.get("id") is None for d in dashboards.values())


def test_datasource_is_a_variable(dashboards):
    for name, dashboard in dashboards.items():
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource", name
        assert variables["datasource"]["query"] == "prometheus", name
        for panel in dashboard["panels"]:
            if panel["type"] == "row":
                continue
            assert panel["datasource"] == PROMETHEUS_DS, (name, panel["title"])
            assert panel["targets"], (name, panel["title"])
            for target in panel["targets"]:
                assert target["datasource"] == PROMETHEUS_DS, (name, panel["title"])


def test_panels_are_laid_out_without_overlap(dashboards):
    for name, dashboard in dashboards.items():
        ids = [p["id"] for p in dashboard["panels"]]
        assert len(ids) == len(set(ids)), name
        taken: set[tuple[int, int]] = set()
        for panel in dashboard["panels"]:
            pos = panel["gridPos"]
            assert 0 <= pos["x"] and pos["x"] + pos["w"] <= 24, (name, panel["title"])
            cells = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"])
                     for y in range(pos["y"], pos["y"] + pos["h"])}
            assert not cells & taken, (name, panel["title"])
            taken |= cells


def test_dashboards_query_the_contract_metrics(panel_queries):
    for uid, metrics in CONTRACT_METRICS.items():
        text = " ".join(q.expr for q in panel_queries if q.dashboard == uid)
        used = set(re.findall(r"\bwirewatch_[a-z_]+", text))
        assert metrics <= used, metrics - used


def test_world_map_looks_up_iso3_countries(dashboards):
    news = dashboards["wirewatch-news.json"]
    (geomap,) = [p for p in news["panels"] if p["type"] == "geomap"]
    (target,) = geomap["targets"]
    assert "wirewatch_casualty_figure_max" in target["expr"] and "by (country)" in target["expr"]
    assert target["format"] == "table" and target["instant"] is True
    (layer,) = geomap["options"]["layers"]
    assert layer["location"] == {"mode": "lookup", "lookup": "country",
                                 "gazetteer": "public/gazetteer/countries.json"}


def test_no_variable_survives_substitution(panel_queries):
    assert panel_queries
    leftovers = [q for q in panel_queries if "$" in q.expr]
    assert leftovers == []


def check_as_rules(tools, tmp_path, exprs: dict[str, str]):
    """promtool has no parse-only command: each expression becomes a recording rule."""
    groups = [{"name": "dashboard-queries",
               "rules": [{"record": f"dashboard:query_{i}:check", "expr": expr}
                         for i, expr in enumerate(exprs.values())]}]
    path = tmp_path / "queries.yaml"
    path.write_text(yaml.safe_dump({"groups": groups}), encoding="utf-8")
    return tools.run([tools.path("promtool"), "check", "rules", str(path)])


def test_every_panel_query_parses(panel_queries, tools, tmp_path):
    result = check_as_rules(tools, tmp_path, {repr(q): q.expr for q in panel_queries})
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(panel_queries)} rules found" in result.stdout


def test_query_parsing_rejects_a_broken_expression(tools, tmp_path):
    result = check_as_rules(tools, tmp_path, {"broken": "sum by (type) (rate(wirewatch_events_extracted_total[5m])"})
    assert result.returncode != 0
