"""The worker's start-up check: each refusal maps to a message naming the setting or the
topic, and the probe tells a refusal from a broker that is not there yet. Local sockets
only; tests/test_kafka_security.py runs the same checks against Apache Kafka."""
from __future__ import annotations

import re
import socket
import ssl
import struct
import threading
import time
from pathlib import Path

import pytest
from aiokafka.errors import (IllegalSaslStateError, KafkaConnectionError, SaslAuthenticationFailed,
                             UnsupportedSaslMechanismError)

from streams import preflight
from streams.brokers import tls
from streams.settings import Settings


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("certs")
    tls.make_all(d, ["broker", "worker"])
    tls.make_ca(d, name="other", cn="another CA")
    return d


def sasl(certs: Path, **kw) -> Settings:
    (certs / "pw").write_text("secret\n")
    return Settings(**{"broker": "127.0.0.1:9093", "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
                       "sasl_username": "worker", "sasl_password_file": certs / "pw", "ssl_cafile": certs / "ca.pem",
                       **kw})


def mtls(certs: Path, **kw) -> Settings:
    return Settings(**{"broker": "127.0.0.1:9093", "security_protocol": "SSL", "ssl_cafile": certs / "ca.pem",
                       "ssl_certfile": certs / "worker.crt", "ssl_keyfile": certs / "worker.key", **kw})


def verify_error(code: int, message: str) -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {message}")
    exc.verify_code, exc.verify_message = code, message
    return exc


def alert(reason: str) -> ssl.SSLError:
    exc = ssl.SSLError(1, f"[SSL: {reason}] {reason.lower()}")
    exc.reason = reason
    return exc


def test_an_untrusted_broker_certificate_names_the_ca_setting(certs):
    s = sasl(certs)
    msg = preflight.explain(verify_error(20, "unable to get local issuer certificate"), s, "h:1")
    assert msg == (f"the broker's certificate at h:1 is not trusted by WIREWATCH_SSL_CAFILE={certs / 'ca.pem'}: "
                   "unable to get local issuer certificate")
    none = preflight.explain(verify_error(20, "x"), sasl(certs, ssl_cafile=None), "h:1")
    assert "the system's CAs (WIREWATCH_SSL_CAFILE unset)" in none


def test_a_certificate_for_another_host_names_the_broker_setting(certs):
    msg = preflight.explain(verify_error(62, "Hostname mismatch, certificate is not valid for 'kafka'."),
                            mtls(certs), "kafka:9093")
    assert "does not name that host" in msg and "WIREWATCH_BROKER" in msg


@pytest.mark.parametrize("reason", ["SSLV3_ALERT_CERTIFICATE_UNKNOWN", "TLSV13_ALERT_CERTIFICATE_REQUIRED",
                                    "SSLV3_ALERT_BAD_CERTIFICATE", "TLSV1_ALERT_UNKNOWN_CA"])
def test_a_refused_client_certificate_names_the_certificate_setting(certs, reason):
    msg = preflight.explain(alert(reason), mtls(certs), "h:1")
    assert msg == f"the broker at h:1 refused the client certificate WIREWATCH_SSL_CERTFILE={certs / 'worker.crt'} ({reason})"
    bare = preflight.explain(alert(reason), mtls(certs, ssl_certfile=None, ssl_keyfile=None), "h:1")
    assert "set WIREWATCH_SSL_CERTFILE and WIREWATCH_SSL_KEYFILE" in bare


def test_a_plaintext_port_names_the_protocol_setting(certs):
    msg = preflight.explain(alert("WRONG_VERSION_NUMBER"), mtls(certs), "h:1")
    assert "does not speak TLS" in msg and "WIREWATCH_SECURITY_PROTOCOL=SSL" in msg
    closed = preflight.explain(ConnectionResetError("closed"), Settings(broker="h:1"), "h:1")
    assert "want TLS" in closed and "WIREWATCH_SECURITY_PROTOCOL=PLAINTEXT" in closed
    alerted = preflight.explain(preflight.NotKafkaAnswer("h:1 answered 15030300"), Settings(broker="h:1"), "h:1")
    assert "WIREWATCH_SECURITY_PROTOCOL=PLAINTEXT" in alerted


def test_sasl_refusals_name_the_sasl_settings(certs):
    s = sasl(certs)
    wrong = preflight.explain(SaslAuthenticationFailed("invalid credentials"), s, "h:1")
    assert wrong.startswith("the broker at h:1 rejected SASL user 'worker' (SCRAM-SHA-512): ")
    assert wrong.endswith("check WIREWATCH_SASL_USERNAME and WIREWATCH_SASL_PASSWORD_FILE")
    inline = sasl(certs, sasl_password_file=None, sasl_password="x")
    assert preflight.explain(SaslAuthenticationFailed("x"), inline, "h:1").endswith("WIREWATCH_SASL_PASSWORD")
    mech = preflight.explain(UnsupportedSaslMechanismError("PLAIN only"), s, "h:1")
    assert "WIREWATCH_SASL_MECHANISM=SCRAM-SHA-512" in mech
    state = preflight.explain(IllegalSaslStateError(), s, "h:1")
    assert "WIREWATCH_SECURITY_PROTOCOL=SASL_SSL" in state
    closed = preflight.explain(KafkaConnectionError("Connection at h:1 closed"), s, "h:1")
    assert "WIREWATCH_SECURITY_PROTOCOL=SASL_SSL" in closed
    during = preflight.explain(KafkaConnectionError("Connection at h:1 closed"), s, "h:1", stage="sasl")
    assert during == ("the broker at h:1 closed the connection during SASL authentication of user 'worker'; "
                      "check WIREWATCH_SASL_MECHANISM=SCRAM-SHA-512, WIREWATCH_SASL_USERNAME and "
                      "WIREWATCH_SASL_PASSWORD_FILE")


def test_an_absent_broker_is_not_a_security_message(certs):
    assert preflight.explain(ValueError("something else"), mtls(certs), "h:1") is None
    assert preflight._unreachable(ConnectionRefusedError(111, "refused"))
    assert not preflight._unreachable(alert("SSLV3_ALERT_BAD_CERTIFICATE"))


def test_the_needs_cover_every_topic_with_its_setting():
    s = Settings(app_id="ww", topic_articles="in", topic_diplomatic="dip")
    by_topic = {n.topic: n for n in preflight.needs(s)}
    assert by_topic["in"] == preflight.Need("in", "WIREWATCH_TOPIC_ARTICLES", ("READ",))
    assert by_topic["dip"] == preflight.Need("dip", "WIREWATCH_TOPIC_DIPLOMATIC", ("WRITE",))
    assert by_topic["ww-alert-candidates"].operations == ("READ", "WRITE")
    assert by_topic["ww-alert-state-changelog"].setting == "internal, named after WIREWATCH_APP_ID"
    assert len(by_topic) == 8


def test_missing_operations_and_their_message():
    need = preflight.Need("dip", "WIREWATCH_TOPIC_DIPLOMATIC", ("WRITE",))
    assert preflight.missing_operations(need, ["DESCRIBE", "READ"]) == ["WRITE"]
    assert preflight.missing_operations(need, ["DESCRIBE", "WRITE"]) == []
    assert preflight.missing_operations(need, ["ALL"]) == []
    assert preflight.missing_operations(need, None) == []  # the broker does not say: no authoriser
    assert preflight.topic_message(need, ["WRITE"], "User:worker") == (
        "topic dip (WIREWATCH_TOPIC_DIPLOMATIC): the broker does not allow User:worker to WRITE it; "
        "grant WRITE on topic dip with an ACL")
    assert preflight.group_message("ww", "User:worker").startswith(
        "consumer group ww (WIREWATCH_APP_ID): the broker does not allow User:worker to READ the group")


def test_the_principal_is_named_by_the_setting_that_gives_it(certs):
    assert preflight.principal(sasl(certs)) == "User:worker"
    assert preflight.principal(mtls(certs)) == f"the principal of WIREWATCH_SSL_CERTFILE={certs / 'worker.crt'}"


# --- the probe against local servers -----------------------------------------------------

class Server:
    """A one-connection-at-a-time TCP server on 127.0.0.1 that hands each connection to `serve`."""

    def __init__(self, serve) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.serve = serve
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    self.serve(conn)
                except (OSError, ssl.SSLError):
                    pass

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        self.sock.close()


def api_versions_answer(conn: socket.socket) -> None:
    size = struct.unpack(">i", conn.recv(4))[0]
    request = conn.recv(size)
    correlation = request[4:8]
    body = correlation + b"\x00\x00" + b"\x00\x00\x00\x00"  # no error, no api keys
    conn.sendall(struct.pack(">i", len(body)) + body)


def test_the_probe_accepts_a_kafka_answer_and_refuses_a_closed_connection():
    ok = Server(api_versions_answer)
    closer = Server(lambda conn: None)
    alerter = Server(lambda conn: (conn.recv(64), conn.sendall(b"\x15\x03\x03\x00\x02\x02\x50")))
    try:
        preflight.probe(ok.address, None, 5)
        with pytest.raises(ConnectionResetError):
            preflight.probe(closer.address, None, 5)
        with pytest.raises(preflight.NotKafkaAnswer):
            preflight.probe(alerter.address, None, 5)
        assert preflight.connect(Settings(broker=ok.address), timeout=5) == ok.address
        with pytest.raises(preflight.PreflightError, match="WIREWATCH_SECURITY_PROTOCOL=PLAINTEXT"):
            preflight.connect(Settings(broker=closer.address), timeout=5)
    finally:
        for s in (ok, closer, alerter):
            s.close()


def tls_server(certs: Path, require_client_cert: bool) -> Server:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(certs / "ca.pem"))
    context.load_cert_chain(str(certs / "broker.crt"), str(certs / "broker.key"))
    context.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_NONE

    def serve(conn: socket.socket) -> None:
        with context.wrap_socket(conn, server_side=True) as tconn:
            api_versions_answer(tconn)

    return Server(serve)


def test_connect_names_the_setting_for_each_tls_refusal(certs, tmp_path):
    server = tls_server(certs, require_client_cert=True)
    try:
        s = mtls(certs, broker=server.address)
        assert preflight.connect(s, timeout=5) == server.address
        with pytest.raises(preflight.PreflightError, match="is not trusted by WIREWATCH_SSL_CAFILE="):
            preflight.connect(mtls(certs, broker=server.address, ssl_cafile=certs / "other.pem"), timeout=5)
        foreign = tmp_path / "foreign"
        tls.make_ca(foreign, cn="someone else")
        tls.make_leaf(foreign, "worker")
        refused = mtls(certs, broker=server.address, ssl_certfile=foreign / "worker.crt",
                       ssl_keyfile=foreign / "worker.key")
        # Under TLS 1.3 the server's verdict on the certificate comes after the client's
        # handshake: the client sees either the alert or the connection closed at its first
        # request, and both messages name the certificate's setting.
        with pytest.raises(preflight.PreflightError,
                           match=f"(refused|may refuse) the client certificate "
                                 f"WIREWATCH_SSL_CERTFILE={re.escape(str(foreign / 'worker.crt'))}"):
            preflight.connect(refused, timeout=5)
        with pytest.raises(preflight.PreflightError, match="set WIREWATCH_SSL_CERTFILE and WIREWATCH_SSL_KEYFILE"):
            preflight.connect(mtls(certs, broker=server.address, ssl_certfile=None, ssl_keyfile=None), timeout=5)
    finally:
        server.close()


def test_an_unreachable_broker_is_retried_until_the_timeout_and_named():
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]  # closed again: nobody listens there
    started = time.monotonic()
    with pytest.raises(preflight.PreflightError, match=rf"no broker reachable at 127.0.0.1:{port} \(WIREWATCH_BROKER\)"):
        preflight.connect(Settings(broker=f"127.0.0.1:{port}"), timeout=2)
    assert 2 <= time.monotonic() - started < 10
