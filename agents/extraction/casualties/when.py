"""When: the period a running total covers, and whether the figure is cumulative.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .. import dates
from ..model import Period
from ..numbers import parse_number
from .cues import ClaimContext
from .figures import YEAR

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span


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
    padded = " " + " ".join(t.lower_ for t in sent) + " "
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
    for tok in sent:
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

