"""Diplomatic events: who did what to whom, coded in PLOVER with CAMEO codes.

The rules are split by concern:

* `event_cues`: the cue lexicon and what marks a candidate (a verb or noun cue, its
  constraints) and its modality (negated, planned, intended, a threat, background);
* `event_arguments`: a candidate's actor, target, date, place and reporter from the
  sentence's parse;
* `event_allegations`: the accusation in a party's own account of another's act, given
  as the reason for what it does ("in response to what Ottawa called repression by ...");
* this module: one sentence's candidates built into events, and the article's events
  collected in order.

Meetings and agreements between two parties are coded both ways (visitor -> host
and host -> visitor), a meeting that is only planned becomes AGREE/036 (the
contract codes announced meetings as intent), negated cues give nothing, and
same-state pairs are not events. One event is kept per (actor, type, target).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import actors, geo
from .event_arguments import (
    _addressers, _captors_counterpart, _complement_targets, _condition_subjects, _date,
    _domestic_object, _event_location, _mutual_codes, _noun_actor, _outside_dateline,
    _owners_within, _parties, _party_like, _place_parties, _prep_objects, _reporter, _subject_of,
    _summoned_for, _targets, _threatened, REQUEST_NOUNS,
)
from .event_cues import (
    COMMIT_LEMMAS, ENACTING_LEMMAS, GOVERNING_TYPES, INTENT_CAMEO, NO_COMMENT, SELF_PRONOUNS,
    TROOP_NOUNS, Cue, _acknowledgement, _agreed_hostile_act, _aid_words, _announced,
    _background_clause, _clause_span, _corporate, context_words, _denial_of_an_act, _description,
    _failed_text, _hypothetical, _intended, _intent_is_threat, _legislative, _lemma, _negated,
    _objects, _obliged, _planned, _pos_class, _publication, _recalled, _sentence, _sporting,
    _study, _trigger_text, _verbless_main, _warning_is_threat, cues, match_cue, sentence_text,
)
from .discourse import GROUP, Article, Candidate, Mention, is_group, resolve
from .entities import ents_in
from .event_allegations import allegation_candidates
from .model import ArticleContext, DiplomaticEvent, Party
from .tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

__all__ = ["extract_events", "Cue", "cues", "match_cue"]


def _governed(clause: "Token", cue: Cue) -> bool:
    """True if `clause` is the content of a demanded, threatened or rejected act of
    another type ("threatened to impose sanctions"): that act is the event, coded once."""
    if clause.dep_ not in ("xcomp", "ccomp") or clause.head == clause:
        return False
    governor = match_cue(clause.head)
    return governor is not None and governor[0].type in GOVERNING_TYPES \
        and governor[0].type != cue.type


_UNMATCHED = object()


def _match(tok: "Token") -> Any:
    """`match_cue(tok)`, None for a token the parse left too odd to read."""
    try:
        return match_cue(tok)
    except (AttributeError, IndexError, ValueError, KeyError):
        return None


def _candidates_for(tok: "Token", registry: actors.Registry, ctx: ArticleContext,
                    consumed: set[int], history: Sequence[DiplomaticEvent] = (),
                    sent_index: int = 0, found: Any = _UNMATCHED) -> list[Candidate]:
    """The candidates `tok` makes as a cue: events read from its sentence alone, with the
    group references, act references and talks' parties left for `discourse`. `found` is
    `match_cue(tok)` when the caller has it already."""
    if found is _UNMATCHED:
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
    if _description(tok) or _failed_text(tok) or _corporate(tok, cue) or _sporting(tok, cue) \
            or _study(tok, cue) or _publication(tok, cue) or _acknowledgement(tok, cue) \
            or _legislative(tok):
        return []
    if cue.intent_only and not _announced(tok, cue):
        return []
    if cue.type == "REQUEST" and cue.pos == "VERB" and not any(
            c.dep_ in ("dobj", "obj", "dative", "iobj", "xcomp", "ccomp", "prep", "prt",
                       "advcl", "nsubjpass") for c in tok.children):
        # "I'm asking": a verb of asking that asks nothing of anyone.
        return []
    if _visit_at_meeting(tok, cue):
        # "met the US envoy during a visit to Oslo": the meeting codes who met; the
        # place visited is where, a host only if it is the one met.
        return []
    if cue.type == "AGREE" and _intent_is_threat(tok):
        # "vowed to continue attacks on Israel": the vow is the threat, coded once.
        return []
    if cue.type == "AGREE" and _agreed_hostile_act(tok):
        # "agreed to impose sanctions on Belarus": the sanction is the event, coded once.
        return []
    if cue.type == "AGREE" and _lemma(tok) in COMMIT_LEMMAS and any(
            c.dep_ == "xcomp" and (m := match_cue(c)) is not None and m[0].type == "AID"
            for c in tok.children):
        # "pledged to deliver an air defence system": the pledge is planned aid, coded once.
        return []
    if _governed(tok, cue):
        return []
    if cue.pos == "NOUN" and tok.dep_ == "dobj" and match_cue(tok.head) is None \
            and _governed(tok.head, cue):
        # "demanded that the US match the EU's support for X": the support sits in what
        # is demanded, as a demanded act's own cue would.
        return []
    if tok.dep_ in ("advcl", "acl") and tok.head != tok and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        asker = tok.head if tok.dep_ == "advcl" else (
            tok.head.head if tok.head.dep_ == "dobj" else None)
        governor = match_cue(asker) if asker is not None else None
        if governor is not None and governor[0].type == "REQUEST" and cue.type != "REQUEST":
            # "demanded a council meeting to discuss X" (the clause hung on the verb or on
            # the meeting): the purpose of what is asked for.
            return []
    if cue.pos == "NOUN" and tok.dep_ in ("dobj", "pobj") and tok.head != tok:
        holder = tok.head if tok.dep_ == "dobj" else tok.head.head
        governor = match_cue(holder) if holder is not None else None
        if governor is not None and governor[0].type in ("REJECT", "ACCUSE") \
                and governor[1] is None:
            # "dismissed an appeal from X": the dismissal is the event, not the appeal.
            return []
        if governor is not None and governor[0].type == "REQUEST" and governor[1] is None \
                and cue.type != "REQUEST" and tok.dep_ == "dobj":
            # "demanded a meeting of the Security Council": what is asked for has not
            # happened; the demand is the event.
            return []
    if _demanded_clause(tok):
        # "reiterated its demand that Israel ease restrictions": the act demanded.
        return []
    if cue.pos == "VERB" and tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl") and not any(
            c.dep_ in ("aux", "auxpass") for c in tok.children) and not _verbless_main(tok):
        # "when asked about ...": a reduced passive; its borrowed subject is not the agent.
        return []
    if _hypothetical(tok) and cue.type != "THREATEN":
        # "will retaliate if the US imposes sanctions": the condition is no act; the
        # threat made of it is coded on its own cue.
        return []
    if _background_clause(tok):
        # "Iran, which backed Assad until his overthrow, ...": how a party is described,
        # not an act the story recalls.
        return []
    if cue.type == "REJECT" and any(c.dep_ == "xcomp" and _lemma(c) in NO_COMMENT and not any(
            _lemma(o) in REQUEST_NOUNS for o in _prep_objects(c, ("to",))) for c in tok.children):
        # "declined to comment" refuses nothing to anyone; "refused to respond to a demand
        # from X" turns the demand down.
        return []
    if cue.type == "COOPERATE" and cue.pos == "VERB" and tok.tag_ in ("VBP", "VBZ") \
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return []  # "the two countries trade $1 billion a day": how things are, not an event
    planned = _planned(tok, cue)
    carrier = None
    head_noun = _compound_head(tok, cue)
    if cue.pos == "VERB":
        actor_toks = _subject_of(tok)
    else:
        actor_toks, carrier = _noun_actor(head_noun or tok, cue)
        if carrier is not None and _negated(carrier):
            return []
        if carrier is not None and not planned:
            planned = _planned(carrier, cue)
    target_toks = _targets(tok, cue, obj)
    if head_noun is not None:
        target_toks += [t for t in _targets(head_noun, cue, None) if t not in target_toks]
    if carrier is not None:
        target_toks += [t for t in _targets(carrier, cue, None) if t not in target_toks
                        and t not in actor_toks and t.dep_ != "dobj"]
    if not actor_toks and cue.type == "THREATEN":
        # "No option is off the table, the US said": the speaker makes the threat.
        speaker = _reporter(tok)
        actor_toks = [speaker] if speaker is not None else []
    if not actor_toks and cue.pos == "VERB" and _summoned_for(tok):
        # "Chinese Ambassador Huang Xilian will be summoned, Manalo said": the speaker's
        # state summons.
        speaker = _reporter(tok)
        actor_toks = [speaker] if speaker is not None else []
    actor_toks = _outside_dateline(actor_toks)
    if _ethnic(actor_toks):
        return []
    actor_parties = _parties(actor_toks, registry)
    group_guess: tuple[Party, Party] | None = None
    actor_group = _group_token(actor_toks)
    if actor_group is not None:
        # "The two neighbours agreed ...": who they are is the story's, not the sentence's.
        if len({p.code for p in actor_parties}) == 2:
            group_guess = (actor_parties[0], actor_parties[1])
        actor_parties = _placeholders(actor_group)
    elif len({p.code for p in actor_parties}) >= 2:
        registry.actor_group = list(actor_parties)  # for "the three governments" later
    if cue.type == "THREATEN" and _lemma(tok) == "warn" and not _warning_is_threat(tok, registry):
        return []
    target_parties = _parties([t for t in target_toks if t not in actor_toks], registry)
    target_group = _group_token([t for t in target_toks if t not in actor_toks])
    if target_group is not None and actor_group is None:
        # "China called on both sides to ...".
        if len({p.code for p in target_parties}) == 2:
            group_guess = (target_parties[0], target_parties[1])
        target_parties = _placeholders(target_group)
    if not target_parties and (target_toks or cue.pos == "NOUN" or obj is not None):
        # "sanctions on 12 Iranian officials", "visa bans on officials linked to Belarus's
        # crackdown": the state the target belongs to; "announced new sanctions Tuesday
        # targeting Iranian air transport": what the measure hits, hung on its verb.
        own = {p.code for p in actor_parties}
        owners = _owners_within(target_toks, cue, tok if cue.pos == "NOUN" or obj is not None
                                else None, obj)
        target_parties = [p for p in _parties([t for t in owners if t not in actor_toks], registry)
                          if p.code not in own]  # "called on Kyiv's partners": not Kyiv
    if not target_parties and _domestic_object(target_toks):
        # "accused armed gangs of looting": a government and its own outlaws.
        return []
    if cue.place_target:
        target_parties += _place_parties([t for t in target_toks if t not in actor_toks],
                                         target_parties, registry)
    if not target_parties and cue.pos == "VERB" and not (cue.symmetric and len(actor_parties) > 1):
        inner = [t for t in _complement_targets(tok) if t not in actor_toks]
        target_parties = _parties(inner, registry) or [
            p for p in _parties([t for t in _owners_within(inner, cue) if t not in actor_toks],
                                registry) if p.code not in {a.code for a in actor_parties}]
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
    mediates = False
    if not target_parties and cue.mode == "third-party" and cue.pos == "VERB" and actor_parties \
            and actor_group is None and not any(_party_like(t) for t in target_toks) \
            and any(c.dep_ == "nsubj" for c in tok.children):
        # "Malaysia is mediating the negotiations": talks whose parties the sentence
        # leaves to the story; the mediator deals with each of its two parties. Only a
        # verb with its own subject: "thanked Oman for its mediation" recalls a role,
        # "will visit Dakar to mediate in a dispute" states a purpose.
        target_parties = [dataclasses.replace(p, text="the parties") for p in GROUP]
        mediates = True
    type_, cameo, symmetric = cue.type, cue.cameo, cue.symmetric and not third_party
    if cue.agreement_enacts and carrier is not None and _lemma(carrier) in ENACTING_LEMMAS:
        # "agreed to a ceasefire": the agreement is the ceasefire, unless still to come.
        planned = _planned(carrier, cue)
    mutual = _mutual_codes(tok, cue, obj, carrier, actor_parties, target_parties, registry)
    if cue.mode == "visit" and any(_lemma(t) in TROOP_NOUNS or any(
            _lemma(o) in TROOP_NOUNS for o in _prep_objects(t, ("of",))) for t in actor_toks):
        # ("a first batch of peacekeeping troops arrived": the troops, through "of".)
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
    if (symmetric or (cue.symmetric and not third_party and type_ == "AGREE")) \
            and not target_parties and len(actor_parties) >= 2:
        # "The two leaders will meet": an announced meeting is each one's intent toward
        # the other.
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
            if _crowd(actor_toks):
                # "Algerian landowners demanded the return of property": people of a
                # state asking at home, not the state addressing anyone.
                continue
            pairs.append((a, None, cameo))
            continue
        for t in ts:
            pairs.append((a, t, cameo))
            if symmetric and not planned and (mutual is None or t.code in mutual):
                pairs.append((t, a, cue.reverse_cameo or cameo))
    if type_ == "CONSULT" and symmetric and not planned and cue.mode is None \
            and len(actor_codes) >= 3 and any(t.code not in actor_codes for t in target_parties):
        # "the three ministers met with Treasury Secretary Steven Mnuchin": three or more
        # who meet a party together are all at one table, so each meets the others too.
        for a in actor_parties:
            for b in actor_parties:
                if a.code != b.code:
                    pairs.append((a, b, cameo))
    answers = _act_reference(tok, cue, target_toks) if not target_parties else None
    answers_type = _answered_type(tok, cue, target_toks) if answers is not None else None
    if answers is None and cue.answers_charge \
            and all(p.code in actor_codes for p in target_parties):
        # ("defended its actions": the owner is the actor itself, no target.)
        answers, answers_type = _trigger_text(tok, obj), "ACCUSE"
    if not pairs and answers is not None and actor_parties:
        # "Tehran condemned the move": a reaction whose target the story gives.
        pairs = [(a, None, cameo) for a in actor_parties]
    if not pairs:
        return []
    between = _between_codes(tok, obj, carrier, registry)
    sent = _sentence(tok)
    sentence, offsets = sentence_text(sent)
    span = _clause_span(tok)
    location = _event_location(tok, span, cue, target_toks)
    date = _date(tok, sent, planned, ctx)
    background = _recalled(carrier or tok, ctx, planned)
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
            location=location, date=date, reported_by=reported_by, background=background,
            trigger=_trigger_text(tok, obj), confidence=round(max(0.05, min(0.95, conf)), 2)))
    return [Candidate(event=e, sentence=sent_index, group_guess=group_guess, answers=answers,
                      answers_type=answers_type,
                      between=between, needs_target=not cue.null_target, mediates=mediates)
            for e in out]


def _visit_at_meeting(tok: "Token", cue: Cue) -> bool:
    """True if a visit noun is the occasion of a meeting its sentence states with a named
    counterpart: "X met Y during his visit to Oslo", "on a trip to Paris, X held talks
    with Y". The meeting is the event; the visit's place is only where it happened."""
    if cue.mode != "visit" or cue.pos != "NOUN" or tok.dep_ != "pobj" or tok.head == tok:
        return False
    prep = tok.head
    if prep.lower_ not in ("during", "on", "while", "at", "in") or prep.head == prep:
        return False
    verb = prep.head
    found = _match(verb)
    if found is None or found[0].type != "CONSULT" or found[0].mode == "visit":
        return False
    return any(_party_like(t) for t in _targets(verb, found[0], found[1]))


def _mediated_talks(tok: "Token") -> "Token | None":
    """The talks a reduced passive of mediation describes: "talks facilitated by X",
    "an EU-mediated meeting", or, with the participle hung on a date the talks run over
    or on the clause's verb, "six days of negotiations from October 25 to 30,
    facilitated by Türkiye and Qatar" (the nearest talks noun before it)."""
    words = context_words()
    if _lemma(tok) not in words["mediation_verbs"] or tok.tag_ != "VBN" \
            or tok.dep_ not in ("acl", "amod", "advcl") or tok.head == tok \
            or any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return None
    holder = tok.head
    if _lemma(holder) in words["talks_nouns"]:
        return holder
    if (tok.dep_ == "acl" and holder.ent_type_ in ("DATE", "CARDINAL", "TIME")) or (
            tok.dep_ == "advcl" and any(c.dep_ == "agent" for c in tok.children)):
        # The parser hung the participle on the dates or on the clause's verb.
        sent = _sentence(tok)
        for t in reversed(tok.doc[max(sent.start, tok.i - 10):tok.i]):
            if _lemma(t) in words["talks_nouns"] and t.pos_ == "NOUN":
                return t
    return None


def _mediators_of(tok: "Token") -> list["Token"]:
    """Who mediates in a participle of mediation: its "by" agent ("facilitated by Türkiye
    and Qatar") or the name joined to it ("EU-mediated")."""
    found = [o for c in tok.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
    if not found:
        found = [c for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod")
                 and c.i < tok.i and (c.pos_ == "PROPN" or c.ent_type_ in ("GPE", "NORP", "ORG"))]
    return [x for t in found for x in actors.expand_conjuncts(t)]


#: Verbs by which a subject takes a role: "acted as a mediator", "served as facilitator".
ROLE_VERBS = frozenset({"act", "serve", "work"})
#: Nouns for one who mediates.
MEDIATOR_NOUNS = frozenset({"mediator", "facilitator", "intermediary", "go-between"})


def _mediator_role(tok: "Token") -> tuple[list["Token"], "Token | None", list["Token"]]:
    """(mediators, talks, parties) of a subject that "acted as a mediator in the exchange
    of prisoners between Russia and Ukraine": the subject, the talks noun the role is
    in (None when what is mediated is no talks: the parties need not have met), and the
    parties named with "between" anywhere in the role's phrase."""
    if _lemma(tok) not in MEDIATOR_NOUNS or tok.dep_ != "pobj" or tok.head.lower_ != "as" \
            or _lemma(tok.head.head) not in ROLE_VERBS:
        return [], None, []
    verb = tok.head.head
    subjects = [x for c in verb.children if c.dep_ == "nsubj" for x in actors.expand_conjuncts(c)]
    inner = _prep_objects(tok, ("in", "of", "for"))
    talks = next((t for t in inner if _lemma(t) in context_words()["talks_nouns"]), None)
    parties = [o for w in tok.subtree if w.dep_ == "prep" and w.lower_ == "between"
               for c in w.children if c.dep_ == "pobj" for o in actors.expand_conjuncts(c)]
    return subjects, talks, parties


def _named_mediators(tok: "Token") -> tuple[list["Token"], list["Token"]]:
    """(mediators, parties) of mediators named by nationality: "Saudi, US and African
    mediators have indefinitely suspended talks between the SAF and the RSF". The
    nationality words before the noun are the mediators; the parties are the ones the
    sentence names with "between"."""
    if _lemma(tok) not in MEDIATOR_NOUNS or tok.pos_ != "NOUN" or _mediator_role(tok)[0]:
        return [], []
    mods = [x for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
            and c.ent_type_ in ("NORP", "GPE") for x in actors.expand_conjuncts(c)]
    if not mods:
        return [], []
    parties = [o for w in _sentence(tok) if w.dep_ == "prep" and w.lower_ == "between"
               for c in w.children if c.dep_ == "pobj" for o in actors.expand_conjuncts(c)]
    return mods, parties


def _mediation_candidates(tok: "Token", registry: actors.Registry, ctx: ArticleContext,
                          sent_index: int) -> list[Candidate]:
    """Talks described as mediated by someone ("negotiations facilitated by Türkiye and
    Qatar", "an EU-mediated meeting in Brussels"): each mediator CONSULTs each party of
    the talks (mode third-party), and the parties, who sat at the talks, CONSULT each
    other. Parties named with "between" are those; otherwise the story's dyad, through
    the group placeholders. A subject that "acted as a mediator" is one too, with the
    parties its role names; when what it mediated is no talks ("in the exchange of
    prisoners") the parties are its counterparts only. Talks still to come give nothing
    here."""
    cue = cues()[("mediate", "VERB")][0]
    role, role_talks, role_parties = _mediator_role(tok)
    by_name, named_parties = _named_mediators(tok)
    if by_name:
        # "Saudi, US and African mediators ... talks between the SAF and the RSF".
        role, role_talks, role_parties = by_name, None, named_parties
        if not role_parties:
            return []
        mediators = _parties(role, registry)
        named = _parties(role_parties, registry)
        if not named:
            return []
        between, talks = (), tok
    elif role:
        # "The UAE acted as a mediator in the exchange of prisoners between Russia and
        # Ukraine": the mediator deals with each party.
        if _negated(tok.head.head) or _planned(tok.head.head, cue) or _hypothetical(tok.head.head):
            return []
        mediators = _parties(_outside_dateline(role), registry)
        named = _parties(role_parties, registry)
        codes = tuple(dict.fromkeys(p.code for p in named if p.code))
        between = codes if role_talks is not None and len(codes) == 2 else ()
        talks = role_talks or tok
    else:
        talks = _mediated_talks(tok)
        if talks is None:
            return []
        if _negated(talks) or _planned(talks, cue) or _hypothetical(talks):
            return []
        mediators = _parties(_outside_dateline(_mediators_of(tok)), registry)
        between = _between_codes(talks, None, None, registry)
        named = [p for p in _parties(_prep_objects(talks, ("between",)), registry)] if between else []
    if not mediators:
        return []
    sent = _sentence(tok)
    sentence, offsets = sentence_text(sent)
    frame = dict(sentence=sentence, span=offsets, mode="third-party", planned=False,
                 location=_event_location(talks, _clause_span(talks), cue, []),
                 date=_date(talks, sent, False, ctx), reported_by=None,
                 background=_recalled(talks, ctx, False), trigger=tok.text)
    parties = named or [dataclasses.replace(p, text="the parties") for p in GROUP]
    # Without talks ("a mediator in the exchange"), the parties are the mediator's
    # counterparts only, not each other's.
    out = [Candidate(event=DiplomaticEvent(type="CONSULT", cameo="045", actor=m, target=p,
                                           confidence=0.7, **frame),
                     sentence=sent_index, between=between,
                     mediates=not named or (bool(role) and not between))
           for m in mediators for p in parties if m.code != p.code]
    if role and named and not between:
        return out
    if not named and len(parties) == 2 and (not role or role_talks is not None):
        # With the parties named, the discourse layer pairs them (`discourse._mediation`).
        a, b = parties
        out += [Candidate(event=DiplomaticEvent(type="CONSULT", cameo="046", actor=x, target=y,
                                                confidence=0.6, **frame), sentence=sent_index)
                for x, y in ((a, b), (b, a))]
    return out


def _compound_head(tok: "Token", cue: Cue) -> "Token | None":
    """The noun a noun cue modifies when that noun carries the cue's arguments: "launched
    a mediation effort between X and Y" has its parties and its carrier on "effort".
    Only a head with a phrase in one of the cue's target slots counts, so "aid workers"
    or "sanctions regime" alone borrow nothing."""
    if cue.pos != "NOUN" or tok.dep_ != "compound" or tok.head == tok or tok.head.pos_ != "NOUN":
        return None
    head = tok.head
    if match_cue(head) is not None:
        return None  # the head is a cue of its own and makes its own event
    if any(c.dep_ == "prep" and c.lower_ in cue.target_preps for c in head.children):
        return head
    return None


def _demanded_clause(tok: "Token") -> bool:
    """True if `tok` heads the that-clause of a demand noun ("its demand that Israel
    ease ..."), whether the parser hung the clause on the noun or on the verb carrying it."""
    if tok.dep_ not in ("ccomp", "acl") or tok.head == tok:
        return False
    if not any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children):
        return False
    holders = [tok.head] if tok.dep_ == "acl" else [
        c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i]
    for noun in holders:
        found = match_cue(noun)
        if found is not None and found[0].pos == "NOUN" and found[0].type == "REQUEST":
            return True
    return False


def _events_for(tok: "Token", registry: actors.Registry, ctx: ArticleContext,
                consumed: set[int], history: Sequence[DiplomaticEvent] = ()
                ) -> list[DiplomaticEvent]:
    """The sentence-level events of cue `tok`, as `_candidates_for` reads them."""
    return [c.event for c in _candidates_for(tok, registry, ctx, consumed, history)]


#: Nouns for people who are not their state's agents: a crowd, a trade, a community.
CROWD_NOUNS = frozenset({"farmer", "landowner", "protester", "protestor", "demonstrator",
                         "student", "worker", "resident", "villager", "civilian", "refugee",
                         "activist", "citizen", "people", "crowd", "thousand", "hundred",
                         "dozen", "voter", "trader", "shopkeeper", "family", "relative",
                         "striker", "fisherman", "miner", "employee", "teacher", "doctor",
                         "nurse", "pensioner", "youth", "woman", "man", "inhabitant",
                         "settler", "tribesman", "kurd", "serb", "albanian", "croat", "tamil"})


def _crowd(tokens: list["Token"]) -> bool:
    """True if every actor token names people rather than a government: "Algerian
    landowners", "thousands of Iraqi Kurds", "ethnic Albanians", "Radical French farmers"."""
    if not tokens:
        return False
    for t in tokens:
        head = t
        if _lemma(t) in ("thousand", "hundred", "dozen", "some", "up") or t.like_num:
            inner = _prep_objects(t, ("of",))
            head = inner[0] if inner else t
        if t.lower_ in ("they", "them") and t.head != t:
            # "farmers said they would ...": the pronoun's antecedent
            subs = [c for c in t.head.head.children if c.dep_ == "nsubj"] if t.head.dep_ in (
                "ccomp", "xcomp", "advcl") else []
            head = subs[0] if subs else t
        word = _lemma(head)
        if word in CROWD_NOUNS or word.removesuffix("s") in CROWD_NOUNS:
            continue
        if head.ent_type_ == "NORP" and head.tag_ in ("NNS", "NNPS") and head.pos_ != "ADJ":
            continue  # "Palestinians of the West Bank protested": a people, not a state
        return False
    return True


def _ethnic(tokens: list["Token"]) -> bool:
    """True if the actor is an ethnic community ("ethnic Albanians in south Serbia",
    "ethnic Turks"): a people inside another state, not the state its name recalls."""
    return bool(tokens) and all(
        any(c.lower_ == "ethnic" for c in t.children) or (
            t.ent_type_ == "NORP" and any(c.dep_ == "prep" and c.lower_ in ("of", "in")
                                          and any(g.ent_type_ in ("GPE", "LOC")
                                                  for g in c.children)
                                          for c in t.children))
        for t in tokens)


def _group_token(tokens: list["Token"]) -> "Token | None":
    """The token among `tokens` that refers to a group of two ("the two sides"), itself
    or as the owner or "of" phrase of a title ("the two countries' foreign ministers",
    "the leaders of both countries")."""
    for t in tokens:
        inner = [c for c in t.children if c.dep_ == "poss"] + _prep_objects(t, ("of",)) \
            if actors.is_actor_noun(t) or (t.pos_ == "NOUN" and t.dep_ == "pobj") else []
        for g in (t, *inner):
            if actors.group_reference(g) == 2:
                return g
    return None


def _placeholders(tok: "Token") -> list[Party]:
    phrase = actors.phrase_text(tok)
    return [dataclasses.replace(p, text=phrase) for p in GROUP]


#: Nouns for an act another party did, which a reaction answers: "condemned the move".
ACT_NOUNS = frozenset({"move", "decision", "measure", "step", "action", "sanction", "ban",
                       "restriction", "control", "tariff", "expulsion", "announcement",
                       "deployment", "sale", "remark", "statement", "accusation", "allegation",
                       "claim", "designation", "listing", "penalty", "duty", "countermeasure",
                       "visit", "summons"})
#: Words that make a threat an answer to what was done: "threatened to retaliate".
REPLY_WORDS = frozenset({"retaliate", "retaliation", "retaliatory", "respond", "response",
                         "reciprocate", "reciprocal", "countermeasure", "kind", "mirror"})
#: Types of reaction whose target may be the author of the act answered.
REACTION_TYPES = frozenset({"ACCUSE", "REJECT", "THREATEN", "REQUEST", "SANCTION"})
#: Types that answer an act only through a reply word: "retaliatory sanctions".
REPLY_TYPES = frozenset({"THREATEN", "SANCTION"})


def _act_reference(tok: "Token", cue: Cue, target_toks: list["Token"]) -> str | None:
    """The act a target-less reaction answers, as the text names it: an act noun with
    no owner named ("condemned the move", "rejected the decision"), or, for a threat, a
    reply word in its clause ("threatened to retaliate", "would respond in kind"), and
    for a measure a reply word on it ("introducing retaliatory sanctions")."""
    if cue.type not in REACTION_TYPES:
        return None
    if cue.type == "SANCTION":
        near = [tok, *tok.children, *(c for o in _objects(tok) for c in o.children)]
        words = [w for w in near if _lemma(w) in REPLY_WORDS or w.lower_ in REPLY_WORDS]
        return words[0].text if words else None
    for t in target_toks:
        # "the move", "this decision": a definite act noun with no author of its own
        # ("moves by Western states" names theirs).
        if _lemma(t) in ACT_NOUNS and any(c.dep_ == "det" and c.lower_ in DEFINITE
                                          for c in t.children) \
                and not any(c.dep_ in ("poss", "prep", "acl", "relcl", "amod", "compound")
                            and (c.dep_ != "prep" or c.lower_ in ("by", "of", "from"))
                            and (c.dep_ not in ("amod", "compound") or c.ent_type_ in ("NORP", "GPE"))
                            for c in t.children):
            return actors.phrase_text(t)
    if cue.type == "THREATEN":
        words = [w for w in (tok, *tok.subtree) if _lemma(w) in REPLY_WORDS]
        if words:
            return words[0].text
    return None


def _answered_type(tok: "Token", cue: Cue, target_toks: list["Token"]) -> str | None:
    """The type of act a reaction names as what it answers: the act noun it takes
    ("condemned the sanctions"), or what a reply word is a reply to ("vowed to respond to
    the fresh sanctions" -> SANCTION); None when the words name no act of a type."""
    nouns = list(target_toks)
    if cue.type == "THREATEN":
        nouns += [o for w in (tok, *tok.subtree) if _lemma(w) in REPLY_WORDS
                  for o in _prep_objects(w, ("to", "against", "for"))]
    for n in nouns:
        if n.pos_ != "NOUN":
            continue
        found = _match(n)
        if found is not None and found[0].pos == "NOUN" and found[0].type != cue.type:
            return found[0].type
    return None


#: Determiners that point back at something already told: "the move", "this decision".
DEFINITE = frozenset({"the", "this", "that", "these", "those", "such"})


def _between_codes(tok: "Token", obj: "Token | None", carrier: "Token | None",
                   registry: actors.Registry) -> tuple[str, ...]:
    """Codes of the parties named with "between" on the cue, its object or its carrier:
    "hosted talks between Afghanistan and Pakistan" -> ("AFG", "PAK")."""
    toks: list["Token"] = []
    for holder in (tok, obj, carrier, *_objects(tok)):
        if holder is not None:
            toks += _prep_objects(holder, ("between",))
    if len(toks) < 2 and not (toks and actors.group_reference(toks[0]) == 2):
        return ()
    if any(actors.group_reference(t) for t in toks):
        return ()  # "between the two neighbours": the placeholders carry them
    codes: list[str] = []
    for p in _parties(toks, registry):
        if p.code is not None and p.code not in codes:
            codes.append(p.code)
    return tuple(codes) if len(codes) >= 2 else ()


def extract_events(doc: "Doc", ctx: ArticleContext) -> list[DiplomaticEvent]:
    """All diplomatic events of one parsed article, one per (actor, type, target).

    Sentences are read in order so that people, titles and pronouns resolve to the
    parties named before them; the candidates of all sentences then go through the
    discourse layer (`discourse.resolve`), which settles what a sentence leaves to the
    story. Never raises on odd input; an unparseable sentence contributes nothing.
    """
    registry = actors.Registry(ctx=ctx)
    history: list[DiplomaticEvent] = []
    candidates: list[Candidate] = []
    mentions: list[Mention] = []
    try:
        sents = list(doc.sents) if doc.has_annotation("DEP") else []
    except (ValueError, AttributeError):
        return []
    for index, sent in enumerate(sents):
        # First pass: verb+object cues ("held talks") claim their nouns, so the noun
        # does not make a second, argument-poor event. Second pass in text order, so
        # people are registered where the article first introduces them.
        consumed: set[int] = set()
        matched = [(tok, found) for tok in tokens_of(sent) if (found := _match(tok)) is not None]
        for tok, found in matched:
            if found[1] is not None and _pos_class(tok) == "VERB":
                consumed.add(found[1].i)
        for tok, found in matched:
            try:
                found_here = _candidates_for(tok, registry, ctx, consumed, history, index, found)
            except (AttributeError, IndexError, ValueError, KeyError):
                continue
            history.extend(c.event for c in found_here if not is_group(c.event.actor))
            candidates.extend(found_here)
        for tok in tokens_of(sent):
            if (tok.tag_ == "VBN" and _lemma(tok) in context_words()["mediation_verbs"]) \
                    or _lemma(tok) in MEDIATOR_NOUNS:
                try:
                    candidates.extend(_mediation_candidates(tok, registry, ctx, index))
                except (AttributeError, IndexError, ValueError, KeyError):
                    continue
            elif matched and tok.dep_ == "pcomp" \
                    and _lemma(tok) in context_words()["characterising_verbs"]:
                # Only beside a cue of the sentence's own (the reaction the account is
                # the reason for), which is also what the relevance gate looks for.
                try:
                    found_here = allegation_candidates(tok, registry, ctx, index)
                except (AttributeError, IndexError, ValueError, KeyError):
                    continue
                history.extend(c.event for c in found_here)
                candidates.extend(found_here)
        mentions.extend(_mentions(sent, index))
        actors.note_last_org(sent.text, registry)
    return resolve(Article(tuple(candidates), tuple(mentions)))


def _mentions(sent: "Span", index: int) -> list[Mention]:
    """The states sentence `index` names (places and nationalities), in order."""
    out: list[Mention] = []
    for ent in ents_in(sent):
        if ent.label_ not in ("GPE", "NORP"):
            continue
        code = geo.country_of(ent.text)
        if code:
            out.append(Mention(index, Party(text=ent.text, name=geo.country_name(code) or code,
                                            country=code, org=None, role="GOV")))
    return out
