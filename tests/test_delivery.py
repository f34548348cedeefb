"""Delivery guarantees: at-least-once is what wirewatch offers; exactly-once is refused.

docs/delivery.md has the evidence. The integration test below repeats the experiment
of `benchmarks/exactly_once.py` on Apache Kafka: a worker whose Faust app runs with
`processing_guarantee="exactly_once"` is killed with SIGKILL before its first commit,
so every article it processed is processed again by its successor. Were the outputs
part of Kafka transactions, the killed worker's transactions would be aborted and a
`read_committed` consumer would see each claim once. It sees them twice: the output
topics hold no transactional batch at all. The day a Faust release writes them inside
its transactions, this test fails, and the refusal of the setting is to be revisited.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from argparse import Namespace

import pytest

from streams.settings import EXACTLY_ONCE_REFUSED, SettingsError, load_settings
from tests import harness


def test_at_least_once_is_the_default_and_reaches_faust():
    from streams.app import create_app

    s = load_settings(broker="127.0.0.1:9")
    assert s.processing_guarantee == "at_least_once"
    ww = create_app(s, extractor=_Unloaded())
    assert ww.app.conf.processing_guarantee.value == "at_least_once"


@pytest.mark.parametrize("value", ["exactly_once", "EXACTLY_ONCE", " exactly_once "])
def test_exactly_once_is_refused_naming_the_setting(monkeypatch, value):
    monkeypatch.setenv("WIREWATCH_PROCESSING_GUARANTEE", value)
    with pytest.raises(SettingsError) as exc:
        load_settings()
    message = str(exc.value)
    assert "WIREWATCH_PROCESSING_GUARANTEE" in message and "exactly_once is not supported" in message
    assert "docs/delivery.md" in message and "at_least_once" in message


def test_an_unknown_guarantee_is_refused(monkeypatch):
    monkeypatch.setenv("WIREWATCH_PROCESSING_GUARANTEE", "at_most_once")
    with pytest.raises(SettingsError, match="WIREWATCH_PROCESSING_GUARANTEE: 'at_most_once' is not"):
        load_settings()


def test_the_worker_refuses_exactly_once_at_start():
    env = {**os.environ, "WIREWATCH_BROKER": "127.0.0.1:9", "WIREWATCH_PROCESSING_GUARANTEE": "exactly_once"}
    r = subprocess.run([sys.executable, "-m", "streams", "run"], capture_output=True, text=True, timeout=120,
                       env=env, cwd=harness.ROOT)
    assert r.returncode == 2, r.stderr[-2000:]
    assert "WIREWATCH_PROCESSING_GUARANTEE" in r.stderr and "Traceback" not in r.stderr
    assert EXACTLY_ONCE_REFUSED.split(":")[0] in r.stderr


def test_the_documented_evidence_is_where_the_message_points():
    doc = harness.ROOT / "docs" / "delivery.md"
    assert doc.is_file()
    text = doc.read_text(encoding="utf-8")
    assert "read_committed" in text and "benchmarks/exactly_once.py" in text


class _Unloaded:
    """An extractor that is never loaded: create_app only wires it."""

    loaded = False
    model_label = "none-0"


@pytest.mark.integration
def test_faust_exactly_once_does_not_cover_the_outputs(tmp_path):
    sys.path.insert(0, str(harness.ROOT / "benchmarks"))
    try:
        import exactly_once as experiment
    finally:
        sys.path.pop(0)
    args = Namespace(guarantee="exactly_once", articles=200, version=None, nodes=1, kill_at=0.2,
                     commit_interval=45.0, repeat=1, timeout=360.0, ready_timeout=180.0, settle=5.0, quiet=90.0,
                     workdir=str(tmp_path))
    report = experiment.experiment(args)
    r = report["rounds"][0]
    print("\n" + json.dumps(r, indent=1)[:6000])
    seen = r["read_committed"]
    # The kill landed before the first commit: everything processed was inside open transactions.
    assert all(offset < 0 for offset in r["committed_at_kill"].values()), r["committed_at_kill"]
    assert r["processed_before_kill"] >= 40, r
    # Every claim arrived (the repeats carry the same deterministic ids). Alerts may be
    # missing: a candidate's transaction can abort while its article's offset commits.
    assert seen["missing_articles"] == 0 and seen["distinct_claims"] == args.articles, seen
    # Faust's transactions held the internal topics only; the outputs were written outside them.
    batches = r["batches"]
    assert batches["alert_candidates"].get("transactional_data", 0) > 0, batches
    assert batches["alert_candidates"].get("transactional_control", 0) > 0, batches
    assert batches["casualty"].get("plain_data", 0) > 0, batches
    for topic in ("casualty", "alerts_casualty"):
        assert not batches[topic].get("transactional_data") and not batches[topic].get("transactional_control"), \
            batches
    # So a read_committed consumer sees every article the killed worker had processed twice.
    assert seen["extra_claim_copies"] >= r["processed_before_kill"], seen
    assert seen["extra_claim_copies"] == r["read_uncommitted"]["extra_claim_copies"], r
    print(f"\n[apache-kafka {report['kafka']}] Faust exactly_once, kill -9 before the first commit: "
          f"{r['processed_before_kill']} processed before the kill, {seen['extra_claim_copies']} claims "
          f"read twice by read_committed, {seen['articles_without_alert']} articles without an alert, "
          f"batches {batches}, transactions {r['transactions']}")
