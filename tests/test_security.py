"""Credentials and data exposure: SASL (PLAIN, SCRAM) and TLS settings reach the
clients, passwords come only from the environment or a mounted file and never show
in the worker's output, its settings or `/metrics`; the HTTP endpoints expose no
article text.

No broker here accepts a SASL login for a user the test can create (Tansu's
`--authentication` needs users created through an authenticated connection), so the
worker is run against Tansu with authentication required, where the SASL handshake
happens and fails, and against an unreachable address; its whole output is searched.
"""
from __future__ import annotations

import os
import ssl
import subprocess
import sys
from pathlib import Path

import click
import pytest
from prometheus_client import generate_latest

from streams.app import broker_credentials, create_app
from streams.broker import BrokerProcess, free_port, tansu_binary
from streams.settings import Settings, load_settings
from streams.topics import kafka_client_config
from tests import harness

PASSWORD = "Pw-7f3c9e1d-do-not-leak"
FILE_PASSWORD = "Pw-file-5b2a-do-not-leak"


def sasl_env(mechanism: str, protocol: str = "SASL_PLAINTEXT", **extra: str) -> dict[str, str]:
    return {"WIREWATCH_SECURITY_PROTOCOL": protocol, "WIREWATCH_SASL_MECHANISM": mechanism,
            "WIREWATCH_SASL_USERNAME": "wirewatch-user", "WIREWATCH_SASL_PASSWORD": PASSWORD, **extra}


@pytest.fixture
def clean_env(monkeypatch):
    for k in list(os.environ):
        if k.startswith("WIREWATCH_"):
            monkeypatch.delenv(k)
    return monkeypatch


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> dict[str, Path]:
    """A throw-away CA and a client certificate signed by it (openssl)."""
    d = tmp_path_factory.mktemp("tls")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=wirewatch-test-ca")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
        "-subj", "/CN=wirewatch-client")
    run("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "client.pem", "-days", "2")
    return {"ca": d / "ca.pem", "cert": d / "client.pem", "key": d / "client.key"}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_settings_reach_both_clients(clean_env, mechanism):
    for k, v in sasl_env(mechanism).items():
        clean_env.setenv(k, v)
    s = load_settings(broker="k1:9092")
    creds = broker_credentials(s)
    assert creds.username == "wirewatch-user" and creds.password == PASSWORD
    assert str(creds.mechanism.value) == mechanism and creds.ssl_context is None
    assert PASSWORD not in repr(creds)
    conf = kafka_client_config(s)
    assert conf["security_protocol"] == "SASL_PLAINTEXT" and conf["sasl_mechanism"] == mechanism
    assert conf["sasl_plain_username"] == "wirewatch-user" and conf["sasl_plain_password"] == PASSWORD
    for shown in (repr(s), str(s), str(s.model_dump()), s.model_dump_json()):
        assert PASSWORD not in shown


def test_password_file_wins_and_is_read_when_used(clean_env, tmp_path):
    secret = tmp_path / "password"
    secret.write_text(FILE_PASSWORD + "\n")
    for k, v in sasl_env("SCRAM-SHA-512", WIREWATCH_SASL_PASSWORD_FILE=str(secret)).items():
        clean_env.setenv(k, v)
    s = load_settings(broker="k1:9092")
    assert s.password() == FILE_PASSWORD
    assert broker_credentials(s).password == FILE_PASSWORD
    assert FILE_PASSWORD not in repr(s) and FILE_PASSWORD not in s.model_dump_json()
    # A rotated secret (Kubernetes updates mounted files in place) is picked up.
    secret.write_text("rotated")
    assert s.password() == "rotated"


def test_tls_settings_build_a_verifying_context(clean_env, tls_files):
    s = Settings(broker="k1:9093", security_protocol="SSL", ssl_cafile=tls_files["ca"],
                 ssl_certfile=tls_files["cert"], ssl_keyfile=tls_files["key"])
    creds = broker_credentials(s)
    ctx = creds.context
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert any(c["subject"][0][0][1] == "wirewatch-test-ca" for c in ctx.get_ca_certs())
    conf = kafka_client_config(s)
    assert conf["ssl_cafile"] == str(tls_files["ca"]) and conf["ssl_certfile"] == str(tls_files["cert"])
    sasl_ssl = Settings(broker="k1:9093", security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-256",
                        sasl_username="u", sasl_password=PASSWORD, ssl_cafile=tls_files["ca"])
    creds = broker_credentials(sasl_ssl)
    assert creds.ssl_context is not None and creds.ssl_context.verify_mode == ssl.CERT_REQUIRED


def test_no_command_line_option_takes_a_secret():
    from streams.cli import main

    for name, command in main.commands.items():
        for param in command.params:
            # An on/off flag (`wirewatch broker --sasl`) takes no value, so it cannot carry one.
            if isinstance(param, click.Option) and not param.is_flag:
                for opt in param.opts:
                    assert not any(w in opt for w in ("password", "secret", "sasl")), (name, opt)


def test_metrics_page_of_a_sasl_app_shows_no_secret(clean_env, tmp_path):
    s = Settings(broker="127.0.0.1:9", security_protocol="SASL_PLAINTEXT", sasl_mechanism="SCRAM-SHA-256",
                 sasl_username="wirewatch-user", sasl_password=PASSWORD, data_dir=tmp_path,
                 web_port=free_port())
    ww = create_app(s)
    page = generate_latest(ww.metrics.registry).decode()
    assert "wirewatch_articles_consumed_total" in page and PASSWORD not in page
    assert PASSWORD not in repr(ww.app.conf.broker_credentials)
    ww.stage.extractor.close()


def run_worker(env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    full.update({"WIREWATCH_LOG_LEVEL": "debug", "WIREWATCH_STARTUP_TIMEOUT_SECONDS": "4", **env})
    return subprocess.run([sys.executable, "-m", "streams", "run", "--web-port", str(free_port())],
                          capture_output=True, text=True, timeout=timeout, env=full, cwd=harness.ROOT)


@pytest.mark.integration
def test_worker_output_never_shows_the_password(tmp_path):
    """Against an unreachable broker and against Tansu requiring authentication
    (the SASL handshake runs and is refused): debug output has no password."""
    secret = tmp_path / "password"
    secret.write_text(FILE_PASSWORD)
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    tansu = BrokerProcess([tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
                           "--storage-engine", "memory://tansu/", "--authentication"], port, "tansu",
                          log_path=tmp_path / "tansu.log")
    with tansu:
        runs = [
            run_worker({**sasl_env("PLAIN"), "WIREWATCH_BROKER": "127.0.0.1:9"}),
            run_worker({**sasl_env("PLAIN"), "WIREWATCH_BROKER": tansu.bootstrap}),
            run_worker({**sasl_env("SCRAM-SHA-256", WIREWATCH_SASL_PASSWORD_FILE=str(secret)),
                        "WIREWATCH_BROKER": tansu.bootstrap}),
        ]
    for r in runs:
        out = r.stdout + r.stderr
        assert r.returncode == 2, out[-2000:]
        assert ("no broker reachable" in out or "could not create topics" in out
                or "check WIREWATCH_SASL_MECHANISM" in out or "rejected SASL user" in out), out[-2000:]
        assert "Traceback" not in r.stderr
        assert PASSWORD not in out and FILE_PASSWORD not in out
    # The PLAIN handshake really reached the broker, which refused the mechanism.
    assert "Sasl" in (tmp_path / "tansu.log").read_text(errors="replace")


MARKER = "Quokkanian"


@pytest.mark.integration
def test_endpoints_expose_no_article_text(broker, tmp_path):
    article = {"id": f"{MARKER}-id-1", "source": f"{MARKER} Daily", "url": f"https://{MARKER}.example/a",
               "title": f"{MARKER} title",
               "text": (f"At least 30 people were killed in {MARKER}ville, Syria on Tuesday, said {MARKER} "
                        f"Rahimi, a spokesman. Russia and {MARKER}stan signed an agreement.")}
    bad = f'{{"text": 5, "title": "{MARKER}"}}'.encode()
    with harness.Worker(broker, tmp_path) as w:
        w.wait_ready()
        harness.publish_kafka_python(broker.bootstrap, [article, bad], w.topics["articles"])
        w.wait_metric("wirewatch_articles_processed_total", 1)
        w.wait_metric("wirewatch_articles_deadlettered_total", 1)
        assert w.metric("wirewatch_casualty_claims_total") >= 1
        for path in ("/metrics", "/livez", "/readyz"):
            status, body = harness.http_get(f"{w.url}{path}")
            assert status in (200, 503) and body, path
            assert MARKER.lower() not in body.lower(), (path, body[:500])
        # The outputs do carry it: the check above is not vacuous.
        claims = harness.consume(broker.bootstrap, w.topics["casualty"], at_least=1)
        assert any(MARKER in c["value"]["sentence"] for c in claims)
