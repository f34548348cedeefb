"""Extracting one batch of articles with a loaded pipeline, wherever it runs.

The same loop serves the extraction thread and the extraction child process: it
takes plain items (text, id, published_at), so what crosses a process boundary is
strings in and `ArticleExtraction` values out, never spaCy objects.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from streams.decode import Article

from .extraction import ArticleContext, ArticleExtraction, extract_doc, extract_texts, parse_published
from .extraction.gate import for_pipeline as gate_for
from .extraction.guards import as_written, prepare

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

log = logging.getLogger(__name__)

WARM_UP = ("At least 12 people were killed in Kabul on Monday, police said. "
           "France invited Egypt's foreign minister to talks in Paris.")


@dataclass
class Outcome:
    """What happened to one article in the extraction."""

    article: Article
    extraction: ArticleExtraction | None = None
    error: str | None = None
    reason: str | None = None
    seconds: float = 0.0


class Item(NamedTuple):
    """One article as the extraction needs it."""

    article_id: str
    text: str
    published_at: str | None = None


#: emit(index, extraction, error, reason, seconds): one article is done.
Emit = Callable[[int, "ArticleExtraction | None", "str | None", "str | None", float], None]


def warm_up(nlp: "Language", gate: bool = True) -> None:
    """Extract once so the gazetteer and lexicons (over a second) load before the first
    article; build the relevance gate too when it is on."""
    extract_doc(nlp(WARM_UP), ArticleContext(article_id="warm-up"))
    if gate:
        gate_for(nlp)


def extract_items(nlp: "Language", items: Sequence[Item], batch_size: int, emit: Emit,
                  stopped: Callable[[], bool], one_by_one: bool = False, gate: bool = False) -> None:
    """Extract `items` in order, calling `emit` as each is done, until `stopped()`.

    Batched through `nlp.pipe`; if the batch raises, the articles not yet done are
    retried one at a time so one bad article cannot sink the others (its error is
    emitted with reason `extraction_error`). `one_by_one` skips the batched pass.
    With `gate`, the relevance gate decides how much of an article is parsed
    (`agents.extraction.extract_texts`); an article it kept from the parser has an
    empty extraction that says so (`gated`).
    """
    ctxs = [ArticleContext(article_id=it.article_id, published_at=parse_published(it.published_at))
            for it in items]
    done = [False] * len(items)
    if not one_by_one:
        try:
            # `extract_doc` as this module names it when the batch starts (a test replaces it).
            extractions = extract_texts(nlp, ((it.text, ctx) for it, ctx in zip(items, ctxs)),
                                        batch_size=batch_size, gate=gate, extract=extract_doc)
            last = time.perf_counter()
            for i, extraction in enumerate(extractions):
                now = time.perf_counter()
                done[i] = True
                emit(i, extraction, None, None, now - last)
                last = now
                if stopped():
                    return
            return
        except Exception:  # one bad article must not sink the batch: isolate it below
            log.exception("batch extraction failed; retrying article by article")
    for i, it in enumerate(items):
        if done[i]:
            continue
        if stopped():
            return
        start = time.perf_counter()
        extraction, error, reason = None, None, None
        try:
            doc = nlp(prepare(it.text))
            extraction = as_written(extract_doc(doc, ctxs[i]), it.text, doc.text)
        except Exception as exc:  # noqa: BLE001 - reported as a dead letter with its reason
            error, reason = f"{type(exc).__name__}: {exc}"[:500], "extraction_error"
        emit(i, extraction, error, reason, time.perf_counter() - start)
