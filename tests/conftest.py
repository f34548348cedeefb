"""Shared fixtures: the trained pipeline (loaded once), brokers, workers, Prometheus.

Integration fixtures start real processes (Tansu, noida-db, Apache Kafka, `wirewatch run`,
Prometheus) on free loopback ports and stop them by PID at the end.
"""
from __future__ import annotations

import pytest

from tests import harness


@pytest.fixture(scope="session")
def nlp():
    """The configured spaCy pipeline, loaded once per test session."""
    from agents.extraction.nlp import load

    return load()


@pytest.fixture(scope="session", params=harness.BROKER_KINDS)
def broker(request, tmp_path_factory):
    """A running Kafka-protocol broker: Tansu, noida-db, then Apache Kafka 4.4.0 and 3.9.1
    (single KRaft nodes); every test that takes it runs on all four."""
    with harness.start_broker(request.param, tmp_path_factory.mktemp(f"broker-{request.param}")) as b:
        yield b


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory):
    """Tansu + one worker that has processed the seed articles + a Prometheus scraping it."""
    tmp = tmp_path_factory.mktemp("live")
    with harness.start_broker("tansu", tmp) as b:
        with harness.Worker(b, tmp, app_id="wirewatch-live") as w:
            w.wait_ready()
            n = harness.publish_kafka_python(b.bootstrap, harness.seed_articles(), w.topics["articles"])
            w.wait_metric("wirewatch_articles_processed_total", n)
            with harness.Prometheus(tmp, [w.metrics_target]) as prom:
                prom.wait_scrapes(2)
                yield harness.LiveStack(broker=b, worker=w, prometheus=prom, url=prom.url)


@pytest.fixture(scope="session")
def live_prometheus(live_stack):
    """The Prometheus of `live_stack`: `.url` is its base URL."""
    return live_stack.prometheus


# --- what each broker costs -------------------------------------------------------------------
# Seconds spent (set-up, call, tear-down) by the tests of each broker, printed at the end of
# the run, so the suite's time can be read per broker.

_SECONDS: dict[str, float] = {}


def broker_of(nodeid: str) -> str:
    """The broker a test runs on, from its id: a broker parameter, or the Kafka-only modules."""
    params = nodeid.partition("[")[2]
    if harness.KAFKA_LEGACY in params or "3.9.1" in params:
        return f"Apache Kafka {harness.apache_kafka.LEGACY_VERSION}"
    for kind, name in (("apache-kafka", "Apache Kafka"), ("tansu", "Tansu"), ("noida", "noida-db")):
        if kind in params:
            return f"{name} {harness.apache_kafka.DEFAULT_VERSION}" if kind == "apache-kafka" else name
    if "/test_kafka_" in nodeid or "/test_delivery" in nodeid:
        return f"Apache Kafka {harness.apache_kafka.DEFAULT_VERSION}"
    return ""


def pytest_runtest_logreport(report):
    broker = broker_of(report.nodeid)
    if broker:
        _SECONDS[broker] = _SECONDS.get(broker, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if _SECONDS:
        terminalreporter.write_sep("-", "seconds per broker")
        for broker, seconds in sorted(_SECONDS.items(), key=lambda kv: -kv[1]):
            terminalreporter.write_line(f"{broker}: {seconds:.0f} s")
