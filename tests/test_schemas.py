"""The topics' JSON Schemas: generated from the wire records, valid, released, additive."""
import copy
import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from agents.convert import claim_record, event_record
from agents.extraction.model import CATEGORIES, CasualtyClaim, Count, DiplomaticEvent, Location, Party
from agents.pipeline import dead_letter
from streams import __version__, records, schemas
from streams.cli import main
from streams.decode import _KNOWN, Article
from streams.records import SCHEMA_VERSION, AlertRecord, ArticleRef


def validator(role):
    return Draft202012Validator(schemas.schema_for(role), format_checker=FormatChecker())


def wire(record):
    return json.loads(record.dumps())


ARTICLE = Article(id="a-1", text="Ten people were killed in Aleppo.", url="https://example.org/1",
                  source="Example", published_at="2012-12-28T10:00:00Z")
CLAIM = CasualtyClaim(category="killed", count=Count(10, None, "exact", "Ten"),
                      sentence="Ten people were killed in Aleppo.", span=(0, 33), victims="people",
                      location=Location("Aleppo", "SYR", 36.2, 37.16), date="2012-12", id="c1")
EVENT = DiplomaticEvent(type="ACCUSE", cameo="112", actor=Party("Russia", "Russia", "RUS", None, "GOV"),
                        sentence="Russia accused NATO.", span=(0, 20),
                        target=Party("NATO", None, None, "NAT", None), trigger="accused", id="e1")


@pytest.mark.parametrize("role", list(schemas.TOPICS))
def test_every_schema_is_valid_draft_2020_12(role):
    schema = schemas.schema_for(role)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["x-schema-version"] == SCHEMA_VERSION


def test_records_from_the_pipeline_validate():
    validator("casualty").validate(wire(claim_record(CLAIM, ARTICLE, "m-1", "2026-01-01T00:00:00.000Z")))
    validator("diplomatic").validate(wire(event_record(EVENT, ARTICLE, "m-1", "2026-01-01T00:00:00.000Z")))

    class Msg:
        topic, partition, offset, timestamp, key, value = "t", 1, 9, 1.0, None, b"\xff\x00"

    validator("deadletter").validate(wire(dead_letter("invalid_utf8", "bad", "decode", Msg)))
    alert = AlertRecord(alert_id="x", dedupe_key="k", rule="r", severity="warning", status="new",
                        kind="casualty", summary="s", corroboration=1, sources=["s"], supersedes=None,
                        records=[{}], article=ArticleRef(id="a", url=None, source=None, published_at=None,
                                                         title=None), first_seen=1.0, raised_at=2.0)
    validator("alerts_casualty").validate(wire(alert))
    # The kind is fixed per alert topic: a casualty alert on the diplomatic topic is wrong.
    assert not validator("alerts_diplomatic").is_valid(wire(alert))


def test_every_category_is_allowed_and_others_are_not():
    claim = wire(claim_record(CLAIM, ARTICLE, "m-1", "2026-01-01T00:00:00.000Z"))
    v = validator("casualty")
    for category in CATEGORIES:
        assert v.is_valid({**claim, "category": category})
    assert not v.is_valid({**claim, "category": "exploded"})
    assert not v.is_valid({**claim, "span": [3]})
    assert not v.is_valid({**claim, "confidence": 1.5})
    assert not v.is_valid({**claim, "date": "December 2012"})
    assert not v.is_valid({**claim, "schema_version": "2.0"})
    assert not v.is_valid({k: x for k, x in claim.items() if k != "count"})
    assert v.is_valid({**claim, "a_field_added_later": 1})  # subscribers accept new fields


def test_input_articles():
    v = validator("articles")
    assert v.is_valid({"text": "Hello.", "id": 12, "published_at": "2012-12-28"})
    assert v.is_valid({"text": "Hello.", "published_at": "2012-12-28T10:00:00Z", "language": "fr"})
    assert not v.is_valid({"title": "no text"})
    assert not v.is_valid({"text": "   "})
    assert not v.is_valid({"text": "a", "published_at": "last week"})
    # The schema and the decoder agree on the fields of an article.
    assert set(records.ArticleRecord._options.fields) - {"schema_version"} == _KNOWN


def test_every_topic_record_carries_the_schema_version():
    for role, (_, cls, _) in schemas.TOPICS.items():
        assert list(cls._options.fields)[-1] == "schema_version", role
    assert wire(claim_record(CLAIM, ARTICLE, "m", "2026-01-01T00:00:00Z"))["schema_version"] == SCHEMA_VERSION


def test_this_release_has_a_snapshot_of_every_schema():
    assert __version__ in schemas.snapshot_versions(), \
        f"no schema snapshot for {__version__}: run python -m streams.schemas"
    assert set(schemas.snapshot(__version__)) == set(schemas.all_schemas())


def test_the_snapshot_writer_writes_what_is_generated(tmp_path):
    schemas.write_snapshot(tmp_path)
    for name, schema in schemas.all_schemas().items():
        assert json.loads((tmp_path / __version__ / f"{name}.json").read_text()) == schema


def test_schemas_only_grow_within_a_major_version():
    generated = schemas.all_schemas()
    major = SCHEMA_VERSION.split(".")[0]
    versions = schemas.snapshot_versions()
    assert versions
    for version in versions:
        for name, old in schemas.snapshot(version).items():
            if old["x-schema-version"].split(".")[0] != major:
                continue
            assert name in generated, f"schema {name} of {version} is gone"
            assert schemas.breaking_changes(old, generated[name]) == [], (version, name)


def test_breaking_changes_are_found():
    old = schemas.schema_for("casualty")
    assert schemas.breaking_changes(old, old) == []
    added = copy.deepcopy(old)
    added["properties"]["new_field"] = {"type": "string"}
    added["required"].append("new_field")
    added["properties"]["category"]["enum"].append("starved")
    assert schemas.breaking_changes(old, added) == []

    def changed(edit):
        new = copy.deepcopy(old)
        edit(new)
        return schemas.breaking_changes(old, new)

    assert changed(lambda s: s["properties"].pop("victims")) == ["wirewatch casualty claim.victims: removed"]
    assert changed(lambda s: s["properties"]["cumulative"].update(type="string"))
    assert changed(lambda s: s["properties"]["category"]["enum"].remove("killed"))
    assert changed(lambda s: s["required"].remove("sentence"))
    assert changed(lambda s: s["$defs"]["CountRecord"]["properties"].pop("qualifier"))
    assert changed(lambda s: s["properties"]["sentence"].update(maxLength=5) or
                   s["properties"]["sentence"].update(pattern="^x"))


def test_schema_command_prints_the_topic_schema(monkeypatch):
    runner = CliRunner()
    r = runner.invoke(main, ["schema", "wirewatch.events.casualty"])
    assert r.exit_code == 0 and json.loads(r.output) == schemas.schema_for("casualty")
    monkeypatch.setenv("WIREWATCH_TOPIC_ALERTS_CASUALTY", "ops.alerts")
    r = runner.invoke(main, ["schema", "ops.alerts"])
    assert r.exit_code == 0 and json.loads(r.output)["title"] == "wirewatch alert on casualty claims"
    r = runner.invoke(main, ["schema", "wirewatch.alerts.casualty"])  # the default name still works
    assert r.exit_code == 0
    r = runner.invoke(main, ["schema"])
    assert r.exit_code == 0 and "ops.alerts\talert-casualty" in r.output
    r = runner.invoke(main, ["schema", "wirewatch.nothing"])
    assert r.exit_code == 2 and "no topic 'wirewatch.nothing'" in r.output


def test_the_integration_consumers_check_every_message():
    from tests import harness

    claim = wire(claim_record(CLAIM, ARTICLE, "m-1", "2026-01-01T00:00:00.000Z"))
    harness.check_schema("ww-1.events.casualty", claim)
    harness.check_schema("ww-1-alert-candidates", {"anything": 1})  # internal: no schema
    with pytest.raises(AssertionError, match="category"):
        harness.check_schema("ww-1.events.casualty", {**claim, "category": "exploded"})
