"""JSON Schemas (Draft 2020-12) of every topic's value, generated from the wire records.

`streams/records.py` is the one definition: each field's type, whether it may be null,
its description (a `#:` comment above it) and the record's docstring come from there.
What a Python type cannot say (closed sets of values, bounds, patterns) is added here,
and the closed sets come from where they are defined: the extraction core's
vocabularies, the dead-letter reasons, the alert severities.

A message always carries every field of its record, so every field is required; a
subscriber should still accept fields it does not know (`additionalProperties` is
left open): within a major `schema_version` fields and values are only ever added.
`breaking_changes` says what a new schema takes away from an old one.
"""
from __future__ import annotations

import inspect
import json
import re
import typing
from importlib import resources
from typing import Any

from . import records
from .records import SCHEMA_VERSION

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Topic role (a `TopicNames` field) -> (schema name, record class, title).
TOPICS: dict[str, tuple[str, type, str]] = {
    "articles": ("article", records.ArticleRecord, "wirewatch input article"),
    "diplomatic": ("diplomatic-event", records.DiplomaticEventRecord, "wirewatch diplomatic event"),
    "casualty": ("casualty-claim", records.CasualtyClaimRecord, "wirewatch casualty claim"),
    "alerts_diplomatic": ("alert-diplomatic", records.AlertRecord, "wirewatch alert on diplomatic events"),
    "alerts_casualty": ("alert-casualty", records.AlertRecord, "wirewatch alert on casualty claims"),
    "deadletter": ("dead-letter", records.DeadLetterRecord, "wirewatch dead letter"),
}

_COUNTRY = {"pattern": "^[A-Z]{3}$"}
_PARTIAL_DATE = {"pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
#: RFC 3339 (the `format` alone is only an annotation to most validators).
_TIMESTAMP = {"format": "date-time",
              "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"}


class UnknownTopic(LookupError):
    """No topic of that name (neither as configured nor by default)."""


def _vocabularies() -> dict[str, tuple[str, ...]]:
    from agents.alerts import SEVERITIES
    from agents.extraction.model import CATEGORIES, EVENT_TYPES, MODALITIES, ORGS, QUALIFIERS, ROLES

    from .decode import REASONS

    return {"categories": CATEGORIES, "types": EVENT_TYPES, "modalities": MODALITIES, "orgs": ORGS,
            "qualifiers": QUALIFIERS, "roles": ROLES, "severities": SEVERITIES, "reasons": REASONS}


def _constraints(v: dict[str, tuple[str, ...]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per record class name, per field: keywords added to the generated type."""
    span = {"minItems": 2, "maxItems": 2, "items": {"minimum": 0}}
    confidence = {"minimum": 0, "maximum": 1}
    timestamp = _TIMESTAMP
    version = {"pattern": rf"^{SCHEMA_VERSION.split('.')[0]}\.[0-9]+$"}
    return {
        "ArticleRecord": {"id": {"type": ["string", "integer", "null"]},
                          "text": {"minLength": 1, "pattern": r"\S"},
                          "published_at": {"anyOf": [_TIMESTAMP, {"format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}]}},
        "CountRecord": {"qualifier": {"enum": list(v["qualifiers"])},
                        "low": {"minimum": 0}, "high": {"minimum": 0}},
        "LocationRecord": {"country": _COUNTRY, "lat": {"minimum": -90, "maximum": 90},
                           "lon": {"minimum": -180, "maximum": 180}},
        "PartyRecord": {"country": _COUNTRY, "org": {"enum": list(v["orgs"])},
                        "role": {"enum": list(v["roles"])}},
        "CasualtyClaimRecord": {"category": {"enum": list(v["categories"])},
                                "modality": {"enum": list(v["modalities"])}, "span": span,
                                "confidence": confidence, "extracted_at": timestamp,
                                "date": _PARTIAL_DATE, "schema_version": version},
        "DiplomaticEventRecord": {"type": {"enum": list(v["types"])}, "cameo": {"pattern": "^[0-9]{2,4}$"},
                                  "span": span, "confidence": confidence, "extracted_at": timestamp,
                                  "date": _PARTIAL_DATE, "schema_version": version},
        "AlertRecord": {"severity": {"enum": list(v["severities"])},
                        "status": {"enum": ["new", "escalation", "corroborated"]},
                        "corroboration": {"minimum": 1}, "schema_version": version},
        "DeadLetterRecord": {"reason": {"enum": list(v["reasons"])},
                             "stage": {"enum": ["decode", "extract"]},
                             "value_encoding": {"enum": ["utf-8", "base64", "none"]},
                             "partition": {"minimum": 0}, "offset": {"minimum": 0},
                             "failed_at": timestamp, "schema_version": version},
    }


def _comments(cls: type) -> dict[str, str]:
    """`#:` comments above the fields of a record class, by field name."""
    try:
        lines = inspect.getsource(cls).splitlines()
    except (OSError, TypeError):
        return {}
    out: dict[str, str] = {}
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        m = re.match(r"^([a-z_][a-z0-9_]*)\s*:", stripped)
        if m and pending:
            out[m.group(1)] = " ".join(pending)
        pending = []
    return out


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, records.faust.Record)


def _type_schema(tp: Any, defs: dict[str, Any], constraints: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union:
        inner = [a for a in args if a is not type(None)]
        nullable = len(inner) < len(args)
        if len(inner) != 1:
            raise TypeError(f"unsupported union {tp!r}")
        schema = _type_schema(inner[0], defs, constraints)
        if not nullable:
            return schema
        if "$ref" in schema:
            return {"anyOf": [schema, {"type": "null"}]}
        return {**schema, "type": [schema["type"], "null"]}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0], defs, constraints) if args else {}}
    if origin is dict or tp is dict:
        return {"type": "object"}
    if _is_record(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder: a record met again while being built
            defs[name] = _record_schema(tp, defs, constraints)
        return {"$ref": f"#/$defs/{name}"}
    simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
    if tp in simple:
        return {"type": simple[tp]}
    raise TypeError(f"no JSON Schema type for {tp!r}")


def _record_schema(cls: type, defs: dict[str, Any], constraints: dict[str, Any]) -> dict[str, Any]:
    fields = cls._options.fields
    comments = _comments(cls)
    extra = constraints.get(cls.__name__, {})
    unknown = set(extra) - set(fields)
    if unknown:
        raise TypeError(f"constraints for unknown fields of {cls.__name__}: {sorted(unknown)}")
    props: dict[str, Any] = {}
    for name, tp in fields.items():
        prop = _type_schema(tp, defs, constraints)
        added = dict(extra.get(name, {}))
        if "type" in added:
            prop.pop("type", None)
        if "items" in added and "items" in prop:
            prop["items"] = {**prop["items"], **added.pop("items")}
        if "enum" in added and isinstance(prop.get("type"), list):
            added["enum"] = [*added["enum"], None]  # a nullable closed set also allows null
        prop.update(added)
        if name in comments:
            prop = {"description": comments[name], **prop}
        props[name] = prop
    schema: dict[str, Any] = {"type": "object"}
    doc = inspect.getdoc(cls)
    if doc and cls.__doc__ != records.faust.Record.__doc__:
        schema["description"] = " ".join(doc.split())
    if cls is records.ArticleRecord:
        required = [n for n in fields if n == "text"]
    else:
        required = list(fields)
    schema.update(properties=props, required=required)
    return schema


def schema_for(role: str) -> dict[str, Any]:
    """The JSON Schema of the values on the topic with this role (a `TopicNames` field)."""
    try:
        name, cls, title = TOPICS[role]
    except KeyError:
        raise UnknownTopic(role) from None
    constraints = _constraints(_vocabularies())
    defs: dict[str, Any] = {}
    body = _record_schema(cls, defs, constraints)
    schema: dict[str, Any] = {"$schema": DIALECT,
                              "$id": f"urn:wirewatch:schema:{name}:{SCHEMA_VERSION.split('.')[0]}",
                              "title": title, "x-schema-version": SCHEMA_VERSION, **body}
    if role.startswith("alerts_"):
        kind = role.removeprefix("alerts_")
        schema["properties"]["kind"] = {**schema["properties"]["kind"], "const": kind}
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """Schema name -> schema, for every topic."""
    return {TOPICS[role][0]: schema_for(role) for role in TOPICS}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def role_of(topic: str, names: Any = None) -> str:
    """The role of `topic`: a configured name (`names`, a `TopicNames`), a default name or a role."""
    from .settings import Settings

    if topic in TOPICS:
        return topic
    defaults = {role: Settings.model_fields[f"topic_{role}"].default for role in TOPICS}
    for table in ([names.__dict__] if names is not None else []) + [defaults]:
        for role, name in table.items():
            if name == topic and role in TOPICS:
                return role
    raise UnknownTopic(topic)


# --- releases ----------------------------------------------------------------------

def snapshot_versions() -> list[str]:
    """Package versions with a committed snapshot of the schemas, oldest first."""
    root = resources.files("streams").joinpath("schema_releases")
    found = [p.name for p in root.iterdir() if p.is_dir() and re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", p.name)]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def write_snapshot(root: Any = None) -> list[str]:
    """Write the generated schemas as this package version's release snapshot; the paths written."""
    from pathlib import Path

    from . import __version__

    folder = Path(root or Path(__file__).resolve().parent / "schema_releases") / __version__
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        (folder / f"{name}.json").write_text(dumps(schema), encoding="utf-8")
        written.append(str(folder / f"{name}.json"))
    return written


def snapshot(version: str) -> dict[str, dict[str, Any]]:
    """The schemas as released in package `version`, by schema name."""
    root = resources.files("streams").joinpath("schema_releases", version)
    return {p.name.removesuffix(".json"): json.loads(p.read_text(encoding="utf-8"))
            for p in root.iterdir() if p.name.endswith(".json")}


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _types(schema: dict[str, Any], root: dict[str, Any]) -> set[str]:
    if "anyOf" in schema and all("format" in s for s in schema["anyOf"]):
        schema = {k: v for k, v in schema.items() if k != "anyOf"}
    if "anyOf" in schema:
        return set().union(*(_types(_resolve(s, root), root) for s in schema["anyOf"]))
    t = _resolve(schema, root).get("type")
    return set(t) if isinstance(t, list) else {t} if t else set()


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What `new` takes away from `old`: removed or no longer required fields, changed types,
    values dropped from a closed set, constraints added to a field. Empty when `new` only adds."""
    problems: list[str] = []

    def walk(o: dict[str, Any], n: dict[str, Any], where: str) -> None:
        o, n = _resolve(o, old), _resolve(n, new)
        ot, nt = _types(o, old), _types(n, new)
        if ot and nt and ot != nt:
            problems.append(f"{where}: type {sorted(ot)} became {sorted(nt)}")
        if "enum" in n:
            dropped = [x for x in o.get("enum", []) if x not in n["enum"]] if "enum" in o else ["(any value)"]
            if dropped:
                problems.append(f"{where}: values {dropped} no longer allowed")
        if "const" in n and o.get("const") != n["const"]:
            problems.append(f"{where}: now fixed to {n['const']!r}")
        for key in ("pattern", "format", "minimum", "maximum", "minItems", "maxItems", "minLength"):
            if key in n and n.get(key) != o.get(key):
                problems.append(f"{where}: {key} {o.get(key)!r} became {n[key]!r}")
        o_props, n_props = o.get("properties", {}), n.get("properties", {})
        for field in o_props:
            if field not in n_props:
                problems.append(f"{where}.{field}: removed")
            else:
                walk(o_props[field], n_props[field], f"{where}.{field}")
        for field in set(o.get("required", [])) - set(n.get("required", [])):
            problems.append(f"{where}.{field}: no longer required")
        if "items" in o and "items" in n:
            walk(o["items"], n["items"], f"{where}[]")

    walk(old, new, old.get("title", "$"))
    return problems


if __name__ == "__main__":  # python -m streams.schemas: refresh this release's snapshot
    for path in write_snapshot():
        print(path)
