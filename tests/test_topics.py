"""Topic creation against metadata that lags: on a cluster, a topic the controller accepted
reaches the other brokers a moment later, with no partitions or no leader at first."""
from __future__ import annotations

from typing import Any

import pytest

from streams import topics
from streams.settings import Settings


class LaggingAdmin:
    """An admin client whose metadata shows new topics without partitions, then without a
    leader, for the first `lag` descriptions."""

    def __init__(self, lag: int) -> None:
        self.lag = lag
        self.created: list[str] = []
        self.descriptions = 0

    def __call__(self, **_: Any) -> "LaggingAdmin":
        return self

    def list_topics(self) -> list[str]:
        return []

    def create_topics(self, new: list[Any], timeout_ms: int) -> None:
        self.created = [t.name for t in new]

    def describe_topics(self, names: list[str]) -> list[dict[str, Any]]:
        self.descriptions += 1
        if self.descriptions <= self.lag // 2:
            parts: list[dict[str, Any]] = []
        elif self.descriptions <= self.lag:
            parts = [{"partition_index": i, "leader_id": -1} for i in range(4)]
        else:
            parts = [{"partition_index": i, "leader_id": 1 + i % 3} for i in range(4)]
        return [{"name": n, "error_code": 0, "partitions": parts} for n in names]

    def close(self) -> None:
        pass


def settings() -> Settings:
    return Settings(broker="127.0.0.1:9", app_id="ww-topics", topic_partitions=4)


def test_creation_waits_for_partitions_and_leaders(monkeypatch):
    admin = LaggingAdmin(lag=4)
    monkeypatch.setattr("kafka.admin.KafkaAdminClient", admin)
    monkeypatch.setattr(topics.time, "sleep", lambda _: None)
    shape = topics.ensure_topics(settings(), timeout=30)
    assert admin.descriptions == 5
    assert set(shape) == set(admin.created) and set(shape.values()) == {4}


def test_partitions_that_never_come_name_the_timeout_setting(monkeypatch):
    admin = LaggingAdmin(lag=10**9)
    monkeypatch.setattr("kafka.admin.KafkaAdminClient", admin)
    clock = iter(range(0, 10**6, 5))
    monkeypatch.setattr(topics.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(topics.time, "sleep", lambda _: None)
    with pytest.raises(topics.TopicError, match=r"has no partitions after creation .*WIREWATCH_STARTUP_TIMEOUT_SECONDS=30"):
        topics.ensure_topics(settings(), timeout=30)


def test_shape_counts_partitions_and_names_the_leaderless():
    admin = LaggingAdmin(lag=2)
    admin.descriptions = 1
    shape, leaderless = topics.topic_shape(admin, ["a", "b"])
    assert shape == {"a": 4, "b": 4} and leaderless == ["a", "b"]
    shape, leaderless = topics.topic_shape(admin, ["a"])
    assert shape == {"a": 4} and leaderless == []
