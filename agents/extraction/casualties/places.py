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

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token


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

