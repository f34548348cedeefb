"""Arguments of a candidate event: who acts, toward whom, when and where.

The actor is the subject (or the passive agent); for an infinitive or coordinated verb
the subject of the verb it depends on ("agreed to reject"); for a noun cue its possessor
("his meeting") or the subject of the verb that holds it. The target is the direct
object, the dative, or the object of the cue's prepositions ("with X", "on X", "to X");
a visited place is its state. Tokens become parties through `actors`; everything here
reads one sentence at a time (the article-level resolution is in `discourse`).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import actors, dates, geo
from .entities import entity_at, ents_in
from .event_cues import (
    _lemma, _OBJECT_DEPS, _objects, _pos_class, _second_subject, _sentence, Cue, LIGHT_VERBS, match_cue,
    PLAN_LEMMAS, SAY_LEMMAS,
)
from .model import ArticleContext, DiplomaticEvent, Location, Party

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token


def _subject_of(verb: "Token") -> list["Token"]:
    """Subject tokens of `verb`, borrowing the governing verb's for infinitives/conjuncts."""
    t = verb
    for _ in range(5):
        subs = [c for c in t.children if c.dep_ in ("nsubj", "csubj") and not _second_subject(c)]
        patients = [c for c in t.children if c.dep_ == "nsubjpass"]
        if not subs and patients and t != verb:
            if _summoned_for(t):
                # "Ambassador X will be summoned to protest the incident": the protest is
                # made to the one summoned, by whoever summons.
                return []
            # "X was indicted by Y and will resign", "Iran was urged by France to halt":
            # the verb that borrows the subject is done by the passive's subject.
            return [x for p in patients for x in actors.expand_conjuncts(p)]
        if not subs and patients:
            agents = [g for c in t.children if c.dep_ == "agent" for g in c.children
                      if g.dep_ == "pobj"]
            if agents:
                return [x for a in agents for x in actors.expand_conjuncts(a)]
            if _lemma(t) in STANCE_PARTICIPLES and any(
                    c.dep_ == "prep" and c.lower_ == "to" for c in t.children):
                # "Israel is opposed to French mediation": the participle states the
                # subject's own stance, it is not done to the subject.
                return [x for p in patients for x in actors.expand_conjuncts(p)]
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
            return _headline_cosubjects(t, subs) + [
                x for s in subs for x in actors.expand_conjuncts(s) + _appositive_conjuncts(s)
                + _modifier_cosubjects(s)]
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


def _summoned_for(verb: "Token") -> bool:
    """True if `verb` is a passive summons of a diplomat ("the ambassador was summoned"):
    the cues whose object is the envoy of the state they are aimed at."""
    found = match_cue(verb)
    return found is not None and found[0].owner_target and found[0].type == "ACCUSE" \
        and any(c.dep_ == "auxpass" for c in verb.children)


def _appositive_conjuncts(subject: "Token") -> list["Token"]:
    """Co-subjects the parser hung on an apposition of the subject: in "Thai acting Prime
    Minister A and Cambodian Prime Minister B met", the subject may come out as "Thai"
    with "Minister A" as its apposition and "B" as that apposition's conjunct; B meets
    as much as A does. Two appositions deep at most, and only a conjunct joined by "and"."""
    found: list["Token"] = []
    layer = [c for c in subject.children if c.dep_ == "appos"]
    for _ in range(2):
        nxt = []
        for a in layer:
            if any(c.dep_ == "cc" and c.lower_ == "and" for c in a.children):
                found.extend(x for c in a.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")
                             for x in actors.expand_conjuncts(c))
            nxt.extend(c for c in a.children if c.dep_ == "appos")
        layer = nxt
    return found


def _headline_cosubjects(verb: "Token", subjects: Sequence["Token"]) -> list["Token"]:
    """Names a headline joins to the subject with a comma in place of "and": in "Taliban,
    Pakistan agree to meet" the parser makes "Taliban" a modifier of the verb, yet both
    agree. Only a proper name or entity right before the subject, a comma between them,
    and nothing else: "On Monday, Pakistan agreed" has no name there, "Nasser, a
    diplomat, said" has its name as the subject itself, and a dateline in capitals
    ("WASHINGTON, Iran agreed") is where the story was filed."""
    first = min(s.left_edge.i for s in subjects)
    doc = verb.doc
    out: list["Token"] = []
    for c in verb.children:
        if c.dep_ != "npadvmod" or c.pos_ != "PROPN" or c.i + 2 != first \
                or doc[c.i + 1].text != "," or c.ent_type_ not in ("GPE", "ORG", "NORP") \
                or (c.text.isupper() and len(c.text) > 3):
            continue
        out.append(c)
    return out


def _modifier_cosubjects(subject: "Token") -> list["Token"]:
    """A named person the parser hung on the subject as a modifier, when "and" follows
    it: in "India's S. Jaishankar and China's Wang Yi met", the subject may come out as
    "Yi" with "Jaishankar" its `nmod` and "China" that modifier's conjunct; Jaishankar
    meets as much as Wang does. The modifier itself only (its conjunct is the subject's
    own possessor), and only a person's name under a person's name: "the Israel and
    Hamas negotiators" keeps its states as modifiers."""
    if subject.ent_type_ != "PERSON":
        return []
    return [c for c in subject.children
            if c.dep_ == "nmod" and c.ent_type_ == "PERSON" and c.i < subject.i
            and any(g.dep_ == "cc" and g.lower_ == "and" for g in c.children)]


#: Participles that, with "to", say what their subject itself holds ("is opposed to").
STANCE_PARTICIPLES = frozenset({"oppose"})

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
                              "declare", "impose", "end", "introduce", "adopt",
                              # a measure made wider or harder is still taken now:
                              # "stepped up sanctions on Iran", "tightened the embargo"
                              "step", "tighten", "expand", "broaden", "widen", "toughen",
                              "intensify", "reimpose", "extend"})

MEASURE_TYPES = frozenset({"SANCTION", "RETREAT", "CONCEDE"})


def _noun_actor(noun: "Token", cue: Cue | None = None) -> tuple[list["Token"], "Token | None"]:
    """Actor tokens of a noun cue and the verb that carries it (if any)."""
    poss = [c for c in noun.children if c.dep_ == "poss"]
    if len(poss) == 1 and poss[0].lower_ == "their":
        # "Türkiye and Qatar express their appreciation": the co-subjects it stands for.
        group = _plural_antecedent(poss[0])
        if len(group) > 1:
            return group, None
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
            for c in v.children:
                if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "to"
                                             for a in c.children):
                    # "refused to allow United Nations planes to land": the one let (or
                    # not let) do something is the complement's object, parsed as the
                    # subject of the infinitive.
                    found.extend(x for g in c.children if g.dep_ == "nsubj"
                                 for x in actors.expand_conjuncts(g))
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
        # "vowed to retaliate against the expulsions of its diplomats by the United States
        # and Canada": those who did the act a threat answers are the ones threatened.
        for o in _prep_objects(tok, ("against", "to", "for")):
            if o.pos_ == "NOUN":
                found.extend(_prep_objects(o, ("by",)))
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
                         and not actors.counts_people(s) for x in actors.expand_conjuncts(s))
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
        if t.lower_ in PLURAL_PRONOUNS and depth < 1 and not actors.is_acronym(t):
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
        for code in _paired_nationalities(t):
            add(Party(text=t.text, name=geo.country_name(code), country=code, org=None,
                      role="GOV"))
        if not found and t.pos_ != "PRON":
            # "the ambassadors of six countries, including the Netherlands, France ...":
            # the states the phrase lists are the parties.
            for m in _listed_states(t):
                code = geo.country_of(actors.phrase_text(m)) or geo.country_of(m.text)
                if code:
                    add(Party(text=m.text, name=geo.country_name(code), country=code,
                              org=None, role="GOV"))
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
                # ("joint British-French exercises": a hyphenated pair, one party each.)
                for code in _paired_nationalities(m):
                    add(Party(text=m.text, name=geo.country_name(code), country=code,
                              org=None, role=p.role))
                for c in actors.expand_conjuncts(m)[1:]:
                    code = geo.country_of(c.text)
                    if code:
                        add(Party(text=c.text, name=geo.country_name(code), country=code,
                                  org=None, role=p.role))
    return out


def _paired_nationalities(tok: "Token") -> list[str]:
    """The states of a hyphenated pair of nationalities: "US-Japanese drills" and
    "British-French exercises" are of both states. Only a nationality (NORP) entity whose every
    part names a state; "the Russia-Ukraine war" is a place pair, left alone."""
    ent = entity_at(tok)
    if ent is None or ent.label_ != "NORP":
        return []
    if "-" in ent.text:
        parts = ent.text.split("-")
    else:
        # "British-French exercises" split by the tokenizer: nationalities joined by
        # hyphens just before this one.
        doc, i, parts = tok.doc, tok.i, [tok.text]
        while i >= 2 and doc[i - 1].text == "-" and doc[i - 2].ent_type_ == "NORP":
            parts.insert(0, doc[i - 2].text)
            i -= 2
    codes = [geo.country_of(part.strip()) for part in parts]
    if len(codes) < 2 or not all(codes):
        return []
    return list(dict.fromkeys(c for c in codes if c))


#: Plural nouns for states in general, which a list after them names one by one.
STATE_NOUNS = frozenset({"country", "state", "nation", "government", "capital", "member"})
#: Words that open such a list: "six countries, including France", "states such as Mali".
LISTING_PREPS = ("including", "like", "as")


def _listed_states(tok: "Token") -> list["Token"]:
    """The states listed for a plural noun of states, itself or as the "of" phrase of
    a title: "six countries, including the Netherlands, France and Spain", "the envoys
    of states such as France and Germany", "the envoys of four countries, Britain,
    France and Germany" (a list the parser coordinated with the noun). Names only; a
    noun that is not about states ("oil companies, including BP") lists nothing."""
    holders = [tok] + (_prep_objects(tok, ("of",)) if actors.is_actor_noun(tok) else [])
    out: list["Token"] = []
    for h in holders:
        if _lemma(h) not in STATE_NOUNS or h.tag_ not in ("NNS", "NNPS"):
            continue
        for o in _prep_objects(h, LISTING_PREPS):
            if o.head.lower_ != "as" or any(c.lower_ == "such" for c in o.head.children) \
                    or any(c.lower_ == "such" for c in h.children):
                out.append(o)
        out.extend(c for c in actors.expand_conjuncts(h)[1:] if c.ent_type_ == "GPE")
    return out


#: Verbs by which an act earns a reaction: "drawing criticism from Britain".
_DRAWING_VERBS = frozenset({"draw", "prompt", "spark", "trigger", "provoke", "attract", "earn", "invite"})

#: What a threat answers: "would respond to any Israeli attack".
_PROVOCATIONS = frozenset({"attack", "aggression", "strike", "provocation", "incursion", "escalation",
                           "move", "violation", "deployment", "intervention", "interference", "sale",
                           "step", "action", "expansion", "deal"})


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


#: Dependencies through which a thing names whose it is: "Belarus's crackdown", "Chinese
#: firms", "Iranian officials".
_OWNER_DEPS = frozenset({"poss", "amod", "compound", "nmod"})


#: Verbs by which a measure names what it hits: "sanctions targeting Iranian air transport".
TARGETING_VERBS = frozenset({"target", "hit", "affect", "cover", "aim", "penalize", "penalise",
                             "punish", "bar", "blacklist"})


def _owners_within(tokens: list["Token"], cue: Cue, cue_tok: "Token | None" = None,
                   obj: "Token | None" = None) -> list["Token"]:
    """States named inside target phrases that name no party themselves.

    "export controls on 30 Chinese firms" -> "Chinese"; "visa bans on officials linked
    to Belarus's crackdown" -> "Belarus". The search goes through owners and nationality
    modifiers, the "of" phrase, and a clause on the noun ("linked to", "tied to"), at
    most three steps down. For a condemnation it does not go through "on"/"against"
    ("condemned the attack on Israeli soldiers" blames no Israeli). A noun cue's own
    clause counts too ("sanctions targeting Iranian air transport", `cue_tok`), and so
    does a verb+object cue's, on the verb or on its object (`obj`): "announced new
    sanctions Tuesday targeting Iranian air transport" (the clause hung on the verb).
    """
    deeper: tuple[str, ...] = ("of", "to", "with", "by", "from")
    if cue.type not in ("ACCUSE", "REJECT"):
        deeper += ("on", "against")
    if cue.type == "THREATEN":
        deeper += ("in",)  # "threatened to resume attacks in Israel"
    out: list["Token"] = []

    def owners(t: "Token", depth: int) -> None:
        for c in t.children:
            if c.dep_ == "poss" or (c.dep_ in _OWNER_DEPS and c.i < t.i and (
                    c.ent_type_ in ("NORP", "GPE") or c.pos_ == "PROPN")):
                out.append(c)
            elif c.dep_ == "amod" and c.lemma_.lower() == "lead" and c.i < t.i:
                # "the US-led war against Iraq": the state that leads it.
                out.extend(g for g in c.children if g.dep_ in ("npadvmod", "compound")
                           and (g.ent_type_ in ("GPE", "NORP") or g.pos_ == "PROPN"))
        if depth >= 3:
            return
        for c in t.children:
            if c.dep_ in ("acl", "relcl") and _lemma(c) in TARGETING_VERBS:
                # "sanctions targeting Iranian air transport"
                for o in _objects(c):
                    if o.ent_type_ in ("GPE", "NORP", "ORG"):
                        out.append(o)
                    owners(o, depth + 1)
            if c.dep_ in ("acl", "relcl") and _authored_request(t):
                # "a demand from the US to adhere to deals reached with Israel": what was
                # demanded is no party to the answer; the one who demanded is.
                continue
            if c.dep_ in ("acl", "relcl"):
                # "patrols carried out by China": the participle's agent is whose act it is.
                agents = [o for a in c.children if a.dep_ == "agent" and "by" in deeper
                          for o in a.children if o.dep_ == "pobj"]
                for o in _prep_objects(c, deeper) + agents:
                    if o.ent_type_ in ("GPE", "NORP", "ORG"):
                        out.append(o)
                    owners(o, depth + 1)
            elif c.dep_ == "prep" and c.lower_ in deeper:
                for o in (g for g in c.children if g.dep_ == "pobj"):
                    if o.ent_type_ in ("GPE", "NORP", "ORG"):
                        out.append(o)
                    owners(o, depth + 1)

    for t in tokens:
        if t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in ("GPE", "NORP"):
            owners(t, 0)
        if _lemma(t) in SIDE_NOUNS:
            # "urged all parties involved in Myanmar", "the warring sides in Sudan": the
            # sides of a state's conflict are that state.
            for c in t.children:
                places = _prep_objects(c, ("in",)) if c.dep_ in ("acl", "relcl") else []
                if c.dep_ == "prep" and c.lower_ == "in":
                    places = [g for g in c.children if g.dep_ == "pobj"]
                out.extend(p for p in places if p.ent_type_ in ("GPE", "NORP"))
    if cue_tok is not None:
        clause_deps = ("acl",) if obj is None else ("acl", "advcl")
        holders = [c for c in cue_tok.children if c.dep_ in clause_deps]
        holders += [c for c in obj.children if c.dep_ == "acl"] if obj is not None else []
        for c in holders:
            if _lemma(c) in TARGETING_VERBS:
                for o in _objects(c):
                    if o.ent_type_ in ("GPE", "NORP", "ORG"):
                        out.append(o)
                    owners(o, 1)
    seen: set[int] = set()
    return [t for t in out if not (t.i in seen or seen.add(t.i))]


#: Nouns for what one party asks of another: "a demand from X", "Y's call to ...".
REQUEST_NOUNS = frozenset({"demand", "call", "appeal", "request", "ultimatum", "plea"})


def _authored_request(noun: "Token") -> bool:
    """True if `noun` is a request whose author the phrase names ("a demand from the US
    President", "Washington's call")."""
    return _lemma(noun) in REQUEST_NOUNS and (
        any(c.dep_ == "poss" for c in noun.children) or bool(_prep_objects(noun, ("from", "by"))))


#: Nouns for the sides of a conflict, which are the state they fight in.
SIDE_NOUNS = frozenset({"party", "side", "faction", "stakeholder", "belligerent"})

#: Groups inside a state that its government acts against at home: no diplomatic target.
DOMESTIC_GROUPS = frozenset({"gang", "criminal", "bandit", "terrorist", "militant", "rebel",
                             "insurgent", "protester", "protestor", "rioter", "separatist",
                             "extremist", "looter", "smuggler", "trafficker", "thug", "mob",
                             "saboteur", "vandal", "hooligan", "demonstrator", "agitator"})


def _domestic_object(tokens: list["Token"]) -> bool:
    """True if a target-less act is aimed at a state's own outlaws or crowds ("accused
    armed gangs", "warned protesters"): the government is acting at home."""
    return any(_lemma(t) in DOMESTIC_GROUPS and not any(
        c.dep_ in _OWNER_DEPS and c.ent_type_ in ("NORP", "GPE") for c in t.children)
        for t in tokens)
