"""The casualty lexicons: harm cues per category, victim nouns, and the words around a
figure that change who said it, how sure it is and when (validated data, see
`lexicons/casualty_*.json`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import lexicon
from ..lexicon import Field, LexiconError
from ..model import CATEGORIES

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

#: Entity labels of places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


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
    people_nouns: frozenset[str] = frozenset()
    with_nouns: frozenset[str] = frozenset()


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
    fatal_words: frozenset[str] = frozenset()
    people_only_verbs: frozenset[str] = frozenset()
    group_nouns: frozenset[str] = frozenset()
    #: Words of the displaced phrases that only say people took shelter ("sought
    #: shelter", "took refuge"): such a figure gives way to an evacuation of the same
    #: figure in the article (see `claims.extract_claims`).
    shelter_words: frozenset[str] = frozenset()
    #: Places of refuge that make fleeing to them displacement ("fled to an indoor
    #: stadium", "fled to higher ground"), as a named place does ("fled to Chad").
    refuge_places: frozenset[str] = frozenset()

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
    recall_verbs: frozenset[str] = frozenset()
    recall_marks: frozenset[str] = frozenset()
    superlatives: frozenset[str] = frozenset()
    settled_verbs: frozenset[str] = frozenset()
    ordering_verbs: frozenset[str] = frozenset()
    witness_verbs: frozenset[str] = frozenset()
    publishing_verbs: frozenset[str] = frozenset()
    report_nouns: frozenset[str] = frozenset()
    media_nouns: frozenset[str] = frozenset()


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
        "flee_verbs": Field((list,)), "fatal_words": Field((list,), required=False),
        "people_only_verbs": Field((list,), required=False),
        "group_nouns": Field((list,), required=False),
        "shelter_words": Field((list,), required=False),
        "refuge_places": Field((list,), required=False),
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
            "people_nouns": Field((list,), required=False),
            "with_nouns": Field((list,), required=False),
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
            people_nouns=_words(spec.get("people_nouns", []), f"{at}.people_nouns"),
            with_nouns=_words(spec.get("with_nouns", []), f"{at}.with_nouns"),
        )
    return Cues(
        categories=built,
        toll_nouns=_words(entries["toll_nouns"], f"{where}.toll_nouns"),
        count_nouns=_words(entries["count_nouns"], f"{where}.count_nouns"),
        toll_verbs=_words(entries["toll_verbs"], f"{where}.toll_verbs"),
        linking_verbs=_words(entries["linking_verbs"], f"{where}.linking_verbs"),
        exceed_verbs=_words(entries["exceed_verbs"], f"{where}.exceed_verbs"),
        flee_verbs=_words(entries["flee_verbs"], f"{where}.flee_verbs"),
        fatal_words=_words(entries.get("fatal_words", []), f"{where}.fatal_words"),
        people_only_verbs=_words(entries.get("people_only_verbs", []),
                                 f"{where}.people_only_verbs"),
        group_nouns=_words(entries.get("group_nouns", []), f"{where}.group_nouns"),
        shelter_words=_shelter_words(entries.get("shelter_words", []), built["displaced"],
                                     f"{where}.shelter_words"),
        refuge_places=_words(entries.get("refuge_places", []), f"{where}.refuge_places"),
    )


def _shelter_words(value: Any, displaced: CategoryCues, where: str) -> frozenset[str]:
    """Shelter words must each end one of the displaced phrases ("seek" + "shelter")."""
    words = _words(value, where)
    ends = {w for _, w in displaced.phrases}
    stray = sorted(words - ends)
    if stray:
        raise LexiconError(f"{where}: {stray} end no displaced phrase")
    return words


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
             "earlier_markers", "recall_verbs", "recall_marks", "superlatives")
    optional = ("settled_verbs", "ordering_verbs", "witness_verbs", "publishing_verbs",
                "report_nouns", "media_nouns")
    lexicon.check_record(entries, {**{n: Field((list,)) for n in names},
                                   **{n: Field((list,), required=False) for n in optional}},
                         where)
    sets = {n: _words(entries.get(n, []), f"{where}.{n}") for n in (*names, *optional)}
    markers = tuple(sorted((tuple(m.split()) for m in sets.pop("cumulative_markers")),
                           key=lambda m: -len(m)))
    return ClaimContext(cumulative_markers=markers, **sets)


def lexicons() -> tuple[Cues, VictimNouns, ClaimContext]:
    return (lexicon.load("casualty_cues"), lexicon.load("casualty_nouns"),
            lexicon.load("casualty_context"))


def lemma_of(tok: "Token") -> str:
    return tok.lemma_.lower()

