"""Scoring extractions against gold annotations: precision, recall, F1, attributes.

Pure: no spaCy, no I/O beyond parsing already-read JSON objects. Two gold formats
are understood:

* the project's own (one object per article: `id`, `casualty_claims`,
  `diplomatic_events`, `notes`), scored by the keys of the extraction contract:
  a claim is `(category, low if low is not None else high)`, an event is
  `(actor, type, target)`;
* the PLOVER gold-standard records (one sentence per object with `expected`),
  converted by `plover_gold` into the same items.

Gold items marked `optional` count neither way: a prediction matched to one is
not a false alarm, and missing one is not a miss.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import (
    CATEGORIES,
    EVENT_TYPES,
    MODALITIES,
    ORGS,
    QUALIFIERS,
    ROLES,
    ArticleExtraction,
)

__all__ = [
    "VAGUE_LOWS",
    "ArticleGold",
    "ArticlePrediction",
    "ClaimItem",
    "EventItem",
    "GoldError",
    "Report",
    "TaskScore",
    "Tally",
    "detect_format",
    "parse_gold",
    "parse_gold_record",
    "plover_gold",
    "prediction_from_dict",
    "prediction_from_extraction",
    "score",
]

#: The `low` of each vague quantity word of the contract (dozens ... millions).
VAGUE_LOWS = frozenset({24, 40, 200, 2000, 20000, 200000, 2000000})

_ISO3 = re.compile(r"^[A-Z]{3}$")


class GoldError(ValueError):
    """A gold record does not follow the annotation format."""


# --------------------------------------------------------------------------- items


@dataclass(frozen=True)
class ClaimItem:
    """A casualty claim reduced to what scoring compares (gold or predicted)."""

    category: str
    low: int | None
    high: int | None
    qualifier: str | None = None
    victims: str | None = None
    country: str | None = None
    reported_by: str | None = None
    period_start: str | None = None
    cumulative: bool | None = None
    modality: str | None = None
    date: str | None = None
    #: None where the gold does not say (older sets); True/False where it does.
    background: bool | None = None
    optional: bool = False
    sentence: str | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.category, self.low if self.low is not None else self.high)

    @property
    def label(self) -> str:
        return self.category

    def describe(self) -> str:
        if self.qualifier == "range":
            figure = f"{self.low}-{self.high}"
        else:
            figure = str(self.key[1])
        return f"{self.category} {figure} ({self.qualifier or '?'})"


@dataclass(frozen=True)
class EventItem:
    """A diplomatic event reduced to what scoring compares (gold or predicted)."""

    actor: str | None
    type: str
    target: str | None
    planned: bool | None = None
    date: str | None = None
    background: bool | None = None
    optional: bool = False
    sentence: str | None = None

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.actor, self.type, self.target)

    @property
    def label(self) -> str:
        return self.type

    def describe(self) -> str:
        plan = " planned" if self.planned else ""
        return f"{self.actor or '-'} {self.type} {self.target or '-'}{plan}"


@dataclass(frozen=True)
class ArticleGold:
    """The gold items of one article (or one PLOVER sentence).

    `score_events` / `score_claims` are False when the annotation does not cover
    that task for this article, which then contributes nothing to that task.
    """

    id: str
    claims: tuple[ClaimItem, ...] = ()
    events: tuple[EventItem, ...] = ()
    notes: str = ""
    text: str | None = None
    score_claims: bool = True
    score_events: bool = True


@dataclass(frozen=True)
class ArticlePrediction:
    id: str
    claims: tuple[ClaimItem, ...] = ()
    events: tuple[EventItem, ...] = ()


# ------------------------------------------------------------------ gold parsing

#: `scored` lists the tasks the record annotates (both when absent); `source_event` and
#: `in_scope` are carried by converted peer gold and not scored.
_ARTICLE_KEYS = {"id", "casualty_claims", "diplomatic_events", "notes", "scored",
                 "source_event", "in_scope"}
_TASKS = ("casualty_claims", "diplomatic_events")
_CLAIM_KEYS = {
    "category", "low", "high", "qualifier", "victims", "country", "location",
    "reported_by", "perpetrator", "modality", "period_start", "period_end",
    "cumulative", "optional", "sentence", "date", "background", "note",
}
#: `qualifier` may be left out (peer gold that gives only a figure): it is then not compared.
_CLAIM_REQUIRED = {"category", "low", "high"}
_EVENT_KEYS = {
    "actor", "type", "target", "planned", "optional", "sentence", "cameo", "mode",
    "reported_by", "actor_role", "target_role", "date", "background", "note",
}
#: `planned` may be left out (peer gold that does not annotate it): it is then not compared.
_EVENT_REQUIRED = {"actor", "type", "target"}
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _count_ok(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_count(qualifier: str, low: Any, high: Any, where: str) -> None:
    """Reject bounds that contradict the qualifier (the normalisation table)."""
    for name, value in (("low", low), ("high", high)):
        if value is not None and not _count_ok(value):
            raise GoldError(f"{where}: {name} must be a non-negative integer or null, got {value!r}")
    if qualifier == "range":
        if low is None or high is None or not low < high:
            raise GoldError(f"{where}: a range needs low < high, got {low!r}..{high!r}")
    elif qualifier in ("up_to", "fewer_than"):
        if low is not None or high is None:
            raise GoldError(f"{where}: {qualifier} needs low null and high set, got {low!r}, {high!r}")
    else:
        if low is None or high is not None:
            raise GoldError(f"{where}: {qualifier} needs low set and high null, got {low!r}, {high!r}")
        if qualifier == "vague" and low not in VAGUE_LOWS:
            raise GoldError(f"{where}: vague low must be one of {sorted(VAGUE_LOWS)}, got {low}")


def _check_code(value: Any, where: str, *, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or not (value in ORGS or _ISO3.match(value)):
        raise GoldError(f"{where}: expected an ISO 3166 alpha-3 code or one of {', '.join(ORGS)}, got {value!r}")


def _check_keys(obj: Mapping[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    unknown = set(obj) - allowed
    if unknown:
        raise GoldError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = required - set(obj)
    if missing:
        raise GoldError(f"{where}: missing key(s) {sorted(missing)}")


def _opt_str(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise GoldError(f"{where}: {key} must be a non-empty string or null, got {value!r}")
    return value


def _opt_bool(obj: Mapping[str, Any], key: str, where: str, default: bool | None) -> bool | None:
    value = obj.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise GoldError(f"{where}: {key} must be true or false, got {value!r}")
    return value


def _check_date(obj: Mapping[str, Any], where: str) -> None:
    value = obj.get("date")
    if value is not None and not (isinstance(value, str) and _PERIOD.match(value)):
        raise GoldError(f"{where}: date must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")


def _parse_claim(obj: Any, where: str) -> ClaimItem:
    if not isinstance(obj, Mapping):
        raise GoldError(f"{where}: a claim must be an object")
    _check_keys(obj, _CLAIM_KEYS, _CLAIM_REQUIRED, where)
    category, qualifier = obj["category"], obj.get("qualifier")
    if category not in CATEGORIES:
        raise GoldError(f"{where}: unknown category {category!r}; one of {', '.join(CATEGORIES)}")
    if qualifier is None and "qualifier" not in obj:
        if obj["low"] is None and obj["high"] is None:
            raise GoldError(f"{where}: a claim needs low or high")
        for name in ("low", "high"):
            if obj[name] is not None and not _count_ok(obj[name]):
                raise GoldError(f"{where}: {name} must be a non-negative integer or null, got {obj[name]!r}")
    elif qualifier not in QUALIFIERS:
        raise GoldError(f"{where}: unknown qualifier {qualifier!r}; one of {', '.join(QUALIFIERS)}")
    else:
        _check_count(qualifier, obj["low"], obj["high"], where)
    if obj.get("country") is not None and not (isinstance(obj["country"], str) and _ISO3.match(obj["country"])):
        raise GoldError(f"{where}: country must be ISO 3166 alpha-3, got {obj['country']!r}")
    if obj.get("modality") is not None and obj["modality"] not in MODALITIES:
        raise GoldError(f"{where}: unknown modality {obj['modality']!r}; one of {', '.join(MODALITIES)}")
    for key in ("period_start", "period_end"):
        value = obj.get(key)
        if value is not None and not (isinstance(value, str) and _PERIOD.match(value)):
            raise GoldError(f"{where}: {key} must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    for key in ("victims", "location", "reported_by", "perpetrator", "sentence", "note"):
        _opt_str(obj, key, where)
    _check_date(obj, where)
    return ClaimItem(
        category=category, low=obj["low"], high=obj["high"], qualifier=qualifier,
        victims=obj.get("victims"), country=obj.get("country"),
        reported_by=obj.get("reported_by"), period_start=obj.get("period_start"),
        cumulative=_opt_bool(obj, "cumulative", where, False), modality=obj.get("modality"),
        date=obj.get("date"), background=_opt_bool(obj, "background", where, None),
        optional=bool(_opt_bool(obj, "optional", where, False)),
        sentence=obj.get("sentence"),
    )


def _parse_event(obj: Any, where: str) -> EventItem:
    if not isinstance(obj, Mapping):
        raise GoldError(f"{where}: an event must be an object")
    _check_keys(obj, _EVENT_KEYS, _EVENT_REQUIRED, where)
    if obj["type"] not in EVENT_TYPES:
        raise GoldError(f"{where}: unknown event type {obj['type']!r}; one of {', '.join(EVENT_TYPES)}")
    optional = bool(_opt_bool(obj, "optional", where, False))
    # An optional item may leave its actor unresolved (peer gold whose actor has no code).
    _check_code(obj["actor"], f"{where}: actor", nullable=optional)
    _check_code(obj["target"], f"{where}: target", nullable=True)
    for key in ("actor_role", "target_role"):
        if obj.get(key) is not None and obj[key] not in ROLES:
            raise GoldError(f"{where}: unknown {key} {obj[key]!r}; one of {', '.join(ROLES)}")
    cameo = obj.get("cameo")
    if cameo is not None and not (isinstance(cameo, str) and re.fullmatch(r"\d{2,4}", cameo)):
        raise GoldError(f"{where}: cameo must be a string of digits, got {cameo!r}")
    for key in ("sentence", "reported_by", "note"):
        _opt_str(obj, key, where)
    _check_date(obj, where)
    return EventItem(
        actor=obj["actor"], type=obj["type"], target=obj["target"],
        planned=_opt_bool(obj, "planned", where, None),
        date=obj.get("date"), background=_opt_bool(obj, "background", where, None),
        optional=optional, sentence=obj.get("sentence"),
    )


def parse_gold_record(obj: Any, where: str = "gold") -> ArticleGold:
    """Validate one record of the project's gold format and convert it.

    Raises `GoldError` naming the record and the offending field: unknown keys,
    unknown categories/qualifiers/types, bounds that contradict the qualifier,
    malformed codes.
    """
    if not isinstance(obj, Mapping):
        raise GoldError(f"{where}: a gold record must be a JSON object")
    _check_keys(obj, _ARTICLE_KEYS, {"id", "casualty_claims", "diplomatic_events"}, where)
    article_id = obj["id"]
    if not isinstance(article_id, str) or not article_id:
        raise GoldError(f"{where}: id must be a non-empty string")
    where = f"{where} ({article_id})"
    claims, events = obj["casualty_claims"], obj["diplomatic_events"]
    if not isinstance(claims, list) or not isinstance(events, list):
        raise GoldError(f"{where}: casualty_claims and diplomatic_events must be lists")
    notes = obj.get("notes", "")
    if not isinstance(notes, str):
        raise GoldError(f"{where}: notes must be a string")
    scored = obj.get("scored", list(_TASKS))
    if (not isinstance(scored, list) or not scored
            or any(t not in _TASKS for t in scored) or len(set(scored)) != len(scored)):
        raise GoldError(f"{where}: scored must list one or both of {', '.join(_TASKS)}, got {scored!r}")
    parsed_events = tuple(_parse_event(e, f"{where} event {i}") for i, e in enumerate(events))
    keys = [e.key for e in parsed_events]
    duplicate = {k for k in keys if keys.count(k) > 1}
    if duplicate:
        raise GoldError(f"{where}: event key(s) listed twice (one event per key): {sorted(map(str, duplicate))}")
    return ArticleGold(
        id=article_id,
        claims=tuple(_parse_claim(c, f"{where} claim {i}") for i, c in enumerate(claims)),
        events=parsed_events,
        notes=notes,
        score_claims="casualty_claims" in scored,
        score_events="diplomatic_events" in scored,
    )


# ------------------------------------------------------------------------ PLOVER

#: PLOVER 0.5 event names and their type in the contract; names absent here
#: (PROTEST, ASSAULT, FIGHT, COERCE, MOBILIZE ...) are out of scope.
PLOVER_TYPES: Mapping[str, str] = {
    **{t: t for t in EVENT_TYPES},
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    # CAMEO 08x (yield) is CONCEDE in the contract's table.
    "YIELD": "CONCEDE",
}
#: CAMEO-era country codes that are not ISO 3166 alpha-3.
PLOVER_CODES: Mapping[str, str] = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "UK": "GBR", "GER": "DEU"}
#: PLOVER actor codes for non-state groups: the contract codes only states and
#: international organisations, so events involving them cannot be scored.
PLOVER_NON_STATE = frozenset({"NGO", "IMG", "ISM", "MNC", "UIS"})
#: The gold code for any intergovernmental organisation; matches every org code.
IGO = "IGO"

_MARKUP = re.compile(r"\((SRC/TAR|SRC|TAR): ([^)]*)\)")


def _plover_actors(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [a for a in value if isinstance(a, Mapping)]
    # The converted file has "" (and once a stray word) where there is no target.
    return []


def _plover_code(actor: Mapping[str, Any]) -> str | None:
    code = actor.get("code")
    if not isinstance(code, str) or not code:
        return None
    return PLOVER_CODES.get(code, code)


def _plover_int(value: Any) -> int | None:
    try:
        return int(str(value).replace(",", "").strip())
    except ValueError:
        return None


def _states_a_single(text: str, n: int) -> bool:
    """True when a count of one is written out ("one person"), not implied ("a journalist")."""
    return n != 1 or re.search(r"\b(one|1)\b", text, re.IGNORECASE) is not None


def plover_gold(record: Mapping[str, Any]) -> ArticleGold:
    """Convert one PLOVER gold-standard record into scoring items.

    Events: only records whose event maps to a contract type are scored
    (`score_events`); a record with an out-of-scope event (PROTEST, ASSAULT,
    FIGHT, COERCE, MOBILIZE) is skipped for events, predictions included,
    because its annotation says nothing about in-scope events in the sentence.
    Gold keys are every source x every target (no target -> null). When the
    markup marks the actors as compound (`SRC/TAR`) and no target is given,
    the sentence describes a mutual act, which the contract codes in both
    directions: those directed pairs are the gold and the null-target keys are
    optional. Keys involving a non-state group (NGO, IMG ...) are optional,
    since the contract does not code such actors, and so are keys whose actor
    and target are the same state.

    Claims: `dead` and `injured` become `killed` / `injured` claims. PLOVER
    annotates casualties only as an attribute of the coded event, so claims are
    scored only on records that carry one (`score_claims`); a count of one that
    the sentence does not write out ("a journalist was killed") is optional,
    being an implied single that the contract excludes.
    """
    expected = record.get("expected")
    if not isinstance(expected, Mapping):
        raise GoldError("PLOVER record without an `expected` object")
    meta = record.get("meta") if isinstance(record.get("meta"), Mapping) else {}
    text = record.get("text") or ""
    rid = str(meta.get("id") or record.get("id") or "")
    if not rid:
        raise GoldError("PLOVER record without meta.id")

    etype = PLOVER_TYPES.get(str(expected.get("event", "")).upper())
    events: list[EventItem] = []
    if etype is not None:
        sources = _plover_actors(expected.get("source"))
        targets = _plover_actors(expected.get("target"))
        compound = {m.group(2).strip() for m in _MARKUP.finditer(str(meta.get("markup", "")))
                    if m.group(1) == "SRC/TAR"}
        mutual = [a for a in sources if str(a.get("actorText", "")).strip() in compound]
        src_codes = [_plover_code(a) for a in sources] or [None]
        pairs: dict[tuple[str | None, str | None], bool] = {}
        if not targets and len({_plover_code(a) for a in mutual}) >= 2:
            codes = list(dict.fromkeys(_plover_code(a) for a in mutual))
            for a in codes:
                for b in codes:
                    if a != b:
                        pairs[(a, b)] = False
            for a in src_codes:
                pairs.setdefault((a, None), True)
        else:
            tgt_codes = [_plover_code(a) for a in targets] or [None]
            for a in src_codes:
                for b in tgt_codes:
                    # An act within one state (its government and its own
                    # soldiers) is outside the contract's state-to-state scope.
                    pairs.setdefault((a, b), a == b and a is not None)
        for (a, b), optional in pairs.items():
            if a in PLOVER_NON_STATE or b in PLOVER_NON_STATE:
                optional = True
            events.append(EventItem(actor=a, type=etype, target=b, optional=optional, sentence=text))

    claims: list[ClaimItem] = []
    for field_name, category in (("dead", "killed"), ("injured", "injured")):
        n = _plover_int(expected.get(field_name)) if field_name in expected else None
        if n is not None:
            claims.append(ClaimItem(category=category, low=n, high=None,
                                    optional=not _states_a_single(text, n), sentence=text))
    return ArticleGold(
        id=rid, claims=tuple(claims), events=tuple(events), text=text,
        score_claims=bool(claims), score_events=etype is not None,
    )


# ------------------------------------------------------------------- detection


def detect_format(records: Sequence[Mapping[str, Any]]) -> str:
    """`plover` when the records carry `expected`, else `wirewatch`."""
    if records and all(isinstance(r, Mapping) and "expected" in r for r in records):
        return "plover"
    if any(isinstance(r, Mapping) and "expected" in r for r in records):
        raise GoldError("gold file mixes PLOVER records (with `expected`) and article records")
    return "wirewatch"


def parse_gold(records: Sequence[Mapping[str, Any]], source: str = "gold") -> tuple[str, list[ArticleGold]]:
    """Detect the format of a gold file's records and convert them all; ids must be unique."""
    fmt = detect_format(records)
    if fmt == "plover":
        golds = []
        counts: dict[str, int] = {}
        for r in records:
            g = plover_gold(r)
            # The published file reuses a few ids; a suffix keeps each sentence apart.
            counts[g.id] = counts.get(g.id, 0) + 1
            if counts[g.id] > 1:
                g = dataclasses.replace(g, id=f"{g.id}#{counts[g.id]}")
            golds.append(g)
    else:
        golds = [parse_gold_record(r, f"{source} line {i + 1}") for i, r in enumerate(records)]
    seen: set[str] = set()
    for g in golds:
        if g.id in seen:
            raise GoldError(f"{source}: id {g.id!r} appears twice")
        seen.add(g.id)
    return fmt, golds


# ------------------------------------------------------------------- predictions


def prediction_from_extraction(extraction: ArticleExtraction) -> ArticlePrediction:
    """Scoring items of an extraction result."""
    claims = tuple(
        ClaimItem(
            category=c.category, low=c.count.low, high=c.count.high, qualifier=c.count.qualifier,
            victims=c.victims, country=c.location.country if c.location else None,
            reported_by=c.reported_by, period_start=c.period.start if c.period else None,
            cumulative=c.cumulative, modality=c.modality, date=c.date, background=c.background,
            sentence=c.sentence,
        )
        for c in extraction.casualty_claims
    )
    events = tuple(
        EventItem(actor=e.actor.code, type=e.type, target=e.target.code if e.target else None,
                  planned=e.planned, date=e.date, background=e.background, sentence=e.sentence)
        for e in extraction.diplomatic_events
    )
    return ArticlePrediction(extraction.article_id, claims, events)


def prediction_from_dict(obj: Mapping[str, Any]) -> ArticlePrediction:
    """Scoring items of one line of `wirewatch extract` output (the contract's JSON shape)."""

    def code(party: Any) -> str | None:
        if not isinstance(party, Mapping):
            return None
        return party.get("country") or party.get("org")

    claims = []
    for c in obj.get("casualty_claims") or []:
        count = c.get("count") or {}
        location = c.get("location") or {}
        period = c.get("period") or {}
        claims.append(ClaimItem(
            category=c.get("category"), low=count.get("low"), high=count.get("high"),
            qualifier=count.get("qualifier"), victims=c.get("victims"),
            country=location.get("country"), reported_by=c.get("reported_by"),
            period_start=period.get("start"), cumulative=c.get("cumulative"),
            modality=c.get("modality"), date=c.get("date"), background=bool(c.get("background")),
            sentence=c.get("sentence"),
        ))
    events = [
        EventItem(actor=code(e.get("actor")), type=e.get("type"), target=code(e.get("target")),
                  planned=e.get("planned"), date=e.get("date"), background=bool(e.get("background")),
                  sentence=e.get("sentence"))
        for e in obj.get("diplomatic_events") or []
    ]
    return ArticlePrediction(str(obj.get("id", "")), tuple(claims), tuple(events))


# ----------------------------------------------------------------------- figures


@dataclass
class Tally:
    """True positives, false positives and false negatives of one task or label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None when there is nothing to score."""
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """Attribute agreement on matched items: `correct` of `total` comparable pairs."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass
class TaskScore:
    """Figures of one task (claims or events) over a gold set."""

    overall: Tally = field(default_factory=Tally)
    by_label: dict[str, Tally] = field(default_factory=dict)
    attributes: dict[str, Accuracy] = field(default_factory=dict)
    misses: list[tuple[str, Any]] = field(default_factory=list)
    false_alarms: list[tuple[str, Any]] = field(default_factory=list)
    optional_matched: int = 0
    articles: int = 0

    def _label(self, label: str) -> Tally:
        return self.by_label.setdefault(label, Tally())

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.overall.as_dict(),
            "articles": self.articles,
            "optional_matched": self.optional_matched,
            "by_label": {k: v.as_dict() for k, v in sorted(self.by_label.items())},
            "attributes": {k: v.as_dict() for k, v in self.attributes.items()},
            "misses": [{"article": a, "item": i.describe(), "sentence": i.sentence} for a, i in self.misses],
            "false_alarms": [{"article": a, "item": i.describe(), "sentence": i.sentence}
                             for a, i in self.false_alarms],
        }


@dataclass
class Report:
    """The result of scoring one gold set: both tasks plus bookkeeping."""

    format: str
    claims: TaskScore
    events: TaskScore
    articles: int
    skipped_events: int = 0
    skipped_claims: int = 0
    unscored_predictions: int = 0
    #: Gold articles left out of the score for want of their text (`--only-available`).
    without_text: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "articles": self.articles,
            "without_text": self.without_text,
            "skipped": {"events": self.skipped_events, "claims": self.skipped_claims,
                        "unscored_predictions": self.unscored_predictions},
            "claims": self.claims.as_dict(),
            "events": self.events.as_dict(),
        }


# ---------------------------------------------------------------------- matching


def _code_match(gold: str | None, pred: str | None) -> bool:
    return gold == pred or (gold == IGO and pred in ORGS)


def _key_match(gold: Any, pred: Any) -> bool:
    if isinstance(gold, EventItem):
        return (gold.type == pred.type and _code_match(gold.actor, pred.actor)
                and _code_match(gold.target, pred.target))
    return gold.key == pred.key


def _max_matching(golds: Sequence[Any], preds: Sequence[Any],
                  ok: Callable[[Any, Any], bool]) -> dict[int, int]:
    """Maximum bipartite matching gold index -> prediction index (augmenting paths).

    Exact keys would need only a multiset intersection, but the `IGO` wildcard of
    PLOVER gold can make greedy pairing miss a better assignment.
    """
    edges = [[j for j, p in enumerate(preds) if ok(g, p)] for g in golds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(golds)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _contains(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and (a in b or b in a)


def _compare_claims(task: TaskScore, gold: ClaimItem, pred: ClaimItem) -> None:
    attrs = task.attributes
    if gold.qualifier:
        attrs.setdefault("qualifier", Accuracy()).add(gold.qualifier == pred.qualifier)
    if gold.country:
        attrs.setdefault("country", Accuracy()).add((pred.country or "").upper() == gold.country.upper())
    if gold.reported_by:
        attrs.setdefault("reported_by", Accuracy()).add(bool(pred.reported_by) and _contains(gold.reported_by, pred.reported_by))
    if gold.period_start:
        p = pred.period_start or ""
        attrs.setdefault("period_start", Accuracy()).add(bool(p) and (p.startswith(gold.period_start) or gold.period_start.startswith(p)))
    if gold.modality:
        attrs.setdefault("modality", Accuracy()).add((pred.modality or "asserted") == gold.modality)
    _compare_when(attrs, gold, pred)


def _compare_when(attrs: dict[str, Accuracy], gold: ClaimItem | EventItem,
                  pred: ClaimItem | EventItem) -> None:
    """`date` must equal the gold at the granularity the gold gives (a day is not a month);
    `background` is compared where the gold states it, and its recall on recalled items
    (`background_true`) is reported apart, since most items are current news."""
    if gold.date:
        attrs.setdefault("date", Accuracy()).add(pred.date == gold.date)
    if gold.background is not None:
        attrs.setdefault("background", Accuracy()).add(bool(pred.background) == gold.background)
        if gold.background:
            attrs.setdefault("background_true", Accuracy()).add(bool(pred.background))


def _compare_events(task: TaskScore, gold: EventItem, pred: EventItem) -> None:
    if gold.planned is not None:
        task.attributes.setdefault("planned", Accuracy()).add(bool(pred.planned) == gold.planned)
    _compare_when(task.attributes, gold, pred)


def _score_task(task: TaskScore, article_id: str, golds: Sequence[Any], preds: Sequence[Any],
                compare: Callable[[TaskScore, Any, Any], None]) -> None:
    required = [g for g in golds if not g.optional]
    optional = [g for g in golds if g.optional]
    matched = _max_matching(required, preds, _key_match)
    for gi, pi in matched.items():
        task.overall.tp += 1
        task._label(required[gi].label).tp += 1
        compare(task, required[gi], preds[pi])
    for gi, g in enumerate(required):
        if gi not in matched:
            task.overall.fn += 1
            task._label(g.label).fn += 1
            task.misses.append((article_id, g))
    used = set(matched.values())
    rest = [j for j in range(len(preds)) if j not in used]
    opt_matched = _max_matching(optional, [preds[j] for j in rest], _key_match)
    task.optional_matched += len(opt_matched)
    opt_used = {rest[k] for k in opt_matched.values()}
    for j in rest:
        if j not in opt_used:
            task.overall.fp += 1
            task._label(preds[j].label).fp += 1
            task.false_alarms.append((article_id, preds[j]))
    task.articles += 1


def _dedupe_events(events: Iterable[EventItem]) -> list[EventItem]:
    """One event per key, as the contract says; a repeated key is not a second false alarm."""
    out: dict[tuple, EventItem] = {}
    for e in events:
        out.setdefault(e.key, e)
    return list(out.values())


def score(golds: Sequence[ArticleGold], predictions: Mapping[str, ArticlePrediction],
          fmt: str = "wirewatch") -> Report:
    """Score predictions (by article id) against gold articles.

    An article without a prediction counts as one with nothing extracted. For
    PLOVER gold only `killed` and `injured` predictions are scored as claims
    (the categories it annotates); predictions on articles whose task is not
    annotated are counted in `unscored_predictions`, not as false alarms.
    """
    report = Report(format=fmt, claims=TaskScore(), events=TaskScore(), articles=len(golds))
    for gold in golds:
        pred = predictions.get(gold.id) or ArticlePrediction(gold.id)
        pred_claims = list(pred.claims)
        if fmt == "plover":
            pred_claims = [c for c in pred_claims if c.category in ("killed", "injured")]
        if gold.score_claims:
            _score_task(report.claims, gold.id, gold.claims, pred_claims, _compare_claims)
        else:
            report.skipped_claims += 1
            report.unscored_predictions += len(pred_claims)
        pred_events = _dedupe_events(pred.events)
        if gold.score_events:
            _score_task(report.events, gold.id, gold.events, pred_events, _compare_events)
        else:
            report.skipped_events += 1
            report.unscored_predictions += len(pred_events)
    return report
