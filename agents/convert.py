"""The one place where domain records become wire records and back."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from streams.decode import Article
from streams.records import (
    ArticleRef,
    CasualtyClaimRecord,
    CountRecord,
    DiplomaticEventRecord,
    LocationRecord,
    PartyRecord,
    PeriodRecord,
)

from .extraction.model import CasualtyClaim, DiplomaticEvent, Location, Party, to_dict


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _location(loc: Location | None) -> LocationRecord | None:
    return None if loc is None else LocationRecord(text=loc.text, country=loc.country, lat=loc.lat, lon=loc.lon)


def _party(p: Party | None) -> PartyRecord | None:
    return None if p is None else PartyRecord(text=p.text, name=p.name, country=p.country, org=p.org, role=p.role)


def article_ref(a: Article) -> ArticleRef:
    return ArticleRef(id=a.id, url=a.url, source=a.source, published_at=a.published_at, title=a.title)


def claim_record(c: CasualtyClaim, a: Article, model: str, extracted_at: str) -> CasualtyClaimRecord:
    return CasualtyClaimRecord(
        id=c.id, article_id=a.id, category=c.category,
        count=CountRecord(low=c.count.low, high=c.count.high, qualifier=c.count.qualifier, text=c.count.text),
        sentence=c.sentence, span=list(c.span), victims=c.victims, location=_location(c.location),
        period=None if c.period is None else PeriodRecord(start=c.period.start, end=c.period.end),
        cumulative=c.cumulative, reported_by=c.reported_by, perpetrator=c.perpetrator,
        modality=c.modality, confidence=float(c.confidence), article_url=a.url, source=a.source,
        published_at=a.published_at, extracted_at=extracted_at, model=model,
        date=c.date, background=c.background)


def event_record(e: DiplomaticEvent, a: Article, model: str, extracted_at: str) -> DiplomaticEventRecord:
    actor = _party(e.actor)
    assert actor is not None
    return DiplomaticEventRecord(
        id=e.id, article_id=a.id, type=e.type, cameo=e.cameo, mode=e.mode, actor=actor,
        target=_party(e.target), planned=e.planned, location=_location(e.location), date=e.date,
        reported_by=e.reported_by, trigger=e.trigger, sentence=e.sentence, span=list(e.span),
        confidence=float(e.confidence), article_url=a.url, source=a.source, published_at=a.published_at,
        extracted_at=extracted_at, model=model, background=e.background)


def record_dict(record: CasualtyClaim | DiplomaticEvent) -> dict[str, Any]:
    """A domain record as the plain dict carried inside alerts."""
    return to_dict(record)


def source_of(a: Article) -> str:
    """Who published the article, for counting distinct corroborating sources."""
    if a.source:
        return a.source.strip().lower()
    if a.url:
        host = a.url.split("://", 1)[-1].split("/", 1)[0]
        if host:
            return host.lower()
    return f"article:{a.id}"
