"""Security the broker enforces: Apache Kafka with SASL_SSL (SCRAM-SHA-512) and with
mutual TLS, ACLs checked by KRaft's StandardAuthorizer.

The worker's principal (`worker`) may read its input, write its outputs, use its
consumer group and the internal topics named after its app id, nothing else; the
articles are published and the outputs read as `admin`, a super user. A wrong
password, an untrusted CA, a client certificate the broker refuses and a missing ACL
each end `wirewatch run` at start with one line naming the setting or the topic,
and the group has committed nothing.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from streams.brokers import apache_kafka, tls
from streams.settings import Settings
from tests import harness
from tests.test_integration import TOLL

pytestmark = pytest.mark.integration

ADMIN, WORKER = apache_kafka.ADMIN_PRINCIPAL, apache_kafka.WORKER_PRINCIPAL


@pytest.fixture(scope="module", params=["sasl_ssl", "mtls"])
def secure(request, tmp_path_factory):
    """A single node that demands SCRAM-SHA-512 over TLS, or client certificates."""
    options = {"sasl": True, "tls": True} if request.param == "sasl_ssl" else {"tls": True}
    with harness.start_broker("apache-kafka", tmp_path_factory.mktemp(request.param), **options) as c:
        c.mode = request.param
        yield c


@pytest.fixture(scope="module")
def stranger(tmp_path_factory) -> Path:
    """A CA the broker does not know, with a `worker` certificate signed by it."""
    d = tmp_path_factory.mktemp("stranger")
    tls.make_ca(d)
    tls.make_leaf(d, WORKER)
    return d


def worker_settings(prefix: str) -> Settings:
    return Settings(broker="127.0.0.1:1", app_id=prefix, topic_partitions=4,
                    **{k.removeprefix("WIREWATCH_").lower(): v for k, v in harness.topic_env(prefix).items()})


def committed(cluster: apache_kafka.KafkaCluster, group: str) -> dict:
    admin = cluster.admin()
    try:
        return {tp: m.offset for tp, m in admin.list_group_offsets({group: None}).get(group, {}).items()
                if m.offset >= 0}
    finally:
        admin.close()


def test_worker_runs_with_only_its_own_acls(secure, tmp_path):
    from kafka import KafkaProducer
    from kafka.errors import KafkaError, TopicAuthorizationFailedError

    prefix = f"ww-sec-{uuid.uuid4().hex[:6]}"
    s = worker_settings(prefix)
    apache_kafka.grant_worker(secure, s)
    as_admin = secure.kafka_python_config(ADMIN)
    with harness.Worker(secure, tmp_path, app_id=prefix, prefix=prefix) as w:
        assert w.env["WIREWATCH_SECURITY_PROTOCOL"] == ("SASL_SSL" if secure.mode == "sasl_ssl" else "SSL")
        w.wait_ready()
        harness.publish_kafka_python(secure.bootstrap, [TOLL], w.topics["articles"], **as_admin)
        w.wait_metric("wirewatch_articles_processed_total", 1)
        claims = harness.consume(secure.bootstrap, w.topics["casualty"], at_least=2, **as_admin)
        assert {c["value"]["article_id"] for c in claims} == {TOLL["id"]}
        alerts = harness.consume(secure.bootstrap, w.topics["alerts_casualty"], at_least=1, **as_admin)
        assert alerts
        assert committed(secure, prefix), "the worker's group committed nothing"
    # Nothing else: the worker's principal may not write its own input, nor read
    # another app's topic.
    other = worker_settings(f"ww-other-{uuid.uuid4().hex[:6]}")
    from streams.topics import ensure_topics

    ensure_topics(other.model_copy(update={"broker": secure.bootstrap, **apache_kafka._typed(
        {k.removeprefix("WIREWATCH_").lower(): v for k, v in secure.client_settings(ADMIN).items()})}))
    as_worker = secure.kafka_python_config(WORKER)
    p = KafkaProducer(**as_worker, acks="all", max_block_ms=10000)
    try:
        with pytest.raises((TopicAuthorizationFailedError, KafkaError)) as refused:
            p.send(w.topics["articles"], b"x").get(timeout=20)
        assert "Authorization" in type(refused.value).__name__ or "uthoriz" in str(refused.value)
    finally:
        p.close(timeout=5)
    got = harness.consume(secure.bootstrap, other.topic_casualty, at_least=0, timeout=8, idle=2, **as_worker)
    assert got == []
    admin = secure.admin(WORKER)
    try:
        visible = set(admin.list_topics())
    finally:
        admin.close()
    assert other.topic_articles not in visible and w.topics["articles"] in visible


def run_worker(env: dict[str, str], tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    full = {**os.environ, "WIREWATCH_WEB_PORT": str(harness.free_port()), "WIREWATCH_WEB_BIND": "127.0.0.1",
            "WIREWATCH_DATA_DIR": str(tmp_path / "data"), "WIREWATCH_STARTUP_TIMEOUT_SECONDS": "240", **env}
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "streams", "run"], env=full, capture_output=True, text=True,
                       timeout=240, cwd=harness.ROOT)
    return r, time.monotonic() - started


def refusal(secure: apache_kafka.KafkaCluster, stranger: Path, case: str) -> tuple[dict[str, str], tuple[str, str] | None]:
    """Worker settings that the broker must refuse in `case`, and an ACL to leave out."""
    env = secure.client_settings(WORKER)
    if case == "wrong password":
        bad = stranger / "wrong.password"
        bad.write_text("not-the-password\n")
        return {**env, "WIREWATCH_SASL_PASSWORD_FILE": str(bad)}, None
    if case == "untrusted CA":
        return {**env, "WIREWATCH_SSL_CAFILE": str(stranger / "ca.pem")}, None
    if case == "refused client certificate":
        return {**env, "WIREWATCH_SSL_CERTFILE": str(stranger / f"{WORKER}.crt"),
                "WIREWATCH_SSL_KEYFILE": str(stranger / f"{WORKER}.key")}, None
    return env, ("casualty", "WRITE")


CASES = {"sasl_ssl": ["wrong password", "untrusted CA", "missing ACL"],
         "mtls": ["refused client certificate", "untrusted CA", "missing ACL"]}
EXPECT = {"wrong password": "WIREWATCH_SASL_PASSWORD", "untrusted CA": "WIREWATCH_SSL_CAFILE",
          "refused client certificate": "WIREWATCH_SSL_CERTFILE", "missing ACL": "no ACL allows WRITE"}


def test_refusals_fail_fast_naming_the_setting_and_commit_nothing(secure, stranger, tmp_path):
    timings = []
    for case in CASES[secure.mode]:
        prefix = f"ww-ref-{uuid.uuid4().hex[:6]}"
        s = worker_settings(prefix)
        env, leave_out = refusal(secure, stranger, case)
        if leave_out:
            leave_out = (getattr(s, f"topic_{leave_out[0]}"), leave_out[1])
        apache_kafka.grant_worker(secure, s, leave_out=leave_out)
        harness.publish_kafka_python(secure.bootstrap, [TOLL], s.topic_articles, **secure.kafka_python_config(ADMIN))
        r, took = run_worker({**env, "WIREWATCH_BROKER": secure.bootstrap, "WIREWATCH_APP_ID": prefix,
                              **harness.topic_env(prefix)}, tmp_path)
        lines = [ln for ln in r.stderr.splitlines() if ln.startswith("wirewatch: error:")]
        assert r.returncode == 2 and "Traceback" not in r.stderr, (case, r.stderr[-2000:])
        assert len(lines) == 1 and EXPECT[case] in lines[0], (case, lines, r.stderr[-1500:])
        if case == "missing ACL":
            assert s.topic_casualty in lines[0], lines[0]
        # Well before the 240 s the start would otherwise wait for a broker (most of
        # the time is the model's load, which the ACL check follows).
        assert took < 180, (case, took)
        assert committed(secure, prefix) == {}, case
        timings.append(f"{case} {took:.1f} s")
        print(f"\n[apache-kafka {secure.mode}] {case}: {lines[0]}")
    print(f"\n[apache-kafka {secure.mode}] refused at start in: {', '.join(timings)}")
