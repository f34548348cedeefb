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
