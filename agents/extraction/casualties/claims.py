"""Assembling claims: a figure, its link, its sub-count fallbacks and its attributes,
sentence by sentence through the article.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import ArticleContext, CasualtyClaim, Location
from .attributes import (
    EARLIER_TOLL, authored_reporters, carried_reporters, described_outlets, figures_rejected,
    headline_sources, modality_of, ordering_party, perpetrator_of, report_author, reported_by_of,
    sentence_source, sentence_speaker, supersession, victims_text, witnessing_party,
)
from .cues import ClaimContext, Cues, VictimNouns, lemma_of, lexicons
from .dedupe import dedupe
from .figures import Figure, find_figures, is_trap
from .linking import (
    argument_of, dead_or_missing, evacuation_flight, fatal_harm, is_disjunct, is_negated, is_person,
    link, own_predicate, people_state, surface_link, victim_of, with_harm,
)
from .places import locate
from .subcounts import (
    fatal_subcount, gapped_figure, place_list_item, shared_figures,
    among_victims, describes_condition, identity_subcount, listed_subcount, negated_group,
    partitive, population_share, restated_share,
)
from .when import harm_date, is_background, later_date, lead_date, period_of, recalled_clause

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


def _counts_people(victim: "Token | None", arg: "Token") -> bool:
    """True if the figure counts people: a people noun, or a bare figure that is not the
    object of the verb ("four were shot", not "he shot 68"); "two of them" counts the
    people counted before it."""
    if victim is not None:
        return is_person(victim) or victim.pos_ == "PRON"
    return arg.dep_ not in ("dobj", "obj")


def _dead_restated(claim: CasualtyClaim, cue: "Token", fig: Figure, sent: "Span", cues: Cues,
                   before: list[CasualtyClaim]) -> bool:
    """True for a definite re-mention of people already counted dead: "Two men were
    fatally stabbed ... he allegedly stabbed the two men" is no injured claim, nor is
    "officers found the two men suffering from critical stab wounds" (the wounds of the
    dead). Past a people-only verb ("stabbed the two men") the re-mention must name the
    same people as the dead ("the two men", not "the two others")."""
    if claim.category != "injured":
        return False
    if fig.start == sent.start or sent.doc[fig.start - 1].lower_ not in ("the", "both", "all"):
        return False
    same_people = lemma_of(cue) in cues.people_only_verbs
    return any(c.category == "killed" and c.count.key == claim.count.key and (
        same_people or (claim.victims is not None and c.victims is not None
                        and claim.victims.lower() == c.victims.lower()
                        and claim.victims.lower() not in ("others", "other", "people")))
        for c in before)


def _took_shelter(claim: CasualtyClaim, cue: "Token", cues: Cues) -> bool:
    """True for a displaced claim whose cue only says the people took shelter ("have
    sought shelter in churches", "took refuge in schools"), a word of `shelter_words`
    under the cue verb."""
    if claim.category != "displaced" or cue.pos_ not in ("VERB", "AUX"):
        return False
    below = [g for c in cue.children for g in (c, *c.children)]
    return any(lemma_of(t) in cues.shelter_words for t in below)


def _shared(sent: "Span", made: list[CasualtyClaim], prior: list[tuple[int, str, "Token"]],
            lexes: tuple[Cues, VictimNouns, ClaimContext]) -> list[CasualtyClaim]:
    """Claims of a second group counted by the first one's figure ("Two people were
    killed and as many were injured": injured 2), each with its own harm; a shared
    figure with the first group's harm adds nothing."""
    cues, _, ctxw = lexes
    out: list[CasualtyClaim] = []
    for arg, noun in shared_figures(sent):
        before = [k for k, (start, _, _) in enumerate(prior) if start < arg.i]
        if not before or len(made) != len(prior):
            continue
        base = made[before[-1]]
        found = link(arg, cues, ctxw)
        if found is None and arg.dep_ == "pobj" and arg.head.lower_ == "as":
            # "wounded as many civilians", parsed with "as" as the verb's preposition
            name = cues.category_of("verbs", lemma_of(arg.head.head))
            found = (name, arg.head.head, 0.7) if name else None
        if found is None or found[0] == base.category or is_negated(found[1], ctxw):
            continue
        out.append(replace(base, category=found[0], victims=victims_text(noun, found[0], cues),
                           confidence=round(max(0.05, base.confidence - 0.1), 2)))
    return out


def _partitive_whole(fig: Figure, doc: "Doc") -> bool:
    """True for the whole of a partitive ("three of the four suspects", "two of the five"):
    harmed only when its own phrase names the harm ("two of the three injured")."""
    k = fig.start
    return k >= 3 and doc[k - 1].lower_ in ("the", "these", "those") and \
        doc[k - 2].lower_ == "of" and doc[k - 3].like_num


def _claim(fig: Figure, sent: "Span", ctx: ArticleContext, lexes: tuple[Cues, VictimNouns,
           ClaimContext], prior: list[tuple[int, str, "Token"]] | None = None,
           previous_place: Location | None = None, last_category: str | None = None,
           memo: dict | None = None, previous_source: str | None = None,
           anchor: str | None = None, last_date: str | None = None,
           ) -> tuple[CasualtyClaim, "Token", int, str | None, bool] | None:
    """The claim `fig` makes, its cue token, whether it is superseded (`supersession`),
    the day its reporter spoke, when that is the only date its sentence gives, and
    whether its date is its harm clause's own; `previous_source` is the source the
    sentence before gave, `anchor` the date of the latest dated claim before it,
    `last_date` that of the latest claim (of `last_category`)."""
    cues, nouns, ctxw = lexes
    doc = sent.doc
    if is_trap(fig, doc, nouns, ctxw.negators):
        return None
    victim = victim_of(fig, doc, nouns)
    if victim is not None and (lemma_of(victim) in nouns.non_victims
                               or victim.lower_ in nouns.non_victims):
        return None
    if negated_group(victim, ctxw):
        return None
    found = None
    restated = False
    if victim is not None and victim.i > fig.end < len(doc) and any(
            doc[k].is_punct or doc[k].like_num for k in range(fig.end + 1, victim.i)):
        # "Two Killed, 14 Hurt In Shooting": the parser hangs "Two" on the second
        # participle; the participle right after the figure, before any break, is its harm
        name = cues.category_of("states", doc[fig.end].lower_)
        if name and doc[fig.end].tag_ in ("VBN", "VBD", "JJ", "NNP"):
            victim, found = None, (name, doc[fig.end], 0.75)
    arg = argument_of(fig, doc, victim)
    if found is None and victim is None and arg.dep_ in ("conj", "appos"):
        own = own_predicate(fig, doc, cues)
        if own is False:
            return None
        if own is not True:
            found = (own[0], own[1], 0.8)
    if found is None:
        found = link(arg, cues, ctxw)
    if found is None and arg is not victim and victim is not None:
        found = link(victim, cues, ctxw)
    if found is None and victim is None and arg.dep_ == "nummod" and \
            arg.head.dep_ in ("attr", "nsubj", "nsubjpass", "dobj"):
        # "was one Vietnamese national", with the counted word tagged an adjective
        found = link(arg.head, cues, ctxw)
        if found is not None:
            found = (found[0], found[1], found[2] - 0.1)
    if found is None or found[0] == "injured":
        fatal = fatal_subcount(fig, doc, prior or [])
        if fatal is not None:
            found = fatal
    if found is None:
        found = partitive(fig, arg, doc, cues, ctxw, prior or [])
    if found is None:
        found = among_victims(victim or arg, last_category)
    if found is None:
        found = identity_subcount(fig, arg, sent, prior or [], last_category)
    if found is None:
        found = restated_share(fig, doc, sent, last_category)
        restated = found is not None
    if found is None:
        found = surface_link(fig, doc, sent, cues, victim)
    if found is None:
        found = listed_subcount(fig, doc, sent, prior or [])
    if found is None:
        found = people_state(victim, cues, ctxw)
    if found is None:
        found = with_harm(arg, victim, cues, ctxw)
    listed_place = None
    if found is None:
        listed = gapped_figure(fig, arg, doc, sent, prior or []) or place_list_item(
            fig, doc, sent, cues, prior or [])
        if listed is not None:
            found, listed_place = listed[:3], listed[3]
    if found is None:
        return None
    category, cue, strength = found
    if category == "displaced" and lemma_of(cue) in cues.flee_verbs | cues.causes_flight and \
            evacuation_flight(sent, cues):
        category = "evacuated"  # fled ahead of the fire, under evacuation orders
    if category == "injured" and fatal_harm(cue, cues):
        category = "killed"  # "shot dead", "shot to death", "fatally shot"
    if lemma_of(cue) in cues.people_only_verbs and not _counts_people(victim, arg):
        # "shot 68" (golf), "shot 20 scenes"; but "Shooting kills at least 9", parsed
        # with the figure as the object of "Shooting", is counted by the verb before it
        other = surface_link(fig, doc, sent, cues, victim)
        if other is None or other[1].i == cue.i or other[1].i != fig.start - 1:
            return None
        category, cue, strength = other
    if category != "injured" and describes_condition(fig, doc):
        # "four of them in a critical condition" is said of the injured only.
        injured = [item for item in (prior or []) if item[1] == "injured"]
        if not injured:
            return None
        category, cue, strength = "injured", injured[-1][2], 0.7
    if is_negated(cue, ctxw):
        return None
    if is_disjunct(cue):
        if not dead_or_missing(cue, cues):
            return None
        category = "killed"
    group = victim if victim is not None else arg
    if not group.left_edge.i <= cue.i <= group.right_edge.i and \
            population_share(group, fig, doc):
        return None
    if _partitive_whole(fig, doc) and not group.left_edge.i <= cue.i <= group.right_edge.i:
        return None  # "Three of the four suspects were arrested": the four are the group
    if victim is None and arg.i not in fig.numbers and lemma_of(arg) in nouns.non_victims:
        return None
    # A figure inside the perpetrator ("two bombers killed 23") is not harmed.
    if arg.dep_ == "nsubj" and arg.head.i == cue.i and any(
            c.dep_ in ("dobj", "obj") and c.i != arg.i for c in cue.children) and \
            cues.category_of("verbs", lemma_of(cue)):
        return None
    count = fig.count
    if count.qualifier == "exact" and lemma_of(cue) in cues.toll_nouns | cues.count_nouns and \
            lemma_of(cue.head) in cues.exceed_verbs:
        count = replace(count, qualifier="more_than")  # "the toll exceeded 50,000"
    confidence = strength
    if victim is not None:
        known = lemma_of(victim) in nouns.victims or victim.ent_type_ in ("NORP", "PERSON")
        confidence += 0.07 if known else -0.2
    # A counted harm noun ("recorded 412 kidnappings") is reported like a toll.
    reported_by, reporter = reported_by_of(
        sent, cue, ctxw, fig, lemma_of(cue) in cues.toll_nouns | cues.count_nouns
        or (cue.pos_ == "NOUN" and cues.category_of("nouns", lemma_of(cue)) is not None),
        previous_source)
    if reported_by is None and category == "evacuated":
        reported_by = ordering_party(cue, arg, ctxw)
    if reported_by is None:
        reported_by = witnessing_party(arg, ctxw)
    if reported_by:
        confidence += 0.03
    period, cumulative = period_of(sent, ctx.published_at, ctxw)
    day, said_only, said, own_clause = harm_date(sent, cue, reporter, ctx.published_at)
    if day is None:
        day = later_date(sent, anchor)  # "A month later, ... killed four Marines"
        own_clause = day is not None
    if day is None and restated:
        day = last_date  # "..., or around 30 million people": the claim it restates
    if recalled_clause(cue, ctxw):
        # "the deadliest since 2014, when 300 people died": an incident, not a running total
        background, cumulative, period = True, False, None
    else:
        background = is_background(cue, None if said_only else day, ctx.published_at,
                                   cumulative, ctxw, said, category)
    said_day = None
    if said_only:
        # "..., officials said on Sunday": the report's day, used only when the story
        # dates its incident nowhere else (see `_dated`).
        day, said_day = None, day
    claim = CasualtyClaim(
        category=category,
        count=count,
        sentence=sent.text,
        span=(sent.start_char, sent.end_char),
        victims=victims_text(victim, category, cues),
        location=listed_place or locate(sent, cue, reporter, ctx, previous_place, memo),
        period=period,
        cumulative=cumulative,
        reported_by=reported_by,
        perpetrator=perpetrator_of(cue, arg, ctxw),
        modality=modality_of(sent, cue, arg, ctxw),
        date=day,
        background=background,
        confidence=round(max(0.05, min(0.99, confidence)), 2),
    )
    return claim, cue, supersession(cue, ctxw), said_day, own_clause and not said_only


def extract_claims(doc: "Doc", ctx: ArticleContext) -> list[CasualtyClaim]:
    """All casualty claims of a parsed article, one per (category, figure).

    Needs a dependency parse (sentences and heads); entities and lemmas sharpen
    the result. Returns [] for a document without a parse. Never raises on odd
    text: a figure that cannot be analysed is skipped.
    """
    if doc is None or len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    lexes = lexicons()
    claims: list[CasualtyClaim] = []
    earlier: list[tuple[CasualtyClaim, int]] = []
    previous_place: Location | None = None
    last_category: str | None = None
    last_date: str | None = None
    memo: dict = {}  # per-article cache of sentence-level lookups
    said_days: dict[tuple, str] = {}
    clause_dated: set[tuple] = set()  # (key, sentence start) of claims dated in their clause
    # The source each sentence gives, keyed by the start of the sentence after it.
    previous_source: dict[int, str] = {}
    source: str | None = None
    author: tuple[int, str] | None = None  # the report the article relays: where, whose
    anchor_day: str | None = None  # the date of the latest claim its sentence dated
    speakers: list[tuple[int, str, str]] = []  # each sentence's start, speaker and verb
    # displaced claims whose cue only says people took shelter, by key and sentence
    sheltered: set[tuple[tuple[str, int | None], tuple[int, int]]] = set()
    for sent in doc.sents:
        if source:
            previous_source[sent.start_char] = source
        if author is None:
            name = report_author(sent, lexes[2])
            if name:
                author = (sent.start_char, name)
        speaker = sentence_speaker(sent, lexes[2])
        if speaker is not None:
            speakers.append((sent.start_char, *speaker))
        in_sentence: list[CasualtyClaim] = []
        prior: list[tuple[int, str, "Token"]] = []
        for fig in find_figures(sent):
            try:
                made = _claim(fig, sent, ctx, lexes, prior, previous_place, last_category,
                              memo, previous_source.get(sent.start_char), anchor_day,
                              last_date)
            except (ValueError, IndexError, KeyError, AttributeError, TypeError,
                    OverflowError, RecursionError):
                continue
            if made is None:
                continue
            claim, cue, superseded, said_day, own_clause = made
            if said_day is not None:
                said_days.setdefault(claim.key, said_day)
            if own_clause:
                clause_dated.add((claim.key, claim.span[0]))
            if _dead_restated(claim, cue, fig, sent, lexes[0], [*claims, *in_sentence]):
                continue
            if _took_shelter(claim, cue, lexes[0]):
                sheltered.add((claim.key, claim.span))
            prior.append((fig.start, claim.category, cue))
            if claim.location is not None and previous_place is None:
                previous_place = claim.location  # the story's place: its first claim's
            if claim.victims in ("others", "other") and in_sentence and in_sentence[-1].victims:
                claim = replace(claim, victims=in_sentence[-1].victims)
            if superseded:
                earlier.append((claim, superseded))
            else:
                in_sentence.append(claim)
                last_category, last_date = claim.category, claim.date
        if in_sentence:  # a shared figure repeats a claim of its own sentence
            in_sentence.extend(_shared(sent, in_sentence, prior, lexes))
        rejected = figures_rejected(sent, lexes[2])
        if rejected is not None and claims:
            # "The junta dismissed the casualty figures as propaganda": the story's
            # headline figures (those of its first sentence with a claim); "rejected
            # the figure": the latest one. Running totals are not what is contested.
            modality, plural = rejected
            chosen = {id(c) for c in claims if c.span == claims[0].span} if plural else {id(claims[-1])}
            claims = [replace(c, modality=modality) if id(c) in chosen and c.modality == "asserted"
                      and not c.cumulative else c for c in claims]
        claims.extend(in_sentence)
        anchor_day = next((c.date for c in reversed(in_sentence) if c.date), anchor_day)
        source = next((c.reported_by for c in in_sentence if c.reported_by and not c.background),
                      None) or sentence_source(sent)
    # "1mn evacuated ... More than 1 million people have already sought shelter": the
    # same people, moved ahead of the storm; taking shelter is not a second harm.
    evacuated = {c.count.key for c in claims if c.category == "evacuated"}
    claims = [c for c in claims if (c.key, c.span) not in sheltered
              or c.count.key not in evacuated]
    # A superseded toll gives way to the article's current figure for that harm
    # (revised up or down); an earlier report only to a higher figure.
    for claim, how in earlier:
        if not any(c.category == claim.category and (
                how == EARLIER_TOLL or (c.count.key or 0) > (claim.count.key or 0))
                for c in claims):
            claims.append(claim)
    claims = carried_reporters(dedupe(_dated(claims, said_days, lead_date(
        doc, ctx.published_at, lexes[2]), clause_dated)), previous_source)
    claims = headline_sources(claims, doc, lexes[2])
    claims = authored_reporters(claims, author)
    return described_outlets(claims, speakers, lexes[2])


def _dated(claims: list[CasualtyClaim], said_days: dict[tuple, str],
           lead: str | None, clause_dated: set[tuple] | frozenset[tuple] = frozenset(),
           ) -> list[CasualtyClaim]:
    """Claims of the story's incident that their sentence does not date ("Another 30 were
    wounded") take the story's date: that of its first claim dated in its own harm clause
    (`clause_dated`: "19,136 people died in Saturday's quake", not "villagers pulled
    debris on Sunday from a quake that killed 19,500"), else of its first dated claim, else
    the day the lead gives (`lead_date`), else the day its reporter spoke ("police said on
    Sunday"). Background claims and running totals keep their own date or none."""
    current = [c for c in claims if c.date and not c.background and not c.cumulative]
    incident = next((c.date for c in current if (c.key, c.span[0]) in clause_dated), None) \
        or next((c.date for c in current), None) or lead
    out = []
    for c in claims:
        if c.date is None and not c.background and not c.cumulative:
            day = incident or said_days.get(c.key)
            if day is not None:
                c = replace(c, date=day)
        out.append(c)
    return out

