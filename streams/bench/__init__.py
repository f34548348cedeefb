"""`wirewatch bench`: how close the pipeline gets to spaCy's own throughput, measured.

One run, on one machine, over one generated corpus of wire-style articles:

  (a) `spacy`  raw `nlp.pipe` with the configured model as installed (`spacy.load`) and
               the configured batch size: the ceiling;
  (a') `pipeline` `nlp.pipe` with the pipeline the worker runs (the same model, its
               attribute ruler indexed, sentences capped; see agents.extraction.nlp):
               what is left of the ceiling for the extraction rules themselves;
  (b) `core`   the extraction core (`agents.extraction.extract_texts`) over the same texts;
  (c) `e2e1`   end to end: articles published to the embedded broker (Tansu), one
               `python -m streams run` worker, timed from the first publish until the
               worker's `wirewatch_articles_processed_total` (plus dead letters) covers
               every article;
  (d) `e2e2`   the same with two workers in one consumer group;
  latency      after (c), the same worker is fed at a steady rate of half of (c)'s
               throughput; each article's latency is the broker timestamp of its last
               output record (events, claims or dead letter) minus its publish time.
               The worker's `wirewatch_end_to_end_latency_seconds` histogram is
               reported next to it as a cross-check: it is bucketed (0.5 s steps
               around the target), so the exact per-record figure is the primary one.

(a), (a') and (b) run alternately on the same slices of the corpus, so a change in the load
of a shared machine hits both alike. Every case also reports CPU seconds (the bench
process for (a)/(b), the worker processes for (c)/(d)): articles per CPU-second is
far less sensitive to other load than articles per wall-second. A worker is its
process tree (the worker and its extraction process): CPU seconds are summed over it,
and peak memory per worker is the sum of their `VmHWM` (`/proc/<pid>/status`), read
just before the worker stops.

The corpus is generated here (templates filled from pools of countries, people,
places and numbers, seeded, so every run sees the same articles) and needs no
download. `run_bench(argv)` is the entry point; `python -m streams.bench --help`.

Modules, one per concern: `corpus` (the generated articles), `inprocess` ((a), (a'),
(b)), `stack` (broker and worker processes), `endtoend` ((c), (d), latency),
`procfs` (CPU, wait and memory from /proc), `stats` (quantiles, Prometheus text),
`results` (cases, ratios, targets, the table) and `run` (options and the report).
"""
from __future__ import annotations

from .common import CASES, PARTITIONS, QUICK, TARGETS, WARMUP_ARTICLES, BenchError
from .corpus import generate_article, generate_corpus
from .endtoend import bench_end_to_end, bench_latency
from .inprocess import bench_in_process, profile_core
from .procfs import proc_cpu_seconds, proc_run_delay_seconds, proc_status_bytes, proc_tree, tree_sum
from .results import CaseResult, bracketed, evaluate_targets, render_text
from .run import _stock_model, build_parser, run_bench
from .stack import Stack, WorkerProcess, running_stack
from .stats import histogram_buckets, histogram_quantile, metric_sum, parse_metrics, percentile

__all__ = ["CASES", "PARTITIONS", "QUICK", "TARGETS", "WARMUP_ARTICLES", "BenchError", "CaseResult",
           "Stack", "WorkerProcess", "bench_end_to_end", "bench_in_process", "bench_latency", "bracketed",
           "build_parser", "evaluate_targets", "generate_article", "generate_corpus", "histogram_buckets",
           "histogram_quantile", "metric_sum", "parse_metrics", "percentile", "proc_cpu_seconds",
           "proc_run_delay_seconds", "proc_status_bytes", "proc_tree", "profile_core", "render_text",
           "run_bench", "running_stack", "tree_sum", "_stock_model"]
