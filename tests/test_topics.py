"""Topic creation against metadata that lags: on a cluster, a topic the controller accepted
reaches the other brokers a moment later, with no partitions or no leader at first."""
from __future__ import annotations

import logging
from typing import Any

import pytest
from kafka.admin import KafkaAdminClient

from streams import topics
from streams.settings import Settings


class LaggingAdmin(KafkaAdminClient):
    """kafka-python's admin client, its wait included, over metadata that shows new topics
    without partitions, then without a leader, for the first `lag` descriptions."""

    def __init__(self, lag: int, partitions: int = 4) -> None:  # no broker: nothing to connect
        self.lag = lag
        self.partitions = partitions
        self.created: list[str] = []
        self.descriptions = 0

    def __call__(self, **_: Any) -> "LaggingAdmin":
        return self

    def list_topics(self) -> list[str]:
        return []

    def create_topics(self, new_topics: list[Any], timeout_ms: int | None = None, **_: Any) -> None:
        self.created = [t.name for t in new_topics]

    def describe_topics(self, topics: list[str] | None = None) -> list[dict[str, Any]]:
        self.descriptions += 1
        if self.descriptions <= self.lag // 2:
            parts: list[dict[str, Any]] = []
        elif self.descriptions <= self.lag:
            parts = [{"partition_index": i, "leader_id": -1, "error_code": 0}
                     for i in range(self.partitions)]
        else:
            parts = [{"partition_index": i, "leader_id": 1 + i % 3, "error_code": 0}
                     for i in range(self.partitions)]
        return [{"name": n, "error_code": 0, "partitions": parts} for n in topics or []]

    def close(self) -> None:
        pass


def settings() -> Settings:
    return Settings(broker="127.0.0.1:9", app_id="ww-topics", topic_partitions=4)


def test_creation_waits_for_partitions_and_leaders(monkeypatch):
    admin = LaggingAdmin(lag=4)
    monkeypatch.setattr("kafka.admin.KafkaAdminClient", admin)
    shape = topics.ensure_topics(settings(), timeout=30)
    # four lagging descriptions, the fifth shows every leader, one more counts the partitions
    assert admin.descriptions == 6
    assert set(shape) == set(admin.created) and set(shape.values()) == {4}


class LeaderlessAdmin(LaggingAdmin):
    """Partitions at once, a leader never."""

    def describe_topics(self, topics: list[str] | None = None) -> list[dict[str, Any]]:
        self.descriptions += 1
        return [{"name": n, "error_code": 0,
                 "partitions": [{"partition_index": 0, "leader_id": -1, "error_code": 0}]}
                for n in topics or []]


@pytest.mark.parametrize("admin, reason", [(LaggingAdmin(lag=10**9), "no partitions reported"),
                                           (LeaderlessAdmin(lag=0), "p0=no leader")])
def test_topics_never_ready_name_the_topic_and_the_timeout_setting(monkeypatch, admin, reason):
    monkeypatch.setattr("kafka.admin.KafkaAdminClient", admin)
    with pytest.raises(topics.TopicError) as err:
        topics.ensure_topics(settings(), timeout=1)
    message = str(err.value)
    assert f"'{settings().topic_articles}': '{reason}'" in message
    assert "WIREWATCH_STARTUP_TIMEOUT_SECONDS=1" in message


def test_a_topic_with_fewer_partitions_than_configured_is_reported(monkeypatch, caplog):
    admin = LaggingAdmin(lag=0, partitions=2)
    monkeypatch.setattr("kafka.admin.KafkaAdminClient", admin)
    with caplog.at_level(logging.WARNING, logger=topics.log.name):
        shape = topics.ensure_topics(settings(), timeout=5)
    assert set(shape.values()) == {2}
    assert "fewer than WIREWATCH_TOPIC_PARTITIONS=4" in caplog.text


def test_partition_counts_read_the_metadata():
    admin = LaggingAdmin(lag=2)
    admin.descriptions = 1
    assert topics.partition_counts(admin, ["a", "b"]) == {"a": 4, "b": 4}
    assert topics.partition_counts(admin, ["a"]) == {"a": 4}
