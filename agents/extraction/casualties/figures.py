"""Figures: runs of number tokens with their qualifiers, normalised, and the traps that
are not head counts (ages, dates, times, money, ranks, shares, clock times).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Count
from ..numbers import count_words, is_number_word, parse_count
from .cues import PLACE_LABELS, VictimNouns, lemma_of
from ..tokens import doc_tokens, tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


#: Entity labels whose numbers are never head counts.
TRAP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})


#: Symbols before a number that make it money or a rank.
TRAP_PREFIXES = frozenset({"$", "€", "£", "¥", "us$", "usd", "eur", "rs", "rs.", "no.", "#",
                           "number", "no", "not", "page", "route", "flight", "article",
                           "resolution", "chapter", "section", "room", "gate", "platform"})


#: Words after a number that make it an age, a unit or a share.
TRAP_SUFFIXES = frozenset({"%", "percent", "per", "pc", "years", "year", "yrs", "-year",
                           "km", "kms", "mph", "kph", "am", "pm", "a.m.", "p.m.", "gmt",
                           "utc", "bn", "m", "k", "st", "nd", "rd", "th", "times", "fold",
                           "o'clock", "hours", "hrs", "minutes", "mins", "seconds"})


#: Words that make a following "one" a pronoun or part of an idiom.
ONE_BLOCKERS = frozenset({"the", "that", "this", "every", "each", "any", "no", "not", "which",
                          "someone", "anyone", "no-one", "only", "last", "another", "such"})


#: Groups that "of one ..." names as the people's own: "five members of one family".
ONE_GROUP_NOUNS = frozenset({"family", "household", "clan"})

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Figure:
    """A normalised figure and where it sits: tokens [start, end) of the doc."""

    start: int
    end: int
    count: Count
    numbers: tuple[int, ...]


QUALIFIER_PREPS = frozenset({"between", "over", "about", "around", "under", "upwards", "up",
                              "some", "nearly", "almost", "roughly", "approximately"})


_VAGUE_HEADS = {"tens": ("thousands", "millions"), "hundreds": ("thousands", "millions")}


_LEFT_PARTS = {"a", "an", "several", "few", "many"}


_DASH_TEXT = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"}


#: A figure with its scale abbreviation in one token ("1mn evacuated", "2.5bn"), which
#: the tokenizer leaves whole ("83.4m" it splits, see `_abbreviated_scale`).
_GLUED_SCALE = re.compile(r"^(\d+(?:\.\d+)?)(mn|mln|bn)$", re.IGNORECASE)


def _unglued(text: str) -> str:
    """ "1mn" -> "1 million"; any other token text unchanged."""
    found = _GLUED_SCALE.match(text)
    return f"{found.group(1)} {_ABBREVIATED[found.group(2).lower()]}" if found else text


def _is_number(tok: "Token", words: frozenset[str]) -> bool:
    low = tok.lower_
    if low in words:
        return True
    if _GLUED_SCALE.match(tok.text):
        return True
    if low == "tens":  # only in "tens of thousands/millions"
        doc = tok.doc
        return tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "of" and \
            doc[tok.i + 2].lower_ in ("thousands", "millions")
    return tok.text[:1].isdigit() and is_number_word(tok.text)


@functools.cache
def _number_words() -> frozenset[str]:
    lex = count_words()
    vague_single = {w for w in lex.vague if " " not in w}
    return lex.simple_words | vague_single


@functools.cache
def _prefix_phrases() -> tuple[tuple[list[str], str], ...]:
    lex = count_words()
    phrases = [(p.split(), q) for p, q in lex.prefix_qualifiers.items()]
    return tuple(sorted(phrases, key=lambda item: -len(item[0])))


@functools.cache
def _suffix_phrases() -> tuple[tuple[list[str], str], ...]:
    phrases = [(p.split(), q) for p, q in count_words().suffix_qualifiers.items()]
    return tuple(sorted(phrases, key=lambda item: -len(item[0])))


@functools.cache
def _scale_words() -> frozenset[str]:
    lex = count_words()
    return frozenset({*lex.scales, *lex.multipliers})


def _joinable(prev: "Token", nxt: "Token") -> bool:
    """True if two adjacent number tokens write one number ("twenty five", "1.2
    million"), not two figures side by side ("two 19-year-old students")."""
    if nxt.lower_ in _scale_words() or prev.lower_ in _VAGUE_HEADS:
        return True
    return not prev.text[:1].isdigit() and not nxt.text[:1].isdigit()


def _spaced_thousands(prev: "Token", nxt: "Token") -> bool:
    """True for digit groups set apart by a space, the thousands separator of UN and
    European copy ("almost 200 000 people", "1 200 000"): a group of one to three digits
    followed by one of exactly three. "In 2019, 200 people" has a comma between; a year
    has four digits."""
    return prev.text.isdigit() and 1 <= len(prev.text) <= 3 and prev.whitespace_ == " " \
        and nxt.text.isdigit() and len(nxt.text) == 3


def _same_figure(left: "Token", right: "Token") -> bool:
    """True if two numbers around a joiner can be the bounds of one range. A date
    and a count ("March 3 - Nineteen people were killed", a dateline) cannot: the
    left one is a date, or one is in digits and the other a capitalised word
    opening the story. After "between" the tagger's DATE on the left bound is not
    trusted ("Between 5 and 7 people were shot"); a month before it still is."""
    before = left.doc[left.i - 1].lower_ if left.i > 0 else ""
    if left.ent_type_ == "DATE" and right.ent_type_ != "DATE" and before != "between":
        return False
    if before in _MONTHS:
        return False
    return not (left.text[:1].isdigit() and right.text[:1].isupper())


#: Abbreviated scales written onto a figure in headlines and reports ("83.4m", "1.2bn").
_ABBREVIATED = {"m": "million", "mn": "million", "mln": "million", "bn": "billion"}


def _abbreviated_scale(doc: "Doc", numbers: tuple[int, ...], end: int,
                       stop: int) -> str | None:
    """The scale word of an abbreviation glued to the figure's last number ("83.4m
    people", "reached 1.2m"), unless a currency symbol makes it money ("$5m") or a unit
    follows. Metres and money stay traps: a glued "m" only counts before a people noun, a
    punctuation mark or the sentence end, with no currency before the number."""
    if not numbers or end >= stop or numbers[-1] != end - 1:
        return None
    last, nxt = doc[end - 1], doc[end]
    if last.whitespace_ or not last.text[:1].isdigit():
        return None
    scale = _ABBREVIATED.get(nxt.lower_)
    if scale is None:
        return None
    first = doc[numbers[0]]
    if first.i > 0 and (doc[first.i - 1].lower_ in TRAP_PREFIXES or
                        doc[first.i - 1].ent_type_ == "MONEY" or first.ent_type_ == "MONEY"):
        return None
    after = doc[end + 1] if end + 1 < stop else None
    if after is not None and not after.is_punct and after.pos_ not in ("NOUN", "PROPN", "ADJ",
                                                                          "ADP", "ADV", "VERB",
                                                                          "AUX", "CCONJ"):
        return None
    return scale


def find_figures(sent: "Span") -> list[Figure]:
    """Every figure in `sent`: number runs with their qualifiers, normalised."""
    doc = sent.doc
    toks = doc_tokens(doc)
    words = _number_words()
    prefixes = _prefix_phrases()
    suffixes = _suffix_phrases()
    lows = [t.lower_ for t in tokens_of(sent)]
    out: list[Figure] = []
    i, stop = sent.start, sent.end
    while i < stop:
        tok = toks[i]
        if not _is_number(tok, words):
            i += 1
            continue
        j = i + 1
        glued: set[int] = set()  # tokens written onto the next one ("200 000")
        while j < stop:
            nxt = toks[j]
            if _spaced_thousands(toks[j - 1], nxt):
                glued.add(j - 1)
                j += 1
                continue
            if _is_number(nxt, words):
                if not _joinable(toks[j - 1], nxt):
                    break
                j += 1
                continue
            joins = (nxt.lower_ in ("and", "to", "or") or nxt.text in _DASH_TEXT
                     or (nxt.lower_ == "of" and toks[j - 1].lower_ in _VAGUE_HEADS))
            if joins and nxt.lower_ == "and" and toks[j - 1].text[:1].isdigit() and \
                    not any(toks[k].lower_ == "between" for k in range(max(sent.start, i - 3), i)):
                break  # "killed 3, 5 and 7 people": a list; "between 5 and 7": a range
            if joins and j + 1 < stop and _is_number(toks[j + 1], words) and \
                    _same_figure(toks[j - 1], toks[j + 1]):
                if nxt.lower_ == "of" and toks[j + 1].lower_ not in _VAGUE_HEADS.get(
                        toks[j - 1].lower_, ()):
                    break
                j += 2
                continue
            break
        numbers = tuple(k for k in range(i, j) if _is_number(toks[k], words))
        start, end = i, j
        # "a dozen", "several hundred", "a few thousand"
        while start > sent.start and toks[start - 1].lower_ in _LEFT_PARTS and \
                toks[start].lower_ in ("dozen", "hundred", "thousand", "million", "dozens",
                                      "few", "hundreds", "thousands"):
            start -= 1
        if start > sent.start and toks[start - 1].lower_ == "half" and \
                toks[start].lower_ in ("a", "an"):
            start -= 1  # "half a million"
        scale = _abbreviated_scale(doc, numbers, end, stop)
        if scale is not None:
            end += 1
        if start > sent.start and toks[start - 1].lower_ == "between":
            start -= 1
        for phrase, _ in prefixes:
            n = len(phrase)
            if start - n >= sent.start and lows[start - n - sent.start:start - sent.start] == phrase:
                start -= n
                break
        if start > sent.start and toks[start - 1].lower_ == "between":
            start -= 1
        for phrase, _ in suffixes:
            n = len(phrase)
            if end + n <= stop and lows[end - sent.start:end + n - sent.start] == phrase:
                end += n
                break
        last = end if scale is None else end - 1
        text = "".join(_unglued(t.text) + ("" if t.i in glued or t.i == last - 1
                                           else t.whitespace_) for t in doc[start:last])
        count = parse_count(text if scale is None else f"{text} {scale}")
        if count is not None and (count.key or 0) >= 1:
            out.append(Figure(start, end, count, numbers))
        i = j
    return out


_CALENDAR_ENTS = frozenset({"DATE", "TIME"})


_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                     "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                     "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})


_CALENDAR_WORDS = frozenset({"day", "week", "month", "year", "decade", "century", "hour",
                             "minute", "second", "night", "weekend", "ago", "'s", "s"})


def _calendar_figure(fig: Figure, doc: "Doc", nouns: VictimNouns) -> bool:
    """True if a figure inside a DATE/TIME entity really is calendar material.

    The small pipelines tag "Between 20 and 30 people" or "58 had been injured" as
    DATE now and then, so the entity label alone is not trusted: a date needs a
    year-like number, a month next to the figure, or a unit of time after it.
    """
    after = doc[fig.end] if fig.end < len(doc) else None
    before = doc[fig.start - 1] if fig.start > 0 else None
    if after is not None and (lemma_of(after) in nouns.victims or after.lower_ in nouns.victims):
        return False
    if any(YEAR.fullmatch(doc[k].text) for k in fig.numbers):
        return True
    if _opens_clause_after_time(fig, doc):
        return False
    for tok in (after, before):
        if tok is not None and (tok.lower_ in _MONTHS or lemma_of(tok) in _CALENDAR_WORDS):
            return True
    return False


#: Words that make a time noun a whole time phrase ("last month", "the previous week").
_TIME_PHRASE_WORDS = frozenset({"last", "previous", "next", "following", "same", "that",
                                "this", "preceding", "prior"})


def _opens_clause_after_time(fig: Figure, doc: "Doc") -> bool:
    """True for a bare figure that is the subject of the verb right after it, behind a
    time phrase that opens the clause: "the previous week 50 were killed", "last month 30
    died". The tagger runs the figure into the date; a week number ("in week 50 of the
    season") has no such phrase word before its noun and no verb after its figure."""
    if fig.start < 2 or fig.end >= len(doc):
        return False
    noun, opener, after = doc[fig.start - 1], doc[fig.start - 2], doc[fig.end]
    if lemma_of(noun) not in _CALENDAR_WORDS or opener.lower_ not in _TIME_PHRASE_WORDS:
        return False
    return after.pos_ in ("AUX", "VERB") and after.tag_ in ("VBD", "VBZ", "VBP", "MD")


def _appositive_age(fig: Figure, doc: "Doc", nouns: VictimNouns | None = None) -> bool:
    """True for an age set off by commas after a name: "Rashid Ahmed, 35, who was
    injured", "his son, 12, was killed". A bare one- to three-digit number between a
    name (or a person noun) and a comma or the sentence end is read as an age; "In
    Mosul, 35 people were killed" is not, because a noun follows the number."""
    if len(fig.numbers) != 1 or fig.start != fig.numbers[0] or fig.start < 2:
        return False
    tok = doc[fig.start]
    if not tok.text.isdigit() or not 0 < int(tok.text) < 120:
        return False
    if doc[fig.start - 1].text != ",":
        return False
    after = doc[fig.end] if fig.end < len(doc) else None
    if after is not None and after.text not in (",", ".", ";", ")"):
        return False
    name = doc[fig.start - 2]
    return name.ent_type_ == "PERSON" or (name.pos_ == "PROPN" and name.ent_type_ not in
                                          PLACE_LABELS | {"ORG", "NORP", "DATE"}) or (
        name.pos_ == "NOUN" and lemma_of(name) in _KIN) or (
        # "the lorry driver, 35, had been arrested": one person named by a role
        nouns is not None and name.pos_ == "NOUN" and name.tag_ == "NN"
        and lemma_of(name) in nouns.victims)


#: Nouns for a single named person an age can follow ("his son, 12").
_KIN = frozenset({"son", "daughter", "brother", "sister", "wife", "husband", "mother",
                  "father", "man", "woman", "boy", "girl", "nephew", "niece", "cousin",
                  "grandson", "granddaughter", "grandmother", "grandfather", "uncle", "aunt"})


def _listed_age(fig: Figure, doc: "Doc", nouns: VictimNouns) -> bool:
    """True for a later item of a list of ages: "ages 15, 16, 18 and 19" (the first item
    follows the age word itself)."""
    k = fig.start - 1
    seen_number = False
    while k >= 0 and fig.start - k <= 12:
        tok = doc[k]
        if tok.text in (",", "and", "&") or tok.like_num:
            seen_number = seen_number or tok.like_num
            k -= 1
            continue
        return seen_number and tok.lower_ in nouns.age_words
    return False


def _appositive_age_list(fig: Figure, doc: "Doc", nouns: VictimNouns) -> bool:
    """True for ages listed in an appositive after the people they describe: "The victims,
    19 and 22, were shot" (bare numbers under 120 between commas after a people noun or a
    name)."""
    def bare(tok: "Token") -> bool:
        return tok.text.isdigit() and 0 < int(tok.text) < 120

    if len(fig.numbers) != 1 or not bare(doc[fig.numbers[0]]):
        return False
    k = fig.start - 1
    count = 1
    while k >= 0 and (doc[k].lower_ in ("and", ",") or bare(doc[k])):
        count += bare(doc[k])
        if doc[k].text == "," and k > 0 and not bare(doc[k - 1]) and doc[k - 1].lower_ != "and":
            break
        k -= 1
    if k < 1 or doc[k].text != ",":
        return False
    owner = doc[k - 1]
    j = fig.end
    while j < len(doc) and (doc[j].lower_ == "and" or bare(doc[j])
                            or (doc[j].text == "," and j + 1 < len(doc) and bare(doc[j + 1]))):
        count += bare(doc[j])
        j += 1
    if count < 2 or j >= len(doc) or doc[j].text not in (",", ")"):
        return False
    return owner.ent_type_ == "PERSON" or (owner.pos_ in ("NOUN", "PROPN") and (
        lemma_of(owner) in nouns.victims or owner.lower_ in nouns.victims))


def _ratio(fig: Figure, doc: "Doc") -> bool:
    """True for either side of a proportion: "nine in ten of the population", "one in five",
    "nine out of 10"."""
    words = _number_words()

    def value(tok: "Token") -> int | None:
        if not _is_number(tok, words) or YEAR.fullmatch(tok.text) or tok.ent_type_ == "DATE":
            return None
        found = parse_count(tok.text)
        return found.key if found is not None else None

    def proportion(low: int | None, high: int | None) -> bool:
        return low is not None and high is not None and 0 < low < high <= 1000

    own = fig.count.key
    k = fig.end
    if k + 1 < len(doc) and doc[k].lower_ == "in" and proportion(own, value(doc[k + 1])):
        return True
    if k + 2 < len(doc) and doc[k].lower_ == "out" and doc[k + 1].lower_ == "of" and \
            proportion(own, value(doc[k + 2])):
        return True
    k = fig.start - 1
    if k >= 1 and doc[k].lower_ == "in" and proportion(value(doc[k - 1]), own):
        return True
    return k >= 2 and doc[k].lower_ == "of" and doc[k - 1].lower_ == "out" and \
        proportion(value(doc[k - 2]), own)


def _people_quantity(fig: Figure, toks: list["Token"], doc: "Doc", nouns: VictimNouns) -> bool:
    """True for a head count the tagger labels a quantity or an amount ("uprooted more than
    10 million people", "home to more than 10 million displaced people"): a QUANTITY or
    MONEY entity with no currency before it, whose figure counts a people noun right after
    it. Percentages and ordinals stay traps."""
    if any(t.ent_type_ not in ("QUANTITY", "MONEY", "") for t in toks):
        return False
    if fig.start > 0 and (doc[fig.start - 1].lower_ in TRAP_PREFIXES
                          or doc[fig.start - 1].is_currency):
        return False
    k = fig.end
    while k < len(doc) and k - fig.end < 3 and doc[k].pos_ == "ADJ":
        k += 1
    return k < len(doc) and doc[k].pos_ in ("NOUN", "PROPN") and (
        lemma_of(doc[k]) in nouns.victims or doc[k].lower_ in nouns.victims)


def _one_of_the_most(doc: "Doc", k: int) -> bool:
    """True after "one" for a ranking: "one of the world's largest evacuations", "one of
    the deadliest attacks", "one of the most violent nights" (a superlative inside "of
    the ..."), which places an event among others and counts no one; "one of the
    wounded" has no superlative."""
    if k + 1 >= len(doc) or doc[k].lower_ != "of" or doc[k + 1].lower_ not in (
            "the", "its", "their", "our", "his", "her"):
        return False
    for tok in doc[k + 2:min(k + 6, len(doc))]:
        if tok.tag_ in ("JJS", "RBS"):
            return True
        if tok.pos_ in ("VERB", "AUX") or tok.is_punct:
            return False
    return False


def is_trap(fig: Figure, doc: "Doc", nouns: VictimNouns, negators: frozenset[str]) -> bool:
    """True if the figure is an age, date, time, amount, rank or negated count."""
    toks = [doc[k] for k in fig.numbers]
    if any(t.ent_type_ in TRAP_ENTS - _CALENDAR_ENTS and not (
            t.ent_type_ in ("ORDINAL", "QUANTITY") and _GLUED_SCALE.match(t.text))
           for t in toks) and not _people_quantity(fig, toks, doc, nouns):
        return True  # a glued scale ("1mn") is no rank or unit, whatever the tagger says
    if any(t.ent_type_ in _CALENDAR_ENTS for t in toks) and _calendar_figure(fig, doc, nouns):
        return True
    if _listed_age(fig, doc, nouns) or _appositive_age_list(fig, doc, nouns):
        return True
    before = doc[fig.start - 1] if fig.start > 0 else None
    if before is not None:
        low = before.lower_
        if low in TRAP_PREFIXES or low in nouns.age_words or low in negators:
            return True
        if low in ONE_BLOCKERS and doc[fig.numbers[0]].lower_ == "one":
            return True
        if before.text in ("(",) and fig.end < len(doc) and doc[fig.end].text == ")":
            return True  # "John Smith (40)": an age in parentheses
        if _appositive_age(fig, doc, nouns):
            return True
    k = fig.end
    while k < len(doc) and doc[k].text in _DASH_TEXT:
        k += 1
    if k < len(doc):
        nxt = doc[k]
        if nxt.lower_ in TRAP_SUFFIXES or nxt.lower_ in nouns.age_words:
            return True
        if nxt.lemma_.lower() in ("year", "month", "week", "day", "hour", "minute") and \
                k + 1 < len(doc) and doc[k + 1].lower_ in ("old", "-", "olds"):
            return True
        if (nxt.text == ":" and k + 1 < len(doc) and doc[k + 1].text[:1].isdigit()) or (
                nxt.text[:1] in ":." and nxt.text[1:2].isdigit()):
            return True  # clock time ("10:30"); "kill at least 20: military" is a source
    if _ratio(fig, doc):
        return True
    first = doc[fig.numbers[0]]
    if first.lower_ == "one" and fig.count.qualifier == "exact":
        # "one of the few", "one another", "one day"
        if k < len(doc) and doc[k].lower_ in ("another", "day", "time", "way", "thing"):
            return True
        if _one_of_the_most(doc, k):
            return True
        # "Five members of one family", "17 people from one family": the group the
        # counted people belong to, not a second count.
        if before is not None and before.lower_ in ("of", "from") and k < len(doc) and \
                doc[k].lemma_.lower() in ONE_GROUP_NOUNS:
            return True
    return False

