"""Wire records: what crosses Kafka, as typed Faust records (JSON, validated).

The extraction core's frozen dataclasses are converted to these in one place,
`agents/convert.py`. Field names follow the extraction contract; the records add
`article_id`, `article_url`, `source`, `extracted_at` and `model`.

These classes are also the source of the topics' JSON Schemas (`streams/schemas.py`,
`wirewatch schema TOPIC`): a `#:` comment above a field becomes its description.
Every message a topic carries has `schema_version` (`MAJOR.MINOR`, `SCHEMA_VERSION`);
within a major version fields are only ever added. New fields go at the end of a record
with a default (Faust accepts no field without a default after one with a default).
"""
from __future__ import annotations

from typing import Any, Optional

import faust
from faust.models.fields import StringField

#: Version of the wire format of every topic: the minor part grows when fields or values are
#: added, the major part when anything a subscriber relies on changes.
SCHEMA_VERSION = "1.0"

_OPTIONS: dict[str, Any] = dict(serializer="json", include_metadata=False, validation=True)


class ArticleRecord(faust.Record, **_OPTIONS):
    """An article on the input topic, as a JSON object (a value that is not one is read as
    bare UTF-8 text, its id the message key). Fields not listed here are ignored."""

    #: Non-empty text of the article.
    text: str
    #: Article id (a string or a whole number); unset: the message key, else topic:partition:offset.
    id: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    #: Who published it; distinct sources count as corroboration of an alert.
    source: Optional[str] = None
    #: RFC 3339 timestamp or ISO date; anchors relative dates in the text.
    published_at: Optional[str] = None
    #: Language of the text (BCP 47, e.g. `en`, `fr`); unset: detected from the text.
    language: Optional[str] = None
    #: Wire format version the publisher followed (optional on input).
    schema_version: Optional[str] = None


class CountRecord(faust.Record, **_OPTIONS):
    low: Optional[int]
    high: Optional[int]
    qualifier: str
    text: str


class LocationRecord(faust.Record, **_OPTIONS):
    text: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None


class PeriodRecord(faust.Record, **_OPTIONS):
    start: Optional[str] = None
    end: Optional[str] = None


class PartyRecord(faust.Record, **_OPTIONS):
    text: str
    name: Optional[str] = None
    country: Optional[str] = None
    org: Optional[str] = None
    role: Optional[str] = None


class CasualtyClaimRecord(faust.Record, **_OPTIONS):
    """A casualty claim: a stated number of people who suffered one harm (key: article id)."""

    #: Deterministic id: the same article gives the same id; de-duplicate on it.
    id: str
    article_id: str
    category: str
    count: CountRecord
    sentence: str
    span: list[int]
    victims: Optional[str]
    location: Optional[LocationRecord]
    period: Optional[PeriodRecord]
    cumulative: bool
    reported_by: Optional[str]
    perpetrator: Optional[str]
    modality: str
    confidence: float
    article_url: Optional[str]
    source: Optional[str]
    published_at: Optional[str]
    extracted_at: str
    model: str
    #: When the harm happened (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), null when the text does not say.
    date: Optional[str] = None
    #: True for a figure about an earlier incident that the article recalls for context.
    background: bool = False
    #: Wire format version (`MAJOR.MINOR`) this message follows.
    schema_version: str = SCHEMA_VERSION


class DiplomaticEventRecord(faust.Record, **_OPTIONS):
    """A diplomatic event: who did what to whom, in PLOVER terms (key: article id)."""

    #: Deterministic id: the same article gives the same id; de-duplicate on it.
    id: str
    article_id: str
    type: str
    cameo: str
    mode: Optional[str]
    actor: PartyRecord
    target: Optional[PartyRecord]
    planned: bool
    location: Optional[LocationRecord]
    date: Optional[str]
    reported_by: Optional[str]
    trigger: Optional[str]
    sentence: str
    span: list[int]
    confidence: float
    article_url: Optional[str]
    source: Optional[str]
    published_at: Optional[str]
    extracted_at: str
    model: str
    #: True for an event recalled from the past for context, not the news reported.
    background: bool = False
    #: Wire format version (`MAJOR.MINOR`) this message follows.
    schema_version: str = SCHEMA_VERSION


class ArticleRef(faust.Record, **_OPTIONS):
    id: str
    url: Optional[str]
    source: Optional[str]
    published_at: Optional[str]
    title: Optional[str]


class AlertCandidate(faust.Record, **_OPTIONS):
    """A rule match on its way to de-duplication, keyed by its group key."""

    kind: str  # "casualty" | "diplomatic"
    rule: str
    severity: str
    group_key: str
    figure: Optional[int]
    summary: str
    corroborating_source: str
    record: dict[str, Any]
    article: ArticleRef
    matched_at: float
    schema_version: str = SCHEMA_VERSION


class AlertRecord(faust.Record, **_OPTIONS):
    """What subscribers of the alert topics read.

    `status` is `new`, `escalation` (a higher figure for the same place and category;
    `supersedes` names the alert it replaces) or `corroborated` (same alert, one more
    distinct source: upsert by `alert_id`, do not page again).
    """

    #: Id of the alert: a corroboration repeats it (upsert by it).
    alert_id: str
    #: The message key: rule and group (plus the figure for casualty alerts).
    dedupe_key: str
    rule: str
    severity: str
    status: str
    kind: str
    summary: str
    corroboration: int
    sources: list[str]
    supersedes: Optional[str]
    records: list[dict[str, Any]]
    article: ArticleRef
    first_seen: float
    raised_at: float
    #: Wire format version (`MAJOR.MINOR`) this message follows.
    schema_version: str = SCHEMA_VERSION


class DeadLetterRecord(faust.Record, **_OPTIONS):
    """An input that could not be processed, with the reason and where it came from."""

    reason: str
    detail: str
    stage: str
    topic: str
    partition: int
    offset: int
    timestamp: Optional[float]
    # An empty key or value is what was received, not a missing field: allow blank,
    # or validation rejects the dead letter of an empty message and the agent crashes.
    key: Optional[str] = StringField(required=True, allow_blank=True)
    value: Optional[str] = StringField(required=True, allow_blank=True)
    value_encoding: str  # "utf-8" | "base64" | "none"
    failed_at: str
    #: Wire format version (`MAJOR.MINOR`) this message follows.
    schema_version: str = SCHEMA_VERSION
