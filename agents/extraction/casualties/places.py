"""Where: the place of a claim, from the harm clause, the sentence, the story's first
claim or the article's dominant country.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import geo
from ..entities import ents_in
from ..model import ArticleContext, Location
from .cues import PLACE_LABELS
from ..tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


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


def place_of_text(text: str) -> Location | None:
    """The place a name gives ("Central African Republic", "northern Gaza"), else None."""
    found = _resolve_place(text)
    if found is None:
        return None
    return replace(found, text=geo.normalise_display(text.strip()))


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
    for tok in tokens_of(sent):
        if tok.i in taken or tok.i in skip or tok.pos_ != "PROPN" or tok.dep_ == "compound":
            continue
        if locative(tok):
            left = tok.i
            while left > sent.start and doc[left - 1].dep_ == "compound" and \
                    doc[left - 1].pos_ == "PROPN" and doc[left - 1].i not in taken:
                left -= 1
            out.append((doc[left:tok.i + 1], True))
    return sorted(out, key=lambda item: item[0].start)


#: Nouns of a frontier: "near the border with Jordan" names the neighbour, not the place.
_BORDER_NOUNS = frozenset({"border", "frontier", "boundary"})


def _across_border(span: "Span") -> bool:
    """True for the neighbour in "near the border with Jordan": the harm is on this side."""
    tok = span.root
    while tok.dep_ in ("compound", "conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    prep = tok.head
    return (tok.dep_ == "pobj" and prep.lower_ == "with"
            and prep.head.lemma_.lower() in _BORDER_NOUNS)


#: Participles of control in "Pakistan-controlled Kashmir", "Indian-administered Kashmir".
_HELD = re.compile(r"^(?:controlled|administered|held|occupied|run)$", re.I)


def _holder(span: "Span") -> str | None:
    """The country that holds a disputed region, as the text says: "Pakistan-controlled
    Kashmir" is Pakistan's, "Indian-administered Kashmir" India's."""
    doc, k = span.doc, span.start
    if k >= 3 and _HELD.match(doc[k - 1].text) and doc[k - 2].text == "-" and \
            not doc[k - 2].whitespace_ and not doc[k - 3].whitespace_:
        return geo.country_of(doc[k - 3].text)
    if k >= 1 and "-" in doc[k - 1].text:
        name, _, held = doc[k - 1].text.rpartition("-")
        if _HELD.match(held):
            return geo.country_of(name)
    return None


def _holders(doc: "Doc", memo: dict | None) -> dict[str, str]:
    """Region name -> the one country the article says holds it ("Pakistan-controlled
    Kashmir"): a later bare "Kashmir" in the same story is that part. A region the
    article gives two holders keeps its gazetteer country."""
    key = ("holders",)
    if memo is not None and key in memo:
        return memo[key]
    seen: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            code = _holder(ent)
            if code:
                seen.setdefault(geo.normalise(ent.text), set()).add(code)
    found = {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}
    if memo is not None:
        memo[key] = found
    return found


def _held_place(span: "Span", memo: dict | None) -> Location | None:
    """A region's place when the text names its holder, here or earlier in the story."""
    code = _holder(span) or _holders(span.doc, memo).get(geo.normalise(span.text))
    if not code:
        return None
    found = _resolve_place(span.text)
    text = geo.normalise_display(span.text)
    if found is not None:
        return Location(text=text, country=code, lat=found.lat, lon=found.lon)
    return Location(text=text, country=code)


def _sentence_places(sent: "Span", memo: dict | None) -> list[tuple["Span", bool,
                                                                   Location | None]]:
    """The sentence's place candidates with their gazetteer matches, computed once
    per sentence: a sentence with thousands of figures must not redo the lookups
    (and the entity scan) for each of them. The neighbour across a border is no
    candidate; a held region is its holder's."""
    key = ("places", sent.start, sent.end)
    if memo is not None and key in memo:
        return memo[key]
    found = [(span, is_loc, _held_place(span, memo) or _resolve_place(span.text))
             for span, is_loc in _place_candidates(sent, set()) if not _across_border(span)]
    if memo is not None:
        memo[key] = found
    return found


_SIDE_NOUNS = frozenset({"side", "soil", "territory", "frontier"})


def _national_side(sent: "Span") -> Location | None:
    """"killed on the Thai side", "on Cambodian soil": a nationality naming the place."""
    for t in tokens_of(sent):
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


#: Verbs of a state's own count: "India reported 360 killed", "Chile recorded 12 deaths".
_RECORDING_VERBS = frozenset({"report", "record", "register"})


def _own_count(reporter: "Token | None") -> Location | None:
    """The country that reports a toll in a sentence naming no place ("India reported 360
    killed and 900 injured"): a state recording its own dead. Only a bare country as the
    subject; "India's army reported" or "officials said" are not it."""
    if reporter is None or reporter.lemma_.lower() not in _RECORDING_VERBS:
        return None
    subjects = [c for c in reporter.children if c.dep_ == "nsubj"]
    if len(subjects) != 1:
        return None
    subj = subjects[0]
    if subj.ent_type_ != "GPE" or subj.left_edge.i != subj.i or subj.right_edge.i != subj.i:
        return None
    code = geo.country_of(subj.text)  # a state, its capital as metonym, a region of it
    if not code:
        return None
    try:
        return replace(geo.country_location(code), text=subj.text)
    except (KeyError, ValueError):
        return Location(text=subj.text, country=code)


def _portfolio(sent: "Span", reporter_words: set[int]) -> Location | None:
    """The country a reporter's office is for ("the UN humanitarian coordinator for
    Yemen", "the envoy for Syria"), in a sentence naming no other place: the office
    speaks of its country."""
    doc = sent.doc
    for k in sorted(reporter_words):
        tok = doc[k]
        if tok.lower_ != "for" or tok.head.pos_ not in ("NOUN", "PROPN"):
            continue
        for p in tok.children:
            if p.dep_ == "pobj" and p.ent_type_ == "GPE" and p.i in reporter_words:
                code = geo.country_of(p.text)
                if code and geo.country_name(code):
                    try:
                        return replace(geo.country_location(code), text=p.text)
                    except (KeyError, ValueError):
                        return Location(text=p.text, country=code)
    return None


def locate(sent: "Span", cue: "Token", reporter: "Token | None",
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
    own = _own_count(reporter) or _portfolio(sent, skip)
    if own is not None:
        return own
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

