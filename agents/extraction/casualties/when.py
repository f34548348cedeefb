"""When: the period a running total covers, and whether the figure is cumulative.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .. import dates
from ..model import Period
from ..numbers import parse_number
from ..entities import ents_in
from .cues import ClaimContext, lemma_of
from .figures import YEAR
from ..tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


_PAST_SPAN = re.compile(
    r"\b(?:(?:over|in|during|within|for|throughout|across)\s+the\s+(?:past|last|previous)"
    r"|past|last|previous)\s+(?:(\w+(?:-\w+)?)\s+)?(hour|day|week|month|year)s?\b", re.I)


#: "since the start of the year", "since the beginning of 2024", "since the start of
#: the month": a period opening at the start of the calendar unit.
_SINCE_START = re.compile(
    r"\bsince\s+(?:the\s+)?(?:start|beginning|turn|outset)\s+of\s+(?:the\s+|this\s+)?"
    r"(year|month|(?:19|20)\d\d)\b", re.I)


def period_of(sent: "Span", published: date | None, ctxw: ClaimContext) -> tuple[Period | None, bool]:
    """The period a running total covers and whether the figure is cumulative."""
    doc = sent.doc
    padded = " " + " ".join(t.lower_ for t in tokens_of(sent)) + " "
    cumulative = any(" " + " ".join(marker) + " " in padded
                     for marker in ctxw.cumulative_markers)
    start: str | None = None
    opening = _SINCE_START.search(sent.text)
    if opening is not None:
        unit = opening.group(1).lower()
        if unit[:1].isdigit():
            start = unit
        elif published is not None:
            start = f"{published.year:04d}" if unit == "year" else published.isoformat()[:7]
        cumulative = True
    for tok in tokens_of(sent):
        if start is not None:
            break
        if tok.lower_ != "since":
            continue
        if tok.dep_ == "mark":
            end = tok.head.right_edge.i + 1
        else:
            end = tok.right_edge.i + 1
        end = max(end, min(tok.i + 4, sent.end))
        text = doc[tok.i:min(end, sent.end)].text
        start = _resolve(text, published)
        cumulative = True
        if start:
            break
    if start is None:
        m = _PAST_SPAN.search(sent.text)
        if m and published is not None:
            word = m.group(1)
            # "the past week" is one week; "last week" alone dates a single event.
            n = (parse_number(word) if word else None) or (
                1 if (word or "").lower() in ("a", "one") or (
                    word is None and m.group(0).lower().split()[0] not in ("last", "previous"))
                else None)
            unit = m.group(2).lower()
            if n and m.group(0).lower().startswith("past") and word is None and \
                    not sent.text[max(0, m.start() - 5):m.start()].lower().strip().endswith("the"):
                n = None  # "in past years" names no span
            if n:
                if unit == "hour":
                    days = -(-n // 24)  # the publication day back to the day the span opens
                else:
                    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
                start = (published - timedelta(days=days)).isoformat()
                if unit in ("month", "year"):
                    start = start[:7] if unit == "month" else start[:4]
                cumulative = True
        elif "this year" in sent.text.lower() and published is not None and cumulative:
            start = f"{published.year:04d}"
    return (Period(start=start, end=None) if start else None), cumulative


def _resolve(text: str, published: date | None) -> str | None:
    if published is not None:
        return dates.resolve_date(text, published, future=False)
    # Without a publication date only absolute dates ("since March 2011") resolve.
    if not YEAR.search(text):
        return None
    return dates.resolve_date(text, date(2100, 1, 1), future=False)



# --- the date of the harm, and whether it is background -----------------------------

#: Days before publication beyond which a dated harm is an earlier incident the article
#: recalls, not its news (a quarter: a story a few weeks on still reports its incident).
BACKGROUND_DAYS = 90


def _clause_head(cue: "Token") -> "Token":
    """The verb of the harm's clause: the cue itself, or the nearest verb above it."""
    tok = cue
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _resolve_coarse(text: str, published: date | None) -> str | None:
    if published is not None:
        return dates.resolve_date(text, published, future=False, coarse=True)
    if not YEAR.search(text):
        return None
    return dates.resolve_date(text, date(2100, 1, 1), future=False)


def harm_date(sent: "Span", cue: "Token", reporter: "Token | None",
              published: date | None) -> tuple[str | None, bool, str, bool]:
    """The date the sentence gives the harm, whether it was the reporter's ("officials
    said on Sunday") rather than the harm clause's own, the words that said it, and
    whether the harm's own clause gave it.

    Dates inside the harm's clause win, then the others of the sentence, nearest the cue
    first; a date in the reporter's clause is the last resort. Dates that open a running
    total ("since March") are the period's, not the harm's. A harm "overnight" with no
    other day is the harm clause's own date: the day the night ran into, the reporter's
    day ("killed overnight, activists said Friday") or else the publication day."""
    head = _clause_head(cue)
    clause = {t.i for t in head.subtree}
    said = set()
    if reporter is not None and reporter.i not in clause:
        said = {t.i for t in reporter.subtree} - clause
    ranked = []
    for ent in ents_in(sent):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if ent.start > sent.start and sent.doc[ent.start - 1].lower_ in ("since", "from"):
            continue
        if any(t.lower_ in ("since", "until", "from") for t in ent):
            continue
        found = _resolve_coarse(ent.text, published)
        if found is None and ent.start > sent.start:
            # "in 2015": the preposition is outside the entity
            found = _resolve_coarse(sent.doc[ent.start - 1:ent.end].text, published)
        if found is None:
            continue
        rank = 0 if ent.root.i in clause else 2 if ent.root.i in said else 1
        if rank and _prospective(ent.root):
            continue  # "... arrested ... are expected to be arraigned Tuesday"
        ranked.append((rank, abs(ent.root.i - cue.i), found, ent.text))
    if any(t.lower_ in _NIGHT_WORDS for t in tokens_of(sent) if t.i in clause) and all(
            r[0] == 2 for r in ranked):
        # "had to be evacuated overnight, authorities said Sunday": the night ran into the
        # day of the report, or, with none given, into the day of publication.
        day = min(ranked)[2] if ranked else (
            published.isoformat() if published is not None else None)
        if day is not None and len(day) == 10:
            return day, False, "overnight", True
    if not ranked:
        return None, False, "", False
    rank, _, found, text = min(ranked)
    return found, rank == 2, text, rank == 0


#: Words that put the harm in the night before a day ("killed overnight").
_NIGHT_WORDS = frozenset({"overnight"})


def later_date(sent: "Span", anchor: str | None) -> str | None:
    """The date of a harm the sentence sets after the one told before it ("In June, ...
    shot nine people. A month later, ... killed four Marines" -> the July after that June):
    `anchor` is the date the article's latest dated claim before the sentence gave."""
    if anchor is None:
        return None
    for ent in ents_in(sent):
        if ent.label_ == "DATE":
            found = dates.shift_after(ent.text, anchor)
            if found is not None:
                return found
    return None


#: Auxiliaries of a coming act: "will appear in court Monday".
_FUTURE_AUX = frozenset({"will", "shall", "'ll"})


def _prospective(tok: "Token") -> bool:
    """True if the clause that holds `tok` tells of a coming act ("will appear in court
    Monday", "are expected to be arraigned Tuesday"): its day is not the harm's."""
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ == "aux" and (c.lower_ in _FUTURE_AUX or (
        c.tag_ == "TO" and tok.dep_ == "xcomp")) for c in tok.children)


#: Sentences from the start of the article in which `lead_date` looks for the story's day.
LEAD_SENTENCES = 4
#: How far before publication the story's day may lie.
LEAD_DAYS = 14


def lead_date(doc: "Doc", published: date | None, ctxw: ClaimContext) -> str | None:
    """The story's day as its lead gives it ("... in northwestern Burkina on Thursday"),
    for claims that no sentence dates: the first day named (as a date, or a time of a day:
    "... a fatal shooting at an apartment complex Sunday night") in the first `LEAD_SENTENCES`
    sentences, at most `LEAD_DAYS` before publication and not after it, leaving out the
    days reports were made ("officials said Monday", datelines), days of coming acts
    ("to be arraigned Tuesday") and periods ("since Monday")."""
    if published is None:
        return None
    for n, sent in enumerate(doc.sents):
        if n >= LEAD_SENTENCES:
            break
        for ent in ents_in(sent):
            if ent.label_ not in ("DATE", "TIME") or lemma_of(ent.root.head) in ctxw.reporting_verbs \
                    or _prospective(ent.root):
                continue  # the day of a report, or of a coming act ("will appear Monday")
            if ent.start > sent.start and doc[ent.start - 1].lower_ in ("since", "from",
                                                                         "until"):
                continue
            if ent.end < len(doc) and doc[ent.end].text in ("(", ":", "-", "\u2013", "\u2014"):
                continue  # a dateline ("UNITED NATIONS, Nov 12 (APP):") dates the report
            day = dates.resolve_date(ent.text, published, future=False)
            if day is None or len(day) != 10:
                continue
            if 0 <= (published - date.fromisoformat(day)).days <= LEAD_DAYS:
                return day
    return None


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def _paragraph_between(a: "Token", b: "Token") -> bool:
    """True if a blank line separates the two tokens: no clause runs across one."""
    lo, hi = min(a.i, b.i), max(a.i, b.i)
    return _BLANK_LINE.search(a.doc[lo:hi].text_with_ws) is not None


def recalled_clause(cue: "Token", ctxw: ClaimContext) -> bool:
    """True if the harm's clause is set back in time by the sentence: "the attack came two
    years after 130 people were killed", "the war began when militants stormed in,
    killing 1,200", "the deadliest since 2014, when 300 people died"."""
    chain = [cue, *cue.ancestors][:6]
    for tok in chain:
        # "the deadliest mass shooting since 2017 in Las Vegas, where 58 people died"
        if tok.dep_ == "relcl" and any(
                any(c.dep_ == "prep" and c.lower_ == "since" and c.i < tok.i for c in a.children)
                and any(lemma_of(c) in ctxw.superlatives or c.tag_ == "JJS" for c in a.children)
                for a in tok.ancestors):
            return True
        marks = [c for c in tok.children if c.dep_ in ("mark", "advmod") and c.lower_ in
                 ctxw.recall_marks]
        if tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ in ctxw.recall_marks:
            marks.append(tok.head)
        # A headline's "since" that the parser hung on the next paragraph's verb is no mark.
        marks = [m for m in marks if not _paragraph_between(m, tok)]
        if not marks:
            continue
        above = tok.head if tok.head.i != tok.i else None
        if above is not None and above.lower_ in ctxw.recall_marks:
            above = above.head
        if above is None:
            continue
        if lemma_of(above) in ctxw.recall_verbs:
            return True
        # "the deadliest since 2014, when ...": the clause hangs off a date after "since"
        if above.ent_type_ == "DATE" and any(
                a.lower_ == "since" for a in (above.head, *above.ancestors)):
            return True
        near = [above, *above.children, *(g for c in above.children for g in c.children)]
        if any(lemma_of(w) in ctxw.superlatives or w.tag_ == "JJS" for w in near) and \
                marks[0].lower_ in ("since", "than"):
            return True
    return False


#: Categories whose yearly counts reports give the year after ("27.8 million new
#: displacements in 2015", published in 2016): that year is their news, not background.
_REPORTED_YEARLY = frozenset({"displaced", "evacuated"})


def is_background(cue: "Token", day: str | None, published: date | None, cumulative: bool,
                  ctxw: ClaimContext, expression: str = "", category: str = "") -> bool:
    """Whether the figure is an earlier incident recalled for context (the contract's
    `background`): its clause is set back by the sentence (`recalled_clause`), or the
    sentence dates it well before publication (an earlier year, though for displacement
    the year before publication is a yearly report's news; a month or a day more than
    `BACKGROUND_DAYS` before). A
    running total of an ongoing conflict is never background."""
    if cumulative:
        return False
    if recalled_clause(cue, ctxw):
        return True
    if day is None or published is None:
        return False
    if len(day) == 4:
        # The year before publication is what displacement reports count ("27.8 million
        # new displacements in 2015", published in 2016); for other harms, and for any
        # year "ago", an earlier year is recalled.
        if int(day) >= published.year:
            return False
        if category in _REPORTED_YEARLY and re.search(r"\bago\b", expression, re.I) is None:
            return int(day) <= published.year - 2
        return True
    return dates.ends_before(day, published, BACKGROUND_DAYS)
