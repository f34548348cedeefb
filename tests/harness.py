"""Real processes for the integration tests: brokers, workers, clients, Prometheus.

Every message the consumers here read from a wirewatch topic is held against that
topic's JSON Schema (`check_schema`): a message that breaks it fails the test.

Everything binds to 127.0.0.1 on free ports and is stopped by PID.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams import brokers
from streams.broker import BrokerProcess, free_port, wait_for_port
from streams.brokers import apache_kafka, noida

ROOT = Path(__file__).resolve().parent.parent
#: The Apache Kafka releases the suite runs on: the latest 4.x and the last 3.x.
KAFKA_LEGACY = f"apache-kafka-{apache_kafka.LEGACY_VERSION}"
#: Every broker the shared `broker` fixture runs the suite on: the embedded Tansu,
#: noida-db, and Apache Kafka single nodes of the latest 4.x and of 3.9.
BROKER_KINDS = ("tansu", "noida", "apache-kafka", KAFKA_LEGACY)


def noida_binary() -> str:
    return noida.binary()


def kafka_version(kind: str) -> str:
    """The Apache Kafka release a broker kind of `BROKER_KINDS` stands for."""
    return apache_kafka.LEGACY_VERSION if kind == KAFKA_LEGACY else apache_kafka.DEFAULT_VERSION


def label(broker: Any) -> str:
    """A broker as a test report names it: its kind, and its release for Apache Kafka."""
    version = getattr(broker, "version", None)
    return f"{broker.kind} {version}" if version else broker.kind


@contextlib.contextmanager
def start_broker(kind: str, tmp: Path, **options: Any) -> Iterator[Any]:
    """Start a broker of `kind` (see `streams.brokers.KINDS`, or `KAFKA_LEGACY`) and stop it
    afterwards. `options` go to `streams.brokers.launch` (version, nodes, sasl, tls)."""
    if kind == KAFKA_LEGACY:
        kind, options = "apache-kafka", {"version": apache_kafka.LEGACY_VERSION, **options}
    b = brokers.launch(kind, tmp, **options)
    try:
        yield b
    finally:
        b.stop()


def client_env(broker: Any, principal: str = apache_kafka.WORKER_PRINCIPAL) -> dict[str, str]:
    """WIREWATCH_* settings a client of `broker` needs beyond its address (security)."""
    if isinstance(broker, apache_kafka.KafkaCluster):
        return broker.client_settings(principal)
    return {}


def servers(bootstrap: str) -> list[str]:
    return bootstrap.split(",")


def http_get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def parse_metrics(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


TOPIC_SUFFIXES = {"ARTICLES": "articles", "DIPLOMATIC": "events.diplomatic", "CASUALTY": "events.casualty",
                  "ALERTS_DIPLOMATIC": "alerts.diplomatic", "ALERTS_CASUALTY": "alerts.casualty",
                  "DEADLETTER": "deadletter"}


def topic_env(prefix: str) -> dict[str, str]:
    """Topic-name settings unique to one test, so tests sharing a broker stay apart."""
    return {f"WIREWATCH_TOPIC_{k}": f"{prefix}.{v}" for k, v in TOPIC_SUFFIXES.items()}


_VALIDATORS: dict[str, Any] = {}


def check_schema(topic: str, value: Any) -> None:
    """Hold a message read from `topic` (named as `topic_env` names them) against its topic's
    JSON Schema; internal topics have none."""
    from jsonschema import Draft202012Validator, FormatChecker

    from streams import schemas

    role = next((k.lower() for k, suffix in TOPIC_SUFFIXES.items() if topic.endswith("." + suffix)), None)
    if role is None:
        return
    if role not in _VALIDATORS:
        _VALIDATORS[role] = Draft202012Validator(schemas.schema_for(role), format_checker=FormatChecker())
    errors = sorted(_VALIDATORS[role].iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        raise AssertionError(f"a message on {topic} breaks its schema: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:5]))


class Worker:
    """A `wirewatch run` process (`python -m streams run`) against `broker`."""

    def __init__(self, broker: BrokerProcess, tmp: Path, *, app_id: str | None = None,
                 prefix: str | None = None, env: dict[str, str] | None = None, partitions: int = 4,
                 name: str = "worker") -> None:
        self.broker = broker
        self.app_id = app_id or f"ww-{uuid.uuid4().hex[:8]}"
        self.prefix = prefix or self.app_id
        self.port = free_port()
        self.log_path = tmp / f"{name}-{self.port}.log"
        self.env = {**os.environ, "WIREWATCH_BROKER": broker.bootstrap, "WIREWATCH_APP_ID": self.app_id,
                    "WIREWATCH_WEB_PORT": str(self.port), "WIREWATCH_WEB_BIND": "127.0.0.1",
                    "WIREWATCH_DATA_DIR": str(tmp / f"data-{self.port}"),
                    "WIREWATCH_SESSION_TIMEOUT_SECONDS": "6", "WIREWATCH_HEARTBEAT_INTERVAL_SECONDS": "1",
                    "WIREWATCH_LAG_INTERVAL_SECONDS": "1", "WIREWATCH_BATCH_TIMEOUT_SECONDS": "0.2",
                    "WIREWATCH_TOPIC_PARTITIONS": str(partitions), "WIREWATCH_LOG_LEVEL": "info",
                    **topic_env(self.prefix), **client_env(broker), **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def topics(self) -> dict[str, str]:
        return {k.removeprefix("WIREWATCH_TOPIC_").lower(): v
                for k, v in self.env.items() if k.startswith("WIREWATCH_TOPIC_") and k != "WIREWATCH_TOPIC_PARTITIONS"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metrics_target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "Worker":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams", "run"], env=self.env, cwd=ROOT,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def extraction_pid(self) -> int:
        """The pid of the extraction process the worker's log says is ready (the latest one)."""
        found = re.findall(r"extraction process (\d+) ready", self.log())
        assert found, f"no extraction process in the worker's log:\n{self.log()[-3000:]}"
        return int(found[-1])

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            with contextlib.suppress(OSError):
                status, _ = http_get(f"{self.url}/readyz", 2)
                if status == 200:
                    return
            time.sleep(0.5)
        raise AssertionError(f"worker not ready within {timeout} s:\n{self.log()[-3000:]}")

    def metrics(self) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
        status, text = http_get(f"{self.url}/metrics")
        assert status == 200, status
        return parse_metrics(text)

    def metric(self, name: str, **labels: str) -> float:
        want = set(labels.items())
        return sum(v for (n, ls), v in self.metrics().items() if n == name and want <= ls)

    def wait_metric(self, name: str, at_least: float, timeout: float = 120.0, **labels: str) -> float:
        deadline = time.monotonic() + timeout
        value = 0.0
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, AssertionError):
                value = self.metric(name, **labels)
                if value >= at_least:
                    return value
            time.sleep(0.5)
        raise AssertionError(f"{name}{labels} = {value} < {at_least} after {timeout} s:\n{self.log()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int | None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait(timeout)

    def __enter__(self) -> "Worker":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- articles and clients ------------------------------------------------------------

def seed_articles() -> list[dict[str, Any]]:
    """The project's sample articles (seeds/articles/*.json)."""
    files = sorted((ROOT / "seeds" / "articles").glob("*.json"))
    assert files, "no seed articles in seeds/articles"
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def _encoded(articles: Iterable[dict[str, Any] | bytes]) -> Iterator[tuple[bytes | None, bytes]]:
    for a in articles:
        if isinstance(a, bytes):
            yield None, a
        else:
            yield str(a["id"]).encode(), json.dumps(a, ensure_ascii=False).encode()


def publish_kafka_python(bootstrap: str, articles: Iterable[dict[str, Any] | bytes],
                         topic: str = "wirewatch.articles", **client: Any) -> int:
    """Publish with kafka-python; `client` adds options (security, from
    `KafkaCluster.kafka_python_config`, which also names the servers)."""
    from kafka import KafkaProducer

    p = KafkaProducer(**{"bootstrap_servers": servers(bootstrap), **client}, acks="all")
    futures = [p.send(topic, key=k, value=v) for k, v in _encoded(articles)]
    for f in futures:
        f.get(timeout=30)
    p.close()
    return len(futures)


def publish_confluent(bootstrap: str, articles: Iterable[dict[str, Any] | bytes],
                      topic: str = "wirewatch.articles") -> int:
    from confluent_kafka import Producer

    errors: list[Any] = []
    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": False})
    n = 0
    for k, v in _encoded(articles):
        p.produce(topic, key=k, value=v, on_delivery=lambda err, msg: err and errors.append(err))
        n += 1
    remaining = p.flush(30)
    assert remaining == 0 and not errors, (remaining, errors)
    return n


def publish_kcat(bootstrap: str, articles: Iterable[dict[str, Any]], topic: str = "wirewatch.articles") -> int:
    lines = [f"{a['id']}\t{json.dumps(a, ensure_ascii=False)}" for a in articles]
    subprocess.run(["kcat", "-P", "-b", bootstrap, "-t", topic, "-K", "\t"],
                   input="\n".join(lines).encode() + b"\n", check=True, timeout=60)
    return len(lines)


def consume(bootstrap: str, topic: str, *, at_least: int = 1, timeout: float = 60.0,
            idle: float = 3.0, **client: Any) -> list[dict[str, Any]]:
    """Read `topic` from the beginning with kafka-python until `at_least` messages
    arrived and the topic stayed quiet for `idle` seconds, or `timeout`."""
    from kafka import KafkaConsumer

    c = KafkaConsumer(topic, **{"bootstrap_servers": servers(bootstrap), **client}, auto_offset_reset="earliest",
                      enable_auto_commit=False, group_id=None, consumer_timeout_ms=int(idle * 1000))
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            before = len(out)
            for msg in c:
                value = json.loads(msg.value)
                check_schema(topic, value)
                out.append({"key": msg.key.decode() if msg.key else None, "value": value,
                            "partition": msg.partition, "offset": msg.offset})
            if len(out) >= at_least and len(out) == before:
                break
    finally:
        c.close()
    return out


def consume_confluent(bootstrap: str, topic: str, *, at_least: int, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Read `topic` with librdkafka (a client no one here wrote)."""
    from confluent_kafka import Consumer, KafkaError

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{uuid.uuid4().hex[:6]}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < at_least and time.monotonic() < deadline:
            msg = c.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise AssertionError(msg.error())
            value = json.loads(msg.value())
            check_schema(topic, value)
            out.append({"key": msg.key().decode() if msg.key() else None, "value": value})
    finally:
        c.close()
    return out


# --- Prometheus --------------------------------------------------------------------

class Prometheus:
    """A real Prometheus server (Debian package) scraping `targets` every second."""

    def __init__(self, tmp: Path, targets: list[str], rule_files: list[Path] | None = None) -> None:
        self.port = free_port()
        self.dir = tmp / f"prometheus-{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        cfg = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
               "scrape_configs": [{"job_name": "wirewatch", "static_configs": [{"targets": targets}]}]}
        if rule_files:
            cfg["rule_files"] = [str(p) for p in rule_files]
        (self.dir / "prometheus.yml").write_text(json.dumps(cfg))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Prometheus":
        exe = shutil.which("prometheus")
        assert exe, "the prometheus server is not installed (apt-get install prometheus)"
        with open(self.dir / "prometheus.log", "ab") as log:
            self.proc = subprocess.Popen(
                [exe, f"--config.file={self.dir / 'prometheus.yml'}", f"--storage.tsdb.path={self.dir / 'data'}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--web.enable-lifecycle"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        assert wait_for_port("127.0.0.1", self.port, 30), "prometheus did not start"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and http_get(f"{self.url}/-/ready")[0] != 200:
            time.sleep(0.3)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def api(self, path: str, **params: str) -> Any:
        status, body = http_get(f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}", 10)
        data = json.loads(body)
        assert status == 200 and data.get("status") == "success", body[:500]
        return data["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        return self.api("query", query=expr)["result"]

    def wait_scrapes(self, n: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            res = self.query('count_over_time(up{job="wirewatch"}[10m])')
            if res and all(float(r["value"][1]) >= n for r in res):
                up = self.query('up{job="wirewatch"}')
                if up and all(r["value"][1] == "1" for r in up):
                    return
            time.sleep(0.5)
        raise AssertionError(f"prometheus did not scrape {n} times within {timeout} s")


@dataclass
class LiveStack:
    broker: BrokerProcess
    worker: Worker
    prometheus: Prometheus
    url: str
