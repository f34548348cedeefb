"""Wire records: what crosses Kafka, as typed Faust records (JSON, validated).

The extraction core's frozen dataclasses are converted to these in one place,
`agents/convert.py`. Field names follow the extraction contract; the records add
`article_id`, `article_url`, `source`, `extracted_at` and `model`.
"""
from __future__ import annotations

from typing import Any, Optional

import faust
from faust.models.fields import StringField

_OPTIONS: dict[str, Any] = dict(serializer="json", include_metadata=False, validation=True)


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


class DiplomaticEventRecord(faust.Record, **_OPTIONS):
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


class AlertRecord(faust.Record, **_OPTIONS):
    """What subscribers of the alert topics read.

    `status` is `new`, `escalation` (a higher figure for the same place and category;
    `supersedes` names the alert it replaces) or `corroborated` (same alert, one more
    distinct source: upsert by `alert_id`, do not page again).
    """

    alert_id: str
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


class DeadLetterRecord(faust.Record, **_OPTIONS):
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
