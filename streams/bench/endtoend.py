"""Cases (c), (d) and the latency run: articles through real workers, timed by their metrics."""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from .common import PARTITIONS, BenchError
from .procfs import _load, proc_cpu_seconds, proc_run_delay_seconds, tree_sum
from .results import CaseResult
from .stack import Stack
from .stats import histogram_buckets, histogram_quantile, percentile

def _producer(bootstrap: str, linger_ms: int) -> Any:
    from kafka import KafkaProducer

    return KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=linger_ms)


def _encoded(articles: Sequence[dict[str, Any]]) -> list[tuple[bytes, bytes]]:
    return [(a["id"].encode(), json.dumps(a, ensure_ascii=False).encode()) for a in articles]


def _wait_done(stack: Stack, target: float, timeout: float, poll: float) -> float:
    """Poll the workers' metrics until their finished articles reach `target`; the time then.

    A poll asks for the two counters it reads only: the whole page grows with the
    dyads seen (hundreds of series within a run) and costs the worker milliseconds of
    CPU each time. Polls are sparse while much is left (a quarter of the expected
    remaining time, at most 2 s) and every `poll` seconds near the end, which bounds
    the error of the end time.
    """
    start = time.monotonic()
    deadline = start + timeout
    first: float | None = None
    done = 0.0
    while time.monotonic() < deadline:
        done = sum(w.done(w.samples(w.DONE)) for w in stack.workers)
        now = time.monotonic()
        if done >= target:
            return time.perf_counter()
        for w in stack.workers:
            w.check_alive()
        first = done if first is None else first
        rate = (done - first) / (now - start) if done > first else 0.0
        wait = (target - done) / rate / 4 if rate > 0 else poll
        time.sleep(min(2.0, max(poll, wait)))
    raise BenchError(f"only {done:.0f} of {target:.0f} articles finished within {timeout:.0f} s")


def bench_end_to_end(stack: Stack, articles: Sequence[dict[str, Any]], tokens: int, name: str, label: str,
                     *, expected_rate: float, warmup: Sequence[dict[str, Any]] = (),
                     poll: float = 0.2) -> CaseResult:
    """Publish `articles` as fast as possible and time them until the workers finished them all.

    `warmup` articles are published and finished first, untimed, so the workers'
    one-time start-up work (lexicons, gazetteer, first batches) is not counted as
    throughput; with several workers each should get some, so there are several
    per worker, with distinct keys spreading them over the partitions.
    """
    if warmup:
        before = sum(w.done(w.samples()) for w in stack.workers)
        producer = _producer(stack.broker.bootstrap, linger_ms=5)
        try:
            for key, value in _encoded(warmup):
                producer.send(stack.topics["articles"], key=key, value=value)
            producer.flush(timeout=60)
        finally:
            producer.close(timeout=10)
        _wait_done(stack, before + len(warmup), 180, 0.5)
    payload = _encoded(articles)
    baseline = sum(w.done(w.samples()) for w in stack.workers)
    pids = [w.pid for w in stack.workers]
    cpu_before = [tree_sum(p, proc_cpu_seconds) for p in pids]
    own_before = [proc_cpu_seconds(p) for p in pids]
    wait_before = [tree_sum(p, proc_run_delay_seconds) for p in pids]
    broker_cpu_before = proc_cpu_seconds(stack.broker.proc.pid) if stack.broker.proc else None
    load_before = _load()
    producer = _producer(stack.broker.bootstrap, linger_ms=5)
    try:
        start = time.perf_counter()
        # Round robin over the partitions, so each worker gets the same share: placed by
        # key, the two workers' shares differed by up to 9 %, and the one done first idled
        # while the other finished, which measured the corpus's luck, not the workers.
        for i, (key, value) in enumerate(payload):
            producer.send(stack.topics["articles"], key=key, value=value, partition=i % PARTITIONS)
        producer.flush(timeout=120)
        published = time.perf_counter() - start
        timeout = 120 + 10 * len(articles) / max(expected_rate, 0.1)
        end = _wait_done(stack, baseline + len(articles), timeout, poll)
    finally:
        producer.close(timeout=10)
    cpu_after = [tree_sum(p, proc_cpu_seconds) for p in pids]
    own_after = [proc_cpu_seconds(p) for p in pids]
    wait_after = [tree_sum(p, proc_run_delay_seconds) for p in pids]
    cpu_wait = (round(sum(a - b for a, b in zip(wait_after, wait_before)), 2)  # type: ignore[operator]
                if None not in wait_before and None not in wait_after else None)
    worker_cpu = (sum(a - b for a, b in zip(cpu_after, cpu_before))  # type: ignore[operator]
                  if None not in cpu_before and None not in cpu_after else None)
    broker_cpu = None
    if broker_cpu_before is not None and stack.broker.proc:
        now = proc_cpu_seconds(stack.broker.proc.pid)
        broker_cpu = None if now is None else round(now - broker_cpu_before, 2)
    per_worker = [round(a - b, 2) for a, b in zip(cpu_after, cpu_before)] if worker_cpu is not None else []
    # The worker process alone, without its extraction process: what the worker itself
    # costs beside spaCy and the rules (consuming, records, sends, alerts, the event loop).
    own = ([round(a - b, 2) for a, b in zip(own_after, own_before)]  # type: ignore[operator]
           if None not in own_before and None not in own_after else [])
    return CaseResult(name, label, len(articles), tokens, end - start, worker_cpu, load_before, _load(),
                      {"workers": len(stack.workers), "publish_seconds": round(published, 3),
                       "worker_cpu_seconds": per_worker, "broker_cpu_seconds": broker_cpu,
                       "worker_process_cpu_seconds": own,
                       "worker_process_ms_per_article": (round(1000 * sum(own) / len(articles), 2)
                                                         if own and articles else None),
                       "cpu_wait_seconds": cpu_wait,
                       "poll_seconds": poll})


def bench_latency(stack: Stack, articles: Sequence[dict[str, Any]], rate: float) -> dict[str, Any]:
    """Publish `articles` at a steady `rate` per second; per-article end-to-end latency.

    An article's latency is the latest broker timestamp among its output records
    (keyed by the article id) minus the timestamp it was published with. Output
    timestamps are set by the worker's producer when it sends, just before it waits
    for the broker's acknowledgement, so they slightly under-state the time to an
    acknowledged output (by the produce round trip, milliseconds on loopback).
    """
    from kafka import KafkaConsumer

    worker = stack.workers[0]
    hist_before = histogram_buckets(worker.samples(), "wirewatch_end_to_end_latency_seconds")
    baseline = worker.done(worker.samples())
    payload = _encoded(articles)
    sent_ms: dict[str, int] = {}
    producer = _producer(stack.broker.bootstrap, linger_ms=0)
    interval = 1.0 / rate
    try:
        start = time.perf_counter()
        for k, (key, value) in enumerate(payload):
            delay = start + k * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            stamp = int(time.time() * 1000)
            sent_ms[key.decode()] = stamp
            producer.send(stack.topics["articles"], key=key, value=value, timestamp_ms=stamp)
        producer.flush(timeout=60)
        publish_seconds = time.perf_counter() - start
        _wait_done(stack, baseline + len(articles), 120 + 5 * len(articles) / rate, 0.5)
    finally:
        producer.close(timeout=10)
    hist_after = histogram_buckets(worker.samples(), "wirewatch_end_to_end_latency_seconds")
    consumer = KafkaConsumer(stack.topics["diplomatic"], stack.topics["casualty"], stack.topics["deadletter"],
                             bootstrap_servers=stack.broker.bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=3000)
    last_ms: dict[str, int] = {}
    try:
        for msg in consumer:
            key = msg.key.decode("utf-8", "replace") if msg.key else ""
            if key in sent_ms and msg.timestamp and msg.timestamp > 0:
                last_ms[key] = max(last_ms.get(key, 0), msg.timestamp)
    finally:
        consumer.close()
    latencies = [(last_ms[k] - sent_ms[k]) / 1000 for k in last_ms]
    delta = [(le, hist_after.get(le, 0.0) - hist_before.get(le, 0.0)) for le in hist_after]
    result: dict[str, Any] = {
        "rate_per_second": round(rate, 3), "articles": len(articles),
        "publish_seconds": round(publish_seconds, 2), "measured_articles": len(latencies),
        "method": "output record timestamp - publish timestamp, per article",
    }
    if latencies:
        result.update({f"p{int(q * 100)}_seconds": round(percentile(latencies, q), 3) for q in (0.5, 0.95, 0.99)})
        result["max_seconds"] = round(max(latencies), 3)
    result["histogram"] = {f"p{int(q * 100)}_seconds": _rounded(histogram_quantile(q, delta))
                           for q in (0.5, 0.95, 0.99)}
    return result


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)

