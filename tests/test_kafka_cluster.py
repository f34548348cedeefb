"""A three-node Apache Kafka cluster that loses a node: replication factor 3,
`min.insync.replicas` 2, producers with acks=all.

The node leading input and output partitions is killed with SIGKILL while a worker
is in the middle of a stream, later started again; then every node is restarted in
turn (a rolling restart). Nothing is lost, the worker process never restarts, and
`/readyz` tells the truth: two of three nodes are a working cluster, so it stays
ready, and the worker does keep processing while the node is down.
"""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from streams.brokers import apache_kafka
from tests import harness
from tests.test_reliability import (IN_FLIGHT, SlowPublisher, assert_duplicates_harmless, stream, wait_accounted,
                                    where_unaccounted)

pytestmark = pytest.mark.integration

NODES = 3
REPLICATION = 3


@pytest.fixture(scope="module", params=["apache-kafka", harness.KAFKA_LEGACY])
def cluster(request, tmp_path_factory):
    with harness.start_broker(request.param, tmp_path_factory.mktemp("cluster"), nodes=NODES) as c:
        yield c


def describe(cluster: apache_kafka.KafkaCluster, topics: list[str], timeout: float = 60.0) -> list[dict[str, Any]]:
    """describe_topics through a live node. While a killed node is still listed in the
    metadata (until its session expires) kafka-python's admin may pick it and fail:
    try again."""
    from kafka.errors import KafkaConnectionError, KafkaTimeoutError

    deadline = time.monotonic() + timeout
    while True:
        try:
            admin = cluster.admin()
            try:
                return admin.describe_topics(topics)
            finally:
                admin.close()
        except (KafkaConnectionError, KafkaTimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def leaders(cluster: apache_kafka.KafkaCluster, topic: str) -> dict[int, int]:
    """Partition -> node id of its leader (-1: none)."""
    return {p["partition_index"]: p["leader_id"] for p in describe(cluster, [topic])[0]["partitions"]}


def topic_shape(cluster: apache_kafka.KafkaCluster, topic: str) -> tuple[set[int], int]:
    """(replication factors, min.insync.replicas) of `topic` as the brokers hold it."""
    from confluent_kafka.admin import AdminClient, ConfigResource

    parts = describe(cluster, [topic])[0]["partitions"]
    res = ConfigResource("topic", topic)
    confluent = AdminClient({"bootstrap.servers": cluster.bootstrap})  # held: the future needs its handle
    conf = confluent.describe_configs([res])[res].result(30)
    return {len(p["replica_nodes"]) for p in parts}, int(conf["min.insync.replicas"].value)


def under_replicated(cluster: apache_kafka.KafkaCluster, topics: list[str]) -> int:
    return sum(1 for t in describe(cluster, topics) for p in t["partitions"]
               if len(p["isr_nodes"]) < len(p["replica_nodes"]))


class ReadyWatch:
    """Samples `/readyz` and the processed counter every half second from a thread."""

    def __init__(self, worker: harness.Worker) -> None:
        self.worker = worker
        self.samples: list[tuple[float, int, float]] = []  # (time, status, processed)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                status, _ = harness.http_get(f"{self.worker.url}/readyz", 2)
                processed = self.worker.metric("wirewatch_articles_processed_total")
            except (OSError, AssertionError):
                status, processed = 0, -1.0
            self.samples.append((time.monotonic(), status, processed))
            self._stop.wait(0.5)

    def __enter__(self) -> "ReadyWatch":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join(10)

    def between(self, start: float, end: float) -> list[tuple[float, int, float]]:
        return [s for s in self.samples if start <= s[0] <= end]


def worker_env() -> dict[str, str]:
    return {"WIREWATCH_TOPIC_REPLICATION_FACTOR": str(REPLICATION), "WIREWATCH_STARTUP_TIMEOUT_SECONDS": "60"}


def test_leader_killed_mid_stream_loses_nothing(cluster, tmp_path):
    articles = stream(600, "failover")
    ids = {a["id"] for a in articles}
    app_id = "ww-failover"
    with harness.Worker(cluster, tmp_path, app_id=app_id, env=worker_env()) as w, ReadyWatch(w) as watch:
        w.wait_ready()
        pid = w.proc.pid
        t = w.topics
        for topic in (t["articles"], t["casualty"], t["alerts_casualty"]):
            factors, min_isr = topic_shape(cluster, topic)
            assert factors == {REPLICATION} and min_isr == 2, (topic, factors, min_isr)
        harness.publish_kafka_python(cluster.bootstrap, articles, t["articles"])
        w.wait_metric("wirewatch_articles_processed_total", 100, timeout=240)
        inputs, outputs = leaders(cluster, t["articles"]), leaders(cluster, t["casualty"])
        # The node leading the most input and output partitions (at least one of each).
        victim = max(cluster.nodes, key=lambda n: (n.node_id in inputs.values() and n.node_id in outputs.values(),
                                                   sum(v == n.node_id for v in [*inputs.values(), *outputs.values()])))
        assert victim.node_id in inputs.values() and victim.node_id in outputs.values(), (inputs, outputs)
        done_before = w.metric("wirewatch_articles_processed_total")
        killed_at = time.monotonic()
        victim.kill()
        # Leadership moves to the two survivors; the worker goes on.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with_leader = {**leaders(cluster, t["articles"]), **{-1 - k: v for k, v in leaders(cluster, t["casualty"]).items()}}
            if victim.node_id not in with_leader.values() and -1 not in with_leader.values():
                break
            time.sleep(0.5)
        moved_in = time.monotonic() - killed_at
        w.wait_metric("wirewatch_articles_processed_total", done_before + 1, timeout=120)
        resumed_in = time.monotonic() - killed_at
        w.wait_metric("wirewatch_articles_processed_total", min(len(articles), done_before + 100), timeout=240)
        down_until = time.monotonic()
        victim.launch()
        cluster.wait_ready(120)
        try:
            ledger = wait_accounted(cluster.bootstrap, t, ids)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; {where_unaccounted(cluster.bootstrap, app_id, w, ids)}") from None
        recovered_in = time.monotonic() - killed_at
        assert w.proc.pid == pid and w.proc.poll() is None, "the worker restarted"
        assert w.metric("wirewatch_ready") == 1
    outage = watch.between(killed_at, down_until)
    assert outage, "no /readyz sample during the outage"
    ready_share = sum(1 for _, status, _ in outage if status == 200) / len(outage)
    processed = [p for _, _, p in outage if p >= 0]
    # Truthful: two of three nodes are a working cluster. /readyz answered every
    # sample, the worker did process while the node was down, and it said ready then.
    assert all(status in (200, 503) for _, status, _ in outage), "/readyz did not answer"
    assert processed and processed[-1] > processed[0], (processed[:3], processed[-3:])
    assert outage[-1][1] == 200, "processing went on but /readyz said unready"
    dups = assert_duplicates_harmless(ledger, ids, int(done_before) + IN_FLIGHT)
    print(f"\n[{harness.label(cluster)} x{NODES}] leader kill -9 of node {victim.node_id} after {int(done_before)} of "
          f"{len(ids)} articles: leaders moved in {moved_in:.1f} s, processing resumed {resumed_in:.1f} s after "
          f"the kill, everything accounted for {recovered_in:.1f} s after it; /readyz ready on "
          f"{ready_share:.0%} of {len(outage)} samples during the outage; {len(dups)} redelivered, "
          f"{len(ledger.dead)} dead-lettered")


def test_rolling_restart_loses_nothing(cluster, tmp_path):
    articles = stream(500, "rolling")
    ids = {a["id"] for a in articles}
    app_id = "ww-rolling"
    with harness.Worker(cluster, tmp_path, app_id=app_id, env=worker_env()) as w:
        w.wait_ready()
        pid = w.proc.pid
        t = w.topics
        started = time.monotonic()
        took: list[str] = []
        with SlowPublisher(cluster.bootstrap, t["articles"], articles, per_second=10) as pub:
            for node in cluster.nodes:
                t0 = time.monotonic()
                node.stop()  # SIGTERM: a controlled shutdown hands leadership over
                node.launch()
                cluster.wait_ready(120)
                deadline = time.monotonic() + 120
                while under_replicated(cluster, list(t.values())) and time.monotonic() < deadline:
                    time.sleep(1)
                assert not under_replicated(cluster, list(t.values())), f"node {node.node_id} did not catch up"
                took.append(f"node {node.node_id} {time.monotonic() - t0:.1f} s")
                assert w.proc.poll() is None, w.log()[-3000:]
            pub.join()
        try:
            ledger = wait_accounted(cluster.bootstrap, t, ids)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; {where_unaccounted(cluster.bootstrap, app_id, w, ids)}") from None
        assert w.proc.pid == pid and w.proc.poll() is None, "the worker restarted"
        assert w.metric("wirewatch_ready") == 1
    dups = assert_duplicates_harmless(ledger, ids, 3 * IN_FLIGHT)
    print(f"\n[{harness.label(cluster)} x{NODES}] rolling restart ({', '.join(took)}) under a stream of {len(ids)} articles: "
          f"all accounted for {time.monotonic() - started:.1f} s after the first stop, {len(dups)} redelivered")
