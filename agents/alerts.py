"""Alert rules: loading and validating the rules file, matching records, de-duplicating.

Kafka-free. The Faust agents feed matches through `decide`, which keeps per-group
state in a plain dict (stored in a Faust table by the caller) so that fifty outlets
repeating one toll raise one alert and a corroboration count, and a higher figure
for the same place and category raises an escalation that names what it supersedes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .extraction.model import CATEGORIES, EVENT_TYPES, MODALITIES, ORGS, ROLES, CasualtyClaim, DiplomaticEvent
from .extraction.dates import ends_before
from .wording import in_sentence

SEVERITIES = ("info", "warning", "critical")


class RulesError(ValueError):
    """The rules file is invalid; the message names the file, line and problem."""


@dataclass(frozen=True)
class CasualtyRule:
    name: str
    severity: str
    categories: frozenset[str] = frozenset(CATEGORIES)
    min_count: int = 1
    max_count: int | None = None
    countries: frozenset[str] | None = None
    modalities: frozenset[str] = frozenset({"asserted", "disputed"})
    #: Match claims about an earlier incident the article recalls (`background: true`) too.
    background: bool = False
    #: Ignore claims dated more than this many days before the article's publication;
    #: None: the worker's WIREWATCH_ALERT_MAX_CLAIM_AGE_DAYS.
    max_age_days: int | None = None

    def matches(self, claim: CasualtyClaim, published: date | None = None,
                max_age_days: int | None = None) -> bool:
        figure = claim.count.key
        country = claim.location.country if claim.location else None
        age_limit = self.max_age_days if self.max_age_days is not None else max_age_days
        return (claim.category in self.categories and figure is not None and figure >= self.min_count
                and (self.max_count is None or figure <= self.max_count)
                and claim.modality in self.modalities
                and (self.countries is None or country in self.countries)
                and (self.background or not claim.background)
                and (age_limit is None or not dated_before(claim.date, published or date.today(),
                                                           age_limit)))


def dated_before(day: str | None, reference: date, days: int) -> bool:
    """True if the claim's date ends more than `days` days before `reference`; an
    undated or unreadable claim is never too old."""
    return ends_before(day, reference, days)


@dataclass(frozen=True)
class DiplomaticRule:
    name: str
    severity: str
    types: frozenset[str] = frozenset(EVENT_TYPES)
    actors: frozenset[str] | None = None
    targets: frozenset[str] | None = None
    target_roles: frozenset[str] | None = None
    planned: bool | None = None
    #: Page only on events whose target resolved to a country or organisation code.
    require_target: bool = True

    def matches(self, event: DiplomaticEvent) -> bool:
        target = event.target
        return (event.type in self.types
                and (not self.require_target or (target is not None and target.code is not None))
                and (self.actors is None or event.actor.code in self.actors)
                and (self.targets is None or (target is not None and target.code in self.targets))
                and (self.target_roles is None or (target is not None and target.role in self.target_roles))
                and (self.planned is None or event.planned == self.planned))


@dataclass(frozen=True)
class Rules:
    casualty: tuple[CasualtyRule, ...] = ()
    diplomatic: tuple[DiplomaticRule, ...] = ()

    @property
    def names(self) -> list[str]:
        return [r.name for r in (*self.casualty, *self.diplomatic)]


# --- loading ---------------------------------------------------------------------

def _is_code(value: str) -> bool:
    return len(value) == 3 and value.isalpha() and value.isupper()


_COMMON = {"name": "str", "severity": "severity"}
_CASUALTY_KEYS = {**_COMMON, "categories": "categories", "min_count": "count", "max_count": "count",
                  "countries": "countries",
                  "modalities": "modalities", "background": "bool", "max_age_days": "count",
                  "description": "text"}
_DIPLOMATIC_KEYS = {**_COMMON, "types": "types", "actors": "codes", "targets": "codes",
                    "target_roles": "roles", "planned": "bool", "require_target": "bool",
                    "description": "text"}
_LISTS = {"categories": CATEGORIES, "modalities": MODALITIES, "types": EVENT_TYPES, "roles": ROLES}


def _fail(source: str, node: yaml.Node, problem: str) -> RulesError:
    return RulesError(f"{source}:{node.start_mark.line + 1}: {problem}")


def _scalar(source: str, node: yaml.Node, what: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(source, node, f"{what} must be a single value")
    return yaml.safe_load(yaml.serialize(node))


def _value(source: str, key: str, kind: str, node: yaml.Node) -> Any:
    if kind in ("str", "text"):
        value = _scalar(source, node, key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(source, node, f"'{key}' must be a non-empty string")
        return value.strip()
    if kind == "severity":
        value = _scalar(source, node, key)
        if value not in SEVERITIES:
            raise _fail(source, node, f"severity {value!r} is not one of {', '.join(SEVERITIES)}")
        return value
    if kind == "count":
        value = _scalar(source, node, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _fail(source, node, f"'{key}' must be a whole number of at least 1, got {value!r}")
        return value
    if kind == "bool":
        value = _scalar(source, node, key)
        if not isinstance(value, bool):
            raise _fail(source, node, f"'{key}' must be true or false, got {value!r}")
        return value
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise _fail(source, node, f"'{key}' must be a non-empty list")
    items = []
    for item in node.value:
        value = _scalar(source, item, f"an item of '{key}'")
        if kind in _LISTS:
            if value not in _LISTS[kind]:
                raise _fail(source, item, f"{value!r} in '{key}' is not one of {', '.join(_LISTS[kind])}")
        elif kind == "countries":
            if not isinstance(value, str) or not _is_code(value):
                raise _fail(source, item, f"{value!r} in '{key}' is not an ISO 3166 alpha-3 code")
        elif kind == "codes":
            if not isinstance(value, str) or not (_is_code(value) or value in ORGS):
                raise _fail(source, item, f"{value!r} in '{key}' is not a country or organisation code")
        items.append(value)
    return frozenset(items)


def _rule(source: str, section: str, node: yaml.Node) -> dict[str, Any]:
    keys = _CASUALTY_KEYS if section == "casualty" else _DIPLOMATIC_KEYS
    if not isinstance(node, yaml.MappingNode):
        raise _fail(source, node, f"each {section} rule must be a mapping")
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in keys:
            raise _fail(source, key_node, f"unknown key '{key}' in a {section} rule; "
                                          f"allowed: {', '.join(sorted(keys))}")
        out[key] = _value(source, key, keys[key], value_node)
    for required in ("name", "severity"):
        if required not in out:
            raise _fail(source, node, f"{section} rule is missing '{required}'")
    if out.get("max_count") is not None and out["max_count"] < out.get("min_count", 1):
        raise _fail(source, node, f"rule '{out['name']}': max_count is below min_count")
    out.pop("description", None)
    return out


def parse_rules(text: str, source: str = "<rules>") -> Rules:
    """Parse and validate rules YAML; raise `RulesError` naming the line and problem."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark else "?"
        raise RulesError(f"{source}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if root is None:
        raise RulesError(f"{source}:1: the rules file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise _fail(source, root, "the rules file must be a mapping with 'casualty' and/or 'diplomatic'")
    sections: dict[str, list[Any]] = {"casualty": [], "diplomatic": []}
    names: set[str] = set()
    for key_node, value_node in root.value:
        section = key_node.value
        if section not in sections:
            raise _fail(source, key_node, f"unknown section '{section}'; expected 'casualty' or 'diplomatic'")
        if not isinstance(value_node, yaml.SequenceNode):
            raise _fail(source, value_node, f"'{section}' must be a list of rules")
        for item in value_node.value:
            fields = _rule(source, section, item)
            if fields["name"] in names:
                raise _fail(source, item, f"duplicate rule name '{fields['name']}'")
            names.add(fields["name"])
            rule_cls = CasualtyRule if section == "casualty" else DiplomaticRule
            sections[section].append(rule_cls(**fields))
    return Rules(tuple(sections["casualty"]), tuple(sections["diplomatic"]))


def load_rules(path: Path | str | None = None) -> Rules:
    """Rules from `path`, or the shipped defaults when `path` is None."""
    if path is None:
        text = resources.files("agents").joinpath("rules", "default.yaml").read_text(encoding="utf-8")
        return parse_rules(text, "default.yaml")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{p}: cannot read the rules file: {exc.strerror}") from None
    return parse_rules(text, str(p))


# --- matching and de-duplication ---------------------------------------------------

@dataclass(frozen=True)
class Match:
    """A rule that matched one record."""

    kind: str
    rule: str
    severity: str
    group_key: str
    figure: int | None
    summary: str


def _summary_claim(c: CasualtyClaim) -> str:
    where = ""
    if c.location is not None:
        where = f" in {c.location.text}" + (f" ({c.location.country})" if c.location.country else "")
    victims = f" {c.victims}" if c.victims else ""
    who = f", according to {in_sentence(c.reported_by)}" if c.reported_by else ""
    when = f" on {c.date}" if c.date else ""
    return f"{c.count.text}{victims} {c.category}{where}{when}{who}"


def _party(p: Any) -> str:
    if p is None:
        return "-"
    return f"{p.name or p.text} ({p.code or '?'}{'/' + p.role if p.role else ''})"


def _summary_event(e: DiplomaticEvent) -> str:
    planned = " [planned]" if e.planned else ""
    return f"{_party(e.actor)} {e.type} {_party(e.target)}{planned}: {e.trigger or ''}".rstrip(": ")


def match_claim(rules: Rules, claim: CasualtyClaim, published: date | None = None,
                max_age_days: int | None = None) -> list[Match]:
    """The casualty rules `claim` matches. Background claims match only rules that ask for
    them; a claim dated more than the rule's `max_age_days` (else `max_age_days` here)
    before `published` (else today) matches none."""
    country = (claim.location.country if claim.location else None) or "UNK"
    return [Match("casualty", r.name, r.severity, f"{r.name}|{claim.category}|{country}",
                  claim.count.key, _summary_claim(claim))
            for r in rules.casualty if r.matches(claim, published, max_age_days)]


def match_event(rules: Rules, event: DiplomaticEvent) -> list[Match]:
    actor, kind, target = event.key
    return [Match("diplomatic", r.name, r.severity, f"{r.name}|{actor}|{kind}|{target or '-'}",
                  None, _summary_event(event))
            for r in rules.diplomatic if r.matches(event)]


def alert_id(dedupe_key: str, first_article: str) -> str:
    return hashlib.sha256(f"{dedupe_key}\x1f{first_article}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Decision:
    """What to publish for one match: nothing, or an alert with this status."""

    status: str | None  # new | escalation | corroborated | None
    alert_id: str | None = None
    dedupe_key: str | None = None
    corroboration: int = 0
    sources: tuple[str, ...] = ()
    supersedes: str | None = None
    first_seen: float = 0.0


@dataclass
class GroupState:
    """The alerts raised for one group key within the window (stored as a dict)."""

    alerts: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_value(cls, value: dict[str, Any] | None) -> "GroupState":
        """A working copy of a stored value: deciding on it leaves the stored value as it was.

        The table keeps the very dicts it was given; a shallow copy let `decide` record a
        source in the stored state before that source's alert was acknowledged. Had the
        publication then failed, the state written next would have held the source, and
        the redelivered candidate would have raised nothing: its alert lost.
        """
        alerts = (value or {}).get("alerts", [])
        return cls(alerts=[{**a, "sources": list(a.get("sources", []))} for a in alerts])

    def to_value(self) -> dict[str, Any]:
        return {"alerts": self.alerts}


def decide(state: GroupState, match: Match, *, source: str, article_id: str, now: float,
           window: float, max_sources: int = 50) -> Decision:
    """Update `state` with `match` and say what to publish.

    Alerts seen last before `now - window` are forgotten. For casualty groups
    (rule + category + country) the figure tells a repeat (same figure) from an
    escalation (a figure above every alert in the window); a lower figure is an
    older or partial toll and raises nothing. A diplomatic group has one alert.
    A repeat from a source not seen yet raises the corroboration count.
    """
    state.alerts = [a for a in state.alerts if now - a["last_seen"] <= window]
    figure_key = match.figure if match.kind == "casualty" else None
    dedupe_key = f"{match.group_key}|{figure_key}" if figure_key is not None else match.group_key
    same = next((a for a in state.alerts if a["dedupe_key"] == dedupe_key), None)
    if same is not None:
        same["last_seen"] = now
        if source in same["sources"]:
            return Decision(None)
        same["count"] += 1
        if len(same["sources"]) < max_sources:
            same["sources"].append(source)
        return Decision("corroborated", same["alert_id"], dedupe_key, same["count"],
                        tuple(same["sources"]), None, same["first_seen"])
    top = max((a for a in state.alerts if a.get("figure") is not None),
              key=lambda a: a["figure"], default=None)
    if top is not None and figure_key is not None and figure_key < top["figure"]:
        return Decision(None)
    new_id = alert_id(dedupe_key, article_id)
    state.alerts.append({"dedupe_key": dedupe_key, "alert_id": new_id, "figure": figure_key,
                         "first_seen": now, "last_seen": now, "sources": [source], "count": 1})
    if top is not None:
        return Decision("escalation", new_id, dedupe_key, 1, (source,), top["alert_id"], now)
    return Decision("new", new_id, dedupe_key, 1, (source,), None, now)
