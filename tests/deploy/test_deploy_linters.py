"""The linters of the communities that read our files: `asyncapi validate` on the AsyncAPI
document and Cloudflare's pint on the Prometheus rules (Grafana's dashboard linter cannot be
built here: deploy/LINTERS.md says why). Each check also runs on a broken copy, to show it
would fail."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
NODE_TOOLS = DEPLOY / "tools"
INSTALL_HINT = "run `bash scripts/deploy-tools.sh`"
ASYNCAPI_DOC = DEPLOY / "asyncapi.yaml"
RULES = REPO / "helm" / "wirewatch" / "files" / "prometheus" / "rules.yaml"
PINT_CONFIG = DEPLOY / "prometheus" / "pint.hcl"


def _tool(path: Path) -> str:
    if not path.exists():
        pytest.fail(f"{path.name} is not installed: {INSTALL_HINT}")
    return str(path)


def asyncapi_validate(tools, doc: Path, tmp_path: Path):
    # No usage metrics sent from CI (the CLI reads this file before each command).
    settings = tmp_path / "asyncapi-analytics.json"
    settings.write_text(json.dumps({"analyticsEnabled": "false", "infoMessageShown": "true", "userID": "ci"}))
    return tools.run([_tool(NODE_TOOLS / "node_modules" / ".bin" / "asyncapi"), "validate", str(doc),
                      "--fail-severity=info", "--diagnostics-format=text"],
                     env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path),
                          "ASYNCAPI_METRICS_CONFIG_PATH": str(settings), "CI": "true"})


def test_asyncapi_validate_accepts_the_document(tools, tmp_path):
    result = asyncapi_validate(tools, ASYNCAPI_DOC, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is valid" in result.stdout and "don't have governance issues" in result.stdout


def test_asyncapi_validate_rejects_a_broken_copy(tools, tmp_path):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "streams").symlink_to(REPO / "streams")  # the schemas the document references
    broken = tmp_path / "deploy" / "asyncapi.yaml"
    broken.write_text(ASYNCAPI_DOC.read_text().replace("action: receive", "action: consume", 1))
    result = asyncapi_validate(tools, broken, tmp_path)
    assert result.returncode != 0 and "action" in result.stdout + result.stderr


def test_the_document_describes_every_topic_with_its_released_schema():
    from streams import __version__, schemas
    from streams.settings import Settings

    doc = yaml.safe_load(ASYNCAPI_DOC.read_text())
    assert doc["info"]["version"] == __version__
    channels = {c["address"]: c for c in doc["channels"].values()}
    for role, (name, _, _) in schemas.TOPICS.items():
        topic = Settings.model_fields[f"topic_{role}"].default
        assert topic in channels, f"no channel for {topic}"
        channel = channels[topic]
        assert channel["bindings"]["kafka"]["topic"] == topic
        assert channel["bindings"]["kafka"]["partitions"] == Settings.model_fields["topic_partitions"].default
        (ref,) = [m["$ref"] for m in channel["messages"].values()]
        message = doc["components"]["messages"][ref.rsplit("/", 1)[1]]
        schema_ref = message["payload"]["schema"]["$ref"]
        assert schema_ref == f"../streams/schema_releases/{__version__}/{name}.json"
        assert (ASYNCAPI_DOC.parent / schema_ref).resolve().is_file()
        assert message["bindings"]["kafka"]["key"]["type"] == "string"
    senders = {o["channel"]["$ref"] for o in doc["operations"].values() if o["action"] == "send"}
    assert len(senders) == len(schemas.TOPICS) - 1  # the worker sends on all but the input
    (reader,) = [o for o in doc["operations"].values() if o["action"] == "receive"]
    assert reader["bindings"]["kafka"]["groupId"]["default"] == Settings.model_fields["app_id"].default


def pint(tools, rules: Path):
    return tools.run([_tool(DEPLOY / ".tools" / "go" / "bin" / "pint"), "--no-color", "--offline",
                      "--config", str(PINT_CONFIG), "lint", "--min-severity=info", "--fail-on=info",
                      str(rules)])


def test_pint_finds_nothing_in_the_rules(tools):
    result = pint(tools, RULES)
    findings = [ln for ln in result.stdout.splitlines() + result.stderr.splitlines()
                if re.match(r"^(Bug|Warning|Information|Fatal)", ln)]
    assert result.returncode == 0 and not findings, result.stdout + result.stderr


def test_pint_catches_a_bad_rule(tools, tmp_path):
    bad = tmp_path / "rules.yaml"
    text = RULES.read_text()
    text = text.replace("severity: critical", "severity: urgent", 1)
    text = text.replace("rate(wirewatch_articles_consumed_total", "rate(wirewatch_articles_consumed_total[5m]", 1)
    bad.write_text(text)
    result = pint(tools, bad)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "rule/label" in out and "promql/syntax" in out, out
