"""One case's result, ratios between cases, the targets and the text table."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .common import TARGETS

@dataclass
class CaseResult:
    """Throughput of one case: articles and tokens over wall seconds (and CPU seconds)."""

    name: str
    label: str
    articles: int
    tokens: int
    seconds: float
    cpu_seconds: float | None = None
    load_before: float | None = None
    load_after: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    @property
    def articles_per_cpu_second(self) -> float | None:
        return self.articles / self.cpu_seconds if self.cpu_seconds else None

    def to_dict(self) -> dict[str, Any]:
        per_cpu = self.articles_per_cpu_second
        return {"label": self.label, "articles": self.articles, "tokens": self.tokens,
                "seconds": round(self.seconds, 3), "articles_per_second": round(self.articles_per_second, 3),
                "tokens_per_second": round(self.tokens_per_second, 1),
                "cpu_seconds": None if self.cpu_seconds is None else round(self.cpu_seconds, 2),
                "articles_per_cpu_second": None if per_cpu is None else round(per_cpu, 3),
                "load_before": self.load_before, "load_after": self.load_after, **self.extra}


def bracketed(before: CaseResult, after: CaseResult) -> CaseResult:
    """One result for a case measured before and after another: the sums of both runs.

    A drift of the machine's speed (another tenant, the clock) between two cases measured
    a minute apart moves their ratio; with the case measured on both sides of the other,
    a steady drift cancels out. Both runs stay in `runs`.
    """
    return combined([("before", before), ("after", after)])


def combined(runs: Sequence[tuple[str, CaseResult]]) -> CaseResult:
    """One result for several runs of a case: the sums of all; each run stays in `runs`."""
    def add(a: Any, b: Any) -> Any:
        return None if a is None or b is None else round(a + b, 2)

    def total(key: str) -> Any:
        values = [r.extra.get(key) for _, r in runs]
        out = values[0]
        for v in values[1:]:
            out = add(out, v)
        return out

    first, last = runs[0][1], runs[-1][1]
    per_worker = [r.extra.get("worker_cpu_seconds", []) for _, r in runs]
    own = [r.extra.get("worker_process_cpu_seconds", []) for _, r in runs]
    own_sum = [functools.reduce(add, col) for col in zip(*own)]
    articles = sum(r.articles for _, r in runs)
    extra = {**first.extra,
             "worker_cpu_seconds": [functools.reduce(add, col) for col in zip(*per_worker)],
             "worker_process_cpu_seconds": own_sum,
             "worker_process_ms_per_article": (round(1000 * sum(own_sum) / articles, 2)
                                               if own_sum and None not in own_sum and articles else None),
             "broker_cpu_seconds": total("broker_cpu_seconds"),
             "cpu_wait_seconds": total("cpu_wait_seconds"),
             "publish_seconds": total("publish_seconds"),
             "runs": [{"when": when, **r.to_dict()} for when, r in runs]}
    cpu = first.cpu_seconds
    for _, r in runs[1:]:
        cpu = add(cpu, r.cpu_seconds)
    return CaseResult(first.name, first.label, articles, sum(r.tokens for _, r in runs),
                      sum(r.seconds for _, r in runs), cpu, first.load_before, last.load_after, extra)


def spread(case: CaseResult | None, base: CaseResult | None) -> dict[str, Any] | None:
    """Each run of `case` over `base` (wall and per CPU-second), with their range.

    None unless `case` has several runs. The range says how much of a figure is the
    machine: on a shared one it moves from run to run with the other tenants' load.
    """
    if case is None or base is None or len(case.extra.get("runs", [])) < 2:
        return None
    wall = [round(r["articles_per_second"] / base.articles_per_second, 3) for r in case.extra["runs"]
            if base.articles_per_second]
    base_cpu = base.articles_per_cpu_second
    cpu = [round(r["articles_per_cpu_second"] / base_cpu, 3) for r in case.extra["runs"]
           if base_cpu and r.get("articles_per_cpu_second")]
    return {"runs": len(case.extra["runs"]), "wall": wall, "per_cpu_second": cpu,
            "wall_min": min(wall, default=None), "wall_max": max(wall, default=None),
            "per_cpu_second_min": min(cpu, default=None), "per_cpu_second_max": max(cpu, default=None)}


def _ratio(num: CaseResult | None, den: CaseResult | None) -> float | None:
    if num is None or den is None or den.articles_per_second <= 0:
        return None
    return round(num.articles_per_second / den.articles_per_second, 3)


def _cpu_ratio(num: CaseResult | None, den: CaseResult | None) -> float | None:
    if num is None or den is None or not num.articles_per_cpu_second or not den.articles_per_cpu_second:
        return None
    return round(num.articles_per_cpu_second / den.articles_per_cpu_second, 3)


def evaluate_targets(measured: dict[str, float | None]) -> list[dict[str, Any]]:
    """Each target with its measured value and whether it is met (None: not measured)."""
    out = []
    for label, key, op, threshold in TARGETS:
        value = measured.get(key)
        ok = None if value is None else (value >= threshold if op == ">=" else value < threshold)
        out.append({"target": label, "key": key, "value": value, "op": op, "threshold": threshold, "ok": ok})
    return out


def render_text(report: dict[str, Any]) -> str:
    """The results as a plain-text table for a terminal."""
    lines = [f"wirewatch bench: model {report['config']['model']}, batch {report['config']['batch_size']}, "
             f"batch timeout {report['config']['batch_timeout_seconds']} s, {report['machine']['cpus']} CPUs, "
             f"load {report['machine']['load_start']} -> {report['machine']['load_end']}", ""]
    head = (f"{'case':<38} {'articles':>8} {'seconds':>8} {'art/s':>8} {'tokens/s':>9} {'art/CPU-s':>9} "
            f"{'CPU wait s':>10}")
    lines += [head, "-" * len(head)]
    for case in report["cases"].values():
        per_cpu, wait = case["articles_per_cpu_second"], case.get("cpu_wait_seconds")
        lines.append(f"{case['label']:<38} {case['articles']:>8} {case['seconds']:>8.1f} "
                     f"{case['articles_per_second']:>8.2f} {case['tokens_per_second']:>9.0f} "
                     f"{'-' if per_cpu is None else f'{per_cpu:.2f}':>9} {'-' if wait is None else wait:>10}")
    for case in report["cases"].values():
        if case.get("worker_process_ms_per_article") is not None:
            lines.append(f"{case['label']}: the worker process alone (without its extraction process) "
                         f"{case['worker_process_ms_per_article']:.1f} ms CPU per article")
    for case in report["cases"].values():
        if case.get("runs"):
            lines.append(f"{case['label']}: " + ", ".join(
                f"{r['when']} (d) {r['articles_per_second']:.2f} art/s"
                + ("" if r["articles_per_cpu_second"] is None else f" ({r['articles_per_cpu_second']:.2f}/CPU-s)")
                for r in case["runs"]) + "; the row above is both runs together")
    lines.append("")
    names = {"core_over_spacy": "(b)/(a)", "core_over_pipeline": "(b)/(a')", "e2e1_over_spacy": "(c)/(a)",
             "e2e2_over_e2e1": "(d)/(c)", "feed_over_spacy": "(e)/(e')"}
    for key, name in names.items():
        wall, cpu = report["ratios"].get(key), report["ratios_per_cpu_second"].get(key)
        if wall is not None:
            lines.append(f"ratio {name}: {wall:.3f} (per CPU-second: {'-' if cpu is None else f'{cpu:.3f}'})")
    sp = (report.get("spread") or {}).get("e2e2_over_e2e1")
    if sp:
        lines.append(f"spread of (d)/(c) over {sp['runs']} runs of (d): wall {sp['wall_min']} .. {sp['wall_max']}, "
                     f"per CPU-second {sp['per_cpu_second_min']} .. {sp['per_cpu_second_max']}")
    gate = (report["cases"].get("feed") or {}).get("gate")
    if gate:
        lines.append(f"feed: relevance gate parsed {gate.get('articles_parsed', 0)} and gated "
                     f"{gate.get('articles_gated', 0)} articles")
    lat = report.get("latency")
    if lat:
        hist = lat["histogram"]
        lines.append(f"latency at {lat['rate_per_second']:.2f} articles/s (half of (c)), "
                     f"{lat['measured_articles']}/{lat['articles']} articles: p50 {lat.get('p50_seconds')} s, "
                     f"p95 {lat.get('p95_seconds')} s, p99 {lat.get('p99_seconds')} s, max {lat.get('max_seconds')} s"
                     f" (worker histogram: p50 {hist['p50_seconds']}, p95 {hist['p95_seconds']}, "
                     f"p99 {hist['p99_seconds']})")
    for w in report["memory"]["workers"]:
        peak = w["peak_bytes"]
        lines.append(f"memory {w['case']} {w['worker']}: peak {'-' if peak is None else f'{peak / 2**20:.0f}'} MiB")
    lines.append("")
    for t in report["targets"]:
        status = {True: "ok", False: "MISSED", None: "not measured"}[t["ok"]]
        value = "-" if t["value"] is None else f"{t['value']:.3f}"
        lines.append(f"target {t['target']}: {value} {t['op']} {t['threshold']}: {status}")
    if report.get("profile_top"):
        lines += ["", "core profile (cumulative):", report["profile_top"].rstrip()]
    if report.get("errors"):
        lines += ["", *[f"error: {e}" for e in report["errors"]]]
    return "\n".join(lines)

