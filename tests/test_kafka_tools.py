"""Apache Kafka's own tools, from the same artifacts as the broker, against a worker:
the consumer-groups tool's committed offsets and lag against `wirewatch_consumer_lag`,
and the Java console consumer reading the alert topics (a subscriber no one here wrote).
"""
from __future__ import annotations

import json
import os
import signal
import time

import pytest

from streams.brokers import apache_kafka
from tests import harness
from tests.test_reliability import stream

pytestmark = pytest.mark.integration

GROUPS_TOOL = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"
CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer"


@pytest.fixture(scope="module", params=["apache-kafka", harness.KAFKA_LEGACY])
def kafka(request, tmp_path_factory):
    with harness.start_broker(request.param, tmp_path_factory.mktemp("tools")) as b:
        yield b


def describe_group(kafka: apache_kafka.KafkaCluster, group: str, topic: str) -> dict[int, tuple[int, int, int]]:
    """partition -> (committed offset, log end offset, lag) of `group` on `topic`, as
    `kafka-consumer-groups --describe` prints them."""
    r = apache_kafka.run_tool(kafka, GROUPS_TOOL, "--bootstrap-server", kafka.bootstrap, "--describe",
                              "--group", group, "--command-config", "{client.properties}")
    assert r.returncode == 0, r.stderr[-2000:]
    lines = [ln.split() for ln in r.stdout.splitlines() if ln.strip()]
    header = next(ln for ln in lines if "PARTITION" in ln)
    col = {name: i for i, name in enumerate(header)}
    out = {}
    for ln in lines:
        if len(ln) >= len(header) - 3 and ln[col["TOPIC"]] == topic:
            out[int(ln[col["PARTITION"]])] = tuple(int(ln[col[c]]) if ln[col[c]].isdigit() else -1
                                                   for c in ("CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"))
    return out


def metric_lag(worker: harness.Worker, topic: str) -> dict[int, float]:
    return {int(dict(labels)["partition"]): v for (name, labels), v in worker.metrics().items()
            if name == "wirewatch_consumer_lag" and dict(labels).get("topic") == topic}


def wait_for_commits(kafka, group: str, topic: str, total: int, timeout: float = 60):
    """The tool's view once `group` has committed `total` messages over all four partitions."""
    deadline = time.monotonic() + timeout
    view = describe_group(kafka, group, topic)
    while (len(view) < 4 or sum(max(0, c) for c, _, _ in view.values()) < total) \
            and time.monotonic() < deadline:
        time.sleep(0.5)
        view = describe_group(kafka, group, topic)
    assert len(view) == 4 and all(c >= 0 for c, _, _ in view.values()), f"not committed on every partition: {view}"
    assert sum(c for c, _, _ in view.values()) == total, view
    return view


def test_consumer_groups_tool_agrees_with_the_lag_metric(kafka, tmp_path):
    articles = stream(300, "tools")
    first = articles[:40]
    with harness.Worker(kafka, tmp_path, app_id="ww-tools") as w:
        w.wait_ready()
        topic = w.topics["articles"]
        child = w.extraction_pid()
        # A first share, processed and committed on every partition: a partition not
        # committed yet has no lag in the tool's eyes ("-").
        harness.publish_kafka_python(kafka.bootstrap, first, topic)
        w.wait_metric("wirewatch_articles_processed_total", len(first), timeout=240)
        mid_tool = wait_for_commits(kafka, "ww-tools", topic, len(first))
        # Mid-stream, held there: the extraction process stopped, the rest published. Both
        # count from the group's committed offset; the metric is read after the tool.
        os.kill(child, signal.SIGSTOP)
        try:
            harness.publish_kafka_python(kafka.bootstrap, articles[len(first):], topic)
            deadline = time.monotonic() + 60
            while sum(e for _, e, _ in mid_tool.values()) < len(articles) and time.monotonic() < deadline:
                time.sleep(0.5)
                mid_tool = describe_group(kafka, "ww-tools", topic)
            time.sleep(2.5)  # a lag measurement taken after the tool's look
            mid_metric = metric_lag(w, topic)
        finally:
            os.kill(child, signal.SIGCONT)
        # Quiet: everything processed and committed, the two must agree exactly.
        w.wait_metric("wirewatch_articles_processed_total", len(articles), timeout=300)
        tool = wait_for_commits(kafka, "ww-tools", topic, len(articles))
        time.sleep(2)  # one more lag measurement (WIREWATCH_LAG_INTERVAL_SECONDS=1)
        metric = metric_lag(w, topic)
    assert sorted(tool) == sorted(metric) == [0, 1, 2, 3], (tool, metric)
    assert sum(c for c, _, _ in tool.values()) == len(articles), tool
    assert all(end == c and lag == 0 for c, end, lag in tool.values()), tool
    assert all(v == 0 for v in metric.values()), metric
    assert set(mid_tool) == set(mid_metric), (mid_tool, mid_metric)
    # Every article was published before: the log end is fixed, the committed offset
    # the tool read is at most the position the metric measured after it.
    for p, (_, end, lag) in mid_tool.items():
        assert end == tool[p][1], (p, end, tool[p])
        assert 0 <= mid_metric[p] <= lag, (p, lag, mid_metric[p])
    assert sum(mid_metric.values()) > 0, "mid-stream and no lag: the comparison says nothing"
    assert sum(max(0, x[2]) for x in mid_tool.values()) == len(articles) - len(first), mid_tool
    print(f"\n[{harness.label(kafka)}] consumer groups tool: mid-stream lag {sum(max(0, x[2]) for x in mid_tool.values())} "
          f"vs metric {sum(mid_metric.values()):.0f} read after it; quiet: both 0 on "
          f"{len(tool)} partitions, committed {len(articles)}")


def test_java_console_consumer_reads_the_alerts(kafka, tmp_path):
    from tests.test_integration import TOLL

    with harness.Worker(kafka, tmp_path, app_id="ww-console") as w:
        w.wait_ready()
        harness.publish_kafka_python(kafka.bootstrap, [TOLL], w.topics["articles"])
        w.wait_metric("wirewatch_alerts_published_total", 2)
        ours = harness.consume(kafka.bootstrap, w.topics["alerts_casualty"], at_least=2)
    r = apache_kafka.run_tool(kafka, CONSOLE_CONSUMER, "--bootstrap-server", kafka.bootstrap,
                              "--topic", w.topics["alerts_casualty"], "--from-beginning",
                              "--max-messages", str(len(ours)), "--timeout-ms", "30000",
                              "--property", "print.key=true", "--property", "key.separator=\t",
                              "--consumer.config", "{client.properties}")
    assert r.returncode == 0, r.stderr[-2000:]
    theirs = [line.split("\t", 1) for line in r.stdout.splitlines() if "\t" in line]
    assert len(theirs) == len(ours), (r.stdout, r.stderr[-1000:])
    alerts = [json.loads(value) for _, value in theirs]
    assert {a["alert_id"] for a in alerts} == {m["value"]["alert_id"] for m in ours}
    assert {a["rule"] for a in alerts} >= {"deadly-incident", "mass-injuries"}
    keys = {m["value"]["alert_id"]: m["key"] for m in ours}
    assert all(key == keys[a["alert_id"]] for (key, _), a in zip(theirs, alerts)), (theirs, keys)
