"""Guards that keep spaCy and the extraction rules linear on hostile text.

Two shapes of input make the pipeline super-linear: a very long run of characters
with no whitespace (the tokenizer re-scans it for prefixes and suffixes) and a very
long "sentence" (every figure's rules look across its whole sentence). Real wire copy
has neither, so both are cut down before parsing, without moving any character
offset: spans in the output still index the original article text.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

#: No word, number or URL in an article needs more characters than this.
MAX_RUN = 100
#: Sentences are capped at this many tokens (real ones rarely pass 80).
MAX_SENTENCE_TOKENS = 120

_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))
_ENDS = frozenset(".!?;")


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
