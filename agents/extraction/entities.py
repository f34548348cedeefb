"""Named entities of a Doc, built once per Doc.

`Doc.ents` makes new Span objects over the whole document on every access, so the
rules, which ask for the entity at a token many times per article, read this
per-Doc index instead (kept in `Doc.user_data`, dropped with the Doc).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

_KEY = "wirewatch.entities"


def _index(doc: "Doc") -> tuple:
    cached = doc.user_data.get(_KEY)
    if cached is None or cached[2] != len(doc):
        ents = tuple(doc.ents)
        by_token = {i: ent for ent in ents for i in range(ent.start, ent.end)}
        cached = (ents, by_token, len(doc), [e.start for e in ents])
        doc.user_data[_KEY] = cached
    return cached


def doc_ents(doc: "Doc") -> tuple["Span", ...]:
    """`doc.ents`, computed once per Doc."""
    return _index(doc)[0]


def entity_at(token: "Token") -> "Span | None":
    """The entity covering `token`, if any."""
    return _index(token.doc)[1].get(token.i)


def ents_in(span: "Span") -> list["Span"]:
    """Entities wholly inside `span` (what `span.ents` gives), from the per-Doc index."""
    ents, _, _, starts = _index(span.doc)
    out = []
    for e in ents[bisect_left(starts, span.start):]:
        if e.start >= span.end:
            break
        if e.end <= span.end:
            out.append(e)
    return out
