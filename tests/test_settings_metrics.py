import subprocess
import sys

import pytest
from prometheus_client import generate_latest

from streams.metrics import FigureWindow, Metrics
from streams.settings import SettingsError, load_settings


def test_defaults_and_embedded():
    s = load_settings()
    assert s.embedded and s.topic_articles == "wirewatch.articles" and s.topic_partitions == 4
    s = load_settings(broker="k1:9092, kafka://k2:9093")
    assert not s.embedded and s.bootstrap_servers == ["k1:9092", "k2:9093"]


@pytest.mark.parametrize("env,name", [
    ({"WIREWATCH_BATCH_SIZE": "0"}, "WIREWATCH_BATCH_SIZE"),
    ({"WIREWATCH_TOPIC_PARTITIONS": "many"}, "WIREWATCH_TOPIC_PARTITIONS"),
    ({"WIREWATCH_BROKER": "nohostport"}, "WIREWATCH_BROKER"),
    ({"WIREWATCH_SECURITY_PROTOCOL": "SASL_SSL"}, "WIREWATCH_SASL_USERNAME"),
    ({"WIREWATCH_SECURITY_PROTOCOL": "TLS"}, "WIREWATCH_SECURITY_PROTOCOL"),
    ({"WIREWATCH_RULES_FILE": "/nonexistent/rules.yaml"}, "WIREWATCH_RULES_FILE"),
    ({"WIREWATCH_HEARTBEAT_INTERVAL_SECONDS": "11"}, "WIREWATCH_HEARTBEAT_INTERVAL_SECONDS"),
    ({"WIREWATCH_ALERT_MAX_CLAIM_AGE_DAYS": "0"}, "WIREWATCH_ALERT_MAX_CLAIM_AGE_DAYS"),
    ({"WIREWATCH_ALERT_MAX_CLAIM_AGE_DAYS": "a month"}, "WIREWATCH_ALERT_MAX_CLAIM_AGE_DAYS"),
])
def test_bad_settings_name_the_setting(monkeypatch, env, name):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(SettingsError) as exc:
        load_settings()
    assert name in str(exc.value)


def test_password_never_shows(monkeypatch, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("hunter2-s3cret\n")
    monkeypatch.setenv("WIREWATCH_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("WIREWATCH_SASL_USERNAME", "u")
    monkeypatch.setenv("WIREWATCH_SASL_PASSWORD", "env-s3cret")
    s = load_settings()
    assert "env-s3cret" not in repr(s) and "env-s3cret" not in str(s.model_dump())
    assert s.password() == "env-s3cret"
    monkeypatch.setenv("WIREWATCH_SASL_PASSWORD_FILE", str(secret))
    assert load_settings().password() == "hunter2-s3cret"


def test_metric_names_follow_conventions():
    m = Metrics()
    text = generate_latest(m.registry).decode()
    names = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE wirewatch_")}
    assert "wirewatch_articles_consumed_total" in text
    assert len(names) >= 18
    for name in names:
        kind = next(l.split()[3] for l in text.splitlines() if l.startswith(f"# TYPE {name} "))
        assert (kind == "counter") == name.endswith("_total"), name
        assert not name.endswith(("_ms", "_milliseconds"))
    assert 'wirewatch_build_info{python=' in text and "_created" not in text


def test_claims_counter_has_a_series_per_contract_category():
    from agents.extraction.model import CATEGORIES
    from streams.metrics import CLAIM_CATEGORIES

    assert CLAIM_CATEGORIES == CATEGORIES
    text = generate_latest(Metrics().registry).decode()
    for category in CATEGORIES:
        assert f'wirewatch_casualty_claims_total{{category="{category}"}} 0.0' in text


def test_figure_window_keeps_the_recent_maximum():
    w = FigureWindow()
    w.add("SYR", "killed", 100, at=0)
    w.add("SYR", "killed", 400, at=10)
    w.add("SDN", "killed", 50, at=1000)
    assert w.maxima(window=3600, now=1000) == {("SYR", "killed"): 400, ("SDN", "killed"): 50}
    assert w.maxima(window=300, now=4000) == {}
    for i in range(10_000):
        w.add("IRQ", "injured", i, at=i)
    assert len(w.seen[("IRQ", "injured")]) <= 10_000 // 300 + 1


def test_gauge_drops_countries_that_left_the_window():
    m = Metrics(with_process=False)
    m.observe_figure("SYR", "killed", 100, window=60, now=0)
    m.observe_figure("SDN", "killed", 30, window=60, now=1000)
    m.observe_figure("SDN", "killed", 20, window=60, now=1001)  # lower: the maximum stays
    assert m.figure_max.labels("SDN", "killed")._value.get() == 30
    m.refresh_figures(window=60, now=1002)  # what the worker runs on its timer and before a scrape
    text = generate_latest(m.registry).decode()
    assert 'country="SDN"' in text and 'country="SYR"' not in text
    m.refresh_figures(window=60, now=2000)
    assert "wirewatch_casualty_figure_max{" not in generate_latest(m.registry).decode()


def test_extraction_core_does_not_import_kafka_or_faust():
    code = ("import sys, agents.extraction, agents.extraction.casualties, agents.extraction.events;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('faust', 'kafka', 'aiokafka', 'streams')];"
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_model_is_not_loaded_at_import():
    code = ("import sys, agents.pipeline, streams.app, streams.cli; from agents.extraction import nlp;"
            "sys.exit(1 if nlp._loaded else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
