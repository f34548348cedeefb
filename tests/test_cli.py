"""The Kafka-free commands, run as a user would (a subprocess), plus input parsing."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from streams.cli import Fatal, _parse_blob, format_alert

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = {"id": "cli-1", "published_at": "2024-05-03",
           "text": "Gunmen killed 14 villagers in Zamfara state, Nigeria, on Thursday, police said."}


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "streams", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_parse_inputs_in_every_format():
    assert list(_parse_blob(json.dumps(ARTICLE), "f")) == [ARTICLE]
    lines = "\n".join(json.dumps({"text": t}) for t in ("a", "b"))
    assert [a["id"] for a in _parse_blob(lines, "f")] == ["f-1", "f-2"]
    assert list(_parse_blob("Plain words.", "story")) == [{"id": "story", "text": "Plain words."}]
    assert [a["id"] for a in _parse_blob(json.dumps([{"text": "x"}, {"id": "k", "text": "y"}]), "arr")] == \
        ["arr-1", "k"]
    assert list(_parse_blob("   ", "empty")) == []
    with pytest.raises(Fatal, match="line 2"):
        list(_parse_blob('{"text": "a"}\n{oops', "bad"))


def test_alert_lines_are_readable():
    line = format_alert({"severity": "critical", "rule": "mass-casualty", "status": "escalation",
                         "supersedes": "abcdef1234", "summary": "more than 40,000 people killed in Syria",
                         "article": {"id": "seed-000"}, "corroboration": 3})
    assert line == ("[critical] mass-casualty ESCALATION supersedes abcdef12: more than 40,000 people killed "
                    "in Syria (article seed-000, 3 sources)")


@pytest.mark.model
def test_extract_prints_one_json_line_per_article(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ARTICLE))
    r = run("extract", str(f), "-", stdin="Russia condemned the missile test by North Korea.")
    assert r.returncode == 0, r.stderr
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    assert set(first) == {"id", "diplomatic_events", "casualty_claims"}
    claim = first["casualty_claims"][0]
    assert (claim["category"], claim["count"]["low"], claim["location"]["country"]) == ("killed", 14, "NGA")
    assert ARTICLE["text"][claim["span"][0]:claim["span"][1]] == claim["sentence"]
    assert second["id"] == "stdin" and second["casualty_claims"] == []
    again = run("extract", str(f))
    assert json.loads(again.stdout.splitlines()[0])["casualty_claims"][0]["id"] == claim["id"]


@pytest.mark.model
def test_eval_scores_a_gold_file(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ARTICLE))
    gold = {"id": "cli-1", "casualty_claims": [{"category": "killed", "low": 14, "high": None,
                                                "qualifier": "exact", "country": "NGA"}],
            "diplomatic_events": []}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    r = run("eval", str(tmp_path / "gold.jsonl"), "--articles", str(tmp_path / "a.json"), "--json")
    assert r.returncode == 0, r.stderr
    assert "1.0" in r.stdout or "100" in r.stdout


def test_errors_are_messages_not_tracebacks(tmp_path):
    r = run("extract", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    r = run("extract", "--model", "no_such_pipeline", "-", stdin="x")
    assert r.returncode == 2 and "no_such_pipeline" in r.stderr and "Traceback" not in r.stderr
    r = run("publish", "-", stdin="x")
    assert r.returncode != 0 and "WIREWATCH_BROKER" in r.stderr


def test_publish_refuses_input_that_is_not_utf8_in_one_line(tmp_path):
    bad = b'{"id": "x", "text": "caf\xe9 au lait"}\n'
    r = subprocess.run([sys.executable, "-m", "streams", "publish", "--broker", "127.0.0.1:9", "-"], input=bad,
                       capture_output=True, cwd=ROOT, timeout=120)
    err = r.stderr.decode()
    assert r.returncode == 2 and "Traceback" not in err, err
    assert err.strip().count("\n") == 0 and "stdin: not UTF-8 (byte 24, line 1)" in err
    f = tmp_path / "a.jsonl"
    f.write_bytes(b'{"id": "ok", "text": "fine"}\n' + bad)
    r = run("publish", "--broker", "127.0.0.1:9", str(f))
    assert r.returncode == 2 and f"{f}: not UTF-8" in r.stderr and "line 2" in r.stderr


@pytest.mark.integration
def test_publish_reports_a_refused_record_and_publishes_the_rest(tmp_path):
    from kafka import KafkaConsumer

    from streams import broker as brokers

    articles = [{"id": "small-1", "text": "One."}, {"id": "huge", "text": "x" * 1_500_000},
                {"id": "small-2", "text": "Two."}]
    f = tmp_path / "a.jsonl"
    f.write_text("".join(json.dumps(a) + "\n" for a in articles))
    with brokers.tansu(log_path=tmp_path / "tansu.log") as b:
        r = run("publish", "--broker", b.bootstrap, "--topic", "refusals", str(f))
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert "refused: article 'huge'" in r.stderr and "MessageSizeTooLarge" in r.stderr
        assert "published 2 article(s) to refusals; 1 refused" in r.stderr
        c = KafkaConsumer("refusals", bootstrap_servers=b.bootstrap, auto_offset_reset="earliest",
                          group_id=None, enable_auto_commit=False, consumer_timeout_ms=5000)
        keys = sorted(m.key.decode() for m in c)
        c.close()
    assert keys == ["small-1", "small-2"]


def test_records_failed_with_a_refused_neighbour_are_sent_again():
    """The broker refuses a whole batch for one oversized record: only that one is reported."""
    from kafka.errors import MessageSizeTooLargeError

    from streams.cli import _send_all

    class Future:
        def __init__(self, error):
            self.error = error

        def get(self, timeout):
            if self.error:
                raise self.error

    class Producer:
        def __init__(self):
            self.sends, self.delivered = 0, []

        def send(self, topic, key, value):
            self.sends += 1
            if len(value) > 1000:
                return Future(MessageSizeTooLargeError("too large for the broker"))
            if self.sends <= 3:  # the first batch: everything in it fails with the big one
                return Future(MessageSizeTooLargeError("batch refused"))
            self.delivered.append(key)
            return Future(None)

    p = Producer()
    arts = [{"id": "a", "text": "x"}, {"id": "big", "text": "x" * 2000}, {"id": "b", "text": "y"},
            {"id": "c", "text": "z"}]
    refused = _send_all(p, "t", arts)
    assert [i for i, _ in refused] == ["big"] and "too large for the broker" in refused[0][1]
    assert sorted(p.delivered) == [b"a", b"b", b"c"]
