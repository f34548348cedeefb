"""Normalising written figures ("more than 40,000", "two dozen", "between 200 and 300").

`parse_count` turns the text of a figure, with its qualifier, into a `Count`
(`low`, `high`, `qualifier`, `text`) following the extraction contract;
`parse_number` reads a bare number in digits or words. The words come from the
`count_words` lexicon. Both functions are pure and never raise: text that is not a
figure gives None, and so does a figure too large to count people (more than
`MAX_COUNT`), because such values come from money, data sizes or garbled text.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import lexicon
from .lexicon import LexiconError
from .model import QUALIFIERS, Count

__all__ = ["MAX_COUNT", "CountWords", "count_words", "parse_count", "parse_number",
           "is_number_word"]

#: Larger than any population: a figure above it is not a count of people.
MAX_COUNT = 10_000_000_000

#: Digits with Western thousands groups ("40,000"), South Asian lakh groups ("8,00,000",
#: "1,48,912") or none.
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d+)(?:\.\d+)?$")
_WORD_SPLIT = re.compile(r"[\s\-\u2010-\u2015]+")
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


@dataclass(frozen=True)
class CountWords:
    """The validated `count_words` lexicon, with lookups prepared for parsing."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, int]
    prefix_qualifiers: dict[str, str]
    suffix_qualifiers: dict[str, str]
    range_joiners: tuple[str, ...]

    @property
    def simple_words(self) -> frozenset[str]:
        """Single words that can be part of a number ("twenty", "hundred", "dozen")."""
        return frozenset({*self.units, *self.tens, *self.scales, *self.multipliers})


def _check_int_map(value: Any, where: str, *, minimum: int = 0) -> dict[str, int]:
    if not isinstance(value, dict) or not value:
        raise LexiconError(f"{where}: expected a non-empty object of word -> integer")
    for key, number in value.items():
        if not isinstance(key, str) or not key.strip() or key != key.lower():
            raise LexiconError(f"{where}: key {key!r} must be a non-empty lower-case string")
        if isinstance(number, bool) or not isinstance(number, int) or number < minimum:
            raise LexiconError(f"{where}.{key}: expected an integer >= {minimum}, got {number!r}")
    return dict(value)


def _check_qualifier_map(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise LexiconError(f"{where}: expected a non-empty object of phrase -> qualifier")
    for key, qualifier in value.items():
        if not isinstance(key, str) or not key.strip() or key != key.lower():
            raise LexiconError(f"{where}: key {key!r} must be a non-empty lower-case string")
        if qualifier not in QUALIFIERS or qualifier in ("exact", "range", "vague"):
            raise LexiconError(f"{where}.{key}: {qualifier!r} is not a phrase qualifier")
    return dict(value)


@lexicon.register("count_words")
def _validate_count_words(entries: Any, where: str) -> CountWords:
    fields = {name: lexicon.Field((dict,)) for name in (
        "units", "tens", "scales", "multipliers", "vague",
        "prefix_qualifiers", "suffix_qualifiers")}
    fields["range_joiners"] = lexicon.Field((list,))
    lexicon.check_record(entries, fields, where)
    return CountWords(
        units=_check_int_map(entries["units"], f"{where}.units"),
        tens=_check_int_map(entries["tens"], f"{where}.tens", minimum=20),
        scales=_check_int_map(entries["scales"], f"{where}.scales", minimum=100),
        multipliers=_check_int_map(entries["multipliers"], f"{where}.multipliers", minimum=2),
        vague=_check_int_map(entries["vague"], f"{where}.vague", minimum=2),
        prefix_qualifiers=_check_qualifier_map(entries["prefix_qualifiers"],
                                               f"{where}.prefix_qualifiers"),
        suffix_qualifiers=_check_qualifier_map(entries["suffix_qualifiers"],
                                               f"{where}.suffix_qualifiers"),
        range_joiners=tuple(lexicon.check_string_list(entries["range_joiners"],
                                                      f"{where}.range_joiners")),
    )


def count_words() -> CountWords:
    """The loaded `count_words` lexicon (validated once, then cached)."""
    return lexicon.load("count_words")


@functools.cache
def _sorted_phrases(kind: str) -> tuple[tuple[list[str], str], ...]:
    words = count_words()
    table = words.prefix_qualifiers if kind == "prefix" else words.suffix_qualifiers
    items = [(phrase.split(), qualifier) for phrase, qualifier in table.items()]
    return tuple(sorted(items, key=lambda item: -len(item[0])))


def is_number_word(word: str) -> bool:
    """True if `word` alone can be (part of) a written number or a vague multiple."""
    low = word.lower()
    words = count_words()
    return low in words.simple_words or low in words.vague or bool(_DIGITS.match(low))


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return _SPACES.sub(" ", text).strip()


def _digits_value(token: str) -> float | None:
    if not _DIGITS.match(token):
        return None
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _words_value(words: list[str]) -> int | None:
    """Value of number words ("three hundred and fifty", "two dozen", "a thousand")."""
    lex = count_words()
    total = 0
    current = 0
    seen = False
    for i, word in enumerate(words):
        if word in ("a", "an") and i == 0 and len(words) > 1:
            current = 1
            continue
        if word == "and" and seen:
            continue
        if word in lex.units:
            current += lex.units[word]
        elif word in lex.tens:
            current += lex.tens[word]
        elif word in lex.multipliers:
            current = max(current, 1) * lex.multipliers[word]
        elif word == "hundred" or (word in lex.scales and lex.scales[word] < 1000):
            current = max(current, 1) * lex.scales[word]
        elif word in lex.scales:
            total += max(current, 1) * lex.scales[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> int | None:
    """The integer a number written in digits and/or words stands for, else None.

    "40,000" -> 40000, "1.2 million" -> 1200000, "twenty-five" -> 25,
    "a dozen" -> 12, "two dozen" -> 24, "3 hundred" -> 300. Vague multiples
    ("hundreds") are not numbers; `parse_count` handles them.
    """
    if not isinstance(text, str):
        return None
    cleaned = _clean(text).lower()
    if not cleaned or len(cleaned) > 200:
        return None
    words = [w for w in _WORD_SPLIT.split(cleaned) if w]
    if not words:
        return None
    lex = count_words()
    value: float | None
    if len(words) > 2 and words[0] == "half" and words[1] in ("a", "an"):
        # "half a million": half of the scale the rest gives
        whole = parse_number(" ".join(words[1:]))
        return whole // 2 if whole is not None and whole >= 2 else None
    lead = _digits_value(words[0])
    if lead is not None:
        rest = words[1:]
        value = lead
        for word in rest:
            if word in lex.scales:
                value *= lex.scales[word]
            elif word in lex.multipliers:
                value *= lex.multipliers[word]
            else:
                return None
        # "1.5" alone is not a head count; "1.5 million" is.
        if value != int(value):
            return None
    else:
        value = _words_value(words)
    if value is None or value > MAX_COUNT:
        return None
    return int(value)


def _strip_prefix(words: list[str]) -> tuple[str | None, list[str]]:
    for phrase, qualifier in _sorted_phrases("prefix"):
        if words[:len(phrase)] == phrase and len(words) > len(phrase):
            return qualifier, words[len(phrase):]
    return None, words


def _strip_suffix(words: list[str]) -> tuple[str | None, list[str]]:
    for phrase, qualifier in _sorted_phrases("suffix"):
        if len(words) > len(phrase) and words[-len(phrase):] == phrase:
            return qualifier, words[:-len(phrase)]
    return None, words


def _split_range(words: list[str], between: bool) -> tuple[int, int] | None:
    joiners = count_words().range_joiners
    for i, word in enumerate(words):
        if word not in joiners or i == 0 or i == len(words) - 1:
            continue
        if word == "and" and not between:
            continue  # "three hundred and fifty" is one number
        high = parse_number(" ".join(words[i + 1:]))
        if high is None:
            continue
        low = parse_number(" ".join(words[:i]))
        # "1.2 to 1.5 million", "two to three thousand": the upper bound's scale
        # applies to both bounds.
        if words[-1] in count_words().scales and words[i - 1] not in count_words().scales:
            scaled = parse_number(" ".join(words[:i] + [words[-1]]))
            if scaled is not None and scaled < high:
                low = scaled
        if low is None:
            continue
        if 0 <= low < high:
            return low, high
    return None


def _tokens(text: str) -> list[str]:
    # Keep "200-300" apart but "1,200.5" whole: split hyphens between digits too.
    spaced = re.sub(r"(?<=\d)-(?=\d)", " - ", text)
    spaced = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", spaced)
    return [w for w in spaced.split(" ") if w]


def parse_count(text: str) -> Count | None:
    """Normalise a figure with its qualifier into a `Count`, or None if it is not one.

    The qualifier comes from the words around the number ("at least", "up to",
    "or more"); two numbers joined by "and/to/-/or" make a `range`; a vague
    multiple ("dozens", "tens of thousands") takes its conventional value with the
    `vague` qualifier. `Count.text` is the input, tidied.
    """
    if not isinstance(text, str):
        return None
    display = _clean(text)
    if not display or len(display) > 200:
        return None
    words = _tokens(display.lower())
    if words and words[0] == "between":
        between, words = True, words[1:]
    else:
        between = False
    qualifier, words = _strip_prefix(words)
    if words and words[0] == "between":
        between, words = True, words[1:]
    suffix, words = _strip_suffix(words)
    if not words:
        return None
    lex = count_words()
    phrase = " ".join(words)
    if phrase in lex.vague:
        value = lex.vague[phrase]
        if qualifier in ("up_to", "fewer_than"):
            return Count(None, value, qualifier, display)
        return Count(value, None, "vague", display)
    bounds = _split_range(words, between)
    if bounds is not None:
        low, high = bounds
        if qualifier in ("up_to", "fewer_than"):
            return Count(None, high, qualifier, display)
        return Count(low, high, "range", display)
    value = parse_number(phrase)
    if value is None:
        return None
    final = qualifier or suffix or "exact"
    if final in ("up_to", "fewer_than"):
        return Count(None, value, final, display)
    return Count(value, None, final, display)
