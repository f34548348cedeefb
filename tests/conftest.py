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
