"""Guards that keep spaCy and the extraction rules linear on hostile text.

Control and format characters (NUL, BEL, zero-width spaces, byte-order marks) are
blanked before tokenizing: glued to a word they hide it from every rule.

Two shapes of input make the pipeline super-linear: a very long run of characters
with no whitespace (the tokenizer re-scans it for prefixes and suffixes) and a very
long "sentence" (every figure's rules look across its whole sentence). Real wire copy
has neither, so both are cut down before parsing, without moving any character
offset: spans in the output still index the original article text.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import sys
import unicodedata
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

#: No word, number or URL in an article needs more characters than this.
MAX_RUN = 100
#: Sentences are capped at this many tokens (real ones rarely pass 80).
MAX_SENTENCE_TOKENS = 120

_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))
_ENDS = frozenset(".!?;")


#: Joiners that belong inside a word (soft hyphen, zero-width non-joiner and joiner).
_IN_WORD = frozenset("\u00ad\u200c\u200d")


@functools.lru_cache(maxsize=1)
def _controls() -> "re.Pattern[str]":
    """Control and format characters that are not whitespace, as one character class."""
    chars = [i for i in range(sys.maxunicode + 1)
             if unicodedata.category(chr(i)) in ("Cc", "Cf") and not chr(i).isspace()]
    ranges, start = [], chars[0]
    for prev, cur in zip(chars, chars[1:] + [-1]):
        if cur != prev + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = cur
    return re.compile("[" + "".join(ranges) + "]")


def blank_controls(text: str) -> str:
    """Replace control and format characters with spaces, one for one.

    Glued to a word ("\\x00\\x07Ten people were killed"), they made the tokenizer read
    one unknown token and the claim was lost. A joiner between two letters stays: it
    is part of the word. The text keeps its length, so offsets still hold.
    """
    def blank(m: "re.Match[str]") -> str:
        c, i = m.group(), m.start()
        if c in _IN_WORD and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            return c
        return " "

    return _controls().sub(blank, text)


def prepare(text: str) -> str:
    """The text as it is parsed: controls blanked, then long runs blanked (offsets kept)."""
    return blank_long_runs(blank_controls(text))


def as_written(extraction: Any, original: str, parsed: str) -> Any:
    """`extraction` of the `parsed` text, with each record's sentence as the article wrote it."""
    if original == parsed:
        return extraction

    def fix(record: Any) -> Any:
        start, end = record.span
        return dataclasses.replace(record, sentence=original[start:end])

    return dataclasses.replace(extraction, casualty_claims=tuple(fix(c) for c in extraction.casualty_claims),
                               diplomatic_events=tuple(fix(e) for e in extraction.diplomatic_events))


def blank_long_runs(text: str) -> str:
    """Replace every whitespace-free run over `MAX_RUN` characters with as many spaces."""
    if len(text) <= MAX_RUN:
        return text
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)


@Language.factory("wirewatch_sentence_cap", default_config={"max_tokens": MAX_SENTENCE_TOKENS})
def make_sentence_cap(nlp: Language, name: str, max_tokens: int) -> "SentenceCap":
    return SentenceCap(max_tokens)


class SentenceCap:
    """Before the parser: start a new sentence after `max_tokens` tokens with no end mark.

    The parser keeps boundaries set before it, so no sentence it builds is longer.
    """

    def __init__(self, max_tokens: int) -> None:
        if max_tokens < 10:
            raise ValueError("max_tokens must be at least 10")
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        run = 0
        for token in doc:
            if run >= self.max_tokens:
                token.is_sent_start = True
                run = 0
            run += 1
            if token.text in _ENDS or token.text.endswith(("\n\n",)):
                run = 0
        return doc
