"""The harm words of `lexicons/harm_words.json`: the casualty rules' words beyond the cues.

`casualty_cues` holds the words that make a figure a claim. A few more words are harm
words only in a construction the rules parse: a group of harmed people a sub-count is
drawn from ("among the victims") and a verb whose negation is the harm ("have not been
accounted for"). They live here so the rules and the relevance gate read one list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import lexicon
from .lexicon import Field


@dataclass(frozen=True)
class HarmWords:
    victim_groups: frozenset[str]
    negated_verbs: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.victim_groups | self.negated_verbs


@lexicon.register("harm_words")
def _validate(entries: Any, where: str) -> HarmWords:
    lexicon.check_record(entries, {"victim_groups": Field((list,)), "negated_verbs": Field((list,))}, where)
    return HarmWords(lexicon.check_word_list(entries["victim_groups"], f"{where}.victim_groups"),
                     lexicon.check_word_list(entries["negated_verbs"], f"{where}.negated_verbs"))


def load() -> HarmWords:
    """The validated harm words (cached by `lexicon.load`)."""
    return lexicon.load("harm_words")
