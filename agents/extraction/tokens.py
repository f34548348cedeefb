"""Tokens of a Doc, built once per Doc.

Iterating a Span or indexing a Doc makes a new Token object for every position on every
pass, and the rules pass over a sentence many times (once per cue, per figure and per
attribute they look for). The rules read this per-Doc list instead: one Token object
per position, made once (kept in `Doc.user_data`, dropped with the Doc).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

_KEY = "wirewatch.tokens"


def doc_tokens(doc: "Doc") -> list["Token"]:
    """Every token of `doc`, in order, made once per Doc (a Doc that has been retokenized
    since gets a new list)."""
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached) != len(doc):
        cached = list(doc)
        doc.user_data[_KEY] = cached
    return cached


def tokens_of(span: "Span | Doc") -> list["Token"]:
    """The tokens of `span` (what iterating it gives), from the per-Doc list."""
    doc = span.doc
    toks = doc_tokens(doc)
    if span is doc:
        return toks
    return toks[span.start:span.end]
