"""The article's layout, which the parser does not see: a line break ends a sentence.

Wire copy as it reaches us puts a headline, a dateline ("WASHINGTON") or a subhead
("China justifies act") on a line of its own, with no end mark. The parser reads such
a line into the sentence after it ("Taliban, Pakistan agree to meet again ..., says
statement\\nTaliban and Pakistan will reconvene ..."), and the two clauses then share
one parse: a headline's subjects hang off the first sentence's verb, and neither is
read right. Article texts do not wrap lines inside a sentence (each paragraph is one
line), so every line break starts a sentence.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LineBreaks"]

#: Marks that may end a sentence at once ("Yes." on a line of its own).
END_MARKS = frozenset({".", "!", "?"})


@Language.factory("wirewatch_line_breaks")
def make_line_breaks(nlp: Language, name: str) -> "LineBreaks":
    return LineBreaks()


class LineBreaks:
    """Before the parser: the first token after a line break starts a sentence.

    The parser keeps boundaries set before it; it still splits inside a line as it
    would.
    """

    def __call__(self, doc: Doc) -> Doc:
        broken = False
        for token in doc:
            if token.is_space:
                # A run of whitespace is one token ("\n", "\n\n", " \n").
                broken = broken or "\n" in token.text
                continue
            if broken and token.i > 0:
                token.is_sent_start = True
                # A line's first word, and an opening mark before it, is no sentence of
                # its own: left free, the parser once ended one right after it ("Two |
                # Chicago firefighters were killed", "( | AP) - Authorities say").
                j = token.i
                while j < len(doc) and doc[j].is_punct and doc[j].text not in END_MARKS:
                    j += 1
                for after in doc[token.i + 1:j + 2]:
                    if after.is_space or after.text in END_MARKS:
                        break
                    after.is_sent_start = False
            broken = False
        return doc
