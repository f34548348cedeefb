"""The Kafka-free extraction core: article text in, frozen records out.

Imports spaCy and the standard library only (plus the offline gazetteer); it
never imports Faust or a Kafka client, so it can be tested, benchmarked and
evaluated on its own.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator
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

    from .gate import Gate

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


Extract = Callable[["Doc", ArticleContext], ArticleExtraction]


def extract_texts(
    nlp: "Language",
    items: Iterable[tuple[str, ArticleContext]],
    *,
    batch_size: int = 32,
    gate: bool = False,
    extract: Extract | None = None,
) -> Iterator[ArticleExtraction]:
    """Parse `(text, context)` pairs with `nlp.pipe` and extract each, in order.

    With `gate`, the relevance gate (`gate.py`) decides how much of each article is
    parsed: an article with no signal is only tokenized; for one with signals, its
    excerpt (the signal sentences and their neighbours) is parsed and extracted first,
    and only an excerpt that yields a record sends the whole article through the
    pipeline. Either way the records are the ones the whole parse gives: an excerpt
    with no record stands for an article with none. `extract` (default `extract_doc`)
    extracts one parsed article.
    """
    from .guards import as_written, prepare

    extract = extract or extract_doc
    if not gate:
        pairs = ((prepare(text), (text, ctx)) for text, ctx in items)
        for doc, (text, ctx) in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield as_written(extract(doc, ctx), text, doc.text)
        return
    from .gate import for_pipeline

    g = for_pipeline(nlp)
    chunk: list[tuple[str, ArticleContext, "Doc"]] = []
    for text, ctx in items:
        chunk.append((text, ctx, nlp.make_doc(prepare(text))))
        if len(chunk) >= batch_size:
            yield from _extract_gated(nlp, g, chunk, batch_size, extract)
            chunk = []
    if chunk:
        yield from _extract_gated(nlp, g, chunk, batch_size, extract)


def _extract_gated(nlp: "Language", g: "Gate", chunk: list[tuple[str, ArticleContext, "Doc"]],
                   batch_size: int, extract: Extract) -> Iterator[ArticleExtraction]:
    """One batch of tokenized articles through the gate, the excerpts, then the parser."""
    from .gate import EXCERPT_SHARE
    from .guards import as_written

    verdicts = [g.check(doc) for _, _, doc in chunk]
    excerpts: dict[int, str] = {}
    for i, ((_, _, doc), v) in enumerate(zip(chunk, verdicts)):
        if v.relevant and sum(e - b for b, e in v.excerpt) <= EXCERPT_SHARE * len(doc.text):
            excerpts[i] = "\n\n".join(doc.text[b:e].strip() for b, e in v.excerpt)
    found: set[int] = set()
    if excerpts:
        order = sorted(excerpts)
        for i, doc in zip(order, nlp.pipe((excerpts[i] for i in order), batch_size=batch_size)):
            got = extract(doc, chunk[i][1])
            if got.casualty_claims or got.diplomatic_events:
                found.add(i)
    full = [i for i, v in enumerate(verdicts) if v.relevant and (i not in excerpts or i in found)]
    parsed = dict(zip(full, nlp.pipe((chunk[i][2] for i in full), batch_size=batch_size)))
    for i, ((text, ctx, doc), v) in enumerate(zip(chunk, verdicts)):
        if i in parsed:
            doc = parsed[i]
            yield as_written(dataclasses.replace(extract(doc, ctx), sentences=v.sentences,
                                                 parsed_sentences=v.sentences), text, doc.text)
        else:  # nothing the rules start from, or an excerpt they found nothing in
            yield ArticleExtraction(ctx.article_id, gated=True, sentences=v.sentences,
                                    parsed_sentences=v.excerpt_sentences if i in excerpts else 0)


def parse_published(value: str | None) -> date | None:
    """`published_at` (RFC 3339 timestamp or ISO date) as a date, None if absent/bad."""
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
