"""The discourse layer: an article's sentence-level event candidates resolved as a story.

The sentence rules (`events`) read one sentence at a time; real copy spreads one story
over many. This module takes the article's candidates in text order, with the parties
the article names, and returns the events a reader would code. One input (`Article`),
one output (`resolve`'s list of events); it reads no parse, so it can be tested on
candidates built by hand.

What it resolves, each heuristic in the function that applies it:

* **the chain of acts**: the resolved events in text order, who did what to whom, each
  available to the candidates after it (`Chain`);
* **mediation**: an actor of talks "between X and Y" who is not one of X and Y is a
  mediator or host; it CONSULTs each party (mode `third-party`), the parties CONSULT
  each other, and the parties' CONSULT toward the mediator is dropped (`_mediation`);
  a mediation that names no parties ("Malaysia is mediating the negotiations") is of
  the story's dyad, through the group placeholders; it makes its actor a mediator, but
  does not say that the parties met (the talks may be indirect);
* **the principal dyad**: the pair of parties the story is about, never a mediator
  (`Chain.dyad`);
* **group references** ("the two sides", "both countries", "the two leaders", "the
  neighbours"): the sentence rules leave the two placeholders `GROUP[0]` and `GROUP[1]`,
  replaced here by the dyad (`_substitute`);
* **reactions and act references** ("Tehran condemned the move", "Beijing threatened to
  retaliate"): a target-less reaction answers the latest earlier act aimed at its actor,
  and that act's author is its target (`Chain.answered`);
* **one event per key**: the current event wins over a recalled (`background`) one, then
  the more confident; a target-less event gives way to the same actor and type with a
  target (`_one_per_key`).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import DiplomaticEvent, Party

__all__ = ["Article", "Candidate", "Chain", "GROUP", "Mention", "resolve", "is_group"]

#: Placeholders the sentence rules put where a group reference of two stands; their
#: codes ("@1", "@2") are never a state's or an organisation's.
GROUP = (Party(text="group", name=None, country="@1", org=None, role=None),
         Party(text="group", name=None, country="@2", org=None, role=None))
_GROUP_CODES = frozenset(p.code for p in GROUP)

#: Acts a reaction may answer when no one is named as its target.
ANSWERABLE = frozenset({"SANCTION", "THREATEN", "ACCUSE", "REQUEST", "REJECT", "AID",
                        "COOPERATE", "RETREAT", "CONCEDE", "SUPPORT", "AGREE"})
#: Types a reader codes without a target ("condemned the attack", "called for calm",
#: "rejected the report", "warned of consequences", "the president resigned"); other acts
#: need someone they are done to.
NULL_TARGET_TYPES = frozenset({"ACCUSE", "REQUEST", "REJECT", "THREATEN", "RETREAT"})


def is_group(party: Party | None) -> bool:
    """True if `party` is one of the group placeholders."""
    return party is not None and party.code in _GROUP_CODES


@dataclass(frozen=True)
class Candidate:
    """One sentence-level event, with what the sentence left for the article to settle.

    `group_guess` is the sentence rules' own reading of a group reference (the last two
    parties named), used when the story gives no dyad; `answers` names the act reference
    or reply word of a target-less reaction ("move", "retaliate"); `between` holds the
    codes of the parties of talks the event's sentence names ("talks between X and Y").
    The events of one cue are candidates one by one, each with the same extras.
    """

    event: DiplomaticEvent
    sentence: int
    group_guess: tuple[Party, Party] | None = None
    answers: str | None = None
    #: The type of act the reaction names, when its words name one ("vowed to respond
    #: to the fresh sanctions" -> SANCTION): the latest act of that type is the one
    #: answered, before any other aimed at the reactor.
    answers_type: str | None = None
    between: tuple[str, ...] = ()
    #: The cue takes no null target: a reaction left without the act it answers is dropped.
    needs_target: bool = False
    #: A mediation whose parties the sentence does not name ("Malaysia is mediating the
    #: negotiations"): its targets are the group placeholders, and its actor a mediator.
    mediates: bool = False


@dataclass(frozen=True)
class Mention:
    """A party the article names, in sentence `sentence` (whether or not it acts there)."""

    sentence: int
    party: Party


@dataclass(frozen=True)
class Article:
    """The discourse layer's input: candidates and mentions, both in text order."""

    candidates: tuple[Candidate, ...]
    mentions: tuple[Mention, ...] = ()


@dataclass
class Chain:
    """The acts resolved so far, in text order, and the mediators met so far."""

    acts: list[tuple[int, DiplomaticEvent]] = field(default_factory=list)
    mediators: set[str] = field(default_factory=set)
    #: Pairs of parties of talks named with "between", with the sentence naming them.
    talks: list[tuple[int, frozenset[str]]] = field(default_factory=list)

    def add(self, sentence: int, event: DiplomaticEvent) -> None:
        self.acts.append((sentence, event))

    def dyad(self, before: int) -> tuple[Party, Party] | None:
        """The story's principal pair of parties as read before sentence `before`.

        Each current act between two parties in an earlier sentence scores its pair once
        (a meeting coded both ways is one act; acts of the reference's own sentence are
        what is being resolved); talks' parties
        named with "between", up to the reference's sentence, score three times (they are
        what the story's talks are about); two parties acting together in one act
        ("France and Germany called on Iran") score one and a half.
        A pair with a mediator in it never counts: "the two neighbours" after "Qatar and
        Turkey hosted talks between Afghanistan and Pakistan" are the two at the table.
        Ties go to the pair named last. Groups of an organisation and a state count too
        ("the two sides" after EU-China talks).
        """
        score: dict[frozenset[str], float] = {}
        last: dict[frozenset[str], int] = {}
        parties: dict[str, Party] = {}
        counted: set[tuple[frozenset[str], tuple[int, int], str]] = set()
        for sent, ev in self.acts:
            if sent >= before or ev.background or ev.target is None:
                continue
            a, t = ev.actor.code, ev.target.code
            parties.setdefault(a or "", ev.actor)
            parties.setdefault(t or "", ev.target)
            if a is None or t is None or a == t or a in self.mediators or t in self.mediators:
                continue
            pair = frozenset((a, t))
            if (pair, ev.span, ev.type) in counted:
                continue  # a meeting coded both ways is one act
            counted.add((pair, ev.span, ev.type))
            score[pair] = score.get(pair, 0.0) + 1.0
            last[pair] = max(last.get(pair, -1), sent)
        coacting: dict[tuple, list[str]] = {}
        for sent, ev in self.acts:
            if sent < before and not ev.background and ev.actor.code is not None:
                key = (ev.span, ev.type, ev.target.code if ev.target else None)
                if ev.actor.code not in coacting.setdefault(key, []):
                    coacting[key].append(ev.actor.code)
                parties.setdefault(ev.actor.code, ev.actor)
        for (span, _, _), codes in coacting.items():
            if len(codes) == 2 and not set(codes) & self.mediators:
                # "France and Germany called on Iran ... the two countries": co-actors.
                pair = frozenset(codes)
                score[pair] = score.get(pair, 0.0) + 1.5
                last[pair] = max(last.get(pair, -1), max(s for s, e in self.acts if e.span == span))
        for sent, pair in self.talks:
            if sent <= before and len(pair) == 2 and not pair & self.mediators:
                score[pair] = score.get(pair, 0.0) + 3.0
                last[pair] = max(last.get(pair, -1), sent)
        if not score:
            return None
        best = max(score, key=lambda p: (score[p], last[p]))
        codes = sorted(best)
        if not all(c in parties for c in codes):
            return None
        return parties[codes[0]], parties[codes[1]]

    def answered(self, reactor: str | None, before: int, kind: str | None = None) -> list[Party]:
        """The authors of the act a target-less reaction answers.

        The latest act before the reaction that was aimed at the reacting party and done
        by another ("the EU imposed sanctions on Iran ... Tehran condemned the move"):
        its actor is the reaction's target, with every co-author of the same act ("France
        and Germany called on Iran ... Iran rejected the statement" -> both). An act the
        reactor aimed at others is never answered by it, and with no act aimed at the
        reactor nothing is guessed. A reaction that names the kind of act it answers
        (`kind`: "respond to the fresh sanctions") answers the latest act of that kind,
        when there is one, over a later act of another ("the Netherlands summoned Iran's
        ambassador" after the sanctions).
        """
        if reactor is None:
            return []
        latest: DiplomaticEvent | None = None
        for wanted in ((kind, None) if kind else (None,)):
            for sent, ev in reversed(self.acts):
                if sent > before or (wanted is not None and ev.type != wanted):
                    continue
                if ev.type in ANSWERABLE and ev.target is not None and ev.target.code == reactor \
                        and ev.actor.code not in (None, reactor) and not is_group(ev.actor):
                    latest = ev
                    break
            if latest is not None:
                break
        if latest is None:
            return []
        out: list[Party] = []
        for _, ev in self.acts:
            if ev.span == latest.span and ev.type == latest.type and ev.target is not None \
                    and ev.target.code == reactor and ev.actor.code not in (None, reactor) \
                    and all(ev.actor.code != p.code for p in out):
                out.append(ev.actor)
        return out


def resolve(article: Article) -> list[DiplomaticEvent]:
    """The article's events: candidates resolved against the story, one per key."""
    chain = Chain()
    for cand in article.candidates:
        if (len(cand.between) >= 2 and cand.event.actor.code not in cand.between) or cand.mediates:
            chain.mediators.add(cand.event.actor.code)
        if len(cand.between) == 2:
            chain.talks.append((cand.sentence, frozenset(cand.between)))
    coactors: dict[tuple[tuple[int, int], str | None, str], list[Party]] = {}
    for cand in article.candidates:
        ev = cand.event
        if ev.target is None and not is_group(ev.actor):
            coactors.setdefault((ev.span, ev.trigger, ev.type), []).append(ev.actor)
    out: list[DiplomaticEvent] = []
    for cand in article.candidates:
        for ev in _resolved(cand, chain, article.mentions,
                            coactors.get((cand.event.span, cand.event.trigger, cand.event.type), [])):
            chain.add(cand.sentence, ev)
            out.append(ev)
    out.extend(_mediation(article.candidates, chain))
    return _one_per_key(out)


def _resolved(cand: Candidate, chain: Chain, mentions: Sequence[Mention],
              coactors: Sequence[Party] = ()) -> list[DiplomaticEvent]:
    ev = cand.event
    if is_group(ev.actor) or is_group(ev.target):
        dyad = chain.dyad(cand.sentence) or cand.group_guess \
            or _mentioned_pair(mentions, cand.sentence, chain.mediators)
        if dyad is None:
            return []
        ev = _substitute(ev, dyad)
        if ev is None:
            return []
    if cand.between and ev.target is not None and ev.actor.code in cand.between \
            and ev.target.code in chain.mediators and ev.type == "CONSULT":
        # The parties meet each other; toward their mediator they are only received.
        return []
    if ev.type == "CONSULT" and ev.actor.code in chain.mediators and ev.target is not None \
            and ev.target.code in cand.between:
        ev = dataclasses.replace(ev, mode="third-party")
    if ev.target is None and cand.answers is not None:
        authors = chain.answered(ev.actor.code, cand.sentence, cand.answers_type)
        if authors:
            return [dataclasses.replace(ev, target=dataclasses.replace(a, text=cand.answers))
                    for a in authors]
        if cand.needs_target:
            return []
    if ev.target is None and ev.type not in NULL_TARGET_TYPES:
        others = [p for p in coactors if p.code != ev.actor.code]
        if others and ev.cameo == "161":
            # "Qatar and Bahrain cut ties": each co-actor's act is toward the others.
            return [dataclasses.replace(ev, target=p) for p in others]
        # "Greece plans to impose restrictions", "he agreed": an act done to no one
        # named is no event a reader would code.
        return []
    if ev.target is not None and ev.actor.code == ev.target.code:
        return []
    return [ev]


def _substitute(ev: DiplomaticEvent, dyad: tuple[Party, Party]) -> DiplomaticEvent | None:
    """`ev` with the group placeholders replaced by the dyad's parties (same order)."""
    def swap(p: Party | None) -> Party | None:
        if p is None or not is_group(p):
            return p
        real = dyad[0] if p.code == GROUP[0].code else dyad[1]
        return dataclasses.replace(real, text=p.text)

    actor, target = swap(ev.actor), swap(ev.target)
    if actor is None or actor.code is None:
        return None
    return dataclasses.replace(ev, actor=actor, target=target)


def _mentioned_pair(mentions: Sequence[Mention], sentence: int,
                    mediators: Iterable[str]) -> tuple[Party, Party] | None:
    """The last two distinct states named before `sentence`, mediators left out: "clashes
    on the border between Kyrgyzstan and Tajikistan ... the two countries agreed".

    States of the reference's own sentence are left out: a mention carries no position,
    and one after the reference is no antecedent ("the two sides will meet in
    Brussels"); the sentence rules read the states named before it (`group_guess`)."""
    skip = set(mediators)
    found: list[Party] = []
    for m in reversed(mentions):
        if m.sentence >= sentence or m.party.code in skip or m.party.country is None:
            continue
        if all(m.party.code != p.code for p in found):
            found.append(m.party)
            if len(found) == 2:
                return found[1], found[0]
    return None


def _mediation(candidates: Sequence[Candidate], chain: Chain) -> list[DiplomaticEvent]:
    """The parties of mediated or hosted talks CONSULT each other, both ways.

    "Qatar and Turkey hosted talks between Afghanistan and Pakistan": AFG<->PAK, each
    taken from the first candidate that names the pair.
    """
    out: list[DiplomaticEvent] = []
    done: set[frozenset[str]] = set()
    by_code: dict[str, Party] = {}
    for _, ev in chain.acts:
        for p in (ev.actor, ev.target):
            if p is not None and p.code is not None:
                by_code.setdefault(p.code, p)
    for cand in candidates:
        if len(cand.between) != 2 or cand.event.actor.code not in chain.mediators \
                or cand.event.planned:
            # "ready to mediate new talks": the talks are the mediator's intent only.
            continue
        pair = frozenset(cand.between)
        if pair in done or not all(c in by_code for c in pair):
            continue
        done.add(pair)
        a, b = (by_code[c] for c in cand.between)
        base = cand.event
        for x, y in ((a, b), (b, a)):
            out.append(dataclasses.replace(base, type="CONSULT", cameo="046", actor=x, target=y,
                                           mode="third-party",
                                           planned=base.planned and base.type != "CONSULT"))
    return out


def _one_per_key(events: Sequence[DiplomaticEvent]) -> list[DiplomaticEvent]:
    """One event per (actor, type, target): the current one over a recalled one, then the
    more confident. A target-less event gives way to the same actor and type with one."""
    best: dict[tuple[str | None, str, str | None], DiplomaticEvent] = {}
    for ev in events:
        old = best.get(ev.key)
        if old is None or (old.background, -old.confidence) > (ev.background, -ev.confidence):
            best[ev.key] = ev
    targeted = {(k[0], k[1]) for k in best if k[2] is not None}
    kept = [e for k, e in best.items() if k[2] is not None or (k[0], k[1]) not in targeted]
    return sorted(kept, key=lambda e: (e.span[0], e.key[1], str(e.key)))
