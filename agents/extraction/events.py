"""Diplomatic events: who did what to whom, coded in PLOVER with CAMEO codes.

A cue (verb or noun lemma from the `event_verbs` lexicon) marks a candidate event;
its arguments come from the dependency parse:

* actor: the subject (or the passive agent); for an infinitive or coordinated verb
  the subject of the verb it depends on ("agreed to reject"); for a noun cue its
  possessor ("his meeting") or the subject of the verb that holds it;
* target: the direct object, the dative, or the object of the cue's prepositions
  ("with X", "on X", "to X"); a visited place is its state.

Meetings and agreements between two parties are coded both ways (visitor -> host
and host -> visitor), a meeting that is only planned becomes AGREE/036 (the
contract codes announced meetings as intent), negated cues give nothing, and
same-state pairs are not events. One event is kept per (actor, type, target).
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import actors, dates, geo, lexicon
from .entities import entity_at, ents_in
from .lexicon import Field, LexiconError, check_record
from .model import EVENT_TYPES, ArticleContext, DiplomaticEvent, Location, Party

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

__all__ = ["extract_events", "Cue", "cues"]

#: Lemmas whose complement is only intended or expected, not done.
PLAN_LEMMAS = frozenset({"plan", "intend", "expect", "ready", "want", "hope", "offer", "propose",
                         "prepare", "seek", "schedule", "set", "aim", "wish", "willing",
                         "prepared", "due", "invite", "invitation", "pledge", "promise", "vow",
                         "try", "decide", "agree", "commit", "committed", "able", "instruct",
                         "authorize", "authorise"})
#: An intended cooperative act is coded as the intent (AGREE) with its CAMEO 03x code.
INTENT_CAMEO = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033",
                "CONCEDE": "035", "RETREAT": "035"}
MODALS = frozenset({"will", "would", "could", "may", "might", "shall", "'ll", "wo", "should"})
#: Heads that cancel what they govern ("refused to meet", "failed to agree").
CANCEL_LEMMAS = frozenset({"refuse", "refusal", "fail", "failure", "decline", "deny", "reject",
                           "avoid", "cancel", "postpone", "call off"})
SAY_LEMMAS = frozenset({"say", "tell", "report", "announce", "state", "add", "claim", "quote",
                        "declare", "confirm", "insist"})
NEG_WORDS = frozenset({"not", "n't", "never", "no"})
#: Verbs that hold a noun cue without adding meaning: "held talks", "paid a visit".
LIGHT_VERBS = frozenset({"hold", "have", "conduct", "attend", "pay", "make", "begin", "start",
                         "open", "host", "join", "resume", "take", "undertake", "launch",
                         "lead", "renew", "continue", "give", "extend", "issue", "reiterate",
                         "express", "voice"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_OBJECT_DEPS = ("dobj", "obj", "attr", "oprd")

_CUE_FIELDS = {
    "lemma": Field((str,)),
    "pos": Field((str,), choices=("VERB", "NOUN")),
    "type": Field((str,), choices=EVENT_TYPES),
    "cameo": Field((str,)),
    "mode": Field((str,), required=False,
                  choices=("visit", "phone", "third-party", "multilateral", "host")),
    "planned": Field((bool,), required=False),
    "symmetric": Field((bool,), required=False),
    "reverse_cameo": Field((str,), required=False),
    "objects": Field((list,), required=False),
    "particles": Field((list,), required=False),
    "optional_particles": Field((bool,), required=False),
    "target_preps": Field((list,), required=False),
    "direct_target": Field((bool,), required=False),
    "dative_target": Field((bool,), required=False),
    "place_target": Field((bool,), required=False),
    "person_target": Field((bool,), required=False),
    "owner_target": Field((bool,), required=False),
    "null_target": Field((bool,), required=False),
    "requires_word": Field((list,), required=False),
    "requires_prep_child": Field((str,), required=False),
    "reply": Field((bool,), required=False),
    "complement_modal": Field((list,), required=False),
    "intent_only": Field((bool,), required=False),
    "carriers": Field((list,), required=False),
    "modifiers": Field((list,), required=False),
    "agreement_enacts": Field((bool,), required=False),
    "confidence": Field((float,), required=False),
}
_LIST_KEYS = ("objects", "particles", "target_preps", "requires_word", "complement_modal",
              "carriers", "modifiers")
_SET_KEYS = ("objects", "particles", "requires_word", "complement_modal", "carriers", "modifiers")


@dataclass(frozen=True)
class Cue:
    """One validated entry of the event-cue lexicon (see `lexicons/event_verbs.json`)."""

    lemma: str
    pos: str
    type: str
    cameo: str
    mode: str | None = None
    planned: bool = False
    symmetric: bool = False
    reverse_cameo: str | None = None
    objects: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    optional_particles: bool = False
    target_preps: tuple[str, ...] = ("with", "on", "to", "against")
    direct_target: bool = True
    dative_target: bool = False
    place_target: bool = False
    person_target: bool = False
    owner_target: bool = False
    null_target: bool = False
    requires_word: frozenset[str] = frozenset()
    requires_prep_child: str | None = None
    #: An answer to an earlier act ("accepted the invitation"): with no target named,
    #: the target is whoever earlier in the article addressed that act to the actor.
    reply: bool = False
    #: The cue counts only with a that-clause carrying one of these modals ("said
    #: that Libya must hand over ..."): a statement of what another party must do.
    complement_modal: frozenset[str] = frozenset()
    #: Only an announced, vowed or threatened act counts ("vowed to retaliate", "would
    #: respond"); the same word for a deed done ("retaliated") is no diplomatic event.
    intent_only: bool = False
    #: A noun cue counts only when one of these verbs holds it, as its object, through
    #: a preposition, or as its subject ("agreed to a truce", "a truce took effect").
    carriers: frozenset[str] = frozenset()
    #: A noun cue counts only with one of these words on it ("a defence deal").
    modifiers: frozenset[str] = frozenset()
    #: Agreeing to the act is the act ("agreed to a ceasefire" declares one), not an intent.
    agreement_enacts: bool = False
    confidence: float = 0.7


@lexicon.register("event_verbs")
def _validate_cues(entries: Any, where: str) -> dict[tuple[str, str], tuple[Cue, ...]]:
    if not isinstance(entries, list) or not entries:
        raise LexiconError(f"{where}: expected a non-empty list of cues")
    index: dict[tuple[str, str], list[Cue]] = {}
    for i, raw in enumerate(entries):
        here = f"{where}[{i}]"
        check_record(raw, _CUE_FIELDS, here)
        cameo = raw["cameo"]
        if not (cameo.isdigit() and 3 <= len(cameo) <= 4):
            raise LexiconError(f"{here}.cameo: {cameo!r} is not a CAMEO code string")
        for key in _LIST_KEYS:
            if key in raw and not all(isinstance(x, str) and x for x in raw[key]):
                raise LexiconError(f"{here}.{key}: expected a list of non-empty strings")
        conf = raw.get("confidence", 0.7)
        if not 0.0 <= conf <= 1.0:
            raise LexiconError(f"{here}.confidence: {conf} not in [0, 1]")
        kwargs = dict(raw)
        if raw.get("carriers") and raw["pos"] != "NOUN":
            raise LexiconError(f"{here}.carriers: only a noun cue has carriers")
        for key in _SET_KEYS:
            if key in kwargs:
                kwargs[key] = frozenset(x.lower() for x in kwargs[key])
        if "target_preps" in kwargs:
            kwargs["target_preps"] = tuple(kwargs["target_preps"])
        cue = Cue(**kwargs)
        index.setdefault((cue.lemma.lower(), cue.pos), []).append(cue)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def cues() -> dict[tuple[str, str], tuple[Cue, ...]]:
    """The cue index, (lemma, "VERB"|"NOUN") -> cues, built once per process."""
    return lexicon.load("event_verbs")


# --------------------------------------------------------------------------- matching

def _pos_class(tok: "Token") -> str | None:
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        return "VERB"
    if tok.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    return None


def _lemma(tok: "Token") -> str:
    lemma = (tok.lemma_ or tok.text).lower()
    return lemma if lemma != "-pron-" else tok.lower_


def _objects(tok: "Token") -> list["Token"]:
    out = []
    for c in tok.children:
        if c.dep_ in _OBJECT_DEPS or c.dep_ == "nsubjpass":
            out.extend(actors.expand_conjuncts(c))
    return out


def _object_match(tok: "Token", cue: Cue) -> "Token | None":
    """The object that licenses a verb+object cue ("held talks"), searched one prep deep."""
    for o in _objects(tok):
        if _lemma(o) in cue.objects or o.lower_ in cue.objects:
            return o
    for c in tok.children:
        if c.dep_ in ("prep", "prt", "agent"):
            for o in c.children:
                if o.dep_ == "pobj" and (_lemma(o) in cue.objects or o.lower_ in cue.objects):
                    return o
    for o in _objects(tok):
        # "5 million dollars of aid", "a grant of ...": the licensing noun one "of" down.
        for c in o.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and _lemma(g) in cue.objects:
                        return g
    return None


def _has_particle(tok: "Token", cue: Cue) -> bool:
    return any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ in cue.particles
               for c in tok.children)


def match_cue(tok: "Token") -> tuple[Cue, "Token | None"] | None:
    """The first lexicon cue whose constraints `tok` meets, with the object it needed."""
    pos = _pos_class(tok)
    if pos is None:
        return None
    options = cues().get((_lemma(tok), pos))
    if not options:
        return None
    sent_words = None
    for cue in options:
        obj = None
        if cue.objects:
            obj = _object_match(tok, cue)
            if obj is None:
                continue
        if cue.particles and not _has_particle(tok, cue) and not cue.optional_particles:
            continue
        if cue.requires_word:
            if sent_words is None:
                sent_words = {t.lower_ for t in _sentence(tok)}
            if not sent_words & cue.requires_word:
                continue
        if cue.complement_modal and not any(
                c.dep_ == "ccomp" and _has_modal(c, cue.complement_modal) for c in tok.children):
            continue
        if cue.requires_prep_child and not any(
                c.dep_ == "prep" and c.lower_ == cue.requires_prep_child for c in tok.children):
            continue
        if cue.modifiers and not any(c.dep_ in ("compound", "amod", "nmod") and (
                c.lower_ in cue.modifiers or _lemma(c) in cue.modifiers) for c in tok.children):
            continue
        if cue.carriers and not any(_lemma(h) in cue.carriers for h in _holders(tok)):
            continue
        return cue, obj
    return None


def _holders(noun: "Token") -> list["Token"]:
    """Verbs that hold a noun: as object ("declared a truce"), through a preposition
    ("agreed to a truce", "agreed on a deal"), or as subject ("the truce took effect")."""
    head = noun.head
    if head == noun:
        return []
    if noun.dep_ in _OBJECT_DEPS or noun.dep_ in _SUBJECT_DEPS:
        return [head]
    if noun.dep_ == "pobj" and head.dep_ in ("prep", "dative") and head.head != head:
        return [head.head]
    if noun.dep_ == "conj":
        return _holders(head)
    return []


def _has_modal(verb: "Token", modals: frozenset[str]) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in modals for c in verb.children)


#: Modals that make a clause an obligation put on its subject, not an act.
OBLIGATION_MODALS = frozenset({"must"})


def _obliged(tok: "Token") -> bool:
    """True if `tok` is inside a clause saying what someone must do ("X must agree to ...",
    "the US must be ready to mediate"): the act is demanded, it has not happened."""
    t = tok
    for _ in range(4):
        if _has_modal(t, OBLIGATION_MODALS):
            return True
        if t.head == t or t.dep_ not in ("xcomp", "acomp", "conj", "dobj", "pobj", "prep", "attr"):
            return False
        t = t.head
    return False


def _sentence(tok: "Token") -> "Span":
    try:
        return tok.sent
    except ValueError:
        return tok.doc[:]


# ----------------------------------------------------------------------- arguments

def _subject_of(verb: "Token") -> list["Token"]:
    """Subject tokens of `verb`, borrowing the governing verb's for infinitives/conjuncts."""
    t = verb
    for _ in range(5):
        subs = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        patients = [c for c in t.children if c.dep_ == "nsubjpass"]
        if not subs and patients and t != verb:
            # "X was indicted by Y and will resign", "Iran was urged by France to halt":
            # the verb that borrows the subject is done by the passive's subject.
            return [x for p in patients for x in actors.expand_conjuncts(p)]
        if not subs and patients:
            agents = [g for c in t.children if c.dep_ == "agent" for g in c.children
                      if g.dep_ == "pobj"]
            if agents:
                return [x for a in agents for x in actors.expand_conjuncts(a)]
            if t.dep_ not in ("xcomp", "conj"):
                # "before aid is released": a passive without its agent names no doer,
                # and the doer of the clause it hangs on is someone else.
                return []
        if subs and t != verb and t.dep_ == "relcl" and _relative_pronoun_of(subs) \
                and not _party_like(t.head) and t.head.head != t.head:
            # "condemned a strike that killed seven and called on Israel to ...": the
            # parser tied the second verb to the relative clause; a strike calls on no
            # one, so the verb shares the subject of the clause the strike sits in.
            t = t.head.head
            continue
        if subs and t != verb and t.dep_ == "ccomp" and t.head != t and verb.dep_ == "conj" \
                and verb.head == t and verb.tag_ in ("VBD", "VBZ") \
                and (_modal_or_base(t) or (verb.tag_ == "VBD" and t.tag_ in ("VBP", "VBZ"))) \
                and not any(_party_like(x) and x.pos_ != "NOUN" for x in subs):
            # "told the meeting that the plan would fail and urged Washington to ...": the
            # parser hung the second verb on the reported clause; a plan urges no one, and
            # the tense shows the verb goes with the speaker's.
            t = t.head
            continue
        if subs:
            return [x for s in subs for x in actors.expand_conjuncts(s)]
        if t.dep_ == "pcomp" and t.head.lower_ == "for" and t.head.head != t.head:
            # "praised Qatar and Bahrain for agreeing": the praised did the agreeing.
            objs = [o for o in t.head.head.children if o.dep_ in ("dobj", "obj")]
            if objs:
                return [x for o in objs for x in actors.expand_conjuncts(o)]
        if t.dep_ == "xcomp" and t.head != t and _lemma(t.head) in OBJECT_CONTROL:
            objs = [o for o in t.head.children if o.dep_ in ("dobj", "obj")]
            if objs:
                # "prompting Israeli President Isaac Herzog to accuse Hamas": the one
                # prompted does the accusing.
                return [x for o in objs for x in actors.expand_conjuncts(o)]
        if t.dep_ in ("xcomp", "conj", "advcl", "acomp", "ccomp", "pcomp") and t.head != t:
            t = t.head
            continue
        if t.dep_ == "prep" and t != verb and t.head != t and t.head.pos_ in ("VERB", "AUX"):
            # "held talks before signing a memorandum": the signers held the talks.
            t = t.head
            continue
        if t.dep_ in ("acl", "relcl") and t.head != t:
            # "a resolution by the OAS demanding ...": the noun's author, else the noun.
            by = _prep_objects(t.head, ("by",))
            if by and t.dep_ == "acl":
                return by
            if t.dep_ == "acl" and t.head.lemma_.lower() in STATEMENT_NOUNS and t.head.dep_ == "dobj" \
                    and t.head.head != t.head:
                # "The OIC issued a statement denouncing ...": whoever issued it.
                t = t.head.head
                continue
            if t.dep_ == "acl" and t.head.lemma_.lower() in STATEMENT_NOUNS and t.head.dep_ == "pobj" \
                    and t.head.head.lower_ == "in" and t.head.head.head.pos_ in ("VERB", "AUX"):
                # "Guterres said in a statement condemning the attack": the one who said it.
                t = t.head.head.head
                continue
            # "Russia, which has urged ..." / "the powers pressing Syria": the noun.
            return actors.expand_conjuncts(t.head)
        break
    return []


#: Verbs whose object does what their complement says: "prompted X to accuse Y".
OBJECT_CONTROL = frozenset({"prompt", "lead", "force", "spur", "push", "drive", "compel", "inspire",
                            "cause", "move", "persuade", "convince"})

#: Nouns for what a party issues: "issued a statement condemning ...".
STATEMENT_NOUNS = frozenset({"statement", "communique", "communiqué", "declaration", "letter",
                             "note", "message", "resolution"})


def _modal_or_base(verb: "Token") -> bool:
    """True for "would fail", "will fail", "to fail": a verb form a past-tense conjunct
    does not share a subject with."""
    return verb.tag_ == "VB" or any(c.tag_ == "MD" for c in verb.children)


def _relative_pronoun_of(subs: list["Token"]) -> bool:
    return any(s.tag_ in ("WDT", "WP") or s.lower_ in ("that", "which", "who") for s in subs)


def _party_like(tok: "Token") -> bool:
    """True if a noun could name a party: a name, a nationality, a person or a title."""
    return (tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
            or actors.is_actor_noun(tok))


def _prep_objects(tok: "Token", preps: tuple[str, ...] | frozenset[str]) -> list["Token"]:
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for o in c.children:
                if o.dep_ == "pobj":
                    out.extend(actors.expand_conjuncts(o))
    return out


#: Verbs that carry a noun cue for a measure taken ("announced a suspension of flights",
#: "completed the withdrawal"); for meetings they would not say whether it took place.
MEASURE_CARRIERS = frozenset({"announce", "order", "complete", "speed", "accelerate", "finish",
                              "declare", "impose", "end"})
MEASURE_TYPES = frozenset({"SANCTION", "RETREAT", "CONCEDE"})


def _noun_actor(noun: "Token", cue: Cue | None = None) -> tuple[list["Token"], "Token | None"]:
    """Actor tokens of a noun cue and the verb that carries it (if any)."""
    poss = [c for c in noun.children if c.dep_ == "poss"]
    if poss:
        return [x for p in poss for x in actors.expand_conjuncts(p)], None
    # "the withdrawal from Moldova": "from" is the cue's own place slot, not its author.
    by = _prep_objects(noun, tuple(p for p in ("by", "from")
                                   if cue is None or p not in cue.target_preps))
    if by:
        return by, None
    head = noun.head
    if noun.dep_ == "dobj" and head != noun and head.lemma_.lower() in _DRAWING_VERBS:
        # "drawing sharp criticism from Britain": the reaction comes from the "from" party.
        return _prep_objects(head, ("from",)), None
    carriers = LIGHT_VERBS | PLAN_LEMMAS
    if cue is not None and cue.type in MEASURE_TYPES:
        carriers = carriers | MEASURE_CARRIERS
    own = cue.carriers if cue is not None else frozenset()
    if noun.dep_ in _OBJECT_DEPS and _lemma(head) in carriers | own:
        return _subject_of(head), head
    if noun.dep_ == "pobj" and head.head != head and _lemma(head.head) in PLAN_LEMMAS | own:
        return _subject_of(head.head), head.head
    return [], None


_COMPLEMENT_PREPS = ("with", "to", "against", "on", "from", "for", "of")


def _complement_targets(tok: "Token") -> list["Token"]:
    """Targets named inside the act a cue governs ("threatened to break relations with
    Russia", "refused to meet Jordan's king") or its condition ("unless Israel ...")."""
    found: list["Token"] = []
    # "opened the bridge to allow deliveries to Afghanistan": a purpose clause too.
    frontier = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") or (
        c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))]
    for _ in range(2):
        nxt = []
        for v in frontier:
            for o in _objects(v):
                found.extend(actors.expand_conjuncts(o))
                found.extend(c for c in o.children if c.dep_ == "poss")
                found.extend(_prep_objects(o, _COMPLEMENT_PREPS))
            found.extend(x for c in v.children if c.dep_ == "dative"
                         for x in actors.expand_conjuncts(c))
            found.extend(_prep_objects(v, _COMPLEMENT_PREPS))
            found.extend(_condition_subjects(v))
            nxt.extend(c for c in v.children if c.dep_ == "xcomp")
        frontier = nxt
    found.extend(_condition_subjects(tok))
    return found


def _condition_subjects(tok: "Token") -> list["Token"]:
    """Subjects of an "if"/"unless" clause on `tok`: who the condition is put to."""
    out: list["Token"] = []
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.lower_ in ("unless", "if") for m in c.children):
            out.extend(x for s in c.children if s.dep_ in ("nsubj", "nsubjpass")
                       for x in actors.expand_conjuncts(s))
    return out


#: Cue types whose complement is their content, not a second event ("threatened to
#: impose sanctions" is a threat, not sanctions).
GOVERNING_TYPES = frozenset({"THREATEN", "REJECT", "REQUEST"})


def _targets(tok: "Token", cue: Cue, obj: "Token | None") -> list["Token"]:
    found: list["Token"] = []
    if cue.direct_target or cue.person_target:
        found.extend(o for o in _objects(tok) if o != obj)
    if cue.dative_target:
        found.extend(x for c in tok.children if c.dep_ == "dative" for x in actors.expand_conjuncts(c))
    preps = tuple(cue.target_preps)
    found.extend(_prep_objects(tok, preps))
    if obj is not None:
        found.extend(_prep_objects(obj, preps))
        # "an invitation for talks to X", "110 million euros in aid to X": the target
        # hangs one phrase deeper.
        for o in _prep_objects(obj, ("for", "of", "on", "in")):
            found.extend(_prep_objects(o, preps))
        # "would provide 120 million pounds in aid to Sudan" with "in aid" hung on the
        # verb: the target hangs on that phrase.
        for o in _prep_objects(tok, ("in", "as")):
            found.extend(_prep_objects(o, preps))
        if cue.owner_target:
            # "expelled two Russian diplomats", "froze Iran's assets": whose they are.
            found.extend(c for c in obj.children if c.dep_ == "poss")
            found.append(obj)
    if cue.pos == "NOUN":
        for c in tok.children:
            if c.dep_ in ("acl", "relcl"):
                found.extend(_prep_objects(c, preps))
        # "a suspension of flights with Morocco": the party hangs on what is suspended.
        for o in _prep_objects(tok, ("of",)):
            found.extend(_prep_objects(o, tuple(p for p in preps if p != "of")))
    if cue.pos == "NOUN" and cue.type == "ACCUSE" and tok.dep_ == "dobj" \
            and tok.head.lemma_.lower() in _DRAWING_VERBS:
        # "vetoed the draft, drawing sharp criticism from Britain": the one criticised
        # did the drawing.
        found.extend(_subject_of(tok.head))
    if cue.type == "THREATEN":
        # "warned of retaliation against the Philippines": the threatened act's target.
        for o in _prep_objects(tok, ("of", "about", "with")):
            found.extend(_prep_objects(o, ("against", "on", "to")))
        # "would continue to target ships linked to Israel": whose ships.
        for o in _objects(tok):
            for c in o.children:
                if c.dep_ == "acl":
                    found.extend(_prep_objects(c, ("to", "with", "by")))
        # "warned that Tehran would respond to any Israeli attack": whose attack.
        for clause in (c for c in tok.children if c.dep_ == "ccomp"):
            for w in clause.subtree:
                if w.dep_ == "pobj" and w.head.lower_ in ("to", "against") \
                        and w.lemma_.lower() in _PROVOCATIONS:
                    found.extend(c for c in w.children if c.dep_ in ("amod", "compound", "poss")
                                 and (c.ent_type_ in ("NORP", "GPE") or c.pos_ == "PROPN"))
    if cue.particles and cue.direct_target is False:
        # "call on X to ...": the particle's object is the target.
        found.extend(_prep_objects(tok, tuple(p for p in cue.particles if p in preps)))
    # Fallbacks, tried after the cue's own slots: the owner of the object ("Turkey's
    # efforts"), the "of" phrase of the object ("the withdrawal of Serbian forces") and
    # the subject of a that-clause ("demanded that the US cancel ...").
    for o in _objects(tok) if cue.direct_target or cue.pos == "VERB" else []:
        owners = [c for c in o.children if c.dep_ == "poss"]
        found.extend(owners)
        if not owners:
            # "condemned the attack on X": X suffered the act, it is not the one blamed.
            inner = preps if cue.type not in ("ACCUSE", "REJECT") else tuple(
                p for p in preps if p not in ("on", "against"))
            found.extend(_prep_objects(o, ("of", "from", "by") + inner))
    for c in tok.children:
        if c.dep_ == "ccomp":
            found.extend(x for s in c.children if s.dep_ in ("nsubj", "nsubjpass")
                         for x in actors.expand_conjuncts(s))
    if cue.type in ("CONCEDE", "RETREAT", "SANCTION"):
        # "eased some of the restrictions it imposed on Israel": the clause on the object.
        for o in _objects(tok):
            nouns = [o] + _prep_objects(o, ("of",))
            for n in nouns:
                for c in n.children:
                    if c.dep_ in ("relcl", "acl"):
                        found.extend(_prep_objects(c, ("on", "against", "to")))
    found.extend(_requesters(tok))
    if cue.type in ("CONCEDE", "RETREAT") and not cue.place_target:
        # "lifted a night curfew in Montenegro": measures eased in a place are eased for
        # the state that place belongs to (dropped later if it is the actor's own).
        found.extend(o for o in _prep_objects(tok, ("in",)) if o.ent_type_ in ("GPE", "LOC"))
    seen: set[int] = set()
    return [t for t in found if not (t.i in seen or seen.add(t.i))]


#: Acts that an answer ("accepted the invitation", "rejected the call") refers back to.
ANSWERED_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN"})


def _addressers(actor_parties: list[Party], history: Sequence[DiplomaticEvent]) -> list[Party]:
    """The actor of the latest earlier invitation, offer, call or threat made to the actor."""
    codes = {p.code for p in actor_parties}
    for ev in reversed(history):
        if ev.type in ANSWERED_TYPES and ev.target is not None and ev.target.code in codes \
                and ev.actor.code not in codes:
            return [ev.actor]
    return []


#: Prepositions whose object takes part in a two-sided act ("agreed with X", "talks
#: between X and Y"); an object of "to" ("agreed to US mediation") only receives it.
MUTUAL_PREPS = ("with", "between", "among")


def _mutual_codes(tok: "Token", cue: Cue, obj: "Token | None", carrier: "Token | None",
                  actor_parties: list[Party], target_parties: list[Party],
                  registry: actors.Registry) -> set[str | None] | None:
    """Codes of the targets that share a two-sided act with its actor, or None for all.

    A meeting or agreement is coded both ways only with a party that took part in it:
    one named as the direct object ("met X"), after "with"/"between", or among the
    co-subjects. A party reached through "to" or through the act agreed on ("agreed to
    provide aid to X", "agreed to re-open its borders to UN peacekeepers") is only the
    receiver. Visits stay two-sided whatever the preposition ("a visit to X").
    """
    if not cue.symmetric or cue.mode == "visit":
        return None
    toks: list["Token"] = [o for o in _objects(tok) if o != obj] if cue.direct_target else []
    toks += _prep_objects(tok, MUTUAL_PREPS)
    for holder in (obj, carrier):
        if holder is not None:
            toks += _prep_objects(holder, MUTUAL_PREPS)
    mutual = {p.code for p in actor_parties}
    if toks:
        codes = {p.code for p in target_parties}
        mutual |= {p.code for p in _parties(toks, registry) if p.code in codes}
    return mutual


def _requesters(tok: "Token") -> list["Token"]:
    """Who asked for the act: "at Armenia's request", "at the request of the government"."""
    out: list["Token"] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("at", "upon", "on"):
            for o in c.children:
                if o.dep_ == "pobj" and o.lemma_.lower() in ("request", "invitation", "behest"):
                    out.extend(g for g in o.children if g.dep_ == "poss")
                    out.extend(_prep_objects(o, ("of",)))
    return out


# ---------------------------------------------------------------------- modality

def _negated(tok: "Token") -> bool:
    for t in (tok, tok.head if tok.dep_ in ("dobj", "pobj", "xcomp") else tok):
        if any(c.dep_ == "neg" or c.lower_ in NEG_WORDS and c.dep_ in ("advmod", "det")
               for c in t.children):
            return True
    head = tok.head
    if tok.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp" and _has_neg(head.head):
        return True  # "he is not due to travel to Beirut"
    if tok.dep_ in ("nsubj", "nsubjpass") and _lemma(head) == "be" and (
            _has_neg(head) or any(_has_neg(c) for c in head.children if c.dep_ == "prep")):
        return True  # "a meeting between Putin and Zelenskiy was not on the agenda"
    t = tok
    for _ in range(3):
        if t.head == t:
            break
        if t.dep_ in ("xcomp", "dobj", "pobj", "prep", "acl", "ccomp") and _lemma(t.head) in CANCEL_LEMMAS:
            return True
        t = t.head
    return False


#: What "declined to ..." may refuse without refusing anyone.
NO_COMMENT = frozenset({"comment", "elaborate", "confirm", "say", "respond", "speak", "disclose",
                        "give", "discuss", "answer", "specify", "name", "identify"})


def _background_clause(tok: "Token") -> bool:
    """"Iran, which backed Assad until his overthrow, ...": a relative clause telling what
    the party did in a period that has ended. ("The AU, which has suspended Niger, ..."
    states what still holds, and stays an event.)"""
    t = tok
    for _ in range(3):
        if t.dep_ == "relcl":
            break
        if t.dep_ in ("conj", "xcomp") and t.head != t:
            t = t.head
            continue
        return False
    else:
        return False
    return any(c.dep_ == "prep" and c.lower_ in ("until", "till") for c in tok.children)


def _denial_of_an_act(tok: "Token", cue: Cue) -> bool:
    """"denied targeting residential buildings", "denied that it had fired": a denial of
    an accusation (CAMEO 125) with no one named."""
    return cue.type == "REJECT" and _lemma(tok) == "deny" and any(
        c.dep_ in ("xcomp", "ccomp") for c in tok.children)


def _verbless_main(tok: "Token") -> bool:
    """"Angola, which has mediated ..., called for restraint." parsed with the name as the
    root and the verb as its reduced relative: with no verb above it, the verb is the
    sentence's own, and the name its subject."""
    head = tok.head
    return tok.dep_ == "acl" and head.dep_ == "ROOT" and head.pos_ in ("PROPN", "NOUN") \
        and any(c.dep_ == "punct" and c.text == "," and c.i < tok.i for c in head.children)


def _has_neg(tok: "Token") -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _planned(tok: "Token", cue: Cue) -> bool:
    if cue.planned:
        return True
    t = tok
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in t.children):
            return True
        # "is to meet": an infinitive complement of "be".
        if t.dep_ == "xcomp" and t.head.lemma_ == "be" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            return True
        if any(c.dep_ == "amod" and c.lower_ in ("planned", "upcoming", "proposed", "future",
                                                 "expected", "possible", "new")
               for c in t.children) and _pos_class(t) == "NOUN":
            return True
        if t.head == t:
            break
        if _lemma(t.head) in PLAN_LEMMAS and t.dep_ in ("xcomp", "dobj", "pobj", "ccomp", "prep",
                                                        "acl", "nsubj", "attr", "advcl"):
            return True
        if t.dep_ in ("ccomp", "conj", "advcl") or t.dep_ == "ROOT":
            break
        t = t.head
    return False


#: Verbs that commit to an act rather than offer it: "pledged to deliver" is planned aid.
COMMIT_LEMMAS = frozenset({"pledge", "promise", "commit", "vow"})


def _intended(tok: "Token") -> bool:
    """True if a plan or intent word governs `tok` ("ready to send", "offered to help")."""
    t = tok
    for _ in range(3):
        if t.head == t:
            return False
        if _lemma(t.head) in COMMIT_LEMMAS and t.dep_ == "xcomp":
            return False  # "pledged to deliver": a commitment to the act, not an offer
        if _lemma(t.head) in PLAN_LEMMAS and t.dep_ in ("xcomp", "dobj", "pobj", "prep", "acomp",
                                                        "ccomp", "acl"):
            return True
        t = t.head
    return False


def _reporter(tok: "Token") -> "Token | None":
    """Subject of the speech verb whose complement holds `tok` ("..., X said")."""
    t = tok
    for _ in range(6):
        if t.head == t:
            return None
        parent = t.head
        if _lemma(parent) in SAY_LEMMAS and t.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj"):
            for c in parent.children:
                if c.dep_ == "nsubj" and c.pos_ != "PRON":
                    return c
            return None
        for c in t.children:
            if c.dep_ in ("ccomp", "parataxis") and _lemma(c) in SAY_LEMMAS and t == tok:
                for s in c.children:
                    if s.dep_ == "nsubj" and s.pos_ != "PRON":
                        return s
        t = parent
    return None


def _event_location(tok: "Token", span: "Span", cue: Cue, targets: list["Token"]) -> Location | None:
    loc = geo.locate(span, require_locative=True)
    if loc is None and cue.mode == "visit":
        for t in targets:
            if t.ent_type_ in ("GPE", "LOC", "FAC"):
                return geo.resolve(t.text)
    return loc


def _date(tok: "Token", sent: "Span", planned: bool, ctx: ArticleContext) -> str | None:
    if ctx.published_at is None:
        return None
    best = None
    own = {t.i for t in tok.subtree}
    for ent in ents_in(sent):
        if ent.label_ != "DATE":
            continue
        dist = min(abs(ent.start - tok.i), abs(ent.end - 1 - tok.i))
        if ent.start not in own:
            dist += 1000  # a date in the cue's own clause beats a nearer one outside it
        if best is None or dist < best[0]:
            best = (dist, ent)
    if best is None:
        return None
    return dates.resolve_date(best[1].text, ctx.published_at, future=planned)


# --------------------------------------------------------------------- extraction

def _clause_span(tok: "Token") -> "Span":
    head = tok if tok.pos_ != "NOUN" or tok.head == tok else tok.head
    left = min(t.i for t in head.subtree)
    right = max(t.i for t in head.subtree)
    return tok.doc[left:right + 1]


PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us"})


def _plural_antecedent(pron: "Token") -> list["Token"]:
    """The coordinated subject a plural pronoun refers back to, within its sentence."""
    if pron.dep_ in ("dobj", "pobj", "dative"):
        return []  # "China called on them": an object is not its own verb's subject
    t = pron
    for _ in range(6):
        if t.head == t:
            return []
        t = t.head
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c != pron and c.pos_ != "PRON":
                group = actors.expand_conjuncts(c)
                return group + _prep_objects(c, ("of",))
    return []


def _parties(tokens: list["Token"], registry: actors.Registry, depth: int = 0) -> list[Party]:
    out: list[Party] = []

    def add(p: Party | None) -> None:
        if p is not None and p.code is not None and all(p.code != q.code for q in out):
            out.append(p)

    for t in tokens:
        if t.lower_ in PLURAL_PRONOUNS and depth < 1:
            # "X, Y and Z said that they rejected ...": each of the co-subjects.
            group = _plural_antecedent(t)
            if len(group) > 1:
                for p in _parties(group, registry, depth + 1):
                    add(dataclasses.replace(p, text=t.text))
                continue
            if t.dep_ in ("dobj", "pobj", "dative"):
                # "Afghanistan and Pakistan traded accusations. China called on them to ...":
                # the parties that last acted together, else the last two named.
                group = registry.actor_group if len({p.code for p in registry.actor_group}) >= 2 \
                    else registry.recent[-2:]
                if len({p.code for p in group}) >= 2:
                    for p in group:
                        add(dataclasses.replace(p, text=t.text))
                    continue
        found = actors.resolve_all(t, registry)
        for p in found:
            add(p)
        p = found[0] if len(found) == 1 else None
        if p is None or t.pos_ == "PRON":
            continue
        # "the foreign ministers of Egypt, Jordan and France": one party per state.
        for o in _prep_objects(t, ("of",))[1:]:
            code = geo.country_of(actors.phrase_text(o)) or geo.country_of(o.text)
            if code and p.role in ("GOV", "MIL"):
                add(Party(text=o.text, name=geo.country_name(code), country=code, org=None,
                          role=p.role))
        # "Senior Hungarian and Romanian officials": coordinated nationality modifiers
        # make one party each, with the role of the shared head.
        for m in t.children:
            if m.dep_ in ("amod", "compound", "nmod") and m.i < t.i:
                for c in actors.expand_conjuncts(m)[1:]:
                    code = geo.country_of(c.text)
                    if code:
                        add(Party(text=c.text, name=geo.country_name(code), country=code,
                                  org=None, role=p.role))
    return out


def _trigger_text(tok: "Token", obj: "Token | None") -> str:
    if obj is None:
        return tok.text
    lo, hi = sorted((tok.i, obj.i))
    if hi - lo <= 4:
        return tok.doc[lo:hi + 1].text
    return f"{tok.text} {obj.text}"


#: Nouns for soldiers: troops "arriving" somewhere are not a diplomatic visit.
TROOP_NOUNS = frozenset({"troop", "troops", "soldier", "force", "forces", "peacekeeper",
                         "contingent", "unit", "battalion", "deployment", "marine", "paratrooper"})


def _historical(tok: "Token", ctx: ArticleContext) -> bool:
    """True if the cue is dated by an explicit earlier year ("cut ties in 2017"): background."""
    if ctx.published_at is None:
        return False
    dated = [c for c in tok.children if c.ent_type_ == "DATE"]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "on", "during"):
            dated.extend(o for o in c.children if o.dep_ == "pobj" and o.ent_type_ == "DATE")
    for d in dated:
        for t in d.subtree:
            if t.like_num and len(t.text) == 4 and t.text.isdigit() \
                    and 1900 < int(t.text) < ctx.published_at.year:
                return True
    return False


#: Verbs under which a held measure is taken, not intended ("agreed to a ceasefire").
ENACTING_LEMMAS = frozenset({"agree", "accept"})


def _description(tok: "Token") -> bool:
    """True if the cue only describes a party in passing: inside an apposition ("Poland,
    one of Ukraine's staunchest allies, ..."), or a present-tense relative clause that
    states a standing fact ("Poland, which hosts a million refugees, ...")."""
    t = tok
    for _ in range(6):
        if t.dep_ == "appos":
            return True
        if t.dep_ == "relcl" and t.tag_ in ("VBZ", "VBP") and t.head.dep_ in _SUBJECT_DEPS \
                and any(c.text == "," for c in t.head.children):
            return True
        if t.head == t or t.dep_ in ("ROOT", "ccomp", "parataxis"):
            return False
        t = t.head
    return False


#: Texts that are only proposed: a draft is no act of the body that would adopt it.
DRAFT_WORDS = frozenset({"draft", "proposed"})
#: Verbs that stop a text from becoming an act ("vetoed a resolution demanding ...").
STOPPING_LEMMAS = frozenset({"veto", "block", "reject", "defeat", "fail", "oppose",
                             "torpedo", "kill", "scuttle"})


def _failed_text(tok: "Token") -> bool:
    """True if the cue says what a draft or a defeated text would have done ("a draft
    resolution demanding a ceasefire", "vetoed a resolution calling on Israel to ...")."""
    t = tok
    for _ in range(3):
        if t.dep_ not in ("acl", "relcl") or t.head == t:
            if t.dep_ in ("xcomp", "conj") and t.head != t:
                t = t.head
                continue
            return False
        noun = t.head
        if any(c.lower_ in DRAFT_WORDS for c in noun.children if c.i < noun.i):
            return True
        holder = noun.head if noun.dep_ in _OBJECT_DEPS + ("nsubjpass",) else None
        if holder is not None and _lemma(holder) in STOPPING_LEMMAS:
            return True
        return False
    return False


#: Acts of commerce: companies buying rivals are no diplomatic agreement.
COMMERCE_LEMMAS = frozenset({"buy", "acquire", "purchase", "sell", "merge", "invest", "list"})
#: Words that mark the thing bought or sold as a business.
BUSINESS_NOUNS = frozenset({"rival", "company", "firm", "stake", "share", "unit", "business",
                            "maker", "startup", "operator", "group", "subsidiary", "brand",
                            "competitor", "chain", "lender", "bank", "insurer", "carrier"})


def _corporate(tok: "Token", cue: Cue) -> bool:
    """True if an agreement is a deal between companies ("agreed to buy US rival X")."""
    if cue.type != "AGREE":
        return False
    for c in tok.children:
        if c.dep_ in ("xcomp", "pcomp", "pobj", "prep") and _lemma(c) in COMMERCE_LEMMAS | {"to"}:
            verbs = [c] if _lemma(c) in COMMERCE_LEMMAS else [
                g for g in c.children if _lemma(g) in COMMERCE_LEMMAS]
            for v in verbs:
                for o in _objects(v):
                    if any(_lemma(w) in BUSINESS_NOUNS for w in o.subtree):
                        return True
    subjects = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS]
    return any(s.ent_type_ == "ORG" and actors.find_org(actors.phrase_text(s)) is None
               and any(c.dep_ == "poss" for c in s.children) for s in subjects)


def _announced(tok: "Token", cue: Cue) -> bool:
    """True if the act is said to be coming: a modal or a vow, threat or plan governs it."""
    t = tok
    for _ in range(5):
        if _has_modal(t, MODALS):
            return True
        if t.head == t:
            return False
        if t.dep_ in ("xcomp", "dobj", "pobj", "prep", "ccomp", "acl") and (
                _lemma(t.head) in PLAN_LEMMAS | THREAT_LEMMAS):
            return True
        if t.dep_ not in ("xcomp", "dobj", "pobj", "prep", "conj", "acl"):
            return False
        t = t.head
    return False


#: Verbs that announce a hostile act as a threat ("threatened to", "warned of").
THREAT_LEMMAS = frozenset({"threaten", "warn", "vow", "swear", "pledge", "promise"})


def _intent_is_threat(tok: "Token") -> bool:
    """True if a vow or promise has a threat as its content ("vowed to retaliate")."""
    frontier = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "dobj")]
    for _ in range(2):
        nxt = []
        for v in frontier:
            found = match_cue(v)
            if found is not None and found[0].type == "THREATEN":
                return True
            nxt.extend(c for c in v.children if c.dep_ in ("xcomp", "dobj", "conj"))
        frontier = nxt
    return False


#: Words that make money or goods aid: "100 million euros in humanitarian aid".
_AID_WORDS = frozenset({"aid", "humanitarian", "assistance", "relief", "funding", "emergency",
                        "reconstruction", "food", "medical", "medicine", "shelter", "donation"})


def _aid_words(tok: "Token") -> bool:
    """Whether the clause of an aid cue speaks of aid itself, not just money or arms."""
    words = {w.lemma_.lower() for w in _clause_span(tok)}
    return bool(words & _AID_WORDS)


#: Verbs by which an act earns a reaction: "drawing criticism from Britain".
_DRAWING_VERBS = frozenset({"draw", "prompt", "spark", "trigger", "provoke", "attract", "earn", "invite"})

#: What a threat answers: "would respond to any Israeli attack".
_PROVOCATIONS = frozenset({"attack", "aggression", "strike", "provocation", "incursion", "escalation",
                           "move", "violation", "deployment", "intervention", "interference", "sale",
                           "step", "action", "expansion", "deal"})

#: Pronouns by which an actor refers to itself in its own warning.
SELF_PRONOUNS = frozenset({"it", "they", "we", "he", "she"})

#: Words that make "warned that ..." a threat rather than a warning of a danger.
_THREAT_WORDS = frozenset({"target", "targets", "respond", "response", "retaliate", "retaliation",
                           "consequence", "consequences", "price", "force", "war", "strike",
                           "punish", "punishment", "revenge", "countermeasure", "countermeasures",
                           "measure", "measures", "hesitate", "act", "action", "reciprocate"})


def _warning_is_threat(tok: "Token", registry: actors.Registry) -> bool:
    """"Warned X", "warned of retaliation", "warned that Tehran would respond": threats.
    "Warned that 200,000 children could die": a warning of a danger, not a threat."""
    if any(c.dep_ in ("dobj", "dative") for c in tok.children):
        return True
    clauses = [c for c in tok.children if c.dep_ == "ccomp"]
    if not clauses:
        return True  # "warned of ...", "warned against ...": judged by the cue's own slots
    for clause in clauses:
        words = {w.lemma_.lower() for w in clause.subtree} | {w.lower_ for w in clause.subtree}
        if words & _THREAT_WORDS:
            return True
        if words & _DANGER_WORDS:
            continue
        for subj in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
            if subj.lower_ in ("we", "it", "they"):
                return True
            # "warned that Tehran would respond", "warned that Tehran faced isolation":
            # a party's own act, or what awaits the party warned, is the threat.
            if (subj.pos_ == "PROPN" or subj.ent_type_ in ("GPE", "NORP", "ORG")) \
                    and actors.resolve(subj, registry) is not None:
                return True
    return False


#: "Warned that millions face famine": a warning of a danger to people, not a threat.
_DANGER_WORDS = frozenset({"famine", "hunger", "starvation", "die", "death", "deaths", "disease",
                           "outbreak", "cholera", "catastrophe", "collapse", "flood", "drought"})


def _outside_dateline(tokens: list["Token"]) -> list["Token"]:
    """Tokens with a dateline ("SAN JOSE, California (Reuters) -") replaced by the phrase
    after it: the city of the byline is where the story was filed, not an actor."""
    out: list["Token"] = []
    for t in tokens:
        end = actors.dateline_end(t.doc)
        if end is None or t.i >= end:
            out.append(t)
            continue
        later = [c for c in t.subtree if c.i > end and c.dep_ == "appos" and c.head.i < end]
        for c in later:
            out.extend(actors.expand_conjuncts(c))
    return out


def _place_parties(tokens: list["Token"], found: list[Party],
                   registry: actors.Registry) -> list[Party]:
    """States of the places a cue names as its target ("withdrew from Kherson" is
    Ukraine's): a city or region stands for the state it lies in."""
    out: list[Party] = []
    codes = {p.code for p in found}
    for t in tokens:
        if t.ent_type_ not in ("GPE", "LOC", "FAC") and t.pos_ != "PROPN":
            continue
        ent = entity_at(t)
        text = ent.text if ent is not None else t.text
        loc = geo.resolve(text, registry.ctx.dominant_country)
        if loc is None or loc.country is None or loc.country in codes:
            continue
        codes.add(loc.country)
        out.append(Party(text=text, name=geo.country_name(loc.country) or text,
                         country=loc.country, org=None, role="GOV"))
    return out


def _threatened(tok: "Token") -> list["Token"]:
    """Who a threat is aimed at when no slot names them: the object of the threatened
    act inside the cue's own clause ("would respond in a way that hurts Israel")."""
    out: list["Token"] = []
    clause = tok
    while _pos_class(clause) != "VERB" and clause.head != clause and clause.dep_ in (
            "pobj", "prep", "prt", "nsubj", "nsubjpass", "dobj"):
        # "no option is off the table against Iran": the noun's own verb holds the target.
        clause = clause.head
    for t in clause.subtree:
        if t == tok or t.dep_ not in ("dobj", "pobj"):
            continue
        if t.head.dep_ == "prep" and t.head.lower_ in ("in", "at", "near", "on", "since",
                                                       "during", "until", "for", "over"):
            continue
        if t.ent_type_ in ("GPE", "NORP", "ORG") or t.pos_ == "PROPN":
            out.append(t)
    return out


#: People held by another party; releasing them is a concession to their side.
CAPTIVE_NOUNS = frozenset({"hostage", "captive", "prisoner", "detainee", "abductee", "pow",
                           "soldier", "civilian", "national", "citizen", "sailor"})


def _captors_counterpart(tok: "Token", obj: "Token | None", actor_toks: list["Token"],
                         actor_parties: list[Party], registry: actors.Registry) -> list[Party]:
    """Whose people a release frees when the phrase does not say ("Hamas freed 24
    hostages"): another state named in the sentence, else the other state the article
    has mostly been about."""
    captives = [o for o in _objects(tok) if _lemma(o) in CAPTIVE_NOUNS]
    if not captives:
        return []
    own = {p.code for p in actor_parties}
    skip = {t.i for a in actor_toks for t in a.subtree}
    sent = _sentence(tok)
    best: tuple[int, str, str] | None = None
    for ent in ents_in(sent):
        if ent.label_ not in ("GPE", "NORP") or ent.start in skip:
            continue
        if ent.root.dep_ == "nsubj" and _lemma(ent.root.head) in SAY_LEMMAS:
            continue  # the source of the report, not the captives' side
        code = geo.country_of(ent.text)
        if code and code not in own:
            dist = abs(ent.start - captives[0].i)
            if best is None or dist < best[0]:
                best = (dist, code, ent.text)
    if best is None:
        ranked = [c for c, _ in registry.countries.most_common()]
        for code in ranked + [registry.ctx.dominant_country]:
            if code and code not in own:
                best = (0, code, geo.country_name(code) or code)
                break
    if best is None:
        return []
    code = best[1]
    return [Party(text=captives[0].text, name=geo.country_name(code) or best[2], country=code,
                  org=None, role="CVL")]


def _events_for(tok: "Token", registry: actors.Registry, ctx: ArticleContext,
                consumed: set[int], history: Sequence[DiplomaticEvent] = ()
                ) -> list[DiplomaticEvent]:
    found = match_cue(tok)
    if found is None:
        return []
    cue, obj = found
    if cue.pos == "NOUN" and tok.i in consumed and not cue.carriers:
        return []
    if _lemma(tok) == "hesitate":
        if not _negated(tok):
            return []  # "would not hesitate to use force" is the threat; hesitating is not
    elif _negated(tok) or _obliged(tok):
        return []
    if _description(tok) or _failed_text(tok) or _corporate(tok, cue):
        return []
    if cue.intent_only and not _announced(tok, cue):
        return []
    if cue.type == "AGREE" and _intent_is_threat(tok):
        # "vowed to continue attacks on Israel": the vow is the threat, coded once.
        return []
    if cue.type == "AGREE" and _lemma(tok) in COMMIT_LEMMAS and any(
            c.dep_ == "xcomp" and (m := match_cue(c)) is not None and m[0].type == "AID"
            for c in tok.children):
        # "pledged to deliver an air defence system": the pledge is planned aid, coded once.
        return []
    if tok.dep_ in ("xcomp", "ccomp") and tok.head != tok:
        governor = match_cue(tok.head)
        if governor is not None and governor[0].type in GOVERNING_TYPES \
                and governor[0].type != cue.type:
            return []
    if cue.pos == "NOUN" and tok.dep_ in ("dobj", "pobj") and tok.head != tok:
        holder = tok.head if tok.dep_ == "dobj" else tok.head.head
        governor = match_cue(holder) if holder is not None else None
        if governor is not None and governor[0].type in ("REJECT", "ACCUSE") \
                and governor[1] is None:
            # "dismissed an appeal from X": the dismissal is the event, not the appeal.
            return []
    if cue.pos == "VERB" and tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl") and not any(
            c.dep_ in ("aux", "auxpass") for c in tok.children) and not _verbless_main(tok):
        # "when asked about ...": a reduced passive; its borrowed subject is not the agent.
        return []
    if _historical(tok, ctx) or _background_clause(tok):
        return []
    if cue.type == "REJECT" and any(c.dep_ == "xcomp" and _lemma(c) in NO_COMMENT for c in tok.children):
        return []  # "declined to comment" refuses nothing to anyone
    if cue.type == "COOPERATE" and cue.pos == "VERB" and tok.tag_ in ("VBP", "VBZ") \
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return []  # "the two countries trade $1 billion a day": how things are, not an event
    planned = _planned(tok, cue)
    carrier = None
    if cue.pos == "VERB":
        actor_toks = _subject_of(tok)
    else:
        actor_toks, carrier = _noun_actor(tok, cue)
        if carrier is not None and _negated(carrier):
            return []
        if carrier is not None and not planned:
            planned = _planned(carrier, cue)
    target_toks = _targets(tok, cue, obj)
    if carrier is not None:
        target_toks += [t for t in _targets(carrier, cue, None) if t not in target_toks
                        and t not in actor_toks and t.dep_ != "dobj"]
    if not actor_toks and cue.type == "THREATEN":
        # "No option is off the table, the US said": the speaker makes the threat.
        speaker = _reporter(tok)
        actor_toks = [speaker] if speaker is not None else []
    actor_toks = _outside_dateline(actor_toks)
    actor_parties = _parties(actor_toks, registry)
    if len({p.code for p in actor_parties}) >= 2:
        registry.actor_group = list(actor_parties)  # for "the three governments" later
    if cue.type == "THREATEN" and _lemma(tok) == "warn" and not _warning_is_threat(tok, registry):
        return []
    target_parties = _parties([t for t in target_toks if t not in actor_toks], registry)
    if cue.place_target:
        target_parties += _place_parties([t for t in target_toks if t not in actor_toks],
                                         target_parties, registry)
    if not target_parties and cue.pos == "VERB" and not (cue.symmetric and len(actor_parties) > 1):
        target_parties = _parties([t for t in _complement_targets(tok) if t not in actor_toks],
                                  registry)
    third_party = False
    if not target_parties and cue.symmetric and len(actor_parties) > 1 and cue.pos == "VERB":
        # "France and Germany agreed to send aid to Ukraine": the co-subjects act
        # together toward the party of what they agreed on, not toward each other.
        codes = {p.code for p in actor_parties}
        # A pronoun there ("to reopen their border") is the co-subjects themselves.
        third = [p for p in _parties([t for t in _complement_targets(tok)
                                      if t not in actor_toks and t.pos_ != "PRON"],
                                     registry) if p.code not in codes]
        if third:
            target_parties, third_party = third, True
    if not target_parties and cue.type == "THREATEN":
        target_parties = _parties([t for t in _threatened(tok) if t not in actor_toks], registry)
    if not target_parties and cue.type == "RETREAT" and actor_parties \
            and not (cue.symmetric and len(actor_parties) > 1):
        target_parties = _captors_counterpart(tok, obj, actor_toks, actor_parties, registry)
    if not target_parties and cue.reply:
        target_parties = _addressers(actor_parties, history)
    type_, cameo, symmetric = cue.type, cue.cameo, cue.symmetric and not third_party
    if cue.agreement_enacts and carrier is not None and _lemma(carrier) in ENACTING_LEMMAS:
        # "agreed to a ceasefire": the agreement is the ceasefire, unless still to come.
        planned = _planned(carrier, cue)
    mutual = _mutual_codes(tok, cue, obj, carrier, actor_parties, target_parties, registry)
    if cue.mode == "visit" and any(_lemma(t) in TROOP_NOUNS for t in actor_toks):
        # Troops arriving are no visit: peacekeepers or an alliance's troops are military
        # aid (074); a state's own troops arriving somewhere are not a diplomatic event.
        peacekeeping = any("peacekeep" in w.lower_ for t in actor_toks for w in t.subtree)
        if not (peacekeeping or any(p.org for p in actor_parties)):
            return []
        type_, cameo, symmetric = "AID", "074", False
    conditions = _condition_subjects(tok) or (_condition_subjects(tok.head)
                                               if tok.dep_ in ("xcomp", "conj") else [])
    if planned and conditions and type_ not in ("THREATEN", "REQUEST", "AGREE"):
        # "will withdraw its force unless X ...": an announced act held over someone on
        # a condition is a threat to them (CAMEO 13x), not an intent.
        type_, cameo, symmetric = "THREATEN", "130", False
        target_parties = _parties([t for t in conditions if t not in actor_toks], registry) \
            or target_parties
    elif planned and type_ == "AID" and not _intended(carrier or tok):
        # "would send an air defence system": an announced delivery is still aid, only
        # planned; "is ready to send" is an offer, coded as intent below.
        pass
    elif planned and type_ in INTENT_CAMEO:
        # An announced meeting, or promised help, is intent (AGREE/03x), coded from its
        # announcer only.
        type_, cameo, symmetric = "AGREE", INTENT_CAMEO[type_], False
    if type_ == "THREATEN":
        # A threat is made when it is uttered, however future its content.
        planned = False
    pairs: list[tuple[Party, Party | None, str]] = []
    if not actor_parties and not actor_toks and symmetric and len(target_parties) >= 2:
        # "Talks were held between X and Y": no subject, the parties meet each other. A
        # subject that names no party ("Leaders of the Caribbean Community held talks
        # with ...") does not hand its act to the others.
        actor_parties, target_parties = target_parties, target_parties
    if symmetric and not target_parties and len(actor_parties) >= 2:
        target_parties = actor_parties
    actor_codes = {a.code for a in actor_parties}
    named = [t for t in target_parties
             if not (t.text.lower() in ("its", "their") and t.code in actor_codes)]
    if named and len(named) < len(target_parties) and len(actor_codes) >= 2:
        # "Mali, Burkina Faso and Niger recalled their ambassadors from Algeria": next to
        # a named target, the possessive points back at the actors, none of whom is
        # another's target through it ("upgraded their ties" alone still pairs them).
        target_parties = named
    crisis = registry.ctx.dominant_country
    for a in actor_parties:
        # "Mali and Burkina Faso warned that an intervention would be war against them": a
        # plural pronoun standing for the actors makes none of them the others' target.
        ts = [t for t in target_parties if t.code != a.code
              and not (t.text.lower() in ("them", "they") and t.code in actor_codes)]
        if not ts and not target_parties and type_ == "AID" and crisis and crisis != a.code \
                and _aid_words(tok):
            # "France has pledged 100 million euros in humanitarian aid", in a story about
            # Lebanon: aid with no recipient named goes to the country the story is about.
            ts = [Party(text=geo.country_name(crisis) or crisis, name=geo.country_name(crisis),
                        country=crisis, org=None, role="GOV")]
        if not ts:
            # "Russia warned that it would respond": "it" is the actor itself, which
            # neither makes a target nor stands in the way of a null-target warning.
            blocking = [t for t in target_parties
                        if not (_lemma(tok) == "warn" and t.text.lower() in SELF_PRONOUNS
                                and t.code in actor_codes)]
            if blocking or not (cue.null_target or (_denial_of_an_act(tok, cue) and a.role != "REB")):
                continue
            pairs.append((a, None, cameo))
            continue
        for t in ts:
            pairs.append((a, t, cameo))
            if symmetric and not planned and (mutual is None or t.code in mutual):
                pairs.append((t, a, cue.reverse_cameo or cameo))
    if not pairs:
        return []
    sent = _sentence(tok)
    raw = sent.text
    lead = len(raw) - len(raw.lstrip())
    sentence = raw.strip()
    offsets = (sent.start_char + lead, sent.start_char + lead + len(sentence))
    span = _clause_span(tok)
    location = _event_location(tok, span, cue, target_toks)
    date = _date(tok, sent, planned, ctx)
    reporter_tok = _reporter(carrier or tok)
    reported_by = None
    if reporter_tok is not None and reporter_tok not in actor_toks:
        rp = actors.resolve(reporter_tok, registry)
        person = rp is not None and rp.name and rp.name != geo.country_name(rp.country or "")
        reported_by = rp.name if person else actors.phrase_text(reporter_tok)
    base = cue.confidence
    direct = any(t.pos_ != "PRON" for t in actor_toks)
    out = []
    for a, t, code in pairs:
        conf = base + (0.1 if direct else -0.15) + (0.1 if t is not None else -0.1)
        mode = cue.mode
        if cue.mode == "visit" and code == (cue.reverse_cameo or ""):
            mode = "visit"
        out.append(DiplomaticEvent(
            type=type_, cameo=code, actor=a, target=t, sentence=sentence, span=offsets, mode=mode, planned=planned,
            location=location, date=date, reported_by=reported_by,
            trigger=_trigger_text(tok, obj), confidence=round(max(0.05, min(0.95, conf)), 2)))
    return out


def extract_events(doc: "Doc", ctx: ArticleContext) -> list[DiplomaticEvent]:
    """All diplomatic events of one parsed article, one per (actor, type, target).

    Sentences are read in order so that people, titles and pronouns resolve to the
    parties named before them. Never raises on odd input; an unparseable sentence
    contributes nothing.
    """
    registry = actors.Registry(ctx=ctx)
    history: list[DiplomaticEvent] = []
    best: dict[tuple[str | None, str, str | None], DiplomaticEvent] = {}
    try:
        sents = list(doc.sents) if doc.has_annotation("DEP") else []
    except (ValueError, AttributeError):
        return []
    for sent in sents:
        # First pass: verb+object cues ("held talks") claim their nouns, so the noun
        # does not make a second, argument-poor event. Second pass in text order, so
        # people are registered where the article first introduces them.
        consumed: set[int] = set()
        for tok in sent:
            if _pos_class(tok) == "VERB":
                found = match_cue(tok)
                if found is not None and found[1] is not None:
                    consumed.add(found[1].i)
        for tok in sent:
            try:
                events = _events_for(tok, registry, ctx, consumed, history)
            except (AttributeError, IndexError, ValueError, KeyError):
                continue
            history.extend(events)
            for ev in events:
                old = best.get(ev.key)
                if old is None or ev.confidence > old.confidence:
                    best[ev.key] = ev
        actors.note_last_org(sent.text, registry)
    # "X agreed" next to "X agreed ... with Y": the targeted event says it all.
    targeted = {(k[0], k[1]) for k in best if k[2] is not None}
    kept = [e for k, e in best.items() if k[2] is not None or (k[0], k[1]) not in targeted]
    return sorted(kept, key=lambda e: (e.span[0], e.key[1], str(e.key)))
