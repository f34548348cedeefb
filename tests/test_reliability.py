"""Nothing is lost: a worker killed with SIGKILL, stopped with SIGTERM, a broker that
goes away and comes back, a second worker that joins and leaves mid-stream.

Every article carries one casualty claim that matches an alert rule, so each input
can be accounted for by its id: its claim is on the casualty topic and an alert
naming it is on the alert topic, or the article is on the dead-letter topic.
Processing is at-least-once: an article may appear twice after a crash, and then
with the same deterministic record ids, and its alert carries the same dedupe key.
"""
from __future__ import annotations

import collections
import contextlib
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from streams import broker as brokers
from streams.broker import BrokerProcess, free_port
from streams.brokers import apache_kafka
from tests import harness

pytestmark = pytest.mark.integration

#: Stream length of the crash tests (the issue asks for at least 500).
STREAM = 500
#: Articles a worker may have produced but not yet counted when it dies: two
#: batches (default size 32) on each of the 4 partitions.
IN_FLIGHT = 2 * 32 * 4
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def stream(n: int, tag: str) -> list[dict[str, Any]]:
    """`n` articles, each with one 'killed' claim of the same figure and place.

    Same figure and place, distinct sources: the first raises a `new` alert and
    every other one a `corroborated` alert, whatever the order, so each article
    is named by exactly one alert (a redelivered one from the same source raises
    none, or repeats the same alert id).
    """
    return [{"id": f"{tag}-{i:04d}", "source": f"outlet {tag} {i}",
             "text": (f"Twenty-five people were killed in an attack on a market in Mali on "
                      f"{DAYS[i % 7]}, officials said. Report number {i} of the day.")}
            for i in range(n)]


@dataclass
class Ledger:
    """What the output topics say about a set of article ids."""

    claims: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    alerts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    dead: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def missing(self, ids: set[str]) -> set[str]:
        """Ids with neither (claim and alert) nor a dead letter."""
        return {i for i in ids if not ((i in self.claims and i in self.alerts) or i in self.dead)}

    def duplicated(self) -> dict[str, int]:
        """Article id -> how many times its claims were produced (when more than once)."""
        out = {}
        for article, claims in self.claims.items():
            times = collections.Counter(c["id"] for c in claims)
            if max(times.values()) > 1:
                out[article] = max(times.values())
        return out


def read_ledger(bootstrap: str, topics: dict[str, str], *, expect: int, timeout: float = 30.0) -> Ledger:
    ledger = Ledger()
    for m in harness.consume(bootstrap, topics["casualty"], at_least=expect, timeout=timeout, idle=2.0):
        ledger.claims.setdefault(m["value"]["article_id"], []).append(m["value"])
    for m in harness.consume(bootstrap, topics["alerts_casualty"], at_least=1, timeout=timeout, idle=2.0):
        ledger.alerts.setdefault(m["value"]["article"]["id"], []).append(m["value"])
    for m in harness.consume(bootstrap, topics["deadletter"], at_least=0, timeout=5.0, idle=1.0):
        ledger.dead.setdefault(m["value"]["key"] or "", []).append(m["value"])
    return ledger


def wait_accounted(bootstrap: str, topics: dict[str, str], ids: set[str], timeout: float = 240.0) -> Ledger:
    """Poll the output topics until every id is accounted for (or fail naming the missing)."""
    deadline = time.monotonic() + timeout
    ledger = Ledger()
    while time.monotonic() < deadline:
        ledger = read_ledger(bootstrap, topics, expect=len(ids))
        if not ledger.missing(ids):
            return ledger
        time.sleep(2)
    missing = sorted(ledger.missing(ids))
    no_claim = sum(1 for i in missing if i not in ledger.claims)
    raise AssertionError(f"{len(missing)} of {len(ids)} articles unaccounted for ({no_claim} without a claim, "
                         f"{len(missing) - no_claim} with a claim but no alert), e.g. {missing[:10]}")


def assert_duplicates_harmless(ledger: Ledger, ids: set[str], window: int) -> dict[str, int]:
    """Every article has one claim id; repeats are exact copies within `window` articles."""
    for article in ids - set(ledger.dead):
        assert len({c["id"] for c in ledger.claims[article]}) == 1, ledger.claims[article]
    dups = ledger.duplicated()
    assert len(dups) <= window, f"{len(dups)} duplicated articles, more than the window of {window}"
    for article in dups:
        claims = ledger.claims[article]
        assert len({(c["id"], c["count"]["low"], c["category"]) for c in claims}) == 1
    alerts = [a for group in ledger.alerts.values() for a in group]
    assert {a["rule"] for a in alerts} == {"deadly-incident"}
    # One group, one figure: every alert shares the dedupe key, so a subscriber
    # that upserts by dedupe key/alert id ends up with one alert.
    assert len({a["dedupe_key"] for a in alerts}) == 1, {a["dedupe_key"] for a in alerts}
    return dups


def assignment_of(worker: harness.Worker) -> str:
    """What a worker says it was assigned: partitions in all, and which input partitions."""
    samples = worker.metrics()
    inputs = sorted(int(dict(labels)["partition"]) for name, labels in samples
                    if name == "wirewatch_consumer_lag")
    total = samples.get(("wirewatch_assigned_partitions", frozenset()), "?")
    return f"{total} partitions in all, input partitions {inputs}"


def where_missing(bootstrap: str, topic: str, group: str, missing: list[str] | set[str],
                  article_of: Any = lambda value: value["id"]) -> str:
    """Where the missing articles' messages sit in `topic` against the group's committed
    offsets: below a committed offset means a commit passed them unprocessed."""
    from kafka import KafkaConsumer, TopicPartition

    at = {article_of(m["value"]): (m["partition"], m["offset"])
          for m in harness.consume(bootstrap, topic, at_least=1, timeout=30, idle=2.0)}
    c = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:  # an offset fetch only: the group is not joined
        committed = {p: c.committed(TopicPartition(topic, p)) for p in c.partitions_for_topic(topic) or ()}
    finally:
        c.close()
    by_partition: dict[int, list[int]] = collections.defaultdict(list)
    for article in missing:
        if article in at:
            by_partition[at[article][0]].append(at[article][1])
    parts = [f"p{p}: committed {committed.get(p)}, missing offsets {sorted(o)[:8]}{'...' if len(o) > 8 else ''}"
             for p, o in sorted(by_partition.items())]
    return "; ".join(parts) or "none of them found in the input topic"


def where_unaccounted(bootstrap: str, app_id: str, worker: harness.Worker, ids: set[str]) -> str:
    """For a failure message: where the unaccounted articles' input messages and alert
    candidates sit against the group's committed offsets."""
    seen = read_ledger(bootstrap, worker.topics, expect=len(ids))
    missing = seen.missing(ids)
    no_claim = sorted(i for i in missing if i not in seen.claims)
    no_alert = sorted(i for i in missing if i in seen.claims)
    samples = worker.metrics()
    alerts = sum(v for (name, _), v in samples.items() if name == "wirewatch_alerts_published_total")
    processed = sum(v for (name, _), v in samples.items() if name == "wirewatch_articles_processed_total")
    return (f"the worker holds {assignment_of(worker)}, processed {processed:.0f} articles and raised "
            f"{alerts:.0f} alerts; "
            f"articles without a claim: {where_missing(bootstrap, worker.topics['articles'], app_id, no_claim)}; "
            f"claims without an alert, their candidates: "
            f"{where_missing(bootstrap, f'{app_id}-alert-candidates', app_id, no_alert, lambda v: v['article']['id'])}"
            f"\nthe worker's log, last lines:\n{worker.log()[-6000:]}")


def wait_processed_at_least(worker: harness.Worker, n: int, timeout: float = 180.0) -> float:
    return worker.wait_metric("wirewatch_articles_processed_total", n, timeout=timeout)


@pytest.fixture(scope="module", params=["tansu", "apache-kafka", harness.KAFKA_LEGACY])
def joining_broker(request, tmp_path_factory):
    """Tansu and Apache Kafka, for the tests where a worker joins a group that is
    already running.

    On noida-db 0.2.3 a consumer that joins a live group (a restarted worker after a
    SIGKILL, a second worker mid-stream) never receives an assignment, so those two
    cases leave it out; every other broker-facing test runs on all three brokers.
    """
    with harness.start_broker(request.param, tmp_path_factory.mktemp(f"joining-{request.param}")) as b:
        yield b


def test_sigkill_mid_stream_loses_nothing(joining_broker, tmp_path):
    broker = joining_broker
    articles = stream(STREAM, f"kill-{broker.kind}")
    ids = {a["id"] for a in articles}
    app_id = f"ww-kill-{broker.kind}"
    first = harness.Worker(broker, tmp_path, app_id=app_id, name="first").start()
    try:
        first.wait_ready()
        harness.publish_kafka_python(broker.bootstrap, articles, first.topics["articles"])
        wait_processed_at_least(first, STREAM // 5)
        done_before = first.metric("wirewatch_articles_processed_total")
        started = time.monotonic()
        first.stop(signal.SIGKILL)
        assert first.proc.returncode == -signal.SIGKILL
    finally:
        first.stop(signal.SIGKILL)
    assert done_before < STREAM, "the worker finished before it could be killed; lengthen the stream"
    with harness.Worker(broker, tmp_path, app_id=app_id, name="second") as second:
        second.wait_ready()
        try:
            ledger = wait_accounted(broker.bootstrap, second.topics, ids)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; {where_unaccounted(broker.bootstrap, app_id, second, ids)}") from None
        recovery = time.monotonic() - started
    # At-least-once: only what the killed worker had produced but not committed can repeat.
    window = int(done_before) + IN_FLIGHT
    dups = assert_duplicates_harmless(ledger, ids, window)
    assert all(times == 2 for times in dups.values()), dups
    print(f"\n[{harness.label(broker)}] sigkill: {len(ids)} articles, {int(done_before)} done before the kill, "
          f"{len(dups)} redelivered, {len(ledger.dead)} dead-lettered, recovered in {recovery:.1f} s")


def test_sigterm_mid_stream_commits_what_is_done(broker, tmp_path):
    """A graceful stop finishes (or abandons, uncommitted) the batch in flight and
    commits what is done: the restarted worker repeats at most the batches in flight."""
    articles = stream(STREAM, f"term-{broker.kind}")
    ids = {a["id"] for a in articles}
    app_id = f"ww-term-{broker.kind}"
    with harness.Worker(broker, tmp_path, app_id=app_id, name="first") as first:
        first.wait_ready()
        harness.publish_kafka_python(broker.bootstrap, articles, first.topics["articles"])
        wait_processed_at_least(first, STREAM // 5)
        started = time.monotonic()
        code = first.stop(signal.SIGTERM)
        stopped_in = time.monotonic() - started
        log = first.log()
    assert code == 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    with harness.Worker(broker, tmp_path, app_id=app_id, name="second") as second:
        second.wait_ready()
        try:
            ledger = wait_accounted(broker.bootstrap, second.topics, ids)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; {where_unaccounted(broker.bootstrap, app_id, second, ids)}") from None
        redone = second.metric("wirewatch_articles_consumed_total")
    dups = assert_duplicates_harmless(ledger, ids, IN_FLIGHT)
    # The stop committed the first worker's work: the second did not start over.
    assert redone <= STREAM - STREAM // 5 + IN_FLIGHT, redone
    print(f"\n[{harness.label(broker)}] sigterm: {len(ids)} articles, stopped in {stopped_in:.1f} s, "
          f"{len(dups)} redelivered, {len(ledger.dead)} dead-lettered")


class SlowPublisher:
    """Publishes articles at a steady rate from a thread, so processing is under way
    while workers join and leave."""

    def __init__(self, bootstrap: str, topic: str, articles: list[dict[str, Any]], per_second: float) -> None:
        import threading

        self.bootstrap, self.topic, self.articles, self.per_second = bootstrap, topic, articles, per_second
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            step = 10
            for i in range(0, len(self.articles), step):
                harness.publish_kafka_python(self.bootstrap, self.articles[i:i + step], self.topic)
                time.sleep(step / self.per_second)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread by join()
            self.error = exc

    def __enter__(self) -> "SlowPublisher":
        self.thread.start()
        return self

    def join(self, timeout: float = 300) -> None:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "publisher did not finish"
        if self.error:
            raise self.error

    def __exit__(self, *exc: object) -> None:
        self.thread.join(60)


def test_rebalance_while_processing_loses_nothing(joining_broker, tmp_path):
    """A second worker joins mid-stream (partitions move to it) and leaves again
    (they move back); every article is accounted for."""
    broker = joining_broker
    articles = stream(600, f"rebal-{broker.kind}")
    ids = {a["id"] for a in articles}
    app_id = f"ww-rebal-{broker.kind}"
    with harness.Worker(broker, tmp_path, app_id=app_id, name="w1") as w1:
        w1.wait_ready()
        with SlowPublisher(broker.bootstrap, w1.topics["articles"], articles, per_second=20) as pub:
            wait_processed_at_least(w1, 40)
            w2 = harness.Worker(broker, tmp_path, app_id=app_id, name="w2").start()
            try:
                w2.wait_ready()
                w2.wait_metric("wirewatch_articles_processed_total", 20, timeout=120)
                joined = w1.metric("wirewatch_rebalances_total")
            finally:
                w2.stop(signal.SIGTERM)
            pub.join()
        ledger = wait_accounted(broker.bootstrap, w1.topics, ids)
        rebalances = w1.metric("wirewatch_rebalances_total")
    assert joined >= 2 and rebalances >= 3, (joined, rebalances)  # start, join, leave
    dups = assert_duplicates_harmless(ledger, ids, 2 * IN_FLIGHT)
    print(f"\n[{harness.label(broker)}] rebalance: {len(ids)} articles, {int(rebalances)} rebalances on w1, "
          f"{len(dups)} redelivered")


# --- the broker goes away -------------------------------------------------------------------

def own_broker(kind: str, tmp: Path, port: int) -> BrokerProcess:
    """A broker of `kind` on a fixed port, so a restart comes back at the same address."""
    log = tmp / f"{kind}-{port}.log"
    if kind == "tansu":
        return brokers.tansu(port=port, log_path=log)
    return BrokerProcess([harness.noida_binary(), "start", "--only", "kafka", "--kafka-port", str(port),
                          "--host", "127.0.0.1", "--data-dir", str(tmp / "noida-data")],
                         port, "noida-db", log_path=log)


def wait_ready_state(worker: harness.Worker, ready: bool, timeout: float) -> float:
    """Seconds until /readyz says `ready` (200) or not (503)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert worker.proc.poll() is None, f"worker exited:\n{worker.log()[-3000:]}"
        with contextlib.suppress(OSError):
            status, _ = harness.http_get(f"{worker.url}/readyz", 2)
            if (status == 200) == ready:
                return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"/readyz not {'ready' if ready else 'unready'} within {timeout} s:\n"
                         f"{worker.log()[-3000:]}")


@pytest.mark.parametrize("kind", harness.BROKER_KINDS)
def test_broker_restart_worker_resumes_without_restarting(kind, tmp_path):
    from streams.settings import Settings
    from streams.topics import ensure_topics

    port = free_port()
    if kind.startswith("apache-kafka"):  # the same node (ports, log directory) started again
        kafka = apache_kafka.prepare(tmp_path / "kafka", version=harness.kafka_version(kind))
        make: Any = lambda: kafka  # noqa: E731
    else:
        make = lambda: own_broker(kind, tmp_path, port)  # noqa: E731
    b = make().start()
    try:
        before = stream(100, f"before-{kind}")
        after = stream(100, f"after-{kind}")
        with harness.Worker(b, tmp_path, env={"WIREWATCH_STARTUP_TIMEOUT_SECONDS": "60"}) as w:
            w.wait_ready()
            pid = w.proc.pid
            harness.publish_kafka_python(b.bootstrap, before, w.topics["articles"])
            wait_accounted(b.bootstrap, w.topics, {a["id"] for a in before}, timeout=120)

            b.stop()
            unready_after = wait_ready_state(w, ready=False, timeout=90)
            time.sleep(3)
            b = make().start()
            if kind == "tansu":
                # Memory storage: the restarted broker has no topics, offsets or data,
                # while the worker keeps its fetch positions. A Kafka broker keeps its
                # log across a restart; rebuild that state: recreate the topics as
                # `wirewatch run` does at start, then replay the earlier articles with
                # the same keys in the same order, so every partition's log ends where
                # it did. Without the replay, articles published later would land below
                # the worker's positions and be skipped (a broker that loses its log
                # loses data for every Kafka consumer).
                s = Settings(broker=b.bootstrap, app_id=w.app_id, topic_partitions=4,
                             **{f"topic_{k}": v for k, v in w.topics.items()})
                ensure_topics(s, timeout=60)
                harness.publish_kafka_python(b.bootstrap, before, w.topics["articles"])
            back_after = wait_ready_state(w, ready=True, timeout=180)
            harness.publish_kafka_python(b.bootstrap, after, w.topics["articles"])
            expect = {a["id"] for a in after}
            if kind != "tansu":  # persistent storage: the earlier outputs are still there
                expect |= {a["id"] for a in before}
            wait_accounted(b.bootstrap, w.topics, expect, timeout=180)
            assert w.proc.pid == pid and w.proc.poll() is None
            ready_gauge = w.metric("wirewatch_ready")
        assert ready_gauge == 1
        print(f"\n[{kind}] broker restart: unready {unready_after:.1f} s after the stop, "
              f"ready {back_after:.1f} s after the restart")
    finally:
        b.stop()
