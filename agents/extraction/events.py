"""Diplomatic events: who did what to whom, coded in PLOVER with CAMEO codes.

The rules are split by concern:

* `event_cues`: the cue lexicon and what marks a candidate (a verb or noun cue, its
  constraints) and its modality (negated, planned, intended, a threat, background);
* `event_arguments`: a candidate's actor, target, date, place and reporter from the
  sentence's parse;
* this module: one sentence's candidates built into events, and the article's events
  collected in order.

Meetings and agreements between two parties are coded both ways (visitor -> host
and host -> visitor), a meeting that is only planned becomes AGREE/036 (the
contract codes announced meetings as intent), negated cues give nothing, and
same-state pairs are not events. One event is kept per (actor, type, target).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import actors, geo
from .event_arguments import (
    _addressers, _captors_counterpart, _complement_targets, _condition_subjects, _date,
    _event_location, _mutual_codes, _noun_actor, _outside_dateline, _parties, _place_parties,
    _reporter, _subject_of, _targets, _threatened,
)
from .event_cues import (
    COMMIT_LEMMAS, ENACTING_LEMMAS, GOVERNING_TYPES, INTENT_CAMEO, NO_COMMENT, SELF_PRONOUNS,
    TROOP_NOUNS, Cue, _aid_words, _announced, _background_clause, _clause_span, _corporate,
    _denial_of_an_act, _description, _failed_text, _historical, _intended, _intent_is_threat,
    _lemma, _negated, _obliged, _planned, _pos_class, _sentence, _trigger_text, _verbless_main,
    _warning_is_threat, cues, match_cue,
)
from .model import ArticleContext, DiplomaticEvent, Party

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["extract_events", "Cue", "cues", "match_cue"]


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
