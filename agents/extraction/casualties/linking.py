"""Linking a figure to a harm through the parse: the counted noun, the argument, and the
cue that names the harm (object or passive subject of a harm verb, a harm participle,
a predicate, a toll noun), with a surface fallback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import geo, harm_words, lexicon
from .cues import ClaimContext, Cues, PLACE_LABELS, VictimNouns, lemma_of
from .figures import Figure, QUALIFIER_PREPS
from ..tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Link:
    """How a figure was tied to a harm: category, cue token, victims noun, strength."""

    category: str
    cue: "Token"
    victim: "Token | None"
    strength: float


def is_negated(tok: "Token", ctxw: ClaimContext) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in ctxw.negators)
               for c in tok.children)


def _descendant_lemmas(tok: "Token", depth: int = 2) -> set[str]:
    found: set[str] = set()
    frontier = [tok]
    for _ in range(depth):
        nxt = []
        for t in frontier:
            for c in t.children:
                found.add(lemma_of(c))
                found.add(c.lower_)
                nxt.append(c)
        frontier = nxt
    return found


def _phrase_category(verb: "Token", cues: Cues, exclude: "Token | None" = None) -> str | None:
    """The category of a multi-word cue headed by `verb` ("fled their homes")."""
    lemma = lemma_of(verb)
    if lemma not in cues.phrase_verbs:
        return None
    below = _descendant_lemmas(verb)
    for c in verb.children:
        if c.dep_ in ("prep", "prt", "advmod") and c.lower_ in ("out", "away"):
            # "driven 70,000 people out of their homes", "moved out of harm's way"
            below |= _descendant_lemmas(c, 3)
    if exclude is not None:
        below.discard(lemma_of(exclude))
    for name, cat in cues.categories.items():
        for v, word in cat.phrases:
            if v == lemma and word in below:
                return name
    return None


def _state_category(tok: "Token", cues: Cues) -> str | None:
    for key in (tok.lower_, lemma_of(tok)):
        name = cues.category_of("states", key)
        if name:
            return name
    if tok.tag_ == "VBN":
        return cues.category_of("verbs", lemma_of(tok))
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
                lemma = lemma_of(c)
                name = cues.category_of("intransitive", lemma) or (
                    cues.category_of("verbs", lemma)
                    if any(x.dep_ == "auxpass" for x in c.children) else None)
                if name:
                    return name, c
        if c.dep_ == "prep" and c.lower_ in ("among", "as"):
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                name = _state_category(p, cues) or cues.category_of("nouns", lemma_of(p))
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
    lemma = lemma_of(verb)
    for name, cat in cues.categories.items():
        if lemma in cat.verbs and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return name
        if lemma in cat.intransitive:
            return name
    return _phrase_category(verb, cues, arg)


def _toll_category(noun: "Token", cues: Cues, depth: int = 0) -> str | None:
    """The category a toll-like noun counts: "death toll" -> killed, "the number
    of wounded" -> injured."""
    lemma = lemma_of(noun)
    if lemma in cues.toll_nouns:
        for c in noun.children:
            if c.dep_ in ("compound", "amod", "nmod"):
                name = (cues.category_of("nouns", lemma_of(c)) or _state_category(c, cues)
                        or cues.category_of("of_nouns", lemma_of(c)))
                if name and name != "killed":
                    return name
        return "killed"
    if lemma in cues.count_nouns and depth < 2:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    name = (cues.category_of("nouns", lemma_of(p)) or _state_category(p, cues)
                            or cues.category_of("of_nouns", lemma_of(p))
                            or cues.category_of("people_nouns", lemma_of(p)))
                    if name:
                        return name
                    for pc in p.children:
                        if pc.dep_ in ("acl", "amod", "relcl"):
                            name = _state_category(pc, cues) or _verb_category(pc, cues, p)
                            if name:
                                return name
                    # "the number of people displaced": the participle hung on the count
                    # noun; it still says what happened to the people counted.
                    if is_person(p):
                        for pc in noun.children:
                            if pc.dep_ == "acl" and pc.i > p.i and pc.tag_ == "VBN":
                                name = _state_category(pc, cues)
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
                        "nouns", lemma_of(doc[k]))
                    if name:
                        return name
    return None


#: Dependents that turn "fell" into something other than dying ("fell ill", "fell from
#: a roof", "the town fell to the rebels").
_FALL_BLOCKERS = frozenset({"from", "off", "into", "onto", "to", "down", "through", "out",
                            "behind", "apart", "short", "asleep", "ill", "silent", "sick",
                            "victim", "prey", "under", "below", "by"})


def is_person(tok: "Token") -> bool:
    """True if `tok` is a noun that counts people ("soldiers", "members", "Afghans")."""
    if tok.pos_ not in ("NOUN", "PROPN") and not tok.ent_type_ in ("NORP", "PERSON"):
        return False
    victims = lexicon.load("casualty_nouns").victims
    return lemma_of(tok) in victims or tok.lower_ in victims or tok.ent_type_ in ("NORP",)


def _person_harm(verb: "Token", arg: "Token", cues: Cues) -> str | None:
    """The harm of a verb that names one only for people: "lost 15 members of our
    family", "40 soldiers fell in battle", "the soldiers who had fallen", "fallen
    soldiers". Objects and subjects that are not people, a goal or source ("fell
    from a roof", "fell to the rebels") and a complement ("fell ill") rule it out."""
    lemma = lemma_of(verb)
    name = cues.category_of("person_verbs", lemma)
    if name is None or not is_person(arg):
        return None
    if any(c.lower_ in _FALL_BLOCKERS or c.dep_ in ("acomp", "oprd", "attr", "prt")
           for c in verb.children):
        return None
    if lemma != "lose" and _has_object(verb):
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
            return lemma_of(tok) in cues.causes_flight
    return False


def _fled_people(verb: "Token", arg: "Token", cues: Cues) -> bool:
    """True for "people who have fled" (a report's count of the displaced): a relative
    clause of a flight verb on a people noun, with no object (an object other than a
    home or a place, "who fled the scene", is no displacement and no phrase cue took it)."""
    if lemma_of(verb) not in cues.flee_verbs or not is_person(arg):
        return False
    return not _has_object(verb)


def _headline_participle(verb: "Token", arg: "Token") -> bool:
    """True for a headline's bare participle tagged as a past tense: "Four teenagers shot
    in Chicago", "12 soldiers killed in ambush". The verb has no auxiliary and no object,
    its subject is a counted people noun, and no particle or "at" makes it an act of the
    subject ("shot at police", "shot back")."""
    if verb.tag_ not in ("VBD", "VBP") or not is_person(arg):
        return False
    if not any(c.dep_ == "nummod" or c.like_num for c in arg.children):
        return False
    for c in verb.children:
        if c.dep_ in ("aux", "auxpass", "dobj", "obj", "prt", "dative", "ccomp", "xcomp"):
            return False
        if c.dep_ == "prep" and c.lower_ in ("at", "on", "into"):
            return False
    return True


def evacuation_flight(sent: "Span", cues: Cues) -> bool:
    """True if a sentence that has people flee speaks of an evacuation ("forced to flee
    their homes" under "mandatory evacuation orders", "Thousands forced to flee as
    wildfires rage, forcing thousands of evacuations"): the flight is a move ahead of the
    hazard, `evacuated` rather than `displaced`."""
    evac = cues.categories["evacuated"]
    words = evac.verbs | evac.states | set(evac.nouns) | evac.of_nouns
    return any(lemma_of(t) in words or t.lower_ in words for t in tokens_of(sent))


def _counted_apart(word: "Token") -> bool:
    """True if a fatal word belongs to a figure of its own ("7 shot, 1 fatally", "seven
    shot, at least one fatally"): it counts the dead among them, not all of them."""
    doc = word.doc
    k = word.i - 1
    while k >= 0 and doc[k].lower_ in ("of", "them", "whom", "those"):
        k -= 1
    return (k >= 0 and doc[k].like_num) or any(c.like_num for c in word.children)


def fatal_harm(cue: "Token", cues: Cues) -> bool:
    """True if an injury cue says the people died: "shot dead", "shot to death",
    "fatally shot", "shot and killed", "the fatal shooting of three" (`fatal_words`, direct dependents only:
    "a deadly attack injured 20" keeps its injured)."""
    for c in cue.children:
        if c.dep_ in ("advmod", "amod", "acomp", "oprd", "xcomp", "dep", "attr", "npadvmod") \
                and c.lower_ in cues.fatal_words and not _counted_apart(c):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(
                p.dep_ == "pobj" and p.lower_ == "death" for p in c.children):
            return True
        # "were shot and killed", "shot and killed two suspects": a kill verb joined to the
        # injury, with no subject of its own ("five were shot and two were killed" keeps both)
        # and not each verb with an object of its own ("wounding seven and killing two").
        if c.dep_ == "conj" and c.pos_ == "VERB" and cues.category_of("verbs", lemma_of(c)) == "killed" \
                and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) \
                and not (_has_object(c) and _has_object(cue)):
            return True
    return False


def _has_object(verb: "Token") -> bool:
    return any(c.dep_ in ("dobj", "obj") for c in verb.children)


def _has_have_aux(verb: "Token") -> bool:
    return any(c.dep_ == "aux" and lemma_of(c) == "have" for c in verb.children)


def link(arg: "Token", cues: Cues, ctxw: ClaimContext, depth: int = 0) -> tuple[str, "Token", float] | None:
    """Category, cue and strength tying `arg` (victims noun or bare figure) to a harm."""
    if depth > 3:
        return None
    lemma = lemma_of(arg)
    # A counted harm noun: "20 deaths", "claimed 20 lives", "took 30 hostages".
    name = cues.category_of("nouns", lemma)
    if name:
        governors = cues.categories[name].nouns[lemma]
        if not governors or lemma_of(arg.head) in governors:
            return name, arg, 0.9
        # "the 24 lives lost when a wildfire swept through": the governor as a participle
        if any(c.dep_ in ("acl", "relcl") and lemma_of(c) in governors and not is_negated(c, ctxw)
               for c in arg.children):
            return name, arg, 0.85
    # A headline's participle parsed as the counted noun: "Two Dead, 14 Hurt".
    if arg.pos_ == "NOUN" and arg.lower_ == arg.lemma_.lower() and any(
            c.dep_ == "nummod" and c.i == arg.i - 1 for c in arg.children):
        name = cues.category_of("states", arg.lower_)
        if name and name != cues.category_of("nouns", lemma):
            return name, arg, 0.7
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
            if name is None and c.dep_ == "acl" and lemma_of(c) in cues.flee_verbs and \
                    _caused_flight(arg, cues):
                name = "displaced"  # "sent thousands of families fleeing"
            if name is None and c.dep_ == "relcl" and _fled_people(c, arg, cues):
                name = "displaced"  # "57,000 people who have fled"
            if name and not is_negated(c, ctxw):
                return name, c, 0.85
    dep, head = arg.dep_, arg.head
    if dep == "conj" and head is not arg and head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        found = link(head, cues, ctxw, depth + 1)
        return (found[0], found[1], found[2] - 0.05) if found else None
    if dep in ("appos",) and head is not arg:
        return link(head, cues, ctxw, depth + 1)
    if dep == "pobj" and head.dep_ == "prep" and (
            head.lower_ in QUALIFIER_PREPS or (head.lower_ == "to" and head.i > 0
                                                and head.doc[head.i - 1].lower_ == "up")):
        # "arrested between 200 and 300 protesters", "kidnapped up to 16 advisers"
        # parsed with the qualifier as the verb's preposition or particle: the
        # figure is really the verb's object.
        dep, head = "dobj", head.head
        if head.lower_ == "up" and head.dep_ in ("prt", "advmod", "prep"):
            head = head.head
    hl = lemma_of(head)
    if dep == "nsubjpass":
        name = cues.category_of("verbs", hl) or _phrase_category(head, cues, arg)
        if name:
            return name, head, 0.9
        # "have still not been accounted for": the negation is the harm here.
        if hl in harm_words.load().negated_verbs and any(c.dep_ == "prep" and c.lower_ == "for"
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
        if hl in cues.linking_verbs and head.dep_ in ("acl", "relcl"):
            # "The displaced, numbering about 45,000, ..."
            name = _state_category(head.head, cues) or cues.category_of(
                "nouns", lemma_of(head.head)) or cues.category_of(
                "people_nouns", lemma_of(head.head))
            if name:
                return name, head.head, 0.8
        # "the toll has reached 61", "the number of people killed topped 100", "the
        # number ... has risen and reached 2.4 million" (the subject is the first verb's)
        if hl in cues.toll_verbs:
            subject_of = head
            if head.dep_ in ("conj", "advcl") and not any(c.dep_ in ("nsubj", "nsubjpass")
                                                          for c in head.children):
                # "the number of refugees continued to increase, reaching nearly 21
                # million": a participle clause takes its subject from the main clause.
                subject_of = head.head
            for c in subject_of.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    name = _toll_category(c, cues)
                    if name:
                        return name, c, 0.85
        # "the dead included 14 women"
        if hl == "include":
            for c in head.children:
                if c.dep_ == "nsubj":
                    name = cues.category_of("nouns", lemma_of(c)) or _state_category(c, cues)
                    if name:
                        return name, c, 0.85
                    found2 = link(c, cues, ctxw, depth + 1)
                    if found2:
                        return found2[0], found2[1], found2[2] - 0.05
    if dep == "nsubj" and hl in cues.flee_verbs and _leaves_place(head, cues):
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
                lemma_of(head.head) in cues.causes_flight:
            return "displaced", head, 0.8
        has_object = _has_object(head)
        name = _phrase_category(head, cues, arg)
        if name and (not has_object or _phrase_category(head, cues) == name):
            return name, head, 0.85
        if cues.category_of("verbs", hl) and head.tag_ == "VBN" and not has_object \
                and not _has_have_aux(head):
            return cues.category_of("verbs", hl), head, 0.8
        name = cues.category_of("verbs", hl) or cues.category_of("states", head.lower_)
        if name and _headline_participle(head, arg):
            return name, head, 0.75
        # "50 people are missing", parsed with "missing" as the verb.
        if head.lower_ in {w for c in cues.categories.values() for w in c.states} \
                and not has_object and (any(lemma_of(c) == "be" for c in head.children
                                            if c.dep_ in ("aux", "auxpass"))
                                        or head.tag_ in ("VBG", "JJ")):
            return _state_category(head, cues), head, 0.85
        found = _complement_category(head, arg, cues)
        if found and (hl in cues.linking_verbs or head.pos_ in ("AUX", "VERB")):
            return found[0], found[1], 0.85
        if hl in cues.linking_verbs:
            found = _under_harm(head, cues)
            if found:
                return found[0], found[1], 0.8
        found = _harmed_after(head, cues, ctxw)
        if found:
            return found[0], found[1], 0.7
        if hl in ("have", "need") and any(c.dep_ == "aux" and c.lower_ == "to"
                                          for x in head.children if x.dep_ == "xcomp"
                                          for c in x.children):
            # "200,000 people have had to flee their homes": the harm is the verb "to" opens
            verb = next(x for x in head.children if x.dep_ == "xcomp")
            name = _phrase_category(verb, cues) or cues.category_of("intransitive",
                                                                   lemma_of(verb))
            if name and not is_negated(verb, ctxw) and not is_negated(head, ctxw):
                return name, verb, 0.8
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
        pl, gl = prep.lower_, lemma_of(gov)
        if pl in ("from", "by", "than", "with", "against"):
            return None  # an older toll, an agent, a comparison
        if pl == "of":
            name = cues.category_of("of_nouns", gl)
            if name:
                if gl != "life" or lemma_of(gov.head) in cues.categories["killed"].nouns["life"]:
                    return name, gov, 0.85
            name = _toll_category(gov, cues)
            if name and gl in cues.toll_nouns:
                return name, gov, 0.85
            if gl in cues.count_nouns or gl in cues.group_nouns or gl in ("total", "group",
                                                                           "crowd"):
                if gl in ("crowd", "group"):
                    return None  # a crowd of N is not harmed as such
                found = link(gov, cues, ctxw, depth + 1)
                if found:
                    return found
        if pl == "for" and gov.pos_ == "NOUN" and _harm_noun(gov, cues) == "evacuated":
            # "an evacuation order for 15,000 people" (an arrest warrant for 12 is no arrest)
            return "evacuated", gov, 0.8
        if pl in ("to", "at") and gl not in cues.toll_verbs and gov.dep_ in (
                "prt", "advmod", "acomp", "oprd", "advcl") and lemma_of(gov.head) in cues.toll_verbs:
            gov, gl = gov.head, lemma_of(gov.head)  # "revised the toll down to 1,200"
        if pl in ("to", "at") and gl in cues.toll_verbs:
            for c in gov.children:
                if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    name = _toll_category(c, cues)
                    if name:
                        return name, c, 0.85
            toll = _toll_before(gov, cues)
            if toll is not None:
                return toll[0], toll[1], 0.8
        if pl in ("including", "among", "includ") and gov.pos_ in ("NOUN", "PROPN", "NUM"):
            found = link(gov, cues, ctxw, depth + 1)
            if found:
                return found[0], found[1], found[2] - 0.05
        if pl in ("including", "includ") and gov.pos_ in ("VERB", "AUX"):
            # "Twelve people were killed, including four children"
            name = (cues.category_of("verbs", gl) or cues.category_of("intransitive", gl)
                    or _phrase_category(gov, cues))
            if name and not is_negated(gov, ctxw):
                return name, gov, 0.8
    if dep == "prep" and arg.lower_ == "including":
        return None
    return None


def _toll_before(verb: "Token", cues: Cues) -> tuple[str, "Token"] | None:
    """The toll noun a subject-less toll verb follows: "Four persons died ... and the
    death toll in floods and landslides rose to 14", where the parser joins "toll" to the
    first clause's noun and leaves "rose" without a subject. Walks back from the verb
    over its noun phrase (prepositions, nouns, conjunctions) to the first noun that names
    a toll; a verb or a clause mark on the way stops it."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    sent_start = verb.sent.start
    for tok in reversed(verb.doc[max(sent_start, verb.i - 8):verb.i]):
        if tok.pos_ in ("VERB", "AUX") or tok.text in (",", ";", ":"):
            return None
        if tok.pos_ == "NOUN" and lemma_of(tok) in cues.toll_nouns:
            name = _toll_category(tok, cues)
            return (name, tok) if name else None
        if tok.pos_ not in ("NOUN", "PROPN", "ADP", "CCONJ", "DET", "ADJ"):
            return None
    return None


def _harm_noun(noun: "Token", cues: Cues) -> str | None:
    """The category of a harm noun or of the harm noun compounded with it ("arrest",
    "evacuation orders")."""
    for tok in (noun, *(c for c in noun.children if c.dep_ in ("compound", "amod", "nmod"))):
        name = cues.category_of("nouns", lemma_of(tok))
        if name:
            return name
    return None


def _under_harm(verb: "Token", cues: Cues) -> tuple[str, "Token"] | None:
    """A state given by "under" ("12 people are under arrest", "30,000 residents remain
    under evacuation orders")."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "under":
            for p in c.children:
                if p.dep_ == "pobj":
                    name = _harm_noun(p, cues)
                    if name:
                        return name, p
    return None


#: Pronouns that take up the subject of the main clause in a clause of time.
_SAME_PEOPLE = frozenset({"they", "both"})


def _harmed_after(verb: "Token", cues: Cues, ctxw: ClaimContext) -> tuple[str, "Token"] | None:
    """The harm of a clause of time whose passive subject is "they", the people the main
    clause counts: "two people are in the hospital after they were stabbed"."""
    for c in verb.children:
        if c.dep_ != "advcl" or not any(m.dep_ == "mark" and m.lower_ in ("after", "when")
                                        for m in c.children):
            continue
        if not any(s.dep_ == "nsubjpass" and s.lower_ in _SAME_PEOPLE for s in c.children):
            continue
        name = cues.category_of("verbs", lemma_of(c))
        if name and not is_negated(c, ctxw):
            return name, c
    return None


def _leaves_place(verb: "Token", cues: Cues | None = None) -> bool:
    """True if `verb` ("fled") has a named place as object or goal ("fled Rafah",
    "fled to Chad"), or a place of refuge as goal ("fled to an indoor stadium",
    `refuge_places`); fleeing a place makes people displaced."""
    for c in verb.children:
        targets = [c] if c.dep_ in ("dobj", "obj") else [
            p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in (
            "to", "into", "across", "from", "over") else []
        for t in targets:
            if t.ent_type_ in PLACE_LABELS or (t.pos_ == "PROPN" and geo.resolve(t.text)):
                return True
            if cues is not None and c.dep_ == "prep" and c.lower_ in ("to", "into") and \
                    t.pos_ == "NOUN" and lemma_of(t) in cues.refuge_places:
                return True
    return False


def own_predicate(fig: Figure, doc: "Doc", cues: Cues) -> tuple[str, "Token"] | bool:
    """The participle right after a coordinated figure ("45 bodies and 200 wounded",
    "4 dead, 100,000 evacuated"): its harm, or False when it names something else.
    True when there is no such participle."""
    if fig.end >= len(doc):
        return True
    nxt = doc[fig.end]
    if nxt.is_sent_start:
        return True
    name = _state_category(nxt, cues)
    if name:
        return name, nxt  # also a title-case "Hurt" tagged a verb or a noun
    if nxt.tag_ not in ("VBN", "JJ", "VBD") or lemma_of(nxt) == "be":
        return True  # "... and 4 were teachers": a verb of its own clause, no participle
    return False


def victim_of(fig: Figure, doc: "Doc", nouns: VictimNouns) -> "Token | None":
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
    # "killed 3, 5 and 7 people": a figure coordinated with the list's first one counts
    # the noun that one counts.
    tok = doc[fig.numbers[-1]]
    while tok.dep_ == "conj" and tok.head.like_num and tok.head.i < tok.i:
        tok = tok.head
    if tok.i != fig.numbers[-1] and tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN") \
            and tok.head.i > fig.end:
        return tok.head
    # Surface: a victims noun right after the figure, adjectives allowed between.
    for k in range(fig.end, min(fig.end + 4, len(doc))):
        tok = doc[k]
        if lemma_of(tok) in nouns.victims and tok.pos_ in ("NOUN", "PROPN"):
            return tok
        if tok.pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT") or tok.text in (
                ",", ";", ":", "--", "\u2014", "\u2013"):
            break  # "wounds 40: police": the source after the colon is no victim
    return None


def argument_of(fig: Figure, doc: "Doc", victim: "Token | None") -> "Token":
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


def surface_link(fig: Figure, doc: "Doc", sent: "Span", cues: Cues,
                  victim: "Token | None") -> tuple[str, "Token", float] | None:
    """Fallback when the parse links nothing: "N [victims] (were) killed", "killing N"."""
    k = (victim.i + 1) if victim is not None and victim.i >= fig.end else fig.end
    if victim is not None and victim.lower_ in ("flee", "fled", "flees") and victim.i >= fig.end:
        k = victim.i  # "150,000 flee El Geneina": the verb parsed as the counted noun
    if victim is not None and victim.i == fig.end and victim.pos_ == "NOUN" and \
            cues.category_of("states", victim.lower_):
        k = victim.i  # "Six shot, two fatally": a headline participle parsed as the noun
    if k == fig.end == sent.end < len(doc) and not doc[k - 1].is_punct:
        # "Two Teens Killed, 14 Injured In Shooting": the parser ends a headline's
        # sentence on the figure, before its participle
        name = _state_category(doc[k], cues)
        if name and not any(c.dep_ in ("dobj", "obj") for c in doc[k].children):
            return name, doc[k], 0.5
    steps = 0
    while k < sent.end and steps < 4:
        tok = doc[k]
        if tok.pos_ in ("AUX",) or tok.lower_ in ("have", "has", "had", "been", "were", "was",
                                                 "are", "is", "reportedly", "also", "more"):
            k += 1
            steps += 1
            continue
        name = _state_category(tok, cues) or cues.category_of("intransitive", lemma_of(tok))
        if name and not (tok.tag_ == "VBD" and any(c.dep_ == "dobj" for c in tok.children)):
            return name, tok, 0.55
        # "150,000 flee El Geneina" (headline verbs are often parsed as nouns)
        if (lemma_of(tok) in cues.flee_verbs or tok.lower_ in cues.flee_verbs
                or tok.lower_ in ("fled", "flees")) and k + 1 < sent.end:
            goal = doc[k + 1]
            if goal.lower_ in ("to", "into", "across") and k + 2 < sent.end:
                goal = doc[k + 2]
            if goal.ent_type_ in PLACE_LABELS | {"ORG"} or goal.pos_ == "PROPN":
                return "displaced", tok, 0.55
            if goal.lower_ in ("as", "amid") and victim is not None and victim.i == k:
                return "displaced", tok, 0.5  # "150,000 flee as rebels advance"
        break
    if fig.start > sent.start:
        before = doc[fig.start - 1]
        verb_like = before.tag_ in ("VBG", "VBD", "VBZ", "VBP") or (
            before.tag_ == "NNS" and before.dep_ == "conj" and before.head.pos_ == "VERB") or (
            # "Shooting at mall kills at least 9, wounds 40": a headline's verb tagged a
            # plural noun right before the figure ("his kills" is a noun: determined)
            before.tag_ in ("NNS", "NNPS") and before.lower_.endswith("s")
            and (before.i == 0 or doc[before.i - 1].tag_ not in ("DT", "PRP$", "POS")))
        if verb_like and cues.category_of("verbs", lemma_of(before)):
            return cues.category_of("verbs", lemma_of(before)), before, 0.55
    return None


def people_state(victim: "Token | None", cues: Cues,
                 ctxw: ClaimContext) -> tuple[str, "Token", float] | None:
    """The harm a counted noun names by itself ("5,000 refugees have arrived": people who
    fled), when no cue of the clause said what happened to them (`people_nouns`). A verb
    that ends or precedes the state ("2,000 refugees returned home", "will admit 125,000
    refugees": `settled_verbs`) rules it out."""
    if victim is None or victim.pos_ not in ("NOUN", "PROPN"):
        return None
    name = cues.category_of("people_nouns", lemma_of(victim)) or cues.category_of(
        "people_nouns", victim.lower_)
    if name is None:
        return None
    tok = victim
    for _ in range(4):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            if lemma_of(tok) in ctxw.settled_verbs or any(
                    lemma_of(c) in ctxw.settled_verbs for c in tok.children
                    if c.dep_ in ("xcomp", "conj")):
                return None
            if tok.dep_ == "pcomp":
                return None  # "praised Uganda for hosting 1.5 million refugees": a reason
            break
    return name, victim, 0.6


def with_harm(arg: "Token", victim: "Token | None", cues: Cues,
              ctxw: ClaimContext) -> tuple[str, "Token", float] | None:
    """A harm the people have "with" (`with_nouns`): "found three people with gunshot
    wounds", "were taken to the hospital with injuries". The "with" may hang on the
    counted noun, its verb, or a place the verb governs; "with no injuries" is negated."""
    if victim is not None and not is_person(victim):
        return None
    holder = victim if victim is not None else arg
    spots = [holder]
    verb = holder.head
    if verb.pos_ in ("VERB", "AUX") and verb.i != holder.i:
        spots.append(verb)
        spots.extend(p for c in verb.children if c.dep_ == "prep"
                     for p in c.children if p.dep_ == "pobj")
    for spot in spots:
        for c in spot.children:
            if c.dep_ != "prep" or c.lower_ != "with":
                continue
            for p in c.children:
                if p.dep_ != "pobj" or is_negated(p, ctxw):
                    continue
                name = cues.category_of("with_nouns", lemma_of(p))
                if name:
                    return name, p, 0.65
    return None


def is_disjunct(cue: "Token") -> bool:
    """True for "killed or wounded": one figure over two harms is not a claim."""
    for tok in (cue, cue.head):
        conj = [c for c in tok.children if c.dep_ == "conj"]
        if conj and any(c.dep_ == "cc" and c.lower_ in ("or", "and/or") for c in tok.children):
            if tok is cue or cue in conj:
                return True
    return False


def dead_or_missing(cue: "Token", cues: Cues) -> bool:
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
            name = (_state_category(t, cues) or cues.category_of("intransitive", lemma_of(t))
                    or cues.category_of("verbs", lemma_of(t)))
            if name:
                found.add(name)
    return found == {"killed", "missing"}

