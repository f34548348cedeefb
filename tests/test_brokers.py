"""The local brokers' launchers without starting one: configuration, Maven project,
versions, ACLs, and the errors `wirewatch broker` gives instead of a traceback."""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from streams.broker import BrokerError
from streams.brokers import apache_kafka as ak
from streams.brokers import launch
from streams.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def parse_properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def ports(n: int) -> dict[int, ak.Ports]:
    return {i: ak.Ports(10000 + i, 20000 + i, 30000 + i) for i in range(1, n + 1)}


def test_single_node_is_a_combined_kraft_node_on_loopback(tmp_path):
    conf = ak.node_config(1, ports(1), tmp_path / "data")
    assert conf["process.roles"] == "broker,controller"
    assert conf["controller.quorum.voters"] == "1@127.0.0.1:30001"
    assert conf["advertised.listeners"] == "CLIENT://127.0.0.1:10001,INTERNAL://127.0.0.1:20001"
    for listener in conf["listeners"].split(","):
        assert listener.split("://")[1].startswith("127.0.0.1:")
    assert conf["listener.security.protocol.map"] == "CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"
    # One node: every internal topic must fit on it.
    assert conf["offsets.topic.replication.factor"] == "1"
    assert conf["transaction.state.log.min.isr"] == "1"
    assert conf["min.insync.replicas"] == "1"
    assert conf["auto.create.topics.enable"] == "false"
    assert "authorizer.class.name" not in conf


def test_three_nodes_replicate_three_ways_and_need_two_in_sync(tmp_path):
    p = ports(3)
    confs = [ak.node_config(i, p, tmp_path / f"d{i}") for i in (1, 2, 3)]
    assert {c["controller.quorum.voters"] for c in confs} == {"1@127.0.0.1:30001,2@127.0.0.1:30002,3@127.0.0.1:30003"}
    assert [c["node.id"] for c in confs] == ["1", "2", "3"]
    assert len({c["listeners"] for c in confs}) == 3
    for c in confs:
        assert c["default.replication.factor"] == "3"
        assert c["min.insync.replicas"] == "2"
        assert c["offsets.topic.replication.factor"] == "3"
        assert c["transaction.state.log.min.isr"] == "2"
        assert c["unclean.leader.election.enable"] == "false"


@pytest.mark.parametrize("sasl,tls,client", [(True, True, "SASL_SSL"), (False, True, "SSL"),
                                              (True, False, "SASL_PLAINTEXT")])
def test_security_is_enforced_by_the_authorizer(tmp_path, sasl, tls, client):
    sec = ak.Security(sasl=sasl, tls=tls, dir=tmp_path)
    conf = ak.node_config(1, ports(1), tmp_path / "data", sec)
    assert conf["listener.security.protocol.map"] == f"CLIENT:{client},INTERNAL:SSL,CONTROLLER:SSL"
    assert conf["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert conf["allow.everyone.if.no.acl.found"] == "false"
    assert conf["super.users"] == "User:broker;User:admin"
    assert conf["listener.name.internal.ssl.client.auth"] == "required"
    assert conf["listener.name.controller.ssl.client.auth"] == "required"
    assert conf["ssl.keystore.location"] == str(tmp_path / "broker.pem")
    if sasl:
        assert conf["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
        assert "ScramLoginModule" in conf["listener.name.client.scram-sha-512.sasl.jaas.config"]
        assert "listener.name.client.ssl.client.auth" not in conf
    else:
        assert conf["listener.name.client.ssl.client.auth"] == "required"


def test_properties_file_round_trips_and_refuses_what_it_cannot_hold(tmp_path):
    conf = ak.node_config(2, ports(3), tmp_path / "data", ak.Security(sasl=True, tls=True, dir=tmp_path))
    assert parse_properties(ak.render_properties(conf)) == conf
    with pytest.raises(ValueError, match="bad"):
        ak.render_properties({"bad": "a\nb"})


def test_maven_project_names_the_broker_and_its_tools():
    import xml.etree.ElementTree as ET

    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ET.fromstring(ak.pom_xml("4.4.0"))
    deps = {(d.findtext("m:groupId", namespaces=ns), d.findtext("m:artifactId", namespaces=ns),
             d.findtext("m:version", namespaces=ns)) for d in root.iterfind(".//m:dependency", ns)}
    assert deps == {("org.apache.kafka", "kafka_2.13", "4.4.0"), ("org.apache.kafka", "kafka-tools", "4.4.0")}


def test_versions():
    assert ak.check_version("4.4.0") == "4.4.0"
    assert ak.check_version("3.9.1") == "3.9.1"
    for bad in ("3.8.1", "5.0.0", "latest", "4.4"):
        with pytest.raises(BrokerError, match="--version"):
            ak.check_version(bad)
    assert ak.is_legacy("3.9.1") and not ak.is_legacy("4.0.0")
    name, text, flag = ak.logging_config("3.9.1", Path("/x/server.log"))
    assert name == "log4j.properties" and "File=/x/server.log" in text and flag.startswith("-Dlog4j.configuration=")
    name, text, flag = ak.logging_config("4.4.0", Path("/x/server.log"))
    assert name == "log4j2.properties" and "fileName = /x/server.log" in text and flag.startswith("-Dlog4j2.")


def test_cache_dir_follows_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("WIREWATCH_KAFKA_CACHE", str(tmp_path))
    assert ak.cache_dir("4.4.0") == tmp_path / "4.4.0"


def test_cluster_ids_are_kraft_uuids():
    ids = {ak.cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cid in ids:
        assert len(cid) == 22 and not cid.startswith("-")
        assert len(base64.urlsafe_b64decode(cid + "==")) == 16


def test_worker_acls_cover_its_topics_and_group_only():
    s = Settings(broker="127.0.0.1:1", app_id="ww-x", topic_articles="in")
    acls = ak.worker_acls(s)
    assert ("TOPIC", "in", "LITERAL", "READ") in acls
    assert ("TOPIC", "in", "LITERAL", "WRITE") not in acls
    for topic in s.output_topics():
        assert ("TOPIC", topic, "LITERAL", "WRITE") in acls
        assert ("TOPIC", topic, "LITERAL", "READ") not in acls
    assert ("TOPIC", "ww-x-", "PREFIXED", "READ") in acls
    assert ("GROUP", "ww-x", "LITERAL", "READ") in acls
    assert {r[0] for r in acls} == {"TOPIC", "GROUP"}  # nothing on the cluster, no wildcard
    assert not any(r[1] in ("*", "") for r in acls)


def test_launch_refuses_what_a_kind_cannot_do(tmp_path):
    with pytest.raises(BrokerError, match="--nodes"):
        launch("tansu", tmp_path, nodes=3)
    with pytest.raises(BrokerError, match="--sasl"):
        launch("noida", tmp_path, sasl=True)
    with pytest.raises(BrokerError, match="unknown broker kind"):
        launch("zookeeper", tmp_path)


def _broker_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams", "broker", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env}, cwd=ROOT)


def test_missing_java_or_maven_is_one_line_not_a_traceback(tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    r = _broker_cli("--kind", "apache-kafka", env={"PATH": str(bare), "JAVA_HOME": ""})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("wirewatch: error: Apache Kafka needs Java 17") and r.stderr.count("\n") == 1
    assert r.stdout == ""
    java = shutil.which("java")
    assert java, "scripts/setup.sh --test installs a Java"
    (bare / "java").symlink_to(os.path.realpath(java))
    r = _broker_cli("--kind", "apache-kafka",
                    env={"PATH": str(bare), "JAVA_HOME": "", "WIREWATCH_KAFKA_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Maven (`mvn`) is not installed" in r.stderr and r.stdout == ""


def test_ports_are_distinct_and_below_the_ephemeral_range():
    ports = ak.pick_ports(3)
    numbers = [n for p in ports.values() for n in (p.client, p.internal, p.controller)]
    assert sorted(ports) == [1, 2, 3] and len(set(numbers)) == 9
    assert all(20000 <= n < 32768 for n in numbers)


def _children(pid: int) -> set[int]:
    """Every descendant of `pid` (from /proc)."""
    out: set[int] = set()
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                child = int(stat.parent.name)
                out.add(child)
                frontier.append(child)
    return out


def _running(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


@pytest.mark.integration
@pytest.mark.parametrize("args", [["--kind", "tansu"], ["--kind", "apache-kafka", "--nodes", "2"]])
def test_broker_command_prints_bootstrap_then_stops_everything(args, tmp_path):
    import signal
    import socket
    import time

    proc = subprocess.Popen([sys.executable, "-m", "streams", "broker", *args, "--workdir", str(tmp_path / "w")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = proc.stdout.readline().strip()
        assert first.startswith("bootstrap: "), (first, proc.stderr.read() if proc.poll() is not None else "")
        servers = first.removeprefix("bootstrap: ").split(",")
        assert len(servers) == (2 if "--nodes" in args else 1)
        for server in servers:
            host, port = server.rsplit(":", 1)
            assert host == "127.0.0.1"
            socket.create_connection((host, int(port)), timeout=5).close()  # every node is listening
        if "apache-kafka" in args:
            from kafka.admin import KafkaAdminClient

            admin = KafkaAdminClient(bootstrap_servers=servers)
            try:  # ready means every node is a broker the cluster lists
                assert len(admin.describe_cluster()["brokers"]) == 2
            finally:
                admin.close()
        kids = _children(proc.pid)
        assert kids, "no broker process under the command"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(90) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.5)
    assert not [k for k in kids if _running(k)], "a broker process outlived the command"
    for server in servers:
        host, port = server.rsplit(":", 1)
        with pytest.raises(OSError):
            socket.create_connection((host, int(port)), timeout=2).close()
