"""Every dashboard query against a real Prometheus scraping a real worker that processed the seeds.

`live_prometheus` (tests/conftest.py) starts the broker, a worker that has processed the seed
articles, and a Prometheus server that has scraped it at least twice; it exposes `.url`.
"""
from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.integration

from pathlib import Path

SEED_GOLD = Path(__file__).resolve().parents[2] / "seeds" / "gold.jsonl"


def seed_country() -> str:
    """Country of the largest death toll in the seed articles' expected extraction."""
    claims = [c for line in SEED_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()
              for c in json.loads(line)["casualty_claims"]
              if c["category"] == "killed" and c.get("country") and not c.get("optional")]
    return max(claims, key=lambda c: c["low"] if c["low"] is not None else c["high"])["country"]


def api(base_url: str, endpoint: str, **params: str) -> dict:
    url = f"{base_url.rstrip('/')}/api/v1/{endpoint}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    assert body["status"] == "success", body
    return body["data"]


def evaluate(base_url: str, query) -> list[dict]:
    """Run a panel's query the way Grafana does: instant, or a range over the last 10 minutes."""
    if query.instant:
        return api(base_url, "query", query=query.expr)["result"]
    end = time.time()
    return api(base_url, "query_range", query=query.expr, start=f"{end - 600:.3f}",
               end=f"{end:.3f}", step="15")["result"]


def test_every_panel_query_returns_data(live_prometheus, panel_queries):
    empty = [repr(q) for q in panel_queries if not evaluate(live_prometheus.url, q)]
    assert empty == []


def test_world_map_shows_the_seed_country(live_prometheus, panel_queries):
    (query,) = [q for q in panel_queries if q.panel["type"] == "geomap"]
    figures = {r["metric"].get("country"): float(r["value"][1]) for r in evaluate(live_prometheus.url, query)}
    assert figures.get(seed_country(), 0) > 0, figures
    assert all(len(country) == 3 and country.isupper() for country in figures), figures


def test_news_panels_count_the_seed_extractions(live_prometheus):
    """The worker's counters reflect the processed seeds, not just zero-valued series."""
    events = api(live_prometheus.url, "query", query="sum(wirewatch_events_extracted_total)")["result"]
    claims = api(live_prometheus.url, "query", query="sum(wirewatch_casualty_claims_total)")["result"]
    processed = api(live_prometheus.url, "query", query="sum(wirewatch_articles_processed_total)")["result"]
    assert float(processed[0]["value"][1]) >= 1
    assert float(events[0]["value"][1]) >= 1
    assert float(claims[0]["value"][1]) >= 1
