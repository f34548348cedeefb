"""One claim per (category, figure) and counted group: the most informative statement.
"""
from __future__ import annotations

from typing import Iterable

from ..model import CasualtyClaim


def _informativeness(claim: CasualtyClaim) -> tuple[int, ...]:
    """Asserted over contested, a source over none, a period over none; then a hedge
    ("at least one fatally") over a bare restatement of the figure ("one of the victims
    has died"): the hedge is what the report says of the figure, the counted noun only
    what it says of the people."""
    return (int(claim.modality == "asserted"), int(claim.reported_by is not None),
            int(claim.period is not None), int(claim.count.qualifier != "exact"),
            int(claim.victims is not None))


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
    if not named:
        return True
    ta, tb = la.text.lower(), lb.text.lower()
    # "in Aurora" and "in Aurora, Colo": one place, said at two precisions.
    return ta in tb or tb in ta or (la.country is not None and la.country == lb.country
                                    and la.lat == lb.lat and la.lon == lb.lon)


def dedupe(claims: Iterable[CasualtyClaim]) -> list[CasualtyClaim]:
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

