"""`wirewatch bench`: the options, the order of the cases and the report."""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .common import CASES, E2E2_REPEATS, PARTITIONS, QUICK, WARMUP_ARTICLES, BenchError, _say
from .corpus import FEED_NEGATIVE_SHARE, generate_corpus, generate_feed
from .endtoend import bench_end_to_end, bench_latency
from .inprocess import bench_in_process, profile_core
from .procfs import _load
from .results import CaseResult, _cpu_ratio, _ratio, bracketed, combined, evaluate_targets, render_text, spread
from .stack import Stack, WorkerProcess, running_stack

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wirewatch bench",
        description="Throughput of spaCy, the extraction core and the pipeline end to end, "
                    "end-to-end latency and worker memory, measured in one run.")
    p.add_argument("--articles", type=int, default=None,
                   help="Distinct articles at least per case (default 300; --quick 24). Cases that need "
                        "more to last --min-seconds generate more.")
    p.add_argument("--min-seconds", type=float, default=None,
                   help="Each throughput case runs at least this long (default 30; --quick 3).")
    p.add_argument("--latency-seconds", type=float, default=None,
                   help="Length of the steady-rate latency run (default: --min-seconds, at least 5).")
    p.add_argument("--quick", action="store_true", help="A short smoke run (tiny corpus, short cases).")
    p.add_argument("--json", action="store_true", help="Print the results as one JSON object.")
    p.add_argument("--cases", default=",".join(CASES),
                   help=f"Comma-separated subset of {','.join(CASES)} (latency implies e2e1).")
    p.add_argument("--workers", type=int, default=2, help="Workers of the e2e2 case (default 2).")
    p.add_argument("--repeats", type=int, default=E2E2_REPEATS,
                   help=f"Timed runs of (d) on its stack (default {E2E2_REPEATS}; --quick 1): the report "
                        "gives each run's ratio to (c) and their spread.")
    p.add_argument("--no-repeat", action="store_true",
                   help="Measure (c) once, before (d), instead of before and after it (the default "
                        "when both run, except with --quick: a steady drift of the machine's speed "
                        "between them cancels out).")
    p.add_argument("--batch-size", type=int, default=None, help="Articles per spaCy batch "
                   "(default: WIREWATCH_BATCH_SIZE or its default), for every case.")
    p.add_argument("--batch-timeout", type=float, default=None, help="Workers' batch fill timeout in "
                   "seconds (default: WIREWATCH_BATCH_TIMEOUT_SECONDS or its default).")
    p.add_argument("--model", default=None, help="spaCy pipeline (default: WIREWATCH_SPACY_MODEL).")
    p.add_argument("--seed", type=int, default=0, help="Corpus seed (default 0).")
    p.add_argument("--output", type=Path, default=None, help="Also write the JSON results to this file.")
    p.add_argument("--profile", type=Path, default=None,
                   help="cProfile one pass of the core over the corpus and write the stats here.")
    p.add_argument("--check", action="store_true", help="Exit 1 when a target is missed.")
    p.add_argument("--keep-logs", type=Path, default=None,
                   help="Keep broker and worker logs in this directory (default: a temporary one, "
                        "kept only when a case fails).")
    return p



def run_bench(argv: list[str] | None = None) -> int:
    """Run the benchmark with command-line `argv`; print the results; return the exit status.

    0: every selected case was measured (and, with --check, every target met);
    1: a case failed or, with --check, a target was missed; 2: invalid options.
    """
    from agents.extraction.nlp import load

    from ..settings import SettingsError, load_settings

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        print(f"wirewatch bench: error: unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}",
              file=sys.stderr)
        return 2
    if "latency" in cases and "e2e1" not in cases:
        cases.append("e2e1")
    n_articles = args.articles or (QUICK["articles"] if args.quick else 300)
    min_seconds = args.min_seconds if args.min_seconds is not None else (
        QUICK["min_seconds"] if args.quick else 30.0)
    latency_seconds = args.latency_seconds or (QUICK["latency_seconds"] if args.quick
                                               else max(min_seconds, QUICK["latency_seconds"]))
    if n_articles < 1 or min_seconds < 0 or latency_seconds <= 0 or args.workers < 1 or args.repeats < 1:
        print("wirewatch bench: error: --articles, --workers, --repeats and --latency-seconds must be positive",
              file=sys.stderr)
        return 2
    try:
        s = load_settings(spacy_model=args.model, batch_size=args.batch_size,
                          batch_timeout_seconds=args.batch_timeout)
    except SettingsError as exc:
        print(f"wirewatch bench: error: {exc}", file=sys.stderr)
        return 2

    workdir = args.keep_logs or Path(tempfile.mkdtemp(prefix="wirewatch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    worker_env = {"WIREWATCH_SPACY_MODEL": s.spacy_model, "WIREWATCH_BATCH_SIZE": str(s.batch_size),
                  "WIREWATCH_BATCH_TIMEOUT_SECONDS": str(s.batch_timeout_seconds),
                  "WIREWATCH_SESSION_TIMEOUT_SECONDS": "6", "WIREWATCH_HEARTBEAT_INTERVAL_SECONDS": "1",
                  "WIREWATCH_LAG_INTERVAL_SECONDS": "1", "WIREWATCH_LOG_LEVEL": "warning"}
    report: dict[str, Any] = {
        "command": "wirewatch bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "config": {"model": s.spacy_model, "batch_size": s.batch_size,
                   "batch_timeout_seconds": s.batch_timeout_seconds, "articles": n_articles,
                   "min_seconds": min_seconds, "latency_seconds": latency_seconds, "seed": args.seed,
                   "partitions": PARTITIONS, "cases": cases},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_start": _load()},
        "cases": {}, "ratios": {}, "ratios_per_cpu_second": {}, "memory": {"workers": []}, "errors": [],
    }
    results: dict[str, CaseResult] = {}
    _say(f"loading {s.spacy_model}")
    nlp = load(s.spacy_model)
    stock = _stock_model(s.spacy_model) if {"spacy", "feed"} & set(cases) else nlp
    corpus = generate_corpus(n_articles, args.seed)

    def token_count(articles: Sequence[dict[str, Any]]) -> list[int]:
        return [len(nlp.tokenizer(a["text"])) for a in articles]

    failed = False
    try:
        if {"spacy", "pipeline", "core"} & set(cases):
            _say(f"(a)/(a')/(b) in process over {len(corpus)} articles, >= {min_seconds:.0f} s each")
            results.update(bench_in_process(nlp, corpus, token_count(corpus), batch_size=s.batch_size,
                                            min_seconds=min_seconds, cases=cases, stock=stock))
        if args.profile:
            _say(f"profiling the core into {args.profile}")
            report["profile_top"] = profile_core(nlp, corpus, s.batch_size, args.profile)
        capacity = results["spacy"].articles_per_second if "spacy" in results else None
        if capacity is None and ("e2e1" in cases or "e2e2" in cases or "feed" in cases):
            sample = corpus[: min(len(corpus), s.batch_size)]
            t0 = time.perf_counter()
            for _ in nlp.pipe((a["text"] for a in sample), batch_size=s.batch_size):
                pass
            capacity = len(sample) / (time.perf_counter() - t0)
        next_index = n_articles
        if "e2e1" in cases:
            count = max(n_articles, math.ceil(capacity * min_seconds * 1.1))
            articles = generate_corpus(count, args.seed, start=next_index, prefix="e2e1")
            next_index += count
            _say(f"(c) end to end, 1 worker, {count} articles (starting broker and worker)")
            with running_stack(workdir, 1, worker_env) as stack:
                results["e2e1"] = bench_end_to_end(
                    stack, articles, sum(token_count(articles)), "e2e1", "(c) end to end, 1 worker",
                    expected_rate=capacity,
                    warmup=generate_corpus(WARMUP_ARTICLES * 2, args.seed, prefix="warm1"))
                if "latency" in cases:
                    rate = results["e2e1"].articles_per_second / 2
                    count = max(1, math.ceil(rate * latency_seconds))
                    lat_articles = generate_corpus(count, args.seed, start=next_index, prefix="lat")
                    next_index += count
                    _say(f"latency: {count} articles at {rate:.2f}/s")
                    report["latency"] = bench_latency(stack, lat_articles, rate)
                if "feed" in cases:
                    next_index = _feed_case(stack, results, report, nlp, stock, args, s.batch_size,
                                            n_articles, min_seconds, next_index, token_count)
            _record_memory(report, "e2e1", stack.workers)
        elif "feed" in cases:
            _say("(e) feed end to end, 1 worker (starting broker and worker)")
            with running_stack(workdir, 1, worker_env) as stack:
                next_index = _feed_case(stack, results, report, nlp, stock, args, s.batch_size,
                                        n_articles, min_seconds, next_index, token_count)
            _record_memory(report, "feed", stack.workers)
        if "e2e2" in cases:
            base = results["e2e1"].articles_per_second if "e2e1" in results else capacity
            count = max(n_articles, math.ceil(base * args.workers * min_seconds * 1.1))
            articles = generate_corpus(count, args.seed, start=next_index, prefix="e2e2")
            _say(f"(d) end to end, {args.workers} workers, {count} articles (starting broker and workers)")
            repeats = 1 if args.quick else args.repeats
            label = f"(d) end to end, {args.workers} workers"
            with running_stack(workdir, args.workers, worker_env) as stack:
                runs = []
                for r in range(repeats):
                    if r:
                        articles = generate_corpus(count, args.seed, start=next_index, prefix=f"e2e2r{r}")
                    runs.append((f"run {r + 1}", bench_end_to_end(
                        stack, articles, sum(token_count(articles)), "e2e2", label,
                        expected_rate=base * args.workers,
                        warmup=() if r else generate_corpus(WARMUP_ARTICLES * 2 * args.workers, args.seed,
                                                            prefix="warm2"))))
                    next_index += count
                results["e2e2"] = runs[0][1] if len(runs) == 1 else combined(runs)
            _record_memory(report, "e2e2", stack.workers)
            if "e2e1" in results and not (args.no_repeat or args.quick):
                first = results["e2e1"]
                count = max(n_articles, math.ceil(first.articles_per_second * min_seconds * 1.1))
                articles = generate_corpus(count, args.seed, start=next_index, prefix="e2e1b")
                next_index += count
                _say(f"(c) again after (d), {count} articles (starting broker and worker)")
                with running_stack(workdir, 1, worker_env) as stack:
                    again = bench_end_to_end(
                        stack, articles, sum(token_count(articles)), "e2e1", "(c) end to end, 1 worker",
                        expected_rate=first.articles_per_second,
                        warmup=generate_corpus(WARMUP_ARTICLES * 2, args.seed, prefix="warm3"))
                _record_memory(report, "e2e1", stack.workers)
                results["e2e1"] = bracketed(first, again)
    except BenchError as exc:
        failed = True
        report["errors"].append(str(exc))
        _say(f"failed: {exc}; logs kept in {workdir}")
    except KeyboardInterrupt:
        failed = True
        report["errors"].append("interrupted")

    for name in (*CASES, "feed_spacy"):
        if name in results:
            report["cases"][name] = results[name].to_dict()
    pairs = {"core_over_spacy": ("core", "spacy"), "core_over_pipeline": ("core", "pipeline"),
             "e2e1_over_spacy": ("e2e1", "spacy"), "e2e2_over_e2e1": ("e2e2", "e2e1"),
             "feed_over_spacy": ("feed", "feed_spacy")}
    for key, (num, den) in pairs.items():
        report["ratios"][key] = _ratio(results.get(num), results.get(den))
        report["ratios_per_cpu_second"][key] = _cpu_ratio(results.get(num), results.get(den))
    report["spread"] = {"e2e2_over_e2e1": spread(results.get("e2e2"), results.get("e2e1"))}
    peaks = [w["peak_bytes"] for w in report["memory"]["workers"] if w["peak_bytes"] is not None]
    report["memory"]["max_peak_bytes"] = max(peaks) if peaks else None
    measured = {**report["ratios"],
                **{f"{k}_per_cpu_second": v for k, v in report["ratios_per_cpu_second"].items()},
                "latency_p99_seconds": (report.get("latency") or {}).get("p99_seconds"),
                "worker_peak_mib": round(max(peaks) / 2**20, 1) if peaks else None}
    report["targets"] = evaluate_targets(measured)
    report["machine"]["load_end"] = _load()

    text = json.dumps(report, indent=2)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text if args.json else render_text(report))
    if not failed and args.keep_logs is None:
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        return 1
    return 1 if args.check and any(t["ok"] is False for t in report["targets"]) else 0


def _stock_model(name: str) -> Any:
    """The configured model exactly as spaCy loads it: the ceiling of case (a)."""
    import spacy

    return spacy.load(name)


def _record_memory(report: dict[str, Any], case: str, workers: Sequence[WorkerProcess]) -> None:
    for w in workers:
        report["memory"]["workers"].append({"case": case, "worker": w.name, "peak_bytes": w.peak_bytes,
                                            "rss_at_stop_bytes": w.rss_bytes})



GATE_COUNTERS = ("wirewatch_gate_articles_total", "wirewatch_gate_sentences_total")


def _gate_counts(stack: Stack) -> dict[str, float]:
    """The workers' relevance gate counters, summed: `<articles|sentences>_<decision>`."""
    out: dict[str, float] = {}
    for w in stack.workers:
        for (name, labels), value in w.samples(GATE_COUNTERS).items():
            kind = "articles" if "articles" in name else "sentences"
            key = f"{kind}_{dict(labels).get('decision', '')}"
            out[key] = out.get(key, 0.0) + value
    return out


def _feed_case(stack: Stack, results: dict[str, CaseResult], report: dict[str, Any], nlp: Any, stock: Any,
               args: Any, batch_size: int, n_articles: int, min_seconds: float, next_index: int,
               token_count: Any) -> int:
    """Case (e): the general-news feed through one worker, and raw spaCy on the same mix.

    spaCy's figure (`feed_spacy`) is measured in this process just before the worker's,
    on the feed's own articles, while the worker idles; returns the next corpus index.
    """
    sample = generate_feed(n_articles, args.seed, prefix="feedsp")
    _say(f"(e) raw spaCy over {len(sample)} feed articles, >= {min_seconds:.0f} s")
    spacy_feed = bench_in_process(nlp, sample, token_count(sample), batch_size=batch_size,
                                  min_seconds=min_seconds, cases=["spacy"], stock=stock)["spacy"]
    spacy_feed.name, spacy_feed.label = "feed_spacy", f"(e') spaCy nlp.pipe on the feed (batch {batch_size})"
    results["feed_spacy"] = spacy_feed
    # The gate makes the worker faster than spaCy: enough articles to last min_seconds at 4x.
    count = max(n_articles, math.ceil(spacy_feed.articles_per_second * 4 * min_seconds * 1.1))
    articles = generate_feed(count, args.seed, start=next_index, prefix="feed")
    _say(f"(e) feed end to end, 1 worker, {count} articles ({FEED_NEGATIVE_SHARE:.0%} hard negatives)")
    warm = generate_feed(WARMUP_ARTICLES * 2, args.seed, start=10**6, prefix="warmfeed")
    before: dict[str, float] = {}
    result = None
    for phase in ("warm-up", "timed"):
        if phase == "timed":
            before = _gate_counts(stack)
            result = bench_end_to_end(stack, articles, sum(token_count(articles)), "feed",
                                      "(e) feed end to end, 1 worker",
                                      expected_rate=spacy_feed.articles_per_second)
        else:
            bench_end_to_end(stack, warm, 0, "feed", "warm-up", expected_rate=1.0)
    assert result is not None
    after = _gate_counts(stack)
    result.extra["gate"] = {k: round(after.get(k, 0.0) - before.get(k, 0.0)) for k in sorted(after)}
    result.extra["negative_share"] = FEED_NEGATIVE_SHARE
    results["feed"] = result
    return next_index + count
