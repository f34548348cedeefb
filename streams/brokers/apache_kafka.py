"""Apache Kafka in KRaft mode on 127.0.0.1: one node or a cluster, from Maven Central's jars.

The broker's jars (`org.apache.kafka:kafka_2.13` and `kafka-tools` with their runtime
dependencies) are resolved once with Maven into a cache directory
(`WIREWATCH_KAFKA_CACHE`, default ~/.cache/wirewatch/kafka/<version>) that later runs
reuse; `resolve` is the install step of the test set-up. Each node is a combined
broker and controller (`process.roles=broker,controller`) with a static quorum of all
nodes, formatted with `kafka.tools.StorageTool` and run as `java -cp <jars> kafka.Kafka
server.properties`.

Listeners, all on 127.0.0.1: CLIENT (what `bootstrap` names), INTERNAL (between brokers)
and CONTROLLER (the quorum). With `sasl` and/or `tls` the CLIENT listener is SASL_SSL
(SCRAM-SHA-512), SSL with client certificates required, or SASL_PLAINTEXT, INTERNAL and
CONTROLLER are SSL with client certificates required, and the StandardAuthorizer
enforces ACLs; the brokers' own certificate and the `admin` principal are super users.
"""
from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..broker import BrokerError, wait_for_port

log = logging.getLogger(__name__)

#: The release `wirewatch broker --kind apache-kafka` runs without `--version`.
DEFAULT_VERSION = "4.4.0"
#: The 3.x line the tests also run (`--version`).
LEGACY_VERSION = "3.9.1"
SCRAM_MECHANISM = "SCRAM-SHA-512"
#: Principals: the brokers (certificate CN), an administrator, the worker.
BROKER_PRINCIPAL = "broker"
ADMIN_PRINCIPAL = "admin"
WORKER_PRINCIPAL = "worker"
NODE_HEAP = "-Xmx512m"


# --- versions, Java, Maven ---------------------------------------------------------

def check_version(version: str) -> str:
    """`version` if it is a KRaft-capable release this launcher knows (3.9.x or 4.x)."""
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise BrokerError(f"--version: {version!r} is not a Kafka release number such as {DEFAULT_VERSION}")
    major, minor, _ = (int(p) for p in version.split("."))
    if (major, minor) < (3, 9) or major > 4:
        raise BrokerError(f"--version: Apache Kafka {version} is not supported; use 3.9.x or 4.x "
                          f"(default {DEFAULT_VERSION})")
    return version


def is_legacy(version: str) -> bool:
    return int(version.split(".")[0]) < 4


def java_binary(version: str) -> str:
    """The `java` on PATH (or $JAVA_HOME/bin), checked to be recent enough for `version`."""
    home = os.environ.get("JAVA_HOME")
    exe = str(Path(home) / "bin" / "java") if home and (Path(home) / "bin" / "java").exists() else shutil.which("java")
    need = 11 if is_legacy(version) else 17
    if not exe:
        raise BrokerError(f"Apache Kafka needs Java {need} or later and no `java` was found on PATH "
                          f"(Debian: apt-get install openjdk-17-jre-headless)")
    try:
        out = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BrokerError(f"cannot run {exe} -version: {exc}") from None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if m:
        major = int(m.group(1)) if m.group(1) != "1" else int(m.group(2) or 0)
        if major < need:
            raise BrokerError(f"Apache Kafka {version} needs Java {need} or later; {exe} is Java {major}")
    return exe


def cache_dir(version: str) -> Path:
    root = os.environ.get("WIREWATCH_KAFKA_CACHE")
    base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wirewatch" / "kafka"
    return base / version


def pom_xml(version: str) -> str:
    """A throw-away Maven project whose runtime dependencies are the broker and its tools."""
    deps = "".join(f"<dependency><groupId>org.apache.kafka</groupId><artifactId>{a}</artifactId>"
                   f"<version>{version}</version></dependency>" for a in ("kafka_2.13", "kafka-tools"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<project xmlns="http://maven.apache.org/POM/4.0.0">'
            "<modelVersion>4.0.0</modelVersion><groupId>wirewatch.local</groupId>"
            f"<artifactId>kafka-jars</artifactId><version>{version}</version>"
            f"<packaging>pom</packaging><dependencies>{deps}</dependencies></project>\n")


def _mvn(args: list[str], cwd: Path) -> None:
    exe = shutil.which("mvn")
    if not exe:
        raise BrokerError("Apache Kafka's jars are not in the cache yet and Maven (`mvn`) is not installed to "
                          f"resolve them (Debian: apt-get install maven), or run `scripts/setup.sh --test`")
    r = subprocess.run([exe, "-B", "-q", *args], cwd=cwd, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        lines = [ln for ln in (r.stdout + r.stderr).splitlines() if "ERROR" in ln] or (r.stdout + r.stderr).splitlines()
        raise BrokerError(f"Maven could not resolve Apache Kafka's jars in {cwd}: "
                          f"{(lines[0] if lines else 'exit ' + str(r.returncode)).strip()}")


def resolve(version: str = DEFAULT_VERSION) -> Path:
    """The directory of `version`'s jars, resolved with Maven on the first call."""
    check_version(version)
    root = cache_dir(version)
    jars = root / "jars"
    if (root / "complete").exists():
        return jars
    root.mkdir(parents=True, exist_ok=True)
    (root / "pom.xml").write_text(pom_xml(version))
    shutil.rmtree(jars, ignore_errors=True)
    log.info("resolving Apache Kafka %s with Maven into %s", version, jars)
    _mvn(["dependency:copy-dependencies", f"-DoutputDirectory={jars}", "-DincludeScope=runtime"], root)
    # 4.x logs through SLF4J to Log4j 2 but leaves the binding to the distribution.
    core = sorted(jars.glob("log4j-core-*.jar"))
    if core and not list(jars.glob("log4j-slf4j*-impl-*.jar")):
        v = core[-1].name.removeprefix("log4j-core-").removesuffix(".jar")
        _mvn(["dependency:copy", f"-Dartifact=org.apache.logging.log4j:log4j-slf4j-impl:{v}",
              f"-DoutputDirectory={jars}"], root)
    if not list(jars.glob(f"kafka_2.13-{version}.jar")):
        raise BrokerError(f"Maven finished but {jars} holds no kafka_2.13-{version}.jar")
    (root / "complete").write_text(version + "\n")
    return jars


def classpath(jars: Path) -> str:
    return f"{jars}{os.sep}*"


def cluster_id() -> str:
    """A random KRaft cluster id (a UUID in URL-safe base64 without padding)."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


# --- configuration --------------------------------------------------------------------

@dataclass(frozen=True)
class Ports:
    client: int
    internal: int
    controller: int


@dataclass(frozen=True)
class Security:
    """What the CLIENT listener demands, and where the TLS material is."""

    sasl: bool = False
    tls: bool = False
    dir: Path | None = None  # holds ca.pem, broker.pem (key + chain), and the clients' files

    @property
    def enabled(self) -> bool:
        return self.sasl or self.tls

    @property
    def client_protocol(self) -> str:
        if self.sasl:
            return "SASL_SSL" if self.tls else "SASL_PLAINTEXT"
        return "SSL" if self.tls else "PLAINTEXT"


def node_config(node_id: int, ports: dict[int, Ports], log_dir: Path, security: Security = Security(),
                host: str = "127.0.0.1") -> dict[str, str]:
    """server.properties of node `node_id` in a cluster of `ports` (node id -> its ports)."""
    me = ports[node_id]
    n = len(ports)
    sec = security
    internal = "SSL" if sec.enabled else "PLAINTEXT"
    conf = {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        "controller.quorum.voters": ",".join(f"{i}@{host}:{p.controller}" for i, p in sorted(ports.items())),
        "listeners": f"CLIENT://{host}:{me.client},INTERNAL://{host}:{me.internal},CONTROLLER://{host}:{me.controller}",
        "advertised.listeners": f"CLIENT://{host}:{me.client},INTERNAL://{host}:{me.internal}",
        "listener.security.protocol.map": f"CLIENT:{sec.client_protocol},INTERNAL:{internal},CONTROLLER:{internal}",
        "inter.broker.listener.name": "INTERNAL",
        "controller.listener.names": "CONTROLLER",
        "log.dirs": str(log_dir),
        "num.partitions": "1",
        "default.replication.factor": str(min(3, n)),
        "min.insync.replicas": str(2 if n >= 3 else 1),
        "offsets.topic.replication.factor": str(min(3, n)),
        "offsets.topic.num.partitions": "8",
        "transaction.state.log.replication.factor": str(min(3, n)),
        "transaction.state.log.min.isr": str(2 if n >= 3 else 1),
        "transaction.state.log.num.partitions": "8",
        "unclean.leader.election.enable": "false",
        # wirewatch creates its topics itself; a topic it did not create is a mistake.
        "auto.create.topics.enable": "false",
        "group.initial.rebalance.delay.ms": "0",
        "log.segment.bytes": str(64 * 1024 * 1024),
        "num.network.threads": "2",
        "num.io.threads": "4",
        "log.cleaner.dedupe.buffer.size": str(16 * 1024 * 1024),
    }
    if sec.enabled:
        d = sec.dir
        assert d is not None, "security needs a directory of certificates"
        conf.update({
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found": "false",
            "super.users": f"User:{BROKER_PRINCIPAL};User:{ADMIN_PRINCIPAL}",
            # Certificates name a principal by their CN, as SCRAM users are named.
            "ssl.principal.mapping.rules": "RULE:^CN=([^,]+)$/$1/,DEFAULT",
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(d / "broker.pem"),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(d / "ca.pem"),
            "ssl.endpoint.identification.algorithm": "https",
            "listener.name.internal.ssl.client.auth": "required",
            "listener.name.controller.ssl.client.auth": "required",
        })
        if sec.tls and not sec.sasl:
            conf["listener.name.client.ssl.client.auth"] = "required"
        if sec.sasl:
            conf.update({
                "sasl.enabled.mechanisms": SCRAM_MECHANISM,
                "listener.name.client.sasl.enabled.mechanisms": SCRAM_MECHANISM,
                "listener.name.client.scram-sha-512.sasl.jaas.config":
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            })
    return conf


def render_properties(conf: dict[str, str]) -> str:
    """A Java properties file (keys sorted; `\\` and newlines never appear in values here)."""
    for k, v in conf.items():
        if "\n" in v or "\\" in v:
            raise ValueError(f"{k}: value cannot go in a properties file: {v!r}")
    return "".join(f"{k}={v}\n" for k, v in sorted(conf.items()))


def logging_config(version: str, log_file: Path) -> tuple[str, str, str]:
    """(file name, contents, JVM flag) of the broker's logging configuration."""
    if is_legacy(version):  # reload4j
        text = ("log4j.rootLogger=INFO, F\nlog4j.appender.F=org.apache.log4j.FileAppender\n"
                f"log4j.appender.F.File={log_file}\nlog4j.appender.F.layout=org.apache.log4j.PatternLayout\n"
                "log4j.appender.F.layout.ConversionPattern=[%d] %p %m (%c)%n\n"
                "log4j.logger.kafka.request.logger=WARN\nlog4j.logger.state.change.logger=WARN\n")
        return "log4j.properties", text, "-Dlog4j.configuration=file:{path}"
    text = ("status = warn\nappender.f.type = File\nappender.f.name = F\n"
            f"appender.f.fileName = {log_file}\nappender.f.layout.type = PatternLayout\n"
            "appender.f.layout.pattern = [%d] %p %m (%c)%n\nrootLogger.level = info\n"
            "rootLogger.appenderRef.f.ref = F\nlogger.req.name = kafka.request.logger\nlogger.req.level = warn\n"
            "logger.sc.name = state.change.logger\nlogger.sc.level = warn\n")
    return "log4j2.properties", text, "-Dlog4j2.configurationFile={path}"


# --- processes -----------------------------------------------------------------------

@dataclass
class Node:
    """One KRaft node (broker and controller) of a `KafkaCluster`."""

    node_id: int
    ports: Ports
    dir: Path
    argv: list[str]
    host: str = "127.0.0.1"
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.ports.client}"

    @property
    def log_path(self) -> Path:
        return self.dir / "server.log"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def launch(self) -> None:
        """Start the node's process (not waiting for it)."""
        with open(self.dir / "stdout.log", "ab") as out:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)

    def signal(self, sig: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)  # type: ignore[union-attr]

    def kill(self) -> None:
        """SIGKILL: the node dies without a word to the cluster."""
        if self.proc is not None:
            self.signal(signal.SIGKILL)
            self.proc.wait(30)
        self.proc = None

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM (a controlled shutdown), SIGKILL after `timeout`."""
        if self.proc is not None:
            self.signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.proc.wait(30)
        self.proc = None


@dataclass
class KafkaCluster:
    version: str
    workdir: Path
    nodes: list[Node]
    security: Security
    java: str
    jars: Path
    users: dict[str, str] = field(default_factory=dict)  # SCRAM user -> password
    kind: str = "apache-kafka"
    cluster_id: str | None = None

    @property
    def bootstrap(self) -> str:
        return ",".join(n.bootstrap for n in self.nodes)

    @property
    def live_bootstrap(self) -> str:
        """The bootstrap list less the nodes that are down (all of them if none runs)."""
        live = [n.bootstrap for n in self.nodes if n.alive()]
        return ",".join(live) if live else self.bootstrap

    def node(self, node_id: int) -> Node:
        return next(n for n in self.nodes if n.node_id == node_id)

    # Client settings -------------------------------------------------------------

    def client_settings(self, principal: str = ADMIN_PRINCIPAL) -> dict[str, str]:
        """WIREWATCH_* settings that connect as `principal` (empty with no security)."""
        sec = self.security
        env: dict[str, str] = {}
        if not sec.enabled:
            return env
        env["WIREWATCH_SECURITY_PROTOCOL"] = sec.client_protocol
        assert sec.dir is not None
        if sec.tls:
            env["WIREWATCH_SSL_CAFILE"] = str(sec.dir / "ca.pem")
        if sec.sasl:
            env.update({"WIREWATCH_SASL_MECHANISM": SCRAM_MECHANISM, "WIREWATCH_SASL_USERNAME": principal,
                        "WIREWATCH_SASL_PASSWORD_FILE": str(sec.dir / f"{principal}.password")})
        elif sec.tls:
            env.update({"WIREWATCH_SSL_CERTFILE": str(sec.dir / f"{principal}.crt"),
                        "WIREWATCH_SSL_KEYFILE": str(sec.dir / f"{principal}.key")})
        return env

    def kafka_python_config(self, principal: str = ADMIN_PRINCIPAL) -> dict[str, Any]:
        from ..settings import Settings
        from ..topics import kafka_client_config

        env = self.client_settings(principal)
        s = Settings(broker=self.live_bootstrap, **{k.removeprefix("WIREWATCH_").lower(): v for k, v in env.items()})
        return kafka_client_config(s)

    def java_client_properties(self, principal: str = ADMIN_PRINCIPAL) -> dict[str, str]:
        """Client properties for Kafka's own tools, connecting as `principal`."""
        sec = self.security
        conf: dict[str, str] = {"security.protocol": sec.client_protocol}
        if sec.tls:
            assert sec.dir is not None
            conf.update({"ssl.truststore.type": "PEM", "ssl.truststore.location": str(sec.dir / "ca.pem")})
            if not sec.sasl:
                conf.update({"ssl.keystore.type": "PEM", "ssl.keystore.location": str(sec.dir / f"{principal}.pem")})
        if sec.sasl:
            conf.update({"sasl.mechanism": SCRAM_MECHANISM, "sasl.jaas.config":
                         "org.apache.kafka.common.security.scram.ScramLoginModule required "
                         f'username="{principal}" password="{self.users[principal]}";'})
        return conf

    # Lifecycle -------------------------------------------------------------------

    def format(self) -> None:
        """Format the log directory of every node not formatted yet (all with one cluster id)."""
        self.cluster_id = self.cluster_id or cluster_id()
        for n in self.nodes:
            if (n.dir / "data" / "meta.properties").exists():
                continue
            argv = [self.java, "-cp", classpath(self.jars), "kafka.tools.StorageTool", "format",
                    "-t", self.cluster_id, "-c", str(n.dir / "server.properties")]
            for user, password in self.users.items():
                argv += ["--add-scram", f"{SCRAM_MECHANISM}=[name={user},password={password}]"]
            r = subprocess.run(argv, capture_output=True, text=True, timeout=180)
            if r.returncode != 0:
                lines = (r.stderr + r.stdout).strip().splitlines()
                why = next((ln for ln in lines if "Exception" in ln or "Error" in ln), lines[-1] if lines else "")
                raise BrokerError(f"kafka storage format of node {n.node_id} failed: {why.strip() or r.returncode}")

    def configure(self, ports: dict[int, Ports]) -> None:
        """Write every node's server.properties and logging configuration for `ports`."""
        self.nodes = []
        for i, p in ports.items():
            d = self.workdir / f"node-{i}"
            (d / "data").mkdir(parents=True, exist_ok=True)
            (d / "server.properties").write_text(render_properties(node_config(i, ports, d / "data", self.security)))
            name, text, flag = logging_config(self.version, d / "server.log")
            (d / name).write_text(text)
            argv = [self.java, NODE_HEAP, "-Xms128m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                    flag.format(path=d / name), "-cp", classpath(self.jars), "kafka.Kafka",
                    str(d / "server.properties")]
            self.nodes.append(Node(i, p, d, argv))

    def start(self, timeout: float = 180.0, attempts: int = 3) -> "KafkaCluster":
        """Format (once) and start every node, then wait until all are brokers. A first
        start whose port was taken in the meantime starts over on other ports."""
        fresh = not any((n.dir / "data" / "meta.properties").exists() for n in self.nodes)
        for attempt in range(1, attempts + 1):
            self.format()
            try:
                for n in self.nodes:  # a node waits for the quorum: start all, then wait
                    n.launch()
                self.wait_ready(timeout)
                return self
            except BrokerError:
                self.stop()
                self.cluster_id = None
                taken = any("Address already in use" in n.log_path.read_text(errors="replace")
                            for n in self.nodes if n.log_path.exists())
                if not (fresh and taken and attempt < attempts):
                    raise
                log.warning("a port of the kafka cluster was taken; starting over on other ports")
                for n in self.nodes:
                    shutil.rmtree(n.dir, ignore_errors=True)
                self.configure(pick_ports(len(self.nodes)))
            except BaseException:
                self.stop()
                raise
        raise AssertionError("unreachable")

    def wait_ready(self, timeout: float = 180.0, nodes: int | None = None) -> None:
        """Every node listens and the cluster's metadata lists all of them as brokers."""
        deadline = time.monotonic() + timeout
        for n in self.nodes:
            while not wait_for_port(n.host, n.ports.client, 1.0):
                if n.proc is not None and n.proc.poll() is not None:
                    raise BrokerError(f"kafka node {n.node_id} exited with {n.proc.returncode}; "
                                      f"see {n.log_path}")
                if time.monotonic() > deadline:
                    raise BrokerError(f"kafka node {n.node_id} did not listen on {n.bootstrap} within "
                                      f"{timeout:.0f} s; see {n.log_path}")
        want = nodes if nodes is not None else len(self.nodes)
        last: Any = None
        while time.monotonic() < deadline:
            for n in self.nodes:
                if n.proc is not None and n.proc.poll() is not None:
                    raise BrokerError(f"kafka node {n.node_id} exited with {n.proc.returncode}; see {n.log_path}")
            try:
                if len(self.brokers()) >= want:
                    return
            except Exception as exc:  # noqa: BLE001 - not ready yet; reported on timeout
                last = exc
            time.sleep(0.5)
        raise BrokerError(f"the kafka cluster did not list {want} brokers within {timeout:.0f} s "
                          f"({last}); see {self.nodes[0].log_path}")

    def admin(self, principal: str = ADMIN_PRINCIPAL) -> Any:
        from kafka.admin import KafkaAdminClient

        return KafkaAdminClient(client_id="wirewatch-broker", request_timeout_ms=10000,
                                **self.kafka_python_config(principal))

    def brokers(self) -> list[int]:
        """Node ids of the unfenced brokers the cluster's metadata lists."""
        admin = self.admin()
        try:
            return sorted(b["broker_id"] for b in admin.describe_cluster()["brokers"] if not b.get("is_fenced"))
        finally:
            admin.close()

    def stop(self) -> None:
        for n in self.nodes:  # SIGTERM to all first: a controlled shutdown in parallel
            n.signal(signal.SIGTERM)
        # With every node going, the last ones lose their controller quorum and a controlled
        # shutdown cannot finish: they would wait out the whole timeout. Give it 15 s, then
        # SIGKILL (the logs recover on the next start).
        deadline = time.monotonic() + (60 if len(self.nodes) == 1 else 15)
        for n in self.nodes:
            n.stop(max(1.0, deadline - time.monotonic()))

    def __enter__(self) -> "KafkaCluster":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def prepare(workdir: Path, *, version: str | None = None, nodes: int = 1, sasl: bool = False,
            tls: bool = False) -> KafkaCluster:
    """Resolve the jars, write every node's configuration and security material (not started)."""
    version = check_version(version or DEFAULT_VERSION)
    if not 1 <= nodes <= 9:
        raise BrokerError(f"--nodes: {nodes} is not between 1 and 9")
    java = java_binary(version)
    jars = resolve(version)
    security = Security(sasl=sasl, tls=tls, dir=workdir / "security" if (sasl or tls) else None)
    users: dict[str, str] = {}
    if security.enabled:
        from . import tls as certs

        assert security.dir is not None
        certs.make_all(security.dir, [BROKER_PRINCIPAL, ADMIN_PRINCIPAL, WORKER_PRINCIPAL])
        if sasl:
            for user in (ADMIN_PRINCIPAL, WORKER_PRINCIPAL):
                users[user] = secrets.token_urlsafe(18)
                (security.dir / f"{user}.password").write_text(users[user] + "\n")
    cluster = KafkaCluster(version, workdir, [], security, java, jars, users)
    cluster.configure(pick_ports(nodes))
    return cluster


def pick_ports(nodes: int, low: int = 20000, high: int = 32767) -> dict[int, Ports]:
    """Three distinct free loopback ports per node, below Linux's ephemeral range
    (32768-60999), so an outgoing connection of another process does not take one
    between this choice and the broker's bind."""
    import random
    import socket

    held: list[socket.socket] = []
    try:
        while len(held) < 3 * nodes:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.bind(("127.0.0.1", random.randint(low, high)))
            except OSError:
                s.close()
                continue
            held.append(s)
        numbers = [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()
    return {i: Ports(*numbers[3 * (i - 1):3 * i]) for i in range(1, nodes + 1)}


def start(workdir: Path, **kwargs: Any) -> KafkaCluster:
    return prepare(workdir, **kwargs).start()


def run_tool(cluster: KafkaCluster, main_class: str, *args: str, principal: str = ADMIN_PRINCIPAL,
             timeout: float = 120.0, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run one of Kafka's own command-line tools (by main class) against `cluster`."""
    props = cluster.workdir / f"client-{principal}.properties"
    props.write_text(render_properties(cluster.java_client_properties(principal)))
    argv = [cluster.java, "-Xmx256m", "-cp", classpath(cluster.jars), main_class, *args]
    argv = [a.replace("{client.properties}", str(props)) for a in argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, input=input)


# --- ACLs ---------------------------------------------------------------------------

def worker_acls(s: Any, principal: str = WORKER_PRINCIPAL) -> list[tuple[str, str, str, str]]:
    """What a worker with settings `s` needs, nothing more: (resource type, name,
    pattern type, operation). Read its input, write its outputs, use its consumer group,
    and read, write and create the internal topics named after its app id (Faust's
    alert candidates and the alert-state changelog)."""
    from ..topics import TopicNames

    names = TopicNames.from_settings(s)
    out = [("TOPIC", names.articles, "LITERAL", op) for op in ("READ", "DESCRIBE")]
    for topic in s.output_topics():
        out += [("TOPIC", topic, "LITERAL", op) for op in ("WRITE", "DESCRIBE")]
    out += [("TOPIC", f"{s.app_id}-", "PREFIXED", op) for op in ("READ", "WRITE", "DESCRIBE", "CREATE")]
    out += [("GROUP", s.app_id, "LITERAL", op) for op in ("READ", "DESCRIBE")]
    return out


def grant_worker(cluster: KafkaCluster, s: Any, principal: str = WORKER_PRINCIPAL,
                 leave_out: tuple[str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """Create the worker's topics as the administrator and allow `principal` what
    `worker_acls` lists (less the (name, operation) `leave_out`, for tests)."""
    from kafka.admin import ACL, ACLOperation, ACLPermissionType, ACLResourcePatternType, ResourcePattern, ResourceType

    from ..topics import ensure_topics

    admin_env = {k.removeprefix("WIREWATCH_").lower(): v for k, v in cluster.client_settings(ADMIN_PRINCIPAL).items()}
    ensure_topics(s.model_copy(update={"broker": cluster.bootstrap, **_typed(admin_env)}))
    rules = [r for r in worker_acls(s, principal) if leave_out is None or (r[1], r[3]) != leave_out]
    acls = [ACL(f"User:{principal}", "*", ACLOperation[op], ACLPermissionType.ALLOW,
                ResourcePattern(ResourceType[rtype], name, ACLResourcePatternType[pattern]))
            for rtype, name, pattern, op in rules]
    admin = cluster.admin()
    try:
        result = admin.create_acls(acls)
    finally:
        admin.close()
    failed = result.get("failed") if isinstance(result, dict) else None
    if failed:
        raise BrokerError(f"could not create ACLs: {failed}")
    return rules


def _typed(env: dict[str, str]) -> dict[str, Any]:
    """Settings field values from WIREWATCH_* strings (paths as paths)."""
    return {k: (Path(v) if k.endswith("_file") else v) for k, v in env.items()}
