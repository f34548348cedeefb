"""Casualty claims: statements that a stated number of people suffered one harm.

`extract_claims(doc, ctx)` finds every figure in the parsed article, decides from
the dependency parse whether it counts people harmed, and in which of the six
categories of the extraction contract; then it reads the figure's qualifier,
victims, reporter, perpetrator, modality, period and place.

How a figure becomes a claim:

1. A *figure* is a run of number tokens with its qualifier ("more than 40,000",
   "between 200 and 300", "two dozen", "tens of thousands"), normalised by
   `numbers.parse_count`. Figures that are ages, dates, times, money, percentages,
   distances or ordinals are dropped here (named entities and neighbouring
   words decide).
2. The figure is linked to the noun it counts (`nummod`, "dozens of people",
   "one of the soldiers"); that noun, or the figure itself when it stands alone
   ("killing 23", "16 killed"), is the *argument*.
3. The argument is linked to a harm cue through the parse: object or passive
   subject of a harm verb, subject of "die"/"flee their homes", modified by a
   harm participle ("people killed"), predicate ("20 were dead/missing",
   "were among the dead"), "the deaths of N", "a death toll of N", "the toll
   rose to N", "claimed N lives". Cue words are data (`casualty_cues`).
4. When the parse gives no link, a narrow surface pattern ("N <victims> were
   killed", "killing N") still yields a claim, with lower confidence.

5. A sub-count takes the harm of the group it is part of ("12 people, six of them
   children", "Of the 36 killed, 20 were soldiers", "killed, including four
   children").

Counts of things and animals, negated harms ("none of the 120 passengers"),
"killed or wounded" (two harms at once), perpetrators' counts ("two bombers
killed 23") and superseded tolls ("rose to 120 from 80": 80; "initially reported
12 deaths" when the article later gives a higher toll; "the previous figure was
2,445 dead" when the article gives the revised one, higher or lower) are not
claims. Ages after a name ("Rashid Ahmed, 35, who was injured"), the size of a
population a share of which is harmed ("85% of the territory's 2.3 million
people") and a date run into a dateline's first number ("March 3 - Nineteen
people were killed") are not figures of harm either. The same `(category, figure)` stated
twice in one article is one claim: the most informative statement is kept.

Modality: a figure inside the scope of a denial ("denied that ...", "rejected the
figure") is `denied`; inside the scope of a dispute word it is `disputed`; a
harm under a modal ("could kill", "may have died"), a condition ("if") or an
intent ("threatened to kill") is `hypothetical`. A figure that "could not be
independently verified" stays `asserted`: news agencies add that caveat to
nearly every conflict toll they relay, and the party reporting it still asserts
it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from . import dates, geo, lexicon
from .entities import doc_ents, ents_in
from .lexicon import Field, LexiconError
from .model import CATEGORIES, ArticleContext, CasualtyClaim, Count, Location, Period
from .numbers import count_words, is_number_word, parse_count

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

__all__ = ["extract_claims", "Cues", "VictimNouns", "ClaimContext"]

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
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PAST_SPAN = re.compile(
    r"\b(?:(?:over|in|during|within|for|throughout|across)\s+the\s+(?:past|last|previous)"
    r"|past|last|previous)\s+(?:(\w+(?:-\w+)?)\s+)?(hour|day|week|month|year)s?\b", re.I)
#: "since the start of the year", "since the beginning of 2024", "since the start of
#: the month": a period opening at the start of the calendar unit.
_SINCE_START = re.compile(
    r"\bsince\s+(?:the\s+)?(?:start|beginning|turn|outset)\s+of\s+(?:the\s+|this\s+)?"
    r"(year|month|(?:19|20)\d\d)\b", re.I)


# --- lexicons -----------------------------------------------------------------

@dataclass(frozen=True)
class CategoryCues:
    """The harm cues of one category, as lower-case lemmas (see `casualty_cues`)."""

    verbs: frozenset[str]
    intransitive: frozenset[str]
    states: frozenset[str]
    nouns: dict[str, frozenset[str]]
    of_nouns: frozenset[str]
    phrases: tuple[tuple[str, str], ...]
    person_verbs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cues:
    """Every category's cues plus the toll and linking-verb vocabulary."""

    categories: dict[str, CategoryCues]
    toll_nouns: frozenset[str]
    count_nouns: frozenset[str]
    toll_verbs: frozenset[str]
    linking_verbs: frozenset[str]
    exceed_verbs: frozenset[str] = frozenset()
    flee_verbs: frozenset[str] = frozenset()

    def category_of(self, kind: str, word: str) -> str | None:
        """The category whose `kind` cue list holds `word`, else None."""
        for name, cues in self.categories.items():
            pool = getattr(cues, kind)
            if word in pool:
                return name
        return None

    @functools.cached_property
    def causes_flight(self) -> frozenset[str]:
        """Verbs that make their object flee ("sent thousands fleeing", "forced 20,000
        to flee"): the displaced phrases pairing a verb with "flee"."""
        return frozenset(v for v, w in self.categories["displaced"].phrases
                         if w in self.flee_verbs)

    @property
    def phrase_verbs(self) -> frozenset[str]:
        return frozenset(v for c in self.categories.values() for v, _ in c.phrases)


@dataclass(frozen=True)
class VictimNouns:
    """Nouns that count people, nouns that never do, and words that mark ages."""

    victims: frozenset[str]
    non_victims: frozenset[str]
    age_words: frozenset[str]


@dataclass(frozen=True)
class ClaimContext:
    """Words around a figure that change who said it, how sure it is, and when."""

    reporting_verbs: frozenset[str]
    denial: frozenset[str]
    dispute: frozenset[str]
    hypothetical_aux: frozenset[str]
    intent_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    cumulative_markers: tuple[tuple[str, ...], ...]
    negators: frozenset[str]
    harm_events: frozenset[str]
    earlier_markers: frozenset[str] = frozenset()


def _words(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise LexiconError(f"{where}: expected a list of strings")
    if not value:
        return frozenset()
    items = lexicon.check_string_list(value, where)
    for i, item in enumerate(items):
        if item != item.lower():
            raise LexiconError(f"{where}[{i}]: {item!r} must be lower case")
    return frozenset(items)


@lexicon.register("casualty_cues")
def _validate_cues(entries: Any, where: str) -> Cues:
    lexicon.check_record(entries, {
        "categories": Field((dict,)), "toll_nouns": Field((list,)),
        "count_nouns": Field((list,)), "toll_verbs": Field((list,)),
        "linking_verbs": Field((list,)), "exceed_verbs": Field((list,)),
        "flee_verbs": Field((list,)),
    }, where)
    cats = entries["categories"]
    unknown = set(cats) - set(CATEGORIES)
    missing = set(CATEGORIES) - set(cats)
    if unknown or missing:
        raise LexiconError(f"{where}.categories: unknown {sorted(unknown)}, "
                           f"missing {sorted(missing)}; expected {list(CATEGORIES)}")
    built: dict[str, CategoryCues] = {}
    for name in CATEGORIES:
        at = f"{where}.categories.{name}"
        spec = lexicon.check_record(cats[name], {
            "verbs": Field((list,)), "intransitive": Field((list,)), "states": Field((list,)),
            "nouns": Field((dict,)), "of_nouns": Field((list,)), "phrases": Field((list,)),
            "person_verbs": Field((list,), required=False),
        }, at)
        nouns = {}
        for noun, governors in spec["nouns"].items():
            if not isinstance(noun, str) or noun != noun.lower() or not noun.strip():
                raise LexiconError(f"{at}.nouns: key {noun!r} must be a lower-case word")
            nouns[noun] = _words(governors, f"{at}.nouns.{noun}")
        phrases = []
        for i, phrase in enumerate(spec["phrases"]):
            rec = lexicon.check_record(phrase, {"verb": Field((str,)), "word": Field((str,))},
                                       f"{at}.phrases[{i}]")
            phrases.append((rec["verb"].lower(), rec["word"].lower()))
        built[name] = CategoryCues(
            verbs=_words(spec["verbs"], f"{at}.verbs"),
            intransitive=_words(spec["intransitive"], f"{at}.intransitive"),
            states=_words(spec["states"], f"{at}.states"),
            nouns=nouns,
            of_nouns=_words(spec["of_nouns"], f"{at}.of_nouns"),
            phrases=tuple(phrases),
            person_verbs=_words(spec.get("person_verbs", []), f"{at}.person_verbs"),
        )
    return Cues(
        categories=built,
        toll_nouns=_words(entries["toll_nouns"], f"{where}.toll_nouns"),
        count_nouns=_words(entries["count_nouns"], f"{where}.count_nouns"),
        toll_verbs=_words(entries["toll_verbs"], f"{where}.toll_verbs"),
        linking_verbs=_words(entries["linking_verbs"], f"{where}.linking_verbs"),
        exceed_verbs=_words(entries["exceed_verbs"], f"{where}.exceed_verbs"),
        flee_verbs=_words(entries["flee_verbs"], f"{where}.flee_verbs"),
    )


@lexicon.register("casualty_nouns")
def _validate_nouns(entries: Any, where: str) -> VictimNouns:
    lexicon.check_record(entries, {"victims": Field((list,)), "non_victims": Field((list,)),
                                   "age_words": Field((list,))}, where)
    victims = _words(entries["victims"], f"{where}.victims")
    non_victims = _words(entries["non_victims"], f"{where}.non_victims")
    both = victims & non_victims
    if both:
        raise LexiconError(f"{where}: {sorted(both)} listed as both victims and non_victims")
    return VictimNouns(victims, non_victims, _words(entries["age_words"], f"{where}.age_words"))


@lexicon.register("casualty_context")
def _validate_context(entries: Any, where: str) -> ClaimContext:
    names = ("reporting_verbs", "denial", "dispute", "hypothetical_aux", "intent_verbs",
             "conditional_marks", "cumulative_markers", "negators", "harm_events",
             "earlier_markers")
    lexicon.check_record(entries, {n: Field((list,)) for n in names}, where)
    sets = {n: _words(entries[n], f"{where}.{n}") for n in names}
    markers = tuple(sorted((tuple(m.split()) for m in sets.pop("cumulative_markers")),
                           key=lambda m: -len(m)))
    return ClaimContext(cumulative_markers=markers, **sets)


def _lexicons() -> tuple[Cues, VictimNouns, ClaimContext]:
    return (lexicon.load("casualty_cues"), lexicon.load("casualty_nouns"),
            lexicon.load("casualty_context"))


# --- figures -------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """A normalised figure and where it sits: tokens [start, end) of the doc."""

    start: int
    end: int
    count: Count
    numbers: tuple[int, ...]


_QUALIFIER_PREPS = frozenset({"between", "over", "about", "around", "under", "upwards", "up",
                              "some", "nearly", "almost", "roughly", "approximately"})
_VAGUE_HEADS = {"tens": ("thousands", "millions"), "hundreds": ("thousands", "millions")}
_LEFT_PARTS = {"a", "an", "several", "few", "many"}
_DASH_TEXT = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"}


def _is_number(tok: "Token", words: frozenset[str]) -> bool:
    low = tok.lower_
    if low in words:
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


def _same_figure(left: "Token", right: "Token") -> bool:
    """True if two numbers around a joiner can be the bounds of one range. A date
    and a count ("March 3 - Nineteen people were killed", a dateline) cannot: the
    left one is a date, or one is in digits and the other a capitalised word
    opening the story."""
    if left.ent_type_ == "DATE" and right.ent_type_ != "DATE":
        return False
    if left.i > 0 and left.doc[left.i - 1].lower_ in _MONTHS:
        return False
    return not (left.text[:1].isdigit() and right.text[:1].isupper())


def _figures(sent: "Span") -> list[Figure]:
    """Every figure in `sent`: number runs with their qualifiers, normalised."""
    doc = sent.doc
    words = _number_words()
    prefixes = _prefix_phrases()
    suffixes = _suffix_phrases()
    lows = [t.lower_ for t in sent]
    out: list[Figure] = []
    i, stop = sent.start, sent.end
    while i < stop:
        tok = doc[i]
        if not _is_number(tok, words):
            i += 1
            continue
        j = i + 1
        while j < stop:
            nxt = doc[j]
            if _is_number(nxt, words):
                if not _joinable(doc[j - 1], nxt):
                    break
                j += 1
                continue
            joins = (nxt.lower_ in ("and", "to", "or") or nxt.text in _DASH_TEXT
                     or (nxt.lower_ == "of" and doc[j - 1].lower_ in _VAGUE_HEADS))
            if joins and j + 1 < stop and _is_number(doc[j + 1], words) and \
                    _same_figure(doc[j - 1], doc[j + 1]):
                if nxt.lower_ == "of" and doc[j + 1].lower_ not in _VAGUE_HEADS.get(
                        doc[j - 1].lower_, ()):
                    break
                j += 2
                continue
            break
        numbers = tuple(k for k in range(i, j) if _is_number(doc[k], words))
        start, end = i, j
        # "a dozen", "several hundred", "a few thousand"
        while start > sent.start and doc[start - 1].lower_ in _LEFT_PARTS and \
                doc[start].lower_ in ("dozen", "hundred", "thousand", "million", "dozens",
                                      "few", "hundreds", "thousands"):
            start -= 1
        if start > sent.start and doc[start - 1].lower_ == "between":
            start -= 1
        for phrase, _ in prefixes:
            n = len(phrase)
            if start - n >= sent.start and lows[start - n - sent.start:start - sent.start] == phrase:
                start -= n
                break
        if start > sent.start and doc[start - 1].lower_ == "between":
            start -= 1
        for phrase, _ in suffixes:
            n = len(phrase)
            if end + n <= stop and lows[end - sent.start:end + n - sent.start] == phrase:
                end += n
                break
        span = doc[start:end]
        count = parse_count(span.text)
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
    if after is not None and (_lemma(after) in nouns.victims or after.lower_ in nouns.victims):
        return False
    if any(_YEAR.fullmatch(doc[k].text) for k in fig.numbers):
        return True
    for tok in (after, before):
        if tok is not None and (tok.lower_ in _MONTHS or _lemma(tok) in _CALENDAR_WORDS):
            return True
    return False


def _appositive_age(fig: Figure, doc: "Doc") -> bool:
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
        name.pos_ == "NOUN" and _lemma(name) in _KIN)


#: Nouns for a single named person an age can follow ("his son, 12").
_KIN = frozenset({"son", "daughter", "brother", "sister", "wife", "husband", "mother",
                  "father", "man", "woman", "boy", "girl", "nephew", "niece", "cousin",
                  "grandson", "granddaughter", "grandmother", "grandfather", "uncle", "aunt"})


def _is_trap(fig: Figure, doc: "Doc", nouns: VictimNouns, negators: frozenset[str]) -> bool:
    """True if the figure is an age, date, time, amount, rank or negated count."""
    toks = [doc[k] for k in fig.numbers]
    if any(t.ent_type_ in TRAP_ENTS - _CALENDAR_ENTS for t in toks):
        return True
    if any(t.ent_type_ in _CALENDAR_ENTS for t in toks) and _calendar_figure(fig, doc, nouns):
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
        if _appositive_age(fig, doc):
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
        if nxt.lower_ == ":" or (nxt.text[:1] in ":." and nxt.text[1:2].isdigit()):
            return True  # clock time
    first = doc[fig.numbers[0]]
    if first.lower_ == "one" and fig.count.qualifier == "exact":
        # "one of the few", "one another", "one day"
        if k < len(doc) and doc[k].lower_ in ("another", "day", "time", "way", "thing"):
            return True
    return False


# --- linking a figure to a harm ---------------------------------------------------

@dataclass(frozen=True)
class Link:
    """How a figure was tied to a harm: category, cue token, victims noun, strength."""

    category: str
    cue: "Token"
    victim: "Token | None"
    strength: float


def _lemma(tok: "Token") -> str:
    return tok.lemma_.lower()


def _negated(tok: "Token", ctxw: ClaimContext) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in ctxw.negators)
               for c in tok.children)


def _descendant_lemmas(tok: "Token", depth: int = 2) -> set[str]:
    found: set[str] = set()
    frontier = [tok]
    for _ in range(depth):
        nxt = []
        for t in frontier:
            for c in t.children:
                found.add(_lemma(c))
                found.add(c.lower_)
                nxt.append(c)
        frontier = nxt
    return found


def _phrase_category(verb: "Token", cues: Cues, exclude: "Token | None" = None) -> str | None:
    """The category of a multi-word cue headed by `verb` ("fled their homes")."""
    lemma = _lemma(verb)
    if lemma not in cues.phrase_verbs:
        return None
    below = _descendant_lemmas(verb)
    if exclude is not None:
        below.discard(_lemma(exclude))
    for name, cat in cues.categories.items():
        for v, word in cat.phrases:
            if v == lemma and word in below:
                return name
    return None


def _state_category(tok: "Token", cues: Cues) -> str | None:
    for key in (tok.lower_, _lemma(tok)):
        name = cues.category_of("states", key)
        if name:
            return name
    if tok.tag_ == "VBN":
        return cues.category_of("verbs", _lemma(tok))
    return None


def _complement_category(head: "Token", arg: "Token", cues: Cues) -> tuple[str, "Token"] | None:
    """A harm predicated of `arg` through `head` ("were dead", "left 20 dead",
    "were among the dead", "were listed as missing")."""
    for c in head.children:
        if c is arg or c.i == arg.i:
            continue
        if c.dep_ in ("acomp", "oprd", "xcomp", "attr", "ccomp", "advmod", "dep", "npadvmod"):
            name = _state_category(c, cues)
            if name and (c.dep_ != "ccomp" or c.tag_ in ("JJ", "VBN")):
                return name, c
            if c.dep_ == "xcomp":  # "are believed to have died / been killed"
                lemma = _lemma(c)
                name = cues.category_of("intransitive", lemma) or (
                    cues.category_of("verbs", lemma)
                    if any(x.dep_ == "auxpass" for x in c.children) else None)
                if name:
                    return name, c
        if c.dep_ == "prep" and c.lower_ in ("among", "as"):
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                name = _state_category(p, cues) or cues.category_of("nouns", _lemma(p))
                if name:
                    return name, p
                for pc in p.children:
                    if pc.dep_ in ("acl", "amod", "relcl"):
                        name = _state_category(pc, cues) or _verb_category(pc, cues, None)
                        if name:
                            return name, pc
    return None


def _verb_category(verb: "Token", cues: Cues, arg: "Token | None") -> str | None:
    """Category of a relative clause verb describing `arg` ("who were killed")."""
    lemma = _lemma(verb)
    for name, cat in cues.categories.items():
        if lemma in cat.verbs and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return name
        if lemma in cat.intransitive:
            return name
    return _phrase_category(verb, cues, arg)


def _toll_category(noun: "Token", cues: Cues, depth: int = 0) -> str | None:
    """The category a toll-like noun counts: "death toll" -> killed, "the number
    of wounded" -> injured."""
    lemma = _lemma(noun)
    if lemma in cues.toll_nouns:
        for c in noun.children:
            if c.dep_ in ("compound", "amod", "nmod"):
                name = (cues.category_of("nouns", _lemma(c)) or _state_category(c, cues)
                        or cues.category_of("of_nouns", _lemma(c)))
                if name and name != "killed":
                    return name
        return "killed"
    if lemma in cues.count_nouns and depth < 2:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    name = (cues.category_of("nouns", _lemma(p)) or _state_category(p, cues)
                            or cues.category_of("of_nouns", _lemma(p)))
                    if name:
                        return name
                    for pc in p.children:
                        if pc.dep_ in ("acl", "amod", "relcl"):
                            name = _state_category(pc, cues) or _verb_category(pc, cues, p)
                            if name:
                                return name
                # "the number of dead lower": the parse may hang the harm word
                # anywhere; the word right after "of (the)" is what is counted.
                doc = noun.doc
                k = c.i + 1
                if k < len(doc) and doc[k].lower_ == "the":
                    k += 1
                if k < len(doc):
                    name = _state_category(doc[k], cues) or cues.category_of(
                        "nouns", _lemma(doc[k]))
                    if name:
                        return name
    return None


#: Dependents that turn "fell" into something other than dying ("fell ill", "fell from
#: a roof", "the town fell to the rebels").
_FALL_BLOCKERS = frozenset({"from", "off", "into", "onto", "to", "down", "through", "out",
                            "behind", "apart", "short", "asleep", "ill", "silent", "sick",
                            "victim", "prey", "under", "below", "by"})


def _is_person(tok: "Token") -> bool:
    """True if `tok` is a noun that counts people ("soldiers", "members", "Afghans")."""
    if tok.pos_ not in ("NOUN", "PROPN") and not tok.ent_type_ in ("NORP", "PERSON"):
        return False
    victims = lexicon.load("casualty_nouns").victims
    return _lemma(tok) in victims or tok.lower_ in victims or tok.ent_type_ in ("NORP",)


def _person_harm(verb: "Token", arg: "Token", cues: Cues) -> str | None:
    """The harm of a verb that names one only for people: "lost 15 members of our
    family", "40 soldiers fell in battle", "the soldiers who had fallen", "fallen
    soldiers". Objects and subjects that are not people, a goal or source ("fell
    from a roof", "fell to the rebels") and a complement ("fell ill") rule it out."""
    lemma = _lemma(verb)
    name = cues.category_of("person_verbs", lemma)
    if name is None or not _is_person(arg):
        return None
    if any(c.lower_ in _FALL_BLOCKERS or c.dep_ in ("acomp", "oprd", "attr", "prt")
           for c in verb.children):
        return None
    if lemma != "lose" and any(c.dep_ in ("dobj", "obj") for c in verb.children):
        return None
    return name


def _caused_flight(arg: "Token", cues: Cues) -> bool:
    """True if the verb governing `arg` ("sent thousands of families ...") is one
    that makes people flee."""
    tok = arg
    for _ in range(4):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return _lemma(tok) in cues.causes_flight
    return False


def _has_have_aux(verb: "Token") -> bool:
    return any(c.dep_ == "aux" and _lemma(c) == "have" for c in verb.children)


def _link(arg: "Token", cues: Cues, ctxw: ClaimContext, depth: int = 0) -> tuple[str, "Token", float] | None:
    """Category, cue and strength tying `arg` (victims noun or bare figure) to a harm."""
    if depth > 3:
        return None
    lemma = _lemma(arg)
    # A counted harm noun: "20 deaths", "claimed 20 lives", "took 30 hostages".
    name = cues.category_of("nouns", lemma)
    if name:
        governors = cues.categories[name].nouns[lemma]
        if not governors or _lemma(arg.head) in governors:
            return name, arg, 0.9
    # A harm participle or adjective modifying the argument: "people killed", "16 dead".
    for c in arg.children:
        if c.dep_ in ("acl", "amod", "relcl", "appos") or (c.dep_ == "conj" and c.tag_ == "JJ"):
            if c.dep_ == "relcl":
                name = _verb_category(c, cues, arg) or (
                    _complement_category(c, arg, cues) or (None,))[0]
            else:
                name = _state_category(c, cues)
                if name is None and c.dep_ == "acl":
                    name = _phrase_category(c, cues, arg)
            if name is None and c.dep_ in ("relcl", "amod") and c.i != arg.i:
                name = _person_harm(c, arg, cues)
            if name is None and c.dep_ == "acl" and _lemma(c) in cues.flee_verbs and \
                    _caused_flight(arg, cues):
                name = "displaced"  # "sent thousands of families fleeing"
            if name and not _negated(c, ctxw):
                return name, c, 0.85
    dep, head = arg.dep_, arg.head
    if dep == "conj" and head is not arg and head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        found = _link(head, cues, ctxw, depth + 1)
        return (found[0], found[1], found[2] - 0.05) if found else None
    if dep in ("appos",) and head is not arg:
        return _link(head, cues, ctxw, depth + 1)
    if dep == "pobj" and head.dep_ == "prep" and (
            head.lower_ in _QUALIFIER_PREPS or (head.lower_ == "to" and head.i > 0
                                                and head.doc[head.i - 1].lower_ == "up")):
        # "arrested between 200 and 300 protesters", "kidnapped up to 16 advisers"
        # parsed with the qualifier as the verb's preposition or particle: the
        # figure is really the verb's object.
        dep, head = "dobj", head.head
        if head.lower_ == "up" and head.dep_ in ("prt", "advmod", "prep"):
            head = head.head
    hl = _lemma(head)
    if dep == "nsubjpass":
        name = cues.category_of("verbs", hl) or _phrase_category(head, cues, arg)
        if name:
            return name, head, 0.9
        # "have still not been accounted for": the negation is the harm here.
        if hl == "account" and any(c.dep_ == "prep" and c.lower_ == "for"
                                   for c in head.children):
            neg = next((c for c in head.children if c.dep_ == "neg"), None)
            if neg is not None:
                return "missing", neg, 0.85
        found = _complement_category(head, arg, cues)
        if found:
            return found[0], found[1], 0.85
    if dep in ("dobj", "obj"):
        if cues.category_of("verbs", hl):
            return cues.category_of("verbs", hl), head, 0.9
        name = _person_harm(head, arg, cues)
        if name and hl == "lose":
            return name, head, 0.8
        name = _phrase_category(head, cues, arg)
        if name:
            return name, head, 0.85
        found = _complement_category(head, arg, cues)
        if found and hl in cues.linking_verbs:
            return found[0], found[1], 0.85
        # "the toll has reached 61", "the number of people killed topped 100"
        if hl in cues.toll_verbs:
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    name = _toll_category(c, cues)
                    if name:
                        return name, c, 0.85
        # "the dead included 14 women"
        if hl == "include":
            for c in head.children:
                if c.dep_ == "nsubj":
                    name = cues.category_of("nouns", _lemma(c)) or _state_category(c, cues)
                    if name:
                        return name, c, 0.85
                    found2 = _link(c, cues, ctxw, depth + 1)
                    if found2:
                        return found2[0], found2[1], found2[2] - 0.05
    if dep == "nsubj" and hl in cues.flee_verbs and _leaves_place(head):
        return "displaced", head, 0.8
    if dep == "nsubj":
        name = cues.category_of("intransitive", hl)
        if name:
            return name, head, 0.9
        name = _person_harm(head, arg, cues) if hl != "lose" else None
        if name:
            return name, head, 0.8
        # "sent tens of thousands fleeing", "forced 20,000 to flee"
        if hl in cues.flee_verbs and head.dep_ in ("ccomp", "xcomp", "oprd", "advcl") and \
                _lemma(head.head) in cues.causes_flight:
            return "displaced", head, 0.8
        has_object = any(c.dep_ in ("dobj", "obj") for c in head.children)
        name = _phrase_category(head, cues, arg)
        if name and (not has_object or _phrase_category(head, cues) == name):
            return name, head, 0.85
        if cues.category_of("verbs", hl) and head.tag_ == "VBN" and not has_object \
                and not _has_have_aux(head):
            return cues.category_of("verbs", hl), head, 0.8
        # "50 people are missing", parsed with "missing" as the verb.
        if head.lower_ in {w for c in cues.categories.values() for w in c.states} \
                and not has_object and (any(_lemma(c) == "be" for c in head.children
                                            if c.dep_ in ("aux", "auxpass"))
                                        or head.tag_ in ("VBG", "JJ")):
            return _state_category(head, cues), head, 0.85
        found = _complement_category(head, arg, cues)
        if found and (hl in cues.linking_verbs or head.pos_ in ("AUX", "VERB")):
            return found[0], found[1], 0.85
    if dep in ("attr",) and hl in ("be", "remain", "stand"):
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                name = _toll_category(c, cues)
                if name:
                    return name, c, 0.85
        # "Among the dead were three soldiers" (subject and predicate inverted)
        found = _complement_category(head, arg, cues)
        if found and any(c.dep_ == "prep" and c.lower_ == "among" and c.i < arg.i
                         for c in head.children):
            return found[0], found[1], 0.8
    if dep == "pobj":
        prep, gov = head, head.head
        pl, gl = prep.lower_, _lemma(gov)
        if pl in ("from", "by", "than", "with", "against"):
            return None  # an older toll, an agent, a comparison
        if pl == "of":
            name = cues.category_of("of_nouns", gl)
            if name:
                if gl != "life" or _lemma(gov.head) in cues.categories["killed"].nouns["life"]:
                    return name, gov, 0.85
            name = _toll_category(gov, cues)
            if name and gl in cues.toll_nouns:
                return name, gov, 0.85
            if gl in cues.count_nouns or gl in ("total", "group", "crowd"):
                if gl in ("crowd", "group"):
                    return None  # a crowd of N is not harmed as such
                found = _link(gov, cues, ctxw, depth + 1)
                if found:
                    return found
        if pl in ("to", "at") and gl not in cues.toll_verbs and gov.dep_ in (
                "prt", "advmod", "acomp", "oprd", "advcl") and _lemma(gov.head) in cues.toll_verbs:
            gov, gl = gov.head, _lemma(gov.head)  # "revised the toll down to 1,200"
        if pl in ("to", "at") and gl in cues.toll_verbs:
            for c in gov.children:
                if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    name = _toll_category(c, cues)
                    if name:
                        return name, c, 0.85
        if pl in ("including", "among", "includ") and gov.pos_ in ("NOUN", "PROPN", "NUM"):
            found = _link(gov, cues, ctxw, depth + 1)
            if found:
                return found[0], found[1], found[2] - 0.05
        if pl in ("including", "includ") and gov.pos_ in ("VERB", "AUX"):
            # "Twelve people were killed, including four children"
            name = (cues.category_of("verbs", gl) or cues.category_of("intransitive", gl)
                    or _phrase_category(gov, cues))
            if name and not _negated(gov, ctxw):
                return name, gov, 0.8
    if dep == "prep" and arg.lower_ == "including":
        return None
    return None


def _leaves_place(verb: "Token") -> bool:
    """True if `verb` ("fled") has a named place as object or goal ("fled Rafah",
    "fled to Chad"); fleeing a place makes people displaced."""
    for c in verb.children:
        targets = [c] if c.dep_ in ("dobj", "obj") else [
            p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in (
            "to", "into", "across", "from", "over") else []
        for t in targets:
            if t.ent_type_ in PLACE_LABELS or (t.pos_ == "PROPN" and geo.resolve(t.text)):
                return True
    return False


def _own_predicate(fig: Figure, doc: "Doc", cues: Cues) -> tuple[str, "Token"] | bool:
    """The participle right after a coordinated figure ("45 bodies and 200 wounded",
    "4 dead, 100,000 evacuated"): its harm, or False when it names something else.
    True when there is no such participle."""
    if fig.end >= len(doc):
        return True
    nxt = doc[fig.end]
    if nxt.tag_ not in ("VBN", "JJ", "VBD") or nxt.is_sent_start:
        return True
    name = _state_category(nxt, cues)
    if name:
        return name, nxt
    return False


def _victim_of(fig: Figure, doc: "Doc", nouns: VictimNouns) -> "Token | None":
    """The noun the figure counts ("40,000 people", "dozens of civilians")."""
    inside = range(fig.start, fig.end)
    for k in reversed(fig.numbers):
        tok = doc[k]
        # "dozens of people", "one of the soldiers"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of" and c.i >= fig.end:
                for p in c.children:
                    # "the dead", "the wounded": adjectives used as nouns count too.
                    if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
                        return p
    for k in fig.numbers:
        tok = doc[k]
        head = tok.head
        if head.i in inside or head.i == tok.i:
            continue
        if tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "det", "nsubj",
                        "npadvmod") and head.pos_ in ("NOUN", "PROPN") and head.i >= fig.end \
                and head.i - fig.end <= 5:
            while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in (
                    "NOUN", "PROPN"):
                head = head.head
            return head
    # Surface: a victims noun right after the figure, adjectives allowed between.
    for k in range(fig.end, min(fig.end + 4, len(doc))):
        tok = doc[k]
        if _lemma(tok) in nouns.victims and tok.pos_ in ("NOUN", "PROPN"):
            return tok
        if tok.pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT") or tok.text in (",", ";"):
            break
    return None


def _argument(fig: Figure, doc: "Doc", victim: "Token | None") -> "Token":
    if victim is not None and victim.head.i not in range(fig.start, fig.end):
        # "dozens of people": the vague word carries the clause relation.
        last = doc[fig.numbers[-1]]
        if victim.head.dep_ == "prep" and victim.head.head.i == last.i:
            return last
        return victim
    outside = [doc[k] for k in fig.numbers
               if doc[k].head.i not in range(fig.start, fig.end) or doc[k].head.i == k]
    strong = [t for t in outside if t.dep_ not in ("nummod", "quantmod", "compound", "punct")]
    return (strong or outside or [doc[fig.numbers[-1]]])[-1]


def _surface_link(fig: Figure, doc: "Doc", sent: "Span", cues: Cues,
                  victim: "Token | None") -> tuple[str, "Token", float] | None:
    """Fallback when the parse links nothing: "N [victims] (were) killed", "killing N"."""
    k = (victim.i + 1) if victim is not None and victim.i >= fig.end else fig.end
    if victim is not None and victim.lower_ in ("flee", "fled", "flees") and victim.i >= fig.end:
        k = victim.i  # "150,000 flee El Geneina": the verb parsed as the counted noun
    steps = 0
    while k < sent.end and steps < 4:
        tok = doc[k]
        if tok.pos_ in ("AUX",) or tok.lower_ in ("have", "has", "had", "been", "were", "was",
                                                 "are", "is", "reportedly", "also"):
            k += 1
            steps += 1
            continue
        name = _state_category(tok, cues) or cues.category_of("intransitive", _lemma(tok))
        if name and not (tok.tag_ == "VBD" and any(c.dep_ == "dobj" for c in tok.children)):
            return name, tok, 0.55
        # "150,000 flee El Geneina" (headline verbs are often parsed as nouns)
        if (_lemma(tok) in cues.flee_verbs or tok.lower_ in cues.flee_verbs
                or tok.lower_ in ("fled", "flees")) and k + 1 < sent.end:
            goal = doc[k + 1]
            if goal.lower_ in ("to", "into", "across") and k + 2 < sent.end:
                goal = doc[k + 2]
            if goal.ent_type_ in PLACE_LABELS | {"ORG"} or goal.pos_ == "PROPN":
                return "displaced", tok, 0.55
        break
    if fig.start > sent.start:
        before = doc[fig.start - 1]
        verb_like = before.tag_ in ("VBG", "VBD", "VBZ", "VBP") or (
            before.tag_ == "NNS" and before.dep_ == "conj" and before.head.pos_ == "VERB")
        if verb_like and cues.category_of("verbs", _lemma(before)):
            return cues.category_of("verbs", _lemma(before)), before, 0.55
    return None


#: Words that open a sub-count after a toll: "killing 100, among them 20 children",
#: "..., including 127 children" (when the parser hangs "including" elsewhere).
_SUBCOUNT_OPENERS = (("including",), ("among", "them"), ("among", "whom"), ("of", "whom"),
                     ("among", "those"))


def _listed_subcount(fig: Figure, doc: "Doc", sent: "Span",
                     prior: list[tuple[int, str, "Token"]]) -> tuple[str, "Token", float] | None:
    """A figure listed right after a sub-count opener, or coordinated with one that is
    ("among them 20 children and nine aid workers"), is part of the sentence's last toll."""
    if not prior:
        return None
    k = fig.start - 1
    while k >= sent.start and (doc[k].pos_ in ("CCONJ", "PUNCT") or doc[k].like_num
                               or doc[k].pos_ in ("NOUN", "ADJ")) and fig.start - k <= 8:
        words = tuple(t.lower_ for t in doc[max(sent.start, k - 1):k + 1])
        if any(words[-len(o):] == o for o in _SUBCOUNT_OPENERS):
            break
        k -= 1
    words = tuple(t.lower_ for t in doc[max(sent.start, k - 1):k + 1])
    if k < sent.start or not any(words[-len(o):] == o for o in _SUBCOUNT_OPENERS):
        return None
    start, category, cue = prior[-1]
    if start >= fig.start:
        return None
    return category, cue, 0.6


def _is_disjunct(cue: "Token") -> bool:
    """True for "killed or wounded": one figure over two harms is not a claim."""
    for tok in (cue, cue.head):
        conj = [c for c in tok.children if c.dep_ == "conj"]
        if conj and any(c.dep_ == "cc" and c.lower_ in ("or", "and/or") for c in tok.children):
            if tok is cue or cue in conj:
                return True
    return False


def _dead_or_missing(cue: "Token", cues: Cues) -> bool:
    """True for "died or went missing", "dead or missing": the usual wording of a
    migration or disaster toll, where the missing are presumed dead, so the figure
    counts the dead."""
    tokens = [cue, cue.head, *cue.children, *cue.head.children]
    found: set[str] = set()
    for tok in tokens:
        if tok.dep_ not in ("conj", "ROOT", "ccomp", "xcomp", "advcl", "relcl", "acomp",
                            "amod", "acl") and tok is not cue:
            continue
        for t in (tok, *(c for c in tok.children if c.dep_ in ("acomp", "oprd", "attr"))):
            name = (_state_category(t, cues) or cues.category_of("intransitive", _lemma(t))
                    or cues.category_of("verbs", _lemma(t)))
            if name:
                found.add(name)
    return found == {"killed", "missing"}


# --- attributes of a claim -------------------------------------------------------

_TRIM_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "punct", "cc", "parataxis"})


def _np_text(tok: "Token") -> str:
    """The noun phrase of `tok` without relative clauses, appositions or punctuation."""
    keep: list["Token"] = []

    def walk(t: "Token") -> None:
        keep.append(t)
        for c in t.children:
            if c.dep_ in _TRIM_DEPS and c.i > tok.i:
                continue
            if c.dep_ == "punct":
                if c.i < tok.i and c.text in ("-", "'", "\u2019"):
                    keep.append(c)
                continue
            walk(c)

    walk(tok)
    keep.sort(key=lambda t: t.i)
    # Close gaps: take the contiguous run that contains the head.
    start = end = keep.index(tok)
    while start > 0 and keep[start - 1].i == keep[start].i - 1:
        start -= 1
    while end + 1 < len(keep) and keep[end + 1].i == keep[end].i + 1:
        end += 1
    doc = tok.doc
    span = doc[keep[start].i:keep[end].i + 1]
    return span.text.strip(" ,;:\"'\u201c\u201d")


def _resolve_pronoun(tok: "Token", sent: "Span") -> str | None:
    """The nearest earlier PERSON ("he", "she") or ORG/NORP ("it", "they") mention."""
    low = tok.lower_
    wanted = {"he": ("PERSON",), "she": ("PERSON",), "it": ("ORG", "GPE"),
              "they": ("ORG", "NORP", "GPE")}.get(low)
    if not wanted:
        return None
    best = None
    for ent in doc_ents(tok.doc):
        if ent.start >= sent.start:
            break
        if ent.label_ in wanted:
            best = ent.text
    return best


def _subject_text(verb: "Token", sent: "Span") -> str | None:
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "nsubjpass":
            if c.pos_ == "PRON":
                return _resolve_pronoun(c, sent)
            return _np_text(c) or None
    for c in verb.children:  # "... were reported by the ministry"
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return _np_text(p) or None
    return None


def _subject_token(verb: "Token") -> "Token | None":
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    return None


_TRAILING_VERBS = frozenset({"say", "report", "tell", "add", "confirm", "announce", "estimate",
                             "write", "state", "claim"})
_REPORTER_POS = frozenset({"DET", "PROPN", "NOUN", "ADJ", "PUNCT", "ADP", "PART", "CCONJ",
                           "NUM", "VERB"})


def _trailing_reporter(sent: "Span", fig_end: int) -> tuple[str | None, "Token | None"]:
    """The wire attribution tag after the figure: "..., the IOM said." / "..., sources
    close to the group said." Read from the surface, because the small parsers often
    attach such a tag to the wrong clause."""
    doc = sent.doc
    for verb in reversed(sent):
        if verb.i <= fig_end or _lemma(verb) not in _TRAILING_VERBS or \
                verb.tag_ not in ("VBD", "VBZ", "VBP"):
            continue
        k = verb.i - 1
        while k >= fig_end and doc[k].text not in (",", ";", "\u2014", "--"):
            k -= 1
        words = doc[k + 1:verb.i]
        if k < fig_end or not 0 < len(words) <= 8 or words[0].pos_ == "PRON" or any(
                t.pos_ not in _REPORTER_POS or (t.pos_ == "VERB" and t.tag_ != "VBN")
                for t in words):
            continue
        return words.text, verb
    return None, None


def _reported_by(sent: "Span", cue: "Token", ctxw: ClaimContext, fig: "Figure | None" = None,
                 toll_cue: bool = False) -> tuple[str | None, "Token | None"]:
    """Who the figure is attributed to, and the token that introduces them."""
    for tok in sent:
        if tok.lower_ == "according":
            for c in tok.children:
                if c.lower_ == "to":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return _np_text(p), tok
            nxt = tok.nbor(1) if tok.i + 1 < sent.end else None
            if nxt is not None and nxt.lower_ == "to":
                for p in nxt.children:
                    if p.dep_ == "pobj":
                        return _np_text(p), tok
    ancestors = list(cue.ancestors)
    chain = {cue.i, *(a.i for a in ancestors)}
    candidates = [t for t in sent if _lemma(t) in ctxw.reporting_verbs and t.pos_ in (
        "VERB", "AUX") and t.i != cue.i and t.i != cue.head.i or (
        t.i == cue.head.i and (cue.pos_ in ("VERB", "AUX", "ADJ") or toll_cue)
        and _lemma(t) in ctxw.reporting_verbs)]
    # "the fire claimed 43 lives": a harm idiom, not a report.
    candidates = [t for t in candidates
                  if not any(c.dep_ in ("dobj", "obj") and _lemma(c) == "life" for c in t.children)]
    ranked = sorted(candidates, key=lambda t: (
        0 if t.i in chain else 1 if t.head.i in chain else 2, abs(t.i - cue.i)))
    for verb in ranked:
        subj = _subject_token(verb)
        if subj is not None and ((subj.pos_ != "PROPN" and _lemma(subj) in ctxw.harm_events) or (
                fig is not None and subj.left_edge.i <= fig.start <= subj.right_edge.i)):
            continue  # "the fire put ...", or the victims parsed as the speaker
        who = _subject_text(verb, sent)
        if who:
            return who, verb
    if fig is not None:
        return _trailing_reporter(sent, fig.end)
    return None, None


def _perpetrator(cue: "Token", arg: "Token", ctxw: ClaimContext) -> str | None:
    """Who did the harm, where the clause says so ("killed by X", "X killed N")."""
    def usable(tok: "Token") -> bool:
        return (tok.pos_ in ("NOUN", "PROPN") and _lemma(tok) not in ctxw.harm_events
                and tok.i != arg.i and not any(_lemma(c) in ctxw.harm_events
                                               for c in tok.children if c.dep_ == "compound"))

    for c in cue.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj" and usable(p):
                    return _np_text(p)
    if cue.pos_ == "VERB" and not any(c.dep_ == "auxpass" for c in cue.children):
        for c in cue.children:
            if c.dep_ == "nsubj" and usable(c):
                return _np_text(c)
        # "Rebels shelled the city, killing 20": the main clause's actor.
        if cue.dep_ in ("advcl", "conj", "xcomp") and cue.tag_ in ("VBG", "VBD", "VB"):
            head = cue.head
            for c in head.children:
                if c.dep_ == "nsubj" and usable(c):
                    return _np_text(c)
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj" and usable(p):
                            return _np_text(p)
    return None


def _in_scope(word: "Token", target: "Token") -> bool:
    """True if `word` governs `target` or hangs off the path above it; a clause
    coordinated with `word` is outside ("denied that any were killed and said 40 had
    died")."""
    excluded: set[int] = set()
    for c in word.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            excluded.update(t.i for t in c.subtree)
    if target.i in excluded:
        return False
    for a in target.ancestors:
        if a.i == word.i:
            break
        if a.dep_ == "conj" and a.pos_ == "VERB" and a.lemma_.lower() in _TRAILING_VERBS:
            return False  # "... and said 40 had died": a fresh statement
    path = {target.i, *(a.i for a in target.ancestors)}
    return word.i in path or (word.head.i in path and word.dep_ not in ("prep", "pobj")) \
        or target.i in {t.i for t in word.subtree}


_FIGURE_NOUNS = frozenset({"figure", "claim", "number", "toll", "count", "tally", "estimate",
                           "report"})


def _modality(sent: "Span", cue: "Token", arg: "Token", ctxw: ClaimContext) -> str:
    """asserted, denied, disputed or hypothetical (see the module docstring)."""
    for c in cue.children:
        if c.dep_ == "aux" and _lemma(c) in ctxw.hypothetical_aux:
            return "hypothetical"
        if c.dep_ == "aux" and c.tag_ == "TO" and _lemma(cue.head) in ctxw.intent_verbs:
            return "hypothetical"
    for anc in [cue, *cue.ancestors]:
        for c in anc.children:
            if c.dep_ == "mark" and c.lower_ in ctxw.conditional_marks:
                return "hypothetical"
        if anc.dep_ == "advcl" and any(c.lower_ == "if" for c in anc.children):
            return "hypothetical"
    for tok in sent:
        lemma = _lemma(tok)
        if lemma in ctxw.denial or tok.lower_ in ctxw.denial:
            if _in_scope(tok, arg) or _in_scope(tok, cue):
                return "denied"
            if tok.dep_ in ("relcl", "acl") and _lemma(tok.head) in _FIGURE_NOUNS:
                return "denied"  # "..., a figure the government rejects"
    for tok in sent:
        lemma = _lemma(tok)
        if (lemma in ctxw.dispute or tok.lower_ in ctxw.dispute) and (
                _in_scope(tok, arg) or _in_scope(tok, cue) or (
                    tok.dep_ in ("relcl", "acl") and _lemma(tok.head) in _FIGURE_NOUNS)):
            return "disputed"
    return "asserted"


_CALLING_VERBS = frozenset({"call", "describe", "consider", "brand", "label", "term"})

#: Nouns for the figures a party rejects or disputes: "dismissed the casualty figures".
_REJECTED_NOUNS = frozenset({"figure", "toll", "number", "tally", "count", "casualty", "estimate"})


def _figures_rejected(sent: "Span", ctxw: ClaimContext) -> tuple[str, bool] | None:
    """("denied" or "disputed", plural) when the sentence has a party reject or question
    figures given before ("dismissed the casualty figures as propaganda", "called the
    casualty figures exaggerated", "rejected the figure"), with no figure of its own in
    the object. A habit ("routinely exaggerates the number of casualties") is no act."""
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.tag_ in ("VBZ", "VBP"):
            continue
        called = tok.dep_ == "oprd" and _lemma(tok.head) in _CALLING_VERBS
        deps = ("dobj", "nsubjpass", "nsubj") if called else ("dobj", "nsubjpass")
        objs = [o for o in tok.children if o.dep_ in deps
                and _lemma(o) in _REJECTED_NOUNS and not any(w.like_num for w in o.subtree)]
        if not objs:
            continue
        if called and (_lemma(tok) in ctxw.denial or _lemma(tok) in ctxw.dispute):
            return "disputed", True  # "called the casualty figures exaggerated"
        plural = any(o.tag_ == "NNS" or any(c.tag_ == "NNS" for c in o.children) for o in objs) \
            or any(_lemma(o) == "casualty" for o in objs)
        lemma = _lemma(tok)
        rest = {_lemma(w) for c in tok.children if c.dep_ not in ("nsubj", "dobj") for w in c.subtree}
        rest |= {w.lower_ for c in tok.children if c.dep_ not in ("nsubj", "dobj") for w in c.subtree}
        if lemma in ctxw.dispute or rest & ctxw.dispute:
            return "disputed", plural
        if lemma in _CALLING_VERBS and rest & ctxw.denial:
            return "disputed", plural  # "called the figures exaggerated": the size is questioned
        if lemma in ctxw.denial:
            return "denied", plural
    return None


def _period(sent: "Span", published: date | None, ctxw: ClaimContext) -> tuple[Period | None, bool]:
    """The period a running total covers and whether the figure is cumulative."""
    doc = sent.doc
    padded = " " + " ".join(t.lower_ for t in sent) + " "
    cumulative = any(" " + " ".join(marker) + " " in padded
                     for marker in ctxw.cumulative_markers)
    start: str | None = None
    opening = _SINCE_START.search(sent.text)
    if opening is not None:
        unit = opening.group(1).lower()
        if unit[:1].isdigit():
            start = unit
        elif published is not None:
            start = f"{published.year:04d}" if unit == "year" else published.isoformat()[:7]
        cumulative = True
    for tok in sent:
        if start is not None:
            break
        if tok.lower_ != "since":
            continue
        if tok.dep_ == "mark":
            end = tok.head.right_edge.i + 1
        else:
            end = tok.right_edge.i + 1
        end = max(end, min(tok.i + 4, sent.end))
        text = doc[tok.i:min(end, sent.end)].text
        start = _resolve(text, published)
        cumulative = True
        if start:
            break
    if start is None:
        m = _PAST_SPAN.search(sent.text)
        if m and published is not None:
            from .numbers import parse_number

            word = m.group(1)
            # "the past week" is one week; "last week" alone dates a single event.
            n = (parse_number(word) if word else None) or (
                1 if (word or "").lower() in ("a", "one") or (
                    word is None and m.group(0).lower().split()[0] not in ("last", "previous"))
                else None)
            unit = m.group(2).lower()
            if n and m.group(0).lower().startswith("past") and word is None and \
                    not sent.text[max(0, m.start() - 5):m.start()].lower().strip().endswith("the"):
                n = None  # "in past years" names no span
            if n:
                if unit == "hour":
                    days = -(-n // 24)  # the publication day back to the day the span opens
                else:
                    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
                start = (published - timedelta(days=days)).isoformat()
                if unit in ("month", "year"):
                    start = start[:7] if unit == "month" else start[:4]
                cumulative = True
        elif "this year" in sent.text.lower() and published is not None and cumulative:
            start = f"{published.year:04d}"
    return (Period(start=start, end=None) if start else None), cumulative


def _resolve(text: str, published: date | None) -> str | None:
    if published is not None:
        return dates.resolve_date(text, published, future=False)
    # Without a publication date only absolute dates ("since March 2011") resolve.
    if not _YEAR.search(text):
        return None
    return dates.resolve_date(text, date(2100, 1, 1), future=False)


_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "on", "off", "across",
                       "throughout", "around", "into", "from", "over", "of"})
_COMPASS = re.compile(r"^(?:the\s+)?(?:(?:north|south|east|west|central|upper|lower)(?:ern)?"
                      r"|(?:north|south)[- ]?(?:east|west)(?:ern)?)\s+", re.I)
_ADMIN = re.compile(r"\s+(?:state|province|region|district|governorate|county|city|area|"
                    r"town|village|camp|strip)$", re.I)


def _resolve_place(text: str) -> Location | None:
    """Gazetteer lookup, retried without a compass word ("northern Gaza") or an
    administrative noun ("Borno state") the gazetteer does not list."""
    found = geo.resolve(text)
    if found is not None:
        return found
    compass = _COMPASS.sub("", text.strip()).strip()
    bare = _ADMIN.sub("", compass).strip()
    # "the Abuja-Kaduna highway": either end names the country.
    tries = [compass, bare] + [part for part in re.split(r"[-\u2013/]", bare) if part != bare]
    for attempt in tries:
        if not attempt.strip() or attempt.strip() == text.strip():
            continue
        found = geo.resolve(attempt.strip())
        if found is not None and attempt is not compass and \
                (geo.country_name(found.country) or "").lower() == attempt.strip().lower():
            continue  # "Niger state" is in Nigeria, not Niger; "Delta state" likewise
        if found is not None:
            return Location(text=text.strip(), country=found.country, lat=found.lat,
                            lon=found.lon)
    return None


def _place_candidates(sent: "Span", skip: set[int]) -> list[tuple["Span", bool]]:
    """Place mentions of the sentence with whether a locative preposition introduces
    them. Besides GPE/LOC/FAC entities this takes proper nouns after "in/on/near",
    because the small pipelines often miss or mislabel place names ("Aleppo",
    "Malawi" tagged PERSON)."""
    doc = sent.doc
    out: list[tuple["Span", bool]] = []
    taken: set[int] = set()

    def locative(tok: "Token") -> bool:
        while tok.dep_ in ("compound", "poss", "conj", "appos") and tok.head.i != tok.i:
            tok = tok.head
        return tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE

    for ent in ents_in(sent):
        if ent.start in skip:
            continue
        is_loc = locative(ent.root)
        if ent.label_ in PLACE_LABELS or (ent.label_ in ("PERSON", "ORG", "NORP", "PRODUCT",
                                                         "EVENT", "WORK_OF_ART") and is_loc
                                          and ent.label_ != "NORP"):
            out.append((ent, is_loc))
            taken.update(range(ent.start, ent.end))
    for tok in sent:
        if tok.i in taken or tok.i in skip or tok.pos_ != "PROPN" or tok.dep_ == "compound":
            continue
        if locative(tok):
            left = tok.i
            while left > sent.start and doc[left - 1].dep_ == "compound" and \
                    doc[left - 1].pos_ == "PROPN" and doc[left - 1].i not in taken:
                left -= 1
            out.append((doc[left:tok.i + 1], True))
    return sorted(out, key=lambda item: item[0].start)


def _sentence_places(sent: "Span", memo: dict | None) -> list[tuple["Span", bool,
                                                                   Location | None]]:
    """The sentence's place candidates with their gazetteer matches, computed once
    per sentence: a sentence with thousands of figures must not redo the lookups
    (and the entity scan) for each of them."""
    key = ("places", sent.start, sent.end)
    if memo is not None and key in memo:
        return memo[key]
    found = [(span, is_loc, _resolve_place(span.text))
             for span, is_loc in _place_candidates(sent, set())]
    if memo is not None:
        memo[key] = found
    return found


_SIDE_NOUNS = frozenset({"side", "soil", "territory", "frontier"})


def _national_side(sent: "Span") -> Location | None:
    """"killed on the Thai side", "on Cambodian soil": a nationality naming the place."""
    for t in sent:
        if t.lemma_.lower() in _SIDE_NOUNS:
            for c in t.children:
                if c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE") or c.pos_ == "ADJ"):
                    code = geo.country_of(c.text)
                    if code:
                        try:
                            return replace(geo.country_location(code), text=f"{c.text} {t.text}")
                        except (KeyError, ValueError):
                            return Location(text=c.text, country=code)
    return None


def _location(sent: "Span", cue: "Token", reporter: "Token | None",
              ctx: ArticleContext, previous: Location | None = None,
              memo: dict | None = None) -> Location | None:
    """The claim's place: in the harm clause if named, else the sentence, else the
    place of the article's first claim, else the article's dominant country.
    Places in the reporter's phrase ("officials in
    Nairobi said") are skipped; among the rest a place inside the harm's clause
    beats one outside it, one after "in/at/near" beats a bare mention, and the
    first mention wins a tie."""
    skip: set[int] = set()
    if reporter is not None:
        if reporter.lower_ == "according":
            skip.update(t.i for t in reporter.subtree)
        else:
            for c in reporter.children:
                if c.dep_ in ("nsubj", "agent"):
                    skip.update(t.i for t in c.subtree)
            if reporter.i > cue.i:  # a trailing ", officials in Kerala said"
                k = reporter.i - 1
                while k > sent.start and sent.doc[k].text != ",":
                    skip.add(k)
                    k -= 1
    clause = {t.i for t in cue.subtree}
    best: tuple[tuple[int, int, int], Location] | None = None
    places = [item for item in _sentence_places(sent, memo) if item[0].start not in skip]
    for order, (span, is_loc, loc) in enumerate(places):
        if loc is None:
            continue
        loc = replace(loc, text=geo.normalise_display(span.text))
        rank = (int(span.root.i in clause), int(is_loc), -order)
        if best is None or rank > best[0]:
            best = (rank, loc)
    if best is not None:
        return best[1]
    side = _national_side(sent)
    if side is not None:
        return side
    if previous is not None and previous.country:
        # "At least 30 people were wounded": a figure with no place of its own follows
        # the story's first claim (the strike in Odesa), not the country the article
        # names most (Russia, in a story about a Russian strike).
        return previous
    if ctx.dominant_country:
        try:
            return geo.country_location(ctx.dominant_country)
        except (KeyError, ValueError):
            return Location(text=ctx.dominant_country, country=ctx.dominant_country)
    return previous


# --- assembling claims ---------------------------------------------------------------

def _victims_text(victim: "Token | None", category: str, cues: Cues) -> str | None:
    """The counted noun as written; None when it is the harm itself ("20 deaths")."""
    if victim is None:
        return None
    lemma = _lemma(victim)
    cat = cues.categories[category]
    if lemma in cat.nouns or lemma in cat.states or victim.lower_ in cat.states:
        return None
    if victim.pos_ == "PRON":
        return None
    return victim.text if victim.pos_ == "PROPN" or victim.ent_type_ else victim.text.lower()


_PARTITIVE_PRONOUNS = frozenset({"them", "whom", "those", "these"})


def _partitive(fig: Figure, arg: "Token", doc: "Doc", cues: Cues, ctxw: ClaimContext,
               prior: list[tuple[int, str, "Token"]]) -> tuple[str, "Token", float] | None:
    """A sub-count of a group named just before: "12 people, six of them children",
    "40 were injured, 10 of them seriously", "Of the 36 killed, 20 were soldiers"."""
    heads = [doc[k] for k in fig.numbers] + [arg]
    if arg.dep_ == "nsubj" and _lemma(arg.head) in ("be", "include"):
        heads.append(arg.head)
    for tok in heads:
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in ("of", "among"):
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                if p.lower_ in _PARTITIVE_PRONOUNS:
                    earlier = [item for item in prior if item[0] < fig.start]
                    if _describes_condition(fig, doc):
                        # "four of them in a critical condition": only the injured
                        # have a condition.
                        earlier = [item for item in earlier if item[1] == "injured"]
                    if earlier:
                        return earlier[-1][1], earlier[-1][2], 0.7
                elif c.i < fig.start and c.lower_ == "of":
                    found = _link(p, cues, ctxw)
                    if found:
                        return found[0], found[1], found[2] - 0.1
    return None


_VICTIM_GROUPS = frozenset({"victim", "casualty"})
#: Words for a share of a group: "85% of the 2.3 million people" counts the group,
#: not the harmed.
_SHARE_WORDS = frozenset({"%", "percent", "per", "pc", "half", "third", "thirds", "quarter",
                          "quarters", "fifth", "fifths", "majority", "most", "proportion",
                          "share", "fraction", "percentage", "all", "much", "bulk"})


def _population_share(tok: "Token", fig: Figure, doc: "Doc") -> bool:
    """True if the figure is the size of a population a share of which is harmed:
    "85% of the territory's 2.3 million people have been displaced", "half of the
    country's 48 million people"."""
    while tok.dep_ in ("compound", "nummod", "quantmod") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        share = tok.head.head
    else:
        # A loose parse: read "<share> of the territory's 2.3 million" off the surface.
        k = fig.start - 1
        while k > 0 and (doc[k].lower_ in ("the", "its", "their", "'s", "\u2019s") or (
                doc[k].pos_ in ("PROPN", "NOUN") and doc[k + 1].lower_ in ("'s", "\u2019s"))):
            k -= 1
        if k < 1 or doc[k].lower_ != "of":
            return False
        share = doc[k - 1]
    return share.lower_ in _SHARE_WORDS or share.ent_type_ == "PERCENT"


def _among_victims(arg: "Token", last_category: str | None) -> tuple[str, "Token", float] | None:
    """A sub-count of "the victims" ("Among the victims were three soldiers", "two
    Britons were among the casualties"). "Victims" names no harm itself, so the
    sub-count takes the harm of the article's latest claim, killed or injured;
    with no earlier claim, victims of an attack are counted as its dead."""
    if arg.dep_ not in ("attr", "nsubj") or _lemma(arg.head) != "be":
        return None
    for c in arg.head.children:
        if c.dep_ == "prep" and c.lower_ == "among":
            for p in c.children:
                if p.dep_ == "pobj" and _lemma(p) in _VICTIM_GROUPS:
                    category = last_category if last_category in ("killed", "injured") \
                        else "killed"
                    return category, p, 0.7
    return None


_CONDITION_WORDS = frozenset({"critical", "critically", "serious", "seriously", "condition",
                              "stable", "badly", "gravely", "severely", "severe",
                              "life-threatening", "grave"})


def _describes_condition(fig: Figure, doc: "Doc") -> bool:
    """True if the words after a sub-count give a medical condition ("four of them
    in a critical condition", "ten of them seriously")."""
    k = fig.end
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k + 1].lower_ in _PARTITIVE_PRONOUNS:
        k += 2
    elif k >= len(doc) or doc[k].lower_ not in _CONDITION_WORDS:
        return False
    for k in range(k, min(k + 6, len(doc))):
        if doc[k].text in (",", ";", ".") or doc[k].is_sent_start:
            break
        if doc[k].lower_ in _CONDITION_WORDS:
            return True
    return False


def _identity_subcount(fig: Figure, arg: "Token", sent: "Span",
                       prior: list[tuple[int, str, "Token"]],
                       last_category: str | None) -> tuple[str, "Token", float] | None:
    """A sub-count that says who some of the harmed were: "Fourteen tourists died
    in the crash; one was Japanese", "Three were killed. Two were Britons." The
    bare figure is the subject of "be" with a nationality (or a people noun) as
    predicate; it takes the harm of the group counted just before it, in the
    sentence or, for a sentence that opens with the figure, the previous claim."""
    if arg.i not in fig.numbers or arg.dep_ != "nsubj" or _lemma(arg.head) != "be":
        return None
    pred = next((c for c in arg.head.children if c.dep_ in ("acomp", "attr")), None)
    if pred is None or not (pred.ent_type_ == "NORP" or _is_person(pred)):
        return None
    if any(c.dep_ == "neg" for c in arg.head.children):
        return None
    earlier = [item for item in prior if item[0] < fig.start]
    if earlier:
        return earlier[-1][1], earlier[-1][2], 0.65
    if last_category is not None and fig.start - sent.start <= 1:
        return last_category, arg.head, 0.6
    return None


def _negated_group(victim: "Token | None", ctxw: ClaimContext) -> bool:
    """True for "none of the 120 passengers", "neither of the two"."""
    if victim is None or victim.dep_ != "pobj" or victim.head.lower_ != "of":
        return False
    group = victim.head.head
    return group.lower_ in ctxw.negators or group.lower_ in ("neither", "no-one")


#: `_superseded` results: not superseded, an earlier report, an earlier toll.
CURRENT, EARLIER_REPORT, EARLIER_TOLL = 0, 1, 2


def _superseded(cue: "Token", ctxw: ClaimContext) -> int:
    """Whether the figure is an earlier, replaced statement.

    EARLIER_TOLL when a figure noun says so ("an earlier toll of 45", "the previous
    figure was 2,445 dead"): the article replaces it, up or down. EARLIER_REPORT
    when only the verb does ("initially reported 12 deaths", "officials had put the
    toll at 45", "12 people were killed earlier"): that may as well be a separate,
    earlier event, so it gives way only to a higher figure of the same harm.
    """
    chain = [cue]
    while chain[-1].pos_ not in ("VERB", "AUX") and chain[-1].head.i != chain[-1].i \
            and len(chain) < 4:
        chain.append(chain[-1].head)  # up to the clause's own verb, not beyond
    found = CURRENT
    for tok in chain:
        for c in tok.children:
            if c.dep_ in ("advmod", "amod", "npadvmod") and c.lower_ in ctxw.earlier_markers:
                if tok.pos_ in ("NOUN", "PROPN") and _lemma(tok) in _FIGURE_NOUNS:
                    return EARLIER_TOLL
                found = EARLIER_REPORT
            # "The previous figure ... was 2,445 dead"
            if tok.pos_ in ("VERB", "AUX") and c.dep_ in ("nsubj", "nsubjpass") and \
                    _lemma(c) in _FIGURE_NOUNS and any(
                        g.dep_ in ("amod", "advmod") and g.lower_ in ctxw.earlier_markers
                        for g in c.children):
                return EARLIER_TOLL
        if tok.pos_ in ("VERB", "AUX") and (
                _lemma(tok) in ctxw.reporting_verbs or _lemma(tok) in ("put", "give")) and any(
                c.dep_ == "aux" and c.lower_ == "had" for c in tok.children):
            found = EARLIER_REPORT
    return found


def _claim(fig: Figure, sent: "Span", ctx: ArticleContext, lexes: tuple[Cues, VictimNouns,
           ClaimContext], prior: list[tuple[int, str, "Token"]] | None = None,
           previous_place: Location | None = None, last_category: str | None = None,
           memo: dict | None = None) -> tuple[CasualtyClaim, "Token", int] | None:
    """The claim `fig` makes, its cue token and whether it is superseded (`_superseded`)."""
    cues, nouns, ctxw = lexes
    doc = sent.doc
    if _is_trap(fig, doc, nouns, ctxw.negators):
        return None
    victim = _victim_of(fig, doc, nouns)
    if victim is not None and (_lemma(victim) in nouns.non_victims
                               or victim.lower_ in nouns.non_victims):
        return None
    if _negated_group(victim, ctxw):
        return None
    arg = _argument(fig, doc, victim)
    found = None
    if victim is None and arg.dep_ in ("conj", "appos"):
        own = _own_predicate(fig, doc, cues)
        if own is False:
            return None
        if own is not True:
            found = (own[0], own[1], 0.8)
    if found is None:
        found = _link(arg, cues, ctxw)
    if found is None and arg is not victim and victim is not None:
        found = _link(victim, cues, ctxw)
    if found is None and victim is None and arg.dep_ == "nummod" and \
            arg.head.dep_ in ("attr", "nsubj", "nsubjpass", "dobj"):
        # "was one Vietnamese national", with the counted word tagged an adjective
        found = _link(arg.head, cues, ctxw)
        if found is not None:
            found = (found[0], found[1], found[2] - 0.1)
    if found is None:
        found = _partitive(fig, arg, doc, cues, ctxw, prior or [])
    if found is None:
        found = _among_victims(victim or arg, last_category)
    if found is None:
        found = _identity_subcount(fig, arg, sent, prior or [], last_category)
    if found is None:
        found = _surface_link(fig, doc, sent, cues, victim)
    if found is None:
        found = _listed_subcount(fig, doc, sent, prior or [])
    if found is None:
        return None
    category, cue, strength = found
    if category != "injured" and _describes_condition(fig, doc):
        # "four of them in a critical condition" is said of the injured only.
        injured = [item for item in (prior or []) if item[1] == "injured"]
        if not injured:
            return None
        category, cue, strength = "injured", injured[-1][2], 0.7
    if _negated(cue, ctxw):
        return None
    if _is_disjunct(cue):
        if not _dead_or_missing(cue, cues):
            return None
        category = "killed"
    group = victim if victim is not None else arg
    if not group.left_edge.i <= cue.i <= group.right_edge.i and \
            _population_share(group, fig, doc):
        return None
    if victim is None and arg.i not in fig.numbers and _lemma(arg) in nouns.non_victims:
        return None
    # A figure inside the perpetrator ("two bombers killed 23") is not harmed.
    if arg.dep_ == "nsubj" and arg.head.i == cue.i and any(
            c.dep_ in ("dobj", "obj") and c.i != arg.i for c in cue.children) and \
            cues.category_of("verbs", _lemma(cue)):
        return None
    count = fig.count
    if count.qualifier == "exact" and _lemma(cue) in cues.toll_nouns | cues.count_nouns and \
            _lemma(cue.head) in cues.exceed_verbs:
        count = replace(count, qualifier="more_than")  # "the toll exceeded 50,000"
    confidence = strength
    if victim is not None:
        known = _lemma(victim) in nouns.victims or victim.ent_type_ in ("NORP", "PERSON")
        confidence += 0.07 if known else -0.2
    # A counted harm noun ("recorded 412 kidnappings") is reported like a toll.
    reported_by, reporter = _reported_by(
        sent, cue, ctxw, fig, _lemma(cue) in cues.toll_nouns | cues.count_nouns
        or (cue.pos_ == "NOUN" and cues.category_of("nouns", _lemma(cue)) is not None))
    if reported_by:
        confidence += 0.03
    period, cumulative = _period(sent, ctx.published_at, ctxw)
    claim = CasualtyClaim(
        category=category,
        count=count,
        sentence=sent.text,
        span=(sent.start_char, sent.end_char),
        victims=_victims_text(victim, category, cues),
        location=_location(sent, cue, reporter, ctx, previous_place, memo),
        period=period,
        cumulative=cumulative,
        reported_by=reported_by,
        perpetrator=_perpetrator(cue, arg, ctxw),
        modality=_modality(sent, cue, arg, ctxw),
        confidence=round(max(0.05, min(0.99, confidence)), 2),
    )
    return claim, cue, _superseded(cue, ctxw)


def _informativeness(claim: CasualtyClaim) -> tuple[int, ...]:
    return (int(claim.modality == "asserted"), int(claim.reported_by is not None),
            int(claim.period is not None), int(claim.victims is not None),
            int(claim.count.qualifier != "exact"))


#: Victim words too general to tell two groups apart ("15 people" and "15 victims"
#: in one article are the same dead, said twice).
_GENERIC_VICTIMS = frozenset({"people", "person", "persons", "individuals", "victims",
                              "casualties", "others", "other"})
#: Words for non-combatants, one group whatever the word.
_CIVILIAN_WORDS = frozenset({"civilians", "residents", "inhabitants", "citizens", "villagers",
                             "locals"})


def _group_of(claim: CasualtyClaim) -> str:
    """A crude identity of the counted group: "" for unnamed or general ones."""
    victims = (claim.victims or "").lower()
    if victims in _GENERIC_VICTIMS:
        return ""
    return "civilian" if victims in _CIVILIAN_WORDS else victims.rstrip("s")


#: Counted nouns of armed or security forces: "three soldiers" and "three
#: civilians" killed are different dead even when a sentence apart.
_ARMED = frozenset({"soldier", "troop", "fighter", "militant", "rebel", "insurgent", "police",
                    "policeman", "policemen", "officer", "servicemen", "serviceman", "marine",
                    "guard", "militiamen", "militiaman", "militia", "jihadist", "gunmen",
                    "gunman", "commander", "sailor", "airmen", "pilot", "peacekeeper",
                    "trooper", "recruit", "conscript", "combatant", "paramilitarie",
                    "paramilitary", "policemen", "personnel"})


def _same_group(a: CasualtyClaim, b: CasualtyClaim) -> bool:
    """Whether two claims with one (category, figure) may count the same people.

    Different named groups in one sentence are different people ("three soldiers
    and three civilians"); across sentences they are only when one group is armed
    and the other not, or the places differ ("41 miners" then "41 workers" is the
    same toll restated)."""
    ga, gb = _group_of(a), _group_of(b)
    if not ga or not gb or ga == gb:
        return True
    if a.span == b.span:
        return False
    if (ga in _ARMED) != (gb in _ARMED):
        return False
    la, lb = a.location, b.location
    # Only places each sentence names itself count; a fallback place says nothing.
    named = la is not None and lb is not None and la.text in a.sentence and lb.text in b.sentence
    return not (named and la.text.lower() != lb.text.lower())


def _dedupe(claims: Iterable[CasualtyClaim]) -> list[CasualtyClaim]:
    """One claim per (category, figure): the most informative, earliest on ties.

    A figure stated of two distinct groups (see `_same_group`) is two claims; a
    general word ("people", "victims") or no noun never splits a figure."""
    best: dict[tuple, CasualtyClaim] = {}
    order: list[tuple] = []
    slots: dict[tuple[str, int | None], list[CasualtyClaim]] = {}
    for claim in claims:
        firsts = slots.setdefault(claim.key, [])
        slot = next((n for n, first in enumerate(firsts) if _same_group(first, claim)), None)
        if slot is None:
            slot = len(firsts)
            firsts.append(claim)
        key: tuple = (*claim.key, slot)
        kept = best.get(key)
        if kept is None:
            best[key] = claim
            order.append(key)
        elif _informativeness(claim) > _informativeness(kept):
            best[key] = claim
    return sorted((best[k] for k in order), key=lambda c: (c.span[0], c.category))


def extract_claims(doc: "Doc", ctx: ArticleContext) -> list[CasualtyClaim]:
    """All casualty claims of a parsed article, one per (category, figure).

    Needs a dependency parse (sentences and heads); entities and lemmas sharpen
    the result. Returns [] for a document without a parse. Never raises on odd
    text: a figure that cannot be analysed is skipped.
    """
    if doc is None or len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    lexes = _lexicons()
    claims: list[CasualtyClaim] = []
    earlier: list[tuple[CasualtyClaim, int]] = []
    previous_place: Location | None = None
    last_category: str | None = None
    memo: dict = {}  # per-article cache of sentence-level lookups
    for sent in doc.sents:
        in_sentence: list[CasualtyClaim] = []
        prior: list[tuple[int, str, "Token"]] = []
        for fig in _figures(sent):
            try:
                made = _claim(fig, sent, ctx, lexes, prior, previous_place, last_category,
                              memo)
            except (ValueError, IndexError, KeyError, AttributeError, TypeError,
                    OverflowError, RecursionError):
                continue
            if made is None:
                continue
            claim, cue, superseded = made
            prior.append((fig.start, claim.category, cue))
            if claim.location is not None and previous_place is None:
                previous_place = claim.location  # the story's place: its first claim's
            if claim.victims in ("others", "other") and in_sentence and in_sentence[-1].victims:
                claim = replace(claim, victims=in_sentence[-1].victims)
            if superseded:
                earlier.append((claim, superseded))
            else:
                in_sentence.append(claim)
                last_category = claim.category
        rejected = _figures_rejected(sent, lexes[2])
        if rejected is not None and claims:
            # "The junta dismissed the casualty figures as propaganda": the story's
            # headline figures (those of its first sentence with a claim); "rejected
            # the figure": the latest one. Running totals are not what is contested.
            modality, plural = rejected
            chosen = {id(c) for c in claims if c.span == claims[0].span} if plural else {id(claims[-1])}
            claims = [replace(c, modality=modality) if id(c) in chosen and c.modality == "asserted"
                      and not c.cumulative else c for c in claims]
        claims.extend(in_sentence)
    # A superseded toll gives way to the article's current figure for that harm
    # (revised up or down); an earlier report only to a higher figure.
    for claim, how in earlier:
        if not any(c.category == claim.category and (
                how == EARLIER_TOLL or (c.count.key or 0) > (claim.count.key or 0))
                for c in claims):
            claims.append(claim)
    return _dedupe(claims)
