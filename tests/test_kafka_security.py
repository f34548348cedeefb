"""Security the broker enforces: Apache Kafka with SASL_SSL (SCRAM-SHA-512), mutual TLS or
SASL_PLAINTEXT (SCRAM-SHA-512), and ACLs checked by KRaft's StandardAuthorizer.

One broker per mode. The `worker` principal is allowed what `apache_kafka.worker_acls`
lists (read its input, write its outputs, use its group, its app's internal topics) and
nothing else; the `admin` principal (a super user) publishes and reads back. A real
worker process processes articles end to end; a wrong password, an untrusted CA, a
client certificate the broker refuses, or a missing ACL each end the worker at start
with a message naming the setting or the topic, and nothing is committed or written.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from streams.brokers import apache_kafka, tls
from streams.settings import Settings
from tests import harness

pytestmark = pytest.mark.integration

PARTITIONS = 2
TOLL = {
    "id": "sec-toll-1", "source": "Wire One", "published_at": "2026-03-04T10:00:00Z",
    "text": ("At least 120 people were killed in the shelling of Aleppo on Tuesday, "
             "the Syrian Observatory for Human Rights said."),
}
INVITE = {
    "id": "sec-invite-1", "source": "Wire Two", "published_at": "2026-03-05",
    "text": ("Russia has sent an invitation for talks to the head of the opposition Syrian National "
             "Coalition, Deputy Foreign Minister Mikhail Bogdanov said on Thursday."),
}
MODES = {"sasl_ssl": {"sasl": True, "tls": True}, "mtls": {"sasl": False, "tls": True}}
#: Releases to run on: the latest 4.x and the 3.9 line (about two minutes each);
#: WIREWATCH_TEST_KAFKA_VERSIONS=4.4.0 keeps to one.
VERSIONS = [v.strip() for v in os.environ.get("WIREWATCH_TEST_KAFKA_VERSIONS",
                                              f"{apache_kafka.DEFAULT_VERSION},{apache_kafka.LEGACY_VERSION}").split(",")
            if v.strip()]


@pytest.fixture(scope="module", params=[(v, m) for v in VERSIONS for m in MODES],
                ids=[f"{v}-{m}" if len(VERSIONS) > 1 else m for v in VERSIONS for m in MODES])
def secured(request, tmp_path_factory):
    """A single Apache Kafka node whose client listener demands the mode (SASL_SSL or mTLS)."""
    version, mode = request.param
    tmp = tmp_path_factory.mktemp(f"kafka-{version}-{mode}")
    started = time.monotonic()
    with harness.start_broker("apache-kafka", tmp, version=version, **MODES[mode]) as b:
        print(f"\n{mode}: Apache Kafka {b.version} ready in {time.monotonic() - started:.1f} s")
        yield b


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """A CA the brokers do not know, and a `worker` certificate it signed."""
    d = tmp_path_factory.mktemp("foreign-ca")
    tls.make_ca(d, cn="someone else's CA")
    tls.make_leaf(d, apache_kafka.WORKER_PRINCIPAL)
    return d


class App:
    """One worker's app id and topics on `cluster`, created with the worker's ACLs granted
    (less the (resource name, operation) `leave_out`)."""

    def __init__(self, cluster: Any, leave_out: Any = None) -> None:
        self.cluster = cluster
        self.app_id = f"sec-{uuid.uuid4().hex[:8]}"
        self.topic_env = harness.topic_env(self.app_id)
        fields = {k.removeprefix("WIREWATCH_").lower(): v for k, v in self.topic_env.items()}
        self.settings = Settings(app_id=self.app_id, topic_partitions=PARTITIONS, **fields)
        left = leave_out(self) if callable(leave_out) else leave_out
        self.rules = apache_kafka.grant_worker(cluster, self.settings, leave_out=left)
        assert left is None or left not in {(r[1], r[3]) for r in self.rules}

    @property
    def topics(self) -> dict[str, str]:
        return {k.removeprefix("WIREWATCH_TOPIC_").lower(): v for k, v in self.topic_env.items()}

    def worker(self, tmp: Path, env: dict[str, str] | None = None) -> harness.Worker:
        return harness.Worker(self.cluster, tmp, app_id=self.app_id, prefix=self.app_id, partitions=PARTITIONS,
                              env=env)


def admin_config(cluster: Any) -> dict[str, Any]:
    return cluster.kafka_python_config(apache_kafka.ADMIN_PRINCIPAL)


def publish(cluster: Any, topic: str, articles: list[dict[str, Any]]) -> None:
    from kafka import KafkaProducer

    p = KafkaProducer(acks="all", **admin_config(cluster))
    try:
        for f in [p.send(topic, key=a["id"].encode(), value=json.dumps(a).encode()) for a in articles]:
            f.get(timeout=30)
    finally:
        p.close()


def read_all(cluster: Any, topic: str, at_least: int = 0, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Every message of `topic`, read as the administrator (waits for `at_least`)."""
    from kafka import KafkaConsumer

    c = KafkaConsumer(topic, auto_offset_reset="earliest", enable_auto_commit=False, group_id=None,
                      consumer_timeout_ms=2000, **admin_config(cluster))
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            out += [json.loads(m.value) for m in c]
            if len(out) >= at_least or time.monotonic() > deadline:
                return out
    finally:
        c.close()


def end_offsets(cluster: Any, topics: list[str]) -> dict[str, int]:
    """Messages ever written to each of `topics` (sum of the partitions' end offsets)."""
    from kafka import KafkaConsumer, TopicPartition

    c = KafkaConsumer(**admin_config(cluster))
    try:
        parts = [TopicPartition(t, p) for t in topics for p in (c.partitions_for_topic(t) or ())]
        ends = c.end_offsets(parts)
    finally:
        c.close()
    return {t: sum(v for tp, v in ends.items() if tp.topic == t) for t in topics}


def committed(cluster: Any, group: str) -> dict[Any, int]:
    """The group's committed offsets, as the administrator sees them."""
    admin = cluster.admin()
    try:
        offsets = admin.list_group_offsets({group: None}).get(group) or {}
    finally:
        admin.close()
    return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}


def input_committed(cluster: Any, app: App) -> int:
    return sum(v for tp, v in committed(cluster, app.app_id).items() if tp.topic == app.topics["articles"])


def wait_exit(w: harness.Worker, timeout: float = 120.0) -> int:
    assert w.proc is not None
    try:
        return w.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the worker did not stop within {timeout} s:\n{w.log()[-3000:]}") from None


def test_a_worker_processes_articles_end_to_end(secured, tmp_path):
    check_end_to_end(secured, tmp_path)


def check_end_to_end(secured: Any, tmp_path: Path) -> None:
    app = App(secured)
    t = app.topics
    with app.worker(tmp_path) as w:
        w.wait_ready()
        publish(secured, t["articles"], [TOLL, INVITE])
        w.wait_metric("wirewatch_articles_processed_total", 2)
        claims = read_all(secured, t["casualty"], at_least=1)
        assert ("killed", 120) in {(c["category"], c["count"]["low"]) for c in claims}
        events = read_all(secured, t["diplomatic"], at_least=1)
        assert ("RUS", "AGREE") in {(e["actor"]["country"], e["type"]) for e in events}
        assert read_all(secured, t["alerts_casualty"], at_least=1)
        deadline = time.monotonic() + 60
        while input_committed(secured, app) < 2 and time.monotonic() < deadline:
            time.sleep(1)
        assert input_committed(secured, app) == 2
    assert "preflight" in w.log() and f"accepts {secured.security.client_protocol}" in w.log()


def refused(c: Any, topic: str, timeout: float = 60.0) -> str:
    """How the broker refused consumer `c` reading `topic` ('' if it did not): an
    authorization error raised by a poll, or the topic's metadata refused (kafka-python then
    never learns its partitions, so nothing is fetched and nothing raised). Nothing may be read."""
    from kafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            records = c.poll(timeout_ms=1000)
        except (TopicAuthorizationFailedError, GroupAuthorizationFailedError) as exc:
            return type(exc).__name__
        assert not records, f"read {topic}, which the ACLs leave out"
        if topic in c._client.cluster.unauthorized_topics:
            return "topic metadata refused (TOPIC_AUTHORIZATION_FAILED)"
    return ""


def test_the_worker_principal_may_do_nothing_else(secured):
    """What the ACLs leave out, the broker refuses: writing the input, reading an output,
    joining another group."""
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.errors import TopicAuthorizationFailedError

    app = App(secured)
    t = app.topics
    conf = secured.kafka_python_config(apache_kafka.WORKER_PRINCIPAL)
    p = KafkaProducer(acks="all", max_block_ms=10000, **conf)
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            p.send(t["articles"], value=b"{}").get(timeout=30)
    finally:
        p.close()
    publish(secured, t["casualty"], [TOLL])
    for topic, group in ((t["casualty"], None), (t["articles"], f"not-{app.app_id}")):
        c = KafkaConsumer(topic, group_id=group, auto_offset_reset="earliest", **conf)
        try:
            refusal = refused(c, topic)
            assert refusal, f"{topic} (group {group}) was not refused within the time"
            print(f"\n{topic}, group {group}: {refusal}")
        finally:
            c.close()


# Each refusal: the ACL left out (of an `App`), the worker's settings (from the broker, the
# foreign CA's directory and the test's tmp directory), the words its error must contain.
# The credentials refused are a wrong password (SASL_SSL) or a certificate of a CA the
# broker does not trust (mutual TLS).
REFUSALS: dict[str, tuple[Any, Any, Any]] = {
    "refused-credentials": (None, lambda b, f, tmp: (
        {"WIREWATCH_SASL_PASSWORD_FILE": str(_wrong_password(tmp))} if b.security.sasl else
        {"WIREWATCH_SSL_CERTFILE": str(f / "worker.crt"), "WIREWATCH_SSL_KEYFILE": str(f / "worker.key")}),
        lambda b, app, f: (["rejected SASL user 'worker'", "WIREWATCH_SASL_PASSWORD_FILE"] if b.security.sasl else
                           [f"the client certificate WIREWATCH_SSL_CERTFILE={f / 'worker.crt'}"])),
    "untrusted-ca": (None, lambda b, f, tmp: {"WIREWATCH_SSL_CAFILE": str(f / "ca.pem")},
                     lambda b, app, f: [f"is not trusted by WIREWATCH_SSL_CAFILE={f / 'ca.pem'}"]),
    "no-write-on-output": (lambda app: (app.topics["diplomatic"], "WRITE"), lambda b, f, tmp: {},
                           lambda b, app, f: [f"topic {app.topics['diplomatic']} (WIREWATCH_TOPIC_DIPLOMATIC)",
                                              "to WRITE it"]),
    "no-read-on-group": (lambda app: (app.app_id, "READ"), lambda b, f, tmp: {},
                         lambda b, app, f: [f"consumer group {app.app_id} (WIREWATCH_APP_ID)", "to READ the group"]),
}


def _wrong_password(tmp: Path) -> Path:
    p = tmp / "wrong.password"
    p.write_text("not-the-password\n")
    return p


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_worker_fails_fast_naming_the_setting_and_commits_nothing(secured, case, foreign, tmp_path):
    check_refusal(secured, case, foreign, tmp_path)


def check_refusal(secured: Any, case: str, foreign: Path, tmp_path: Path) -> None:
    leave_out, settings, expected = REFUSALS[case]
    app = App(secured, leave_out)
    env = settings(secured, foreign, tmp_path)
    publish(secured, app.topics["articles"], [TOLL, INVITE])  # work a worker let in would do and commit

    w = app.worker(tmp_path, env)
    started = time.monotonic()
    w.start()
    try:
        code = wait_exit(w)
    finally:
        w.stop()
    took = time.monotonic() - started
    log = w.log()
    error = next((ln for ln in log.splitlines() if ln.startswith("wirewatch: error:")), "")
    print(f"\n{case}: exit {code} after {took:.1f} s: {error}")
    assert code == 2, log[-3000:]
    for words in expected(secured, app, foreign):
        assert words in error, (words, log[-3000:])
    assert "Traceback" not in log
    assert took < 60, f"took {took:.1f} s to fail"
    assert committed(secured, app.app_id) == {}
    outputs = [v for k, v in app.topics.items() if k != "articles"]
    assert set(end_offsets(secured, outputs).values()) == {0}
    assert end_offsets(secured, [app.topics["articles"]]) == {app.topics["articles"]: 2}


# --- SASL without TLS -------------------------------------------------------------------------
# SCRAM over a plaintext listener (a network the operator trusts, or TLS ended before the
# broker): the same authentication and ACLs, no certificates. One broker of the default release.

@pytest.fixture(scope="module")
def sasl_plaintext(tmp_path_factory):
    with harness.start_broker("apache-kafka", tmp_path_factory.mktemp("kafka-sasl-plaintext"), sasl=True) as b:
        assert b.security.client_protocol == "SASL_PLAINTEXT"
        yield b


def test_sasl_plaintext_worker_processes_articles_end_to_end(sasl_plaintext, tmp_path):
    check_end_to_end(sasl_plaintext, tmp_path)


@pytest.mark.parametrize("case", ["refused-credentials", "no-write-on-output", "no-read-on-group"])
def test_sasl_plaintext_refusals_fail_fast(sasl_plaintext, case, foreign, tmp_path):
    check_refusal(sasl_plaintext, case, foreign, tmp_path)
