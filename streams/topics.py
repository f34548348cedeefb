"""Every topic name in one place, and their creation with the configured partitions.

Topics are created explicitly at start: wirewatch never relies on broker
auto-creation (which picks its own partition count).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from .settings import Settings

log = logging.getLogger(__name__)

ALERT_STATE_TABLE = "alert-state"


class TopicError(RuntimeError):
    """Topics could not be created or have the wrong shape."""


@dataclass(frozen=True)
class TopicNames:
    articles: str
    diplomatic: str
    casualty: str
    alerts_diplomatic: str
    alerts_casualty: str
    deadletter: str
    alert_candidates: str
    alert_state_changelog: str

    @classmethod
    def from_settings(cls, s: Settings) -> "TopicNames":
        return cls(s.topic_articles, s.topic_diplomatic, s.topic_casualty, s.topic_alerts_diplomatic,
                   s.topic_alerts_casualty, s.topic_deadletter, f"{s.app_id}-alert-candidates",
                   f"{s.app_id}-{ALERT_STATE_TABLE}-changelog")

    def all(self) -> list[str]:
        return list(self.__dict__.values())


def kafka_client_config(s: Settings) -> dict[str, Any]:
    """kafka-python client options (bootstrap, TLS, SASL) from the settings."""
    conf: dict[str, Any] = {"bootstrap_servers": s.bootstrap_servers,
                            "security_protocol": s.security_protocol}
    if s.security_protocol.startswith("SASL"):
        conf.update(sasl_mechanism=s.sasl_mechanism, sasl_plain_username=s.sasl_username,
                    sasl_plain_password=s.password())
    if s.security_protocol.endswith("SSL"):
        conf.update(ssl_cafile=str(s.ssl_cafile) if s.ssl_cafile else None,
                    ssl_certfile=str(s.ssl_certfile) if s.ssl_certfile else None,
                    ssl_keyfile=str(s.ssl_keyfile) if s.ssl_keyfile else None)
    return conf


def partition_counts(admin: Any, names: list[str]) -> dict[str, int]:
    """name -> partitions, as the metadata says."""
    return {meta.get("name") or meta.get("topic"): len(meta.get("partitions") or [])
            for meta in admin.describe_topics(names)}


def ensure_topics(s: Settings, timeout: float | None = None) -> dict[str, int]:
    """Create missing topics with the configured partitions; return name -> partitions.

    Existing topics are kept; one with fewer partitions than configured is reported
    (wirewatch still works, it just cannot spread wider than that topic).
    """
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import KafkaError, KafkaTimeoutError, TopicAlreadyExistsError

    timeout = timeout if timeout is not None else s.startup_timeout_seconds
    names = TopicNames.from_settings(s)
    deadline = time.monotonic() + timeout
    while True:
        try:
            admin = KafkaAdminClient(client_id=f"{s.app_id}-admin", request_timeout_ms=10000,
                                     **kafka_client_config(s))
            break
        except KafkaError as exc:
            if time.monotonic() > deadline:
                raise TopicError(f"no broker reachable at {s.broker or '?'} (WIREWATCH_BROKER): {exc}") from None
            time.sleep(1)
    try:
        existing = set(admin.list_topics())
        missing = [n for n in names.all() if n not in existing]
        if missing:
            new = [NewTopic(n, s.topic_partitions, s.topic_replication_factor) for n in missing]
            try:
                admin.create_topics(new, timeout_ms=int(timeout * 1000))
            except TopicAlreadyExistsError:
                pass
            log.info("created topics %s with %d partitions", ", ".join(missing), s.topic_partitions)
        # On a cluster a new topic reaches the other brokers' metadata a moment after the
        # controller accepted it: wait, within what is left of the start-up timeout, until
        # every topic has its partitions and each partition a leader.
        try:
            admin.wait_for_topics(names.all(),
                                  timeout_ms=max(1000, int((deadline - time.monotonic()) * 1000)))
        except KafkaTimeoutError as exc:
            raise TopicError(f"topics not ready after creation: {exc} "
                             f"(waited WIREWATCH_STARTUP_TIMEOUT_SECONDS={timeout:g})") from None
        shape = partition_counts(admin, names.all())
        for name, count in shape.items():
            if count < s.topic_partitions:
                log.warning("topic %s has %d partitions, fewer than WIREWATCH_TOPIC_PARTITIONS=%d",
                            name, count, s.topic_partitions)
        return shape
    except KafkaError as exc:
        raise TopicError(f"could not create topics: {exc}") from exc
    finally:
        admin.close()
