"""Quantiles and the Prometheus text the workers expose."""
from __future__ import annotations

import math
from collections.abc import Sequence

def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank `q`-quantile (0 < q <= 1): a value that was actually observed."""
    if not values:
        raise ValueError("no values")
    if not 0 < q <= 1:
        raise ValueError(f"quantile {q} is not in (0, 1]")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def histogram_quantile(q: float, buckets: Sequence[tuple[float, float]]) -> float | None:
    """`q`-quantile of a Prometheus histogram from `(le, cumulative count)` pairs.

    Linear interpolation inside the bucket, as PromQL's `histogram_quantile` does;
    a rank in the `+Inf` bucket answers the largest finite bound. None when empty.
    """
    ordered = sorted(buckets)
    if not ordered or ordered[-1][1] <= 0:
        return None
    rank = q * ordered[-1][1]
    prev_le, prev_count = 0.0, 0.0
    for le, count in ordered:
        if count >= rank:
            if math.isinf(le):
                return prev_le
            if count == prev_count:
                return le
            return prev_le + (le - prev_le) * (rank - prev_count) / (count - prev_count)
        prev_le, prev_count = le, count
    return prev_le


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse_metrics(text: str) -> Samples:
    """Prometheus text exposition as `{(sample name, labels): value}`."""
    from prometheus_client.parser import text_string_to_metric_families

    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def metric_sum(samples: Samples, name: str) -> float:
    """Sum of every series of `name` (all label values)."""
    return sum(v for (n, _), v in samples.items() if n == name)


def histogram_buckets(samples: Samples, name: str) -> dict[float, float]:
    """`le` -> cumulative count of histogram `name`."""
    return {float(dict(labels)["le"]): v for (n, labels), v in samples.items() if n == f"{name}_bucket"}
