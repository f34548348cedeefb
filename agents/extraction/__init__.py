"""The Kafka-free extraction core: article text in, frozen records out.

Imports spaCy and the standard library only (plus the offline gazetteer); it
never imports Faust or a Kafka client, so it can be tested, benchmarked and
evaluated on its own.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from .model import (
    ArticleContext,
    ArticleExtraction,
    CasualtyClaim,
    DiplomaticEvent,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "ArticleContext",
    "ArticleExtraction",
    "extract_doc",
    "extract_texts",
    "record_id",
]


def record_id(article_id: str, kind: str, *parts: object) -> str:
    """A deterministic id: the same article gives the same ids, run after run."""
    material = "\x1f".join([article_id, kind, *(str(p) for p in parts)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


def _with_ids(article_id: str, claims: Iterable[CasualtyClaim],
              events: Iterable[DiplomaticEvent]) -> ArticleExtraction:
    claims = tuple(
        dataclasses.replace(c, id=record_id(article_id, "claim", c.category, c.count.low,
                                            c.count.high, c.count.qualifier, c.span[0]))
        for c in claims
    )
    events = tuple(
        dataclasses.replace(e, id=record_id(article_id, "event", *e.key))
        for e in events
    )
    return ArticleExtraction(article_id, claims, events)


def extract_doc(doc: "Doc", ctx: ArticleContext) -> ArticleExtraction:
    """Extract casualty claims and diplomatic events from one parsed article."""
    from . import casualties, events, geo

    if ctx.dominant_country is None:
        ctx = dataclasses.replace(ctx, dominant_country=geo.dominant_country(doc))
    return _with_ids(ctx.article_id, casualties.extract_claims(doc, ctx),
                     events.extract_events(doc, ctx))


def extract_texts(
    nlp: "Language",
    items: Iterable[tuple[str, ArticleContext]],
    *,
    batch_size: int = 32,
    gate: bool = False,
) -> Iterator[ArticleExtraction]:
    """Parse `(text, context)` pairs with `nlp.pipe` and extract each, in order.

    With `gate`, an article the relevance gate (`gate.py`) finds no signal in is
    only tokenized, and its extraction is empty, as the rules would have made it.
    """
    from .gate import gated_pipe
    from .guards import as_written, prepare

    if not gate:
        pairs = ((prepare(text), (text, ctx)) for text, ctx in items)
        for doc, (text, ctx) in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield as_written(extract_doc(doc, ctx), text, doc.text)
        return
    listed = list(items)
    texts = (prepare(text) for text, _ in listed)
    for (doc, verdict), (text, ctx) in zip(gated_pipe(nlp, texts, batch_size=batch_size), listed):
        if verdict is not None and not verdict.relevant:
            yield ArticleExtraction(ctx.article_id, gated=True, sentences=verdict.sentences)
        else:
            yield as_written(extract_doc(doc, ctx), text, doc.text)


def parse_published(value: str | None) -> date | None:
    """`published_at` (RFC 3339 timestamp or ISO date) as a date, None if absent/bad."""
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
