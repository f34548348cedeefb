"""Domain records produced by the extraction core.

Frozen dataclasses only; no Kafka, no Faust. `to_dict` gives the JSON shape of
the extraction contract (docs/EXTRACTION in the README): field names and meanings
are stable, fields may be added.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CATEGORIES = ("killed", "injured", "missing", "kidnapped", "arrested", "displaced", "evacuated")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "range", "up_to", "fewer_than", "vague")
MODALITIES = ("asserted", "denied", "disputed", "hypothetical")
EVENT_TYPES = (
    "CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION",
)
ORGS = ("UNO", "EUR", "AFU", "ARL", "NAT", "ASN", "OAS", "ECW", "CST", "GCC", "OIC", "SCO")
ROLES = ("GOV", "MIL", "OPP", "REB", "IGO", "CVL", "MED")


@dataclass(frozen=True)
class Count:
    """A normalised figure: `low`/`high` bounds, the qualifier and the source text."""

    low: int | None
    high: int | None
    qualifier: str
    text: str

    @property
    def key(self) -> int | None:
        """The figure used in scoring keys: low if known, else high."""
        return self.low if self.low is not None else self.high


@dataclass(frozen=True)
class Location:
    """A place: its text in the article, ISO 3166 alpha-3 country, coordinates."""

    text: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Period:
    """The period a cumulative figure covers, as ISO dates or year-months."""

    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class CasualtyClaim:
    category: str
    count: Count
    sentence: str
    span: tuple[int, int]
    victims: str | None = None
    location: Location | None = None
    period: Period | None = None
    cumulative: bool = False
    reported_by: str | None = None
    perpetrator: str | None = None
    modality: str = "asserted"
    #: When the harm happened: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as precise as the text is.
    date: str | None = None
    #: True when the figure is about an earlier incident recalled for context.
    background: bool = False
    confidence: float = 0.5
    id: str = ""

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.category, self.count.key)


@dataclass(frozen=True)
class Party:
    """An actor or target: a state or an international organisation."""

    text: str
    name: str | None = None
    country: str | None = None
    org: str | None = None
    role: str | None = None

    @property
    def code(self) -> str | None:
        """Scoring code: the country, else the organisation."""
        return self.country or self.org


@dataclass(frozen=True)
class DiplomaticEvent:
    type: str
    cameo: str
    actor: Party
    sentence: str
    span: tuple[int, int]
    target: Party | None = None
    mode: str | None = None
    planned: bool = False
    location: Location | None = None
    date: str | None = None
    reported_by: str | None = None
    trigger: str | None = None
    #: True when the event is recalled from the past for context, not the news reported.
    background: bool = False
    confidence: float = 0.5
    id: str = ""

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.actor.code, self.type, self.target.code if self.target else None)


@dataclass(frozen=True)
class ArticleContext:
    """What the extractors may know about the article beyond the sentence."""

    article_id: str = ""
    published_at: date | None = None
    dominant_country: str | None = None


@dataclass(frozen=True)
class ArticleExtraction:
    article_id: str
    casualty_claims: tuple[CasualtyClaim, ...] = field(default_factory=tuple)
    diplomatic_events: tuple[DiplomaticEvent, ...] = field(default_factory=tuple)
    #: Set by the relevance gate (`gate.py`): the article was not parsed whole, how
    #: many rough sentences it has, and how many of them went through the parser.
    #: Not part of the records.
    gated: bool = field(default=False, compare=False)
    sentences: int = field(default=0, compare=False)
    parsed_sentences: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "casualty_claims": [to_dict(c) for c in self.casualty_claims],
            "diplomatic_events": [to_dict(e) for e in self.diplomatic_events],
        }


def to_dict(record: Any) -> dict[str, Any]:
    """JSON-ready dict of a record; tuples become lists, ids come first."""
    out = dataclasses.asdict(record)
    if "span" in out:
        out["span"] = list(out["span"])
    if "id" in out:
        out = {"id": out.pop("id"), **out}
    return out
