"""Cues and candidates of diplomatic events: which words mark an act, and how it is said.

A cue (verb or noun lemma from the `event_verbs` lexicon, validated into `Cue`) marks a
candidate event when the token meets the cue's constraints (`match_cue`). The rest of
this module reads the candidate's modality from the parse: negated or cancelled acts,
planned and intended ones, threats, descriptions of a party in passing, failed drafts,
corporate deals and acts the article dates to an earlier year.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import actors, lexicon
from .lexicon import Field, LexiconError, check_record
from .model import EVENT_TYPES, ArticleContext

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token


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
    "own_object": Field((bool,), required=False),
    "answers_charge": Field((bool,), required=False),
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
    #: The cue's object must be the actor's own, unowned or owned through a pronoun:
    #: "defended its actions" answers a charge, "defended Ukraine's right" backs Ukraine.
    own_object: bool = False
    #: With no target named, the act answers the latest charge (ACCUSE) made against the
    #: actor, whose maker is its target: "Beijing defended the drills" after "Canberra
    #: raised concerns over drills held by China".
    answers_charge: bool = False
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


@lexicon.register("event_context")
def _validate_context(entries: Any, where: str) -> dict[str, frozenset[str]]:
    check_record(entries, {"sport": Field((list,)), "study": Field((list,)),
                           "legislation": Field((list,)), "mediation_verbs": Field((list,)),
                           "talks_nouns": Field((list,)), "publication": Field((list,)),
                           "recognition": Field((list,)),
                           "denial_of_standing": Field((list,)),
                           "characterising_verbs": Field((list,))}, where)
    return {name: frozenset(w.lower() for w in lexicon.check_string_list(words, f"{where}.{name}"))
            for name, words in entries.items()}


@functools.cache
def context_words() -> dict[str, frozenset[str]]:
    """Word lists that take a cue out of diplomacy (`event_context.json`)."""
    return lexicon.load("event_context")


def _sporting(tok: "Token", cue: Cue) -> bool:
    """True if a meeting or hosting cue is a sports fixture: "after hosting Turkey in the
    first round", "hosted Iran in the World Cup qualifier". The phrase must hang on the
    cue itself ("met at the World Cup final" may still be a meeting), and a phrase with an
    "of" counts only if what it is of is sport too ("a round of talks" is talks)."""
    if cue.type not in ("CONSULT", "AGREE"):
        return False
    sport = context_words()["sport"]
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "for"):
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            words = [obj] + [c for c in obj.children if c.dep_ in ("compound", "amod")]
            if not any(_lemma(w) in sport or w.lower_ in sport for w in words):
                continue
            of = [o for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                  for o in c.children if o.dep_ == "pobj"]
            if of and not any(_lemma(o) in sport for o in of):
                continue  # "in the first round of talks"; "of the tournament" stays sport
            return True
    return False


def _legislative(tok: "Token") -> bool:
    """True if the cue's every object is a measure of the actor's own lawmaking, owned by
    no one named: "France's parliament rejected the pension reform bill", "lawmakers
    approved the budget". A vote at home is no act toward another state; "the IMF
    welcomed Pakistan's budget" names whose budget it is and stays."""
    objs = _objects(tok)
    words = context_words()["legislation"]
    return bool(objs) and all(
        (_lemma(o) in words or o.lower_ in words)
        and not any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in o.children)
        for o in objs)


def _publication(tok: "Token", cue: Cue) -> bool:
    """True if a release of people (CAMEO 0841) is the issuing of a text: every object is
    a publication word ("released a statement on the talks", "released a video"). "Released
    two detained journalists" stays."""
    if cue.cameo != "0841" or cue.pos != "VERB":
        return False
    return _objects_all_in(tok, "publication")


def _acknowledgement(tok: "Token", cue: Cue) -> bool:
    """True if a recognition cue (CAMEO 054) recognises no party: every object is neither
    a party nor a recognition word ("we recognize Chile's wish to move the draft
    forward"), or what is recognised is denied standing ("recognizes the government as
    illegitimate"). "Recognised Kosovo's independence" and "recognised Palestine" stay."""
    if cue.cameo != "054" or cue.pos != "VERB" or cue.objects:
        return False  # ("upgraded their ties" names its own object: a cue of its own)
    words = context_words()
    objs = _objects(tok)
    denied = [g for c in tok.children if c.dep_ in ("prep", "oprd") and c.lower_ == "as"
              for g in c.subtree if g.pos_ == "ADJ"]
    denied += [c for c in tok.children if c.dep_ in ("oprd", "acomp") and c.pos_ == "ADJ"]
    if any(_lemma(a) in words["denial_of_standing"] or a.lower_ in words["denial_of_standing"]
           for a in denied):
        return True
    return bool(objs) and not any(
        o.pos_ in ("PROPN", "PRON") or o.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
        or actors.is_actor_noun(o) or _lemma(o) in words["recognition"] for o in objs)


def _study(tok: "Token", cue: Cue) -> bool:
    """True if an investigation cue (CAMEO 09x) studies a question rather than probing
    someone's conduct: every object is a study word ("to investigate the feasibility of a
    force", "investigated welfare of 2,000 Libyans"). "Investigated the killings" stays."""
    if cue.type != "ACCUSE" or not cue.cameo.startswith("09") or cue.pos != "VERB":
        return False
    return _objects_all_in(tok, "study")


def _objects_all_in(tok: "Token", name: str) -> bool:
    """True if `tok` has objects and each is a word (lemma or form) of the `event_context`
    list `name`."""
    objs = _objects(tok)
    words = context_words()[name]
    return bool(objs) and all(_lemma(o) in words or o.lower_ in words for o in objs)


@functools.cache
def cues() -> dict[tuple[str, str], tuple[Cue, ...]]:
    """The cue index, (lemma, "VERB"|"NOUN") -> cues, built once per process."""
    return lexicon.load("event_verbs")


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
        if c.dep_ in _OBJECT_DEPS or c.dep_ == "nsubjpass" or _second_subject(c):
            out.extend(actors.expand_conjuncts(c))
    return out


def _second_subject(tok: "Token") -> bool:
    """True if `tok` is a subject after its verb while another subject stands before it
    ("Liu, director-general of ..., summoned Yokochi, chief minister of ..." parsed with
    two subjects): a verb has one subject, and the one after it is its object."""
    head = tok.head
    return tok.dep_ == "nsubj" and head != tok and tok.i > head.i and any(
        c.dep_ == "nsubj" and c.i < head.i for c in head.children)


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
        if _titled_as(o, cue.objects):
            return o
    for o in _objects(tok):
        # "5 million dollars of aid", "a grant of ...": the licensing noun one "of" down.
        for c in o.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and _lemma(g) in cue.objects:
                        return g
    return None


def _titled_as(name: "Token", words: frozenset[str]) -> bool:
    """True if the person's name `name` carries one of `words` as its title, before it
    ("Chinese Ambassador Huang Xilian") or in an apposition, itself or through its "of"
    phrase ("Akira Yokochi, chief minister of the Japanese Embassy")."""
    if not words or not (name.pos_ == "PROPN" or name.ent_type_ == "PERSON"):
        return False
    titles = [c for c in name.children if c.dep_ in ("compound", "appos")]
    titles += [g for a in titles if a.dep_ == "appos" for c in a.children
               if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    return any(_lemma(t) in words or t.lower_ in words for t in titles)


def _has_particle(tok: "Token", cue: Cue) -> bool:
    return any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ in cue.particles
               for c in tok.children)


@functools.cache
def cue_lemmas() -> frozenset[str]:
    """Every lemma some cue is indexed under: most tokens of an article are none of them."""
    return frozenset(lemma for lemma, _ in cues())


def match_cue(tok: "Token") -> tuple[Cue, "Token | None"] | None:
    """The first lexicon cue whose constraints `tok` meets, with the object it needed."""
    lemma = _lemma(tok)
    if lemma not in cue_lemmas():
        return None
    pos = _pos_class(tok)
    if pos is None:
        return None
    options = cues().get((lemma, pos))
    if not options:
        return None
    sent_words = None
    for cue in options:
        obj = None
        if cue.objects:
            obj = _object_match(tok, cue)
            if obj is None:
                continue
        if cue.own_object and obj is not None and any(
                c.dep_ == "poss" and c.pos_ != "PRON" for c in obj.children):
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
        if cue.person_target and cue.mode == "visit" and not _receives_someone(tok):
            continue  # "welcomed the statement" praises a text; no one was received
        return cue, obj
    return None


#: Roles a party is welcomed into, which admit it rather than receive a visitor.
ADMISSION_ROLES = frozenset({"member", "observer", "participant"})


def _receives_someone(tok: "Token") -> bool:
    """True unless every object of `tok` is a thing rather than a party or person, or the
    party is welcomed into a role ("welcomed South Sudan as its newest member"),
    which admits it and says nothing of a visit."""
    if any(c.dep_ == "prep" and c.lower_ == "as" and any(
            g.dep_ == "pobj" and _lemma(g) in ADMISSION_ROLES for g in c.children)
           for c in tok.children):
        return False
    objs = _objects(tok)
    return not objs or any(
        o.pos_ in ("PROPN", "PRON") or o.ent_type_ in ("PERSON", "GPE", "NORP", "ORG")
        or actors.is_actor_noun(o) for o in objs)


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


def sentence_text(sent: "Span") -> tuple[str, tuple[int, int]]:
    """The sentence's text without its surrounding whitespace, and that text's character
    offsets in the article."""
    raw = sent.text
    lead = len(raw) - len(raw.lstrip())
    sentence = raw.strip()
    return sentence, (sent.start_char + lead, sent.start_char + lead + len(sentence))


#: Cue types whose complement is their content, not a second event ("threatened to
#: impose sanctions" is a threat, not sanctions).
GOVERNING_TYPES = frozenset({"THREATEN", "REJECT", "REQUEST"})


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
    an accusation (CAMEO 125) with no one named. "Denied that 30 civilians had died"
    disputes a toll (the claim's modality), not an act."""
    return cue.type == "REJECT" and _lemma(tok) == "deny" and any(
        c.dep_ in ("xcomp", "ccomp") and not any(
            s.dep_ in ("nsubj", "nsubjpass") and actors.counts_people(s) for s in c.children)
        for c in tok.children)


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


def _clause_span(tok: "Token") -> "Span":
    head = tok if tok.pos_ != "NOUN" or tok.head == tok else tok.head
    left = min(t.i for t in head.subtree)
    right = max(t.i for t in head.subtree)
    return tok.doc[left:right + 1]


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


#: Acts that an agreement can decide on against a third party; the act is the event.
_DECIDED_HOSTILE = frozenset({"SANCTION", "THREATEN", "ACCUSE", "REJECT"})


def _agreed_hostile_act(tok: "Token") -> bool:
    """True if an agreement's content is a hostile act on a third party ("agreed to impose
    sanctions on Belarus", "agreed on the imposition of sanctions against X"): the members
    agree among themselves and the sanction is what is coded, so the agreement is not an
    AGREE with the sanctioned party. An agreement reached with someone ("agreed with Japan
    to impose ...") stays: that party is its partner."""
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
        return False
    frontier = [c for c in tok.children if c.dep_ == "xcomp"]
    frontier += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "on"
                 for g in c.children if g.dep_ == "pobj"]
    for v in frontier:
        found = match_cue(v)
        if found is not None and found[0].type in _DECIDED_HOSTILE:
            return True
        for c in v.children:
            if c.dep_ in ("dobj", "prep"):
                inner = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"]
                for n in inner:
                    found = match_cue(n)
                    if found is not None and found[0].type in _DECIDED_HOSTILE:
                        return True
    return False


#: Words that make money or goods aid: "100 million euros in humanitarian aid".
_AID_WORDS = frozenset({"aid", "humanitarian", "assistance", "relief", "funding", "emergency",
                        "reconstruction", "food", "medical", "medicine", "shelter", "donation"})


def _aid_words(tok: "Token") -> bool:
    """Whether the clause of an aid cue speaks of aid itself, not just money or arms."""
    words = {w.lemma_.lower() for w in _clause_span(tok)}
    return bool(words & _AID_WORDS)


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
        # "Warned of risks to growth", "warned of a humanitarian crisis": a danger, not a
        # threat; "warned of consequences" and "warned against ..." are judged by the
        # cue's own slots.
        dangers = [o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "about")
                   for o in p.children if o.dep_ == "pobj"]
        if dangers and all(_danger(o) for o in dangers):
            return False
        return True
    for clause in clauses:
        words = _subtree_words(clause)
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


#: "Warned that millions face famine", "warned of risks to growth": a warning of a danger
#: to people or to an economy, not a threat.
_DANGER_WORDS = frozenset({"famine", "hunger", "starvation", "die", "death", "deaths", "disease",
                           "outbreak", "cholera", "catastrophe", "collapse", "flood", "drought",
                           "risk", "risks", "recession", "slowdown", "inflation", "downturn",
                           "shortage", "shortages", "crisis"})


def _subtree_words(tok: "Token") -> set[str]:
    """The lemmas and lower-case forms of every word under `tok`."""
    return {w.lemma_.lower() for w in tok.subtree} | {w.lower_ for w in tok.subtree}


def _danger(obj: "Token") -> bool:
    """True if the phrase of `obj` names a danger and no threat ("risks to growth", not
    "the risk of retaliation")."""
    words = _subtree_words(obj)
    return bool(words & _DANGER_WORDS) and not words & _THREAT_WORDS


#: Adverbs that place an act before the news: "previously imposed", "last met".
RECALL_ADVERBS = frozenset({"previously", "earlier", "formerly", "once", "last", "first"})


def _recalled(tok: "Token", ctx: ArticleContext, planned: bool) -> bool:
    """True if the article recalls the act for context rather than reporting it.

    Signs, read on the cue's own clause: an explicit earlier year ("cut ties in 2017"); the
    past perfect ("had expelled"); an adverb of an earlier time ("previously imposed",
    "the two leaders last met"); or a date of its own more than a month before
    publication ("in March", "last month" in a story of May). An act still to come is
    never background.
    """
    if planned:
        return False
    if _historical(tok, ctx):
        return True
    verb = tok if _pos_class(tok) == "VERB" else (tok.head if tok.dep_ in ("dobj", "nsubjpass")
                                                   else None)
    if verb is not None:
        if verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d")
                                      for c in verb.children):
            return True
        if any(c.dep_ == "advmod" and c.lower_ in RECALL_ADVERBS for c in verb.children):
            return True
    return _dated_before(tok, ctx)


def _dated_before(tok: "Token", ctx: ArticleContext) -> bool:
    """True if a date inside the cue's own clause lies more than a month before the
    article's publication."""
    from . import dates
    from .entities import ents_in

    if ctx.published_at is None:
        return False
    head = tok if _pos_class(tok) == "VERB" else tok.head
    own = {t.i for t in head.subtree}
    sent = _sentence(tok)
    for ent in ents_in(sent):
        if ent.label_ != "DATE" or ent.start not in own:
            continue
        if not any(t.head.i == head.i or (t.head.dep_ == "prep" and t.head.head.i == head.i)
                   for t in ent if t == ent.root):
            continue  # the date of another clause or noun ("the 2015 deal")
        when = dates.resolve_date(ent.text, ctx.published_at, future=False)
        if not when:
            continue
        pub = ctx.published_at
        if len(when) == 4:
            return int(when) < pub.year
        if len(when) == 7:
            y, m = int(when[:4]), int(when[5:7])
            return (y, m) < (pub.year, pub.month)
        try:
            from datetime import date as _d
            return (pub - _d.fromisoformat(when)).days > 31
        except ValueError:
            return False
    return False


#: Verbs under which an act is only weighed, not done or intended ("considering sanctions").
WEIGHING_LEMMAS = frozenset({"consider", "weigh", "mull", "contemplate", "debate", "explore",
                             "study", "discuss"})
#: Words that open a condition: the act in it may never happen.
CONDITION_MARKS = frozenset({"if", "unless", "whether"})


def _hypothetical(tok: "Token") -> bool:
    """True if the act is only a condition or an option: inside an "if"/"unless" clause
    ("will retaliate if the United States imposes sanctions") or under a verb of weighing
    ("is considering imposing sanctions", "weighing further sanctions")."""
    t = tok
    for _ in range(4):
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS
                                     for c in t.children):
            return True
        if t.head == t:
            return False
        if t.dep_ in ("xcomp", "dobj", "pcomp", "ccomp") and _lemma(t.head) in WEIGHING_LEMMAS \
                and _pos_class(t.head) == "VERB":
            return True
        if t.dep_ not in ("xcomp", "dobj", "pobj", "prep", "pcomp", "conj", "advcl", "acl"):
            return False
        t = t.head
    return False
