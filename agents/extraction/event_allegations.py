"""Allegations made in passing: "in response to what Ottawa called brutal repression by
Iran's forces", "over what it said were offensive remarks attributed to the president".

A free relative ("what X called / said was Y") that a reaction hangs on names X's own
account of an act of another party: X accuses that party (ACCUSE/112), whatever the
reaction itself is. Only when the free relative is the object of a preposition ("in
response to", "over", "for"), so that the account is the reason given for an act; "Russia
launched what it called a special military operation" is the act itself, named by its
author, and accuses no one. The sentence must hold a cue of its own (`extract_events` asks
for one): the account is read only beside the reaction it explains. The party accused is
the one whose act the account names (its owner, its "by" agent, whom it is "attributed
to"); an account that names none gives nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .discourse import Candidate
from .event_arguments import _date, _event_location, _outside_dateline, _parties
from .event_cues import (
    _clause_span, _lemma, _negated, _recalled, _sentence, context_words, cues, sentence_text,
)
from .model import ArticleContext, DiplomaticEvent

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

    from . import actors

__all__ = ["allegation_candidates"]

#: Prepositions whose object gives the reason an act answers: "in response to what ...".
REASON_PREPS = frozenset({"to", "over", "for", "against", "at", "about", "after"})
#: Copulas that carry what a speaker "said was" the act.
COPULAS = frozenset({"be"})


def _what_subject(verb: "Token") -> bool:
    """True if "what" is the verb's object ("what Ottawa called ...") or the subject of
    the clause it reports ("what it said were ...")."""
    if any(c.lower_ == "what" and c.dep_ in ("dobj", "nsubj") for c in verb.children):
        return True
    return any(c.lower_ == "what" and c.dep_ in ("nsubj", "nsubjpass")
               for k in verb.children if k.dep_ == "ccomp" for c in k.children)


def _account(verb: "Token") -> list["Token"]:
    """The noun the speaker's account calls the act: the object complement of "called",
    or the attribute of the reported "was" (also when the parser hung that clause on the
    sentence's verb, right after the speaking verb)."""
    found = [c for c in verb.children if c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN")]
    clauses = [k for k in verb.children if k.dep_ == "ccomp" and _lemma(k) in COPULAS]
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if not clauses and after is not None and _lemma(after) in COPULAS and after.dep_ == "ccomp":
        clauses.append(after)
    found += [c for k in clauses for c in k.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    return found


#: Participles by which an account names whose act it is: "remarks attributed to the president".
ATTRIBUTING = frozenset({"attribute", "ascribe"})
_NAMING_DEPS = ("amod", "compound", "nmod")


def _doers(noun: "Token") -> list["Token"]:
    """Who did the act an account names: its owner ("Moscow's supply of drones"), a
    nationality on it ("Serbian provocations"), its "by" agent ("repression by Iran's
    forces", with that phrase's own owner), or whom it is attributed to. Not whom the act
    was aimed at or went to ("Moscow's supply of drones to Iran" accuses Moscow only)."""
    found = [c for c in noun.children if c.dep_ == "poss"]
    found += [c for c in noun.children if c.dep_ in _NAMING_DEPS and c.i < noun.i
              and c.ent_type_ in ("NORP", "GPE")]
    agents = [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"
              for o in c.children if o.dep_ == "pobj"]
    agents += [o for c in noun.children if c.dep_ == "acl"
               for a in c.children if a.dep_ == "agent" or (
                   a.dep_ == "prep" and a.lower_ == "to" and _lemma(c) in ATTRIBUTING)
               for o in a.children if o.dep_ == "pobj"]
    for a in agents:
        found.append(a)
        found += [c for c in a.children if c.dep_ == "poss"]
    return found


def allegation_candidates(tok: "Token", registry: "actors.Registry", ctx: ArticleContext,
                          sent_index: int) -> list[Candidate]:
    """The ACCUSE events of a speaking verb heading a free relative of reason (see the
    module's docstring); empty for any other token."""
    if _lemma(tok) not in context_words()["characterising_verbs"] or tok.dep_ != "pcomp" \
            or tok.head == tok or tok.head.lower_ not in REASON_PREPS or _negated(tok):
        return []
    if not _what_subject(tok):
        return []
    nouns = _account(tok)
    if not nouns:
        return []
    cue = cues()[("accuse", "VERB")][0]
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    actor_parties = _parties(_outside_dateline(subjects), registry)
    if not actor_parties:
        return []
    own = {p.code for p in actor_parties}
    owners = [o for n in nouns for o in _doers(n)]
    for a in (o for c in tok.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"):
        # ("called brutal repression by Iran's forces" with "by" hung on "called".)
        owners += [a] + [c for c in a.children if c.dep_ == "poss"]
    targets = [p for p in _parties(owners, registry) if p.code not in own]
    if not targets:
        return []
    sent = _sentence(tok)
    sentence, offsets = sentence_text(sent)
    frame = dict(sentence=sentence, span=offsets, mode=None, planned=False,
                 location=_event_location(tok, _clause_span(tok), cue, []),
                 date=_date(tok, sent, False, ctx), reported_by=None,
                 background=_recalled(tok, ctx, False), trigger=f"{tok.text} {nouns[0].text}")
    return [Candidate(event=DiplomaticEvent(type="ACCUSE", cameo="112", actor=a, target=t,
                                            confidence=0.6, **frame), sentence=sent_index)
            for a in actor_parties for t in targets]
