"""Prometheus metrics, defined once against an injected registry.

Base units (seconds), `_total` on counters, labels from closed sets: dead-letter
and skip reasons, PLOVER types, casualty categories, rule names from the rules file,
severities, ISO country / organisation codes, topic names and partition numbers.
"""
from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

from . import __version__
from .decode import REASONS

#: Casualty categories of the extraction contract: the closed label set of the claims counter.
CLAIM_CATEGORIES = ("killed", "injured", "missing", "kidnapped", "arrested", "displaced",
                    "evacuated")
#: Reasons an article is skipped (mirrors `agents.language.SKIP_REASONS`, kept here so the
#: metrics need nothing from the agents; a test holds the two equal).
SKIP_REASONS = ("not_english",)

_ARTICLE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_BATCH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 120, 300)
_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class Metrics:
    """Every wirewatch metric, registered on `registry`."""

    def __init__(self, registry: CollectorRegistry | None = None, *, with_process: bool = True) -> None:
        disable_created_metrics()  # `_created` series only add cardinality here
        self.registry = registry or CollectorRegistry()
        r = self.registry
        if with_process:
            ProcessCollector(registry=r)
            PlatformCollector(registry=r)
        self.articles_consumed = Counter(
            "wirewatch_articles_consumed_total", "Input messages read from the articles topic.", registry=r)
        self.articles_processed = Counter(
            "wirewatch_articles_processed_total", "Articles extracted and whose outputs were produced.", registry=r)
        self.deadlettered = Counter(
            "wirewatch_articles_deadlettered_total", "Inputs sent to the dead-letter topic, by reason.",
            ["reason"], registry=r)
        for reason in REASONS:
            self.deadlettered.labels(reason)
        self.skipped = Counter(
            "wirewatch_articles_skipped_total", "Articles read but not extracted (no outputs), by reason.",
            ["reason"], registry=r)
        for reason in SKIP_REASONS:
            self.skipped.labels(reason)
        self.events = Counter(
            "wirewatch_events_extracted_total", "Diplomatic events extracted, by PLOVER type.", ["type"], registry=r)
        self.dyads = Counter(
            "wirewatch_event_dyads_total", "Diplomatic events by actor code, type and target code.",
            ["actor", "type", "target"], registry=r)
        self.claims = Counter(
            "wirewatch_casualty_claims_total", "Casualty claims extracted, by category.", ["category"], registry=r)
        for category in CLAIM_CATEGORIES:
            self.claims.labels(category)
        self.alerts = Counter(
            "wirewatch_alerts_published_total", "Alerts published, by rule, severity and status.",
            ["rule", "severity", "status"], registry=r)
        self.article_seconds = Histogram(
            "wirewatch_article_processing_seconds", "Extraction time per article.",
            buckets=_ARTICLE_BUCKETS, registry=r)
        self.batch_seconds = Histogram(
            "wirewatch_batch_processing_seconds", "Time to process a batch, from take to outputs produced.",
            buckets=_BATCH_BUCKETS, registry=r)
        self.batch_articles = Histogram(
            "wirewatch_batch_articles", "Articles per processed batch.", buckets=_SIZE_BUCKETS, registry=r)
        self.latency = Histogram(
            "wirewatch_end_to_end_latency_seconds",
            "From the article's broker timestamp to its outputs being produced.",
            buckets=_LATENCY_BUCKETS, registry=r)
        self.lag = Gauge(
            "wirewatch_consumer_lag", "Messages between the group's committed offset and the end of each "
            "assigned input partition (Kafka's consumer-groups lag).",
            ["topic", "partition"], registry=r)
        self.assigned = Gauge(
            "wirewatch_assigned_partitions", "Partitions currently assigned to this worker.", registry=r)
        self.stalled = Gauge(
            "wirewatch_stalled_partitions", "Assigned input partitions whose messages wait while neither "
            "the read position nor the committed offset has moved for WIREWATCH_STALL_WARNING_SECONDS.",
            registry=r)
        self.rebalances = Counter(
            "wirewatch_rebalances_total", "Consumer group rebalances seen by this worker.", registry=r)
        self.extraction_restarts = Counter(
            "wirewatch_extraction_restarts_total",
            "Extraction child processes started again, by reason (timeout, crashed, gone).",
            ["reason"], registry=r)
        self.gate_articles = Counter(
            "wirewatch_gate_articles_total",
            "Articles by the relevance gate's decision: parsed whole, or gated (tokenized, "
            "and at most their signal sentences parsed).",
            ["decision"], registry=r)
        self.gate_sentences = Counter(
            "wirewatch_gate_sentences_total",
            "Sentences (split at end marks) the parser saw (parsed) and did not see (gated).",
            ["decision"], registry=r)
        for decision in ("parsed", "gated"):
            self.gate_articles.labels(decision)
            self.gate_sentences.labels(decision)
        self.ready = Gauge("wirewatch_ready", "1 when partitions are assigned and no rebalance runs.", registry=r)
        self.figure_max = Gauge(
            "wirewatch_casualty_figure_max",
            "Largest casualty figure claimed per country and category in the recent window.",
            ["country", "category"], registry=r)
        self.build = Gauge("wirewatch_build_info", "Build information.", ["version", "python"], registry=r)
        self.build.labels(__version__, platform.python_version()).set(1)
        self.model = Gauge("wirewatch_model_info", "Loaded extraction model.", ["model", "version"], registry=r)
        self._figures = FigureWindow()

    def observe_gate(self, extraction: object) -> None:
        """Count an extraction's article and sentences as gated or parsed.

        Only extractions the gate saw carry a sentence count; with the gate off
        nothing is counted.
        """
        sentences = getattr(extraction, "sentences", 0)
        if not sentences:
            return
        parsed = min(getattr(extraction, "parsed_sentences", 0), sentences)
        self.gate_articles.labels("gated" if getattr(extraction, "gated", False) else "parsed").inc()
        if parsed:
            self.gate_sentences.labels("parsed").inc(parsed)
        if sentences > parsed:
            self.gate_sentences.labels("gated").inc(sentences - parsed)

    def observe_figure(self, country: str, category: str, figure: int, window: float,
                       now: float | None = None) -> None:
        """Record a claimed figure and raise its gauge if it is the window's new maximum.

        Only this key's gauge changes here (a claim can only raise a maximum); figures
        that leave the window are dropped by `refresh_figures`, which the worker runs on
        its timer and before each scrape. Refreshing every key on every claim cost
        milliseconds per article with many countries in the window.
        """
        at = now if now is not None else time.time()
        self._figures.add(country, category, figure, at)
        key = (country, category)
        current = self._figures.maximum(key, window, at)
        if current is not None:
            self.figure_max.labels(country, category).set(current)
            self._figures.published.add(key)

    def refresh_figures(self, window: float, now: float | None = None) -> None:
        current = self._figures.maxima(window, now if now is not None else time.time())
        for key in self._figures.published - set(current):
            self.figure_max.remove(*key)
        for (country, category), value in current.items():
            self.figure_max.labels(country, category).set(value)
        self._figures.published = set(current)


@dataclass
class FigureWindow:
    """Maximum figure per (country, category) in 5-minute buckets, for a sliding maximum.

    Buckets bound the memory to window/300 entries per key however many claims arrive.
    """

    bucket_seconds: float = 300.0
    seen: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)
    published: set[tuple[str, str]] = field(default_factory=set)

    def add(self, country: str, category: str, figure: int, at: float) -> None:
        buckets = self.seen.setdefault((country, category), {})
        slot = int(at // self.bucket_seconds)
        buckets[slot] = max(buckets.get(slot, figure), figure)

    def maximum(self, key: tuple[str, str], window: float, now: float) -> int | None:
        oldest = int((now - window) // self.bucket_seconds)
        figures = [f for s, f in self.seen.get(key, {}).items() if s >= oldest]
        return max(figures) if figures else None

    def maxima(self, window: float, now: float) -> dict[tuple[str, str], int]:
        oldest = int((now - window) // self.bucket_seconds)
        out: dict[tuple[str, str], int] = {}
        for key in list(self.seen):
            buckets = {s: f for s, f in self.seen[key].items() if s >= oldest}
            if buckets:
                self.seen[key] = buckets
                out[key] = max(buckets.values())
            else:
                del self.seen[key]
        return out
