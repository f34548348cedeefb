"""What every part of the bench shares: the cases, targets, sizes and errors."""
from __future__ import annotations

import sys

CASES = ("spacy", "pipeline", "core", "e2e1", "e2e2", "latency", "feed")
#: name, measured key, comparison, threshold: the issue's targets.
TARGETS = (
    ("(b)/(a) core vs spaCy", "core_over_spacy", ">=", 0.95),
    ("(c)/(a) end to end vs spaCy", "e2e1_over_spacy", ">=", 0.85),
    ("(d)/(c) two workers vs one", "e2e2_over_e2e1", ">=", 1.6),
    ("(c)/(a) end to end vs spaCy, per CPU-second", "e2e1_over_spacy_per_cpu_second", ">=", 0.90),
    ("(d)/(c) two workers vs one, per CPU-second", "e2e2_over_e2e1_per_cpu_second", ">=", 0.95),
    ("(e)/(e') feed end to end vs spaCy on the feed", "feed_over_spacy", ">=", 3.0),
    ("p99 latency at half capacity (s)", "latency_p99_seconds", "<", 2.0),
    ("peak memory per worker (MiB)", "worker_peak_mib", "<", 1024.0),
)
QUICK = {"articles": 24, "min_seconds": 3.0, "latency_seconds": 5.0}
PARTITIONS = 4
#: Articles processed untimed before each throughput case (lazy loading, first batches).
WARMUP_ARTICLES = 4
#: Timed runs of (d) on one stack: their spread shows how much of the figure is the machine.
E2E2_REPEATS = 3


class BenchError(RuntimeError):
    """A case could not be measured (a worker died, never got ready, or stalled)."""


def _say(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)

