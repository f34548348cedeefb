"""Resolving the date expressions of news text against the publication date.

News dates are mostly relative ("on Thursday", "yesterday", "last month") and are
only meaningful against the article's `published_at`. The result is an ISO string
as precise as the text: a day ("2012-12-27"), a month ("2012-11") or a year
("2011"); None when the text names no resolvable date.

Conventions:

* A weekday means the most recent such day on or before publication for past and
  present events, and the next such day on or after publication for future ones
  ("is to meet on Saturday"). The publication day itself counts in both
  directions: wire copy filed on a Friday says "on Friday" for that same day.
* A day or month without a year ("Dec. 27", "in January") is placed in the year
  that puts it on the right side of the publication date: on or before it for
  past events, on or after it for future ones.
* Vague periods ("last week", "recently", "months ago") give None, unless the caller asks
  for the coarse reading (`coarse=True`, used for the date of a harm): then a span in the
  past resolves to the finest unit that holds all of it: "two years ago" -> the year,
  "three months ago" -> the month, "last week" -> its month when the week lies in one
  month (else its year), "this week" -> the month of its days so far, "five days ago" ->
  the day. "Months ago", "recently" stay None.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

__all__ = ["resolve_date", "is_future", "shift_after"]

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "thur": 3, "thurs": 3})
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?\b(?:,?\s+(\d{{4}}))?", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?(?:\s+of)?,?\s+(\d{{4}})\b", re.I)
_MONTH_ONLY = re.compile(rf"\b({_MONTH_RE})\b\.?", re.I)
_WEEKDAY = re.compile(rf"\b(last|next|this|coming)?\s*({_WEEKDAY_RE})\b\.?", re.I)
_YEAR = re.compile(r"\b(?:in|since|during|of|from|by)\s+((?:19|20)\d{2})\b", re.I)
_RELATIVE_DAY = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
                 "this evening": 0, "yesterday": -1, "tomorrow": 1,
                 "day before yesterday": -2, "day after tomorrow": 2}
_RELATIVE = re.compile(r"\b(the day before yesterday|the day after tomorrow|today|tonight|"
                       r"this morning|this afternoon|this evening|yesterday|tomorrow)\b", re.I)
_REL_PERIOD = re.compile(r"\b(last|next|this|past|coming)\s+(month|year)\b", re.I)
_AGO = re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                  r"\d{1,3})\s+(day|week|month|year)s?\s+(?:ago|earlier|before)\b", re.I)
_LAST_WEEK = re.compile(r"\b(?:last|past|previous)\s+(week|weekend)\b", re.I)
_THIS_WEEK = re.compile(r"\bthis\s+week\b", re.I)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
#: Words that make an ambiguous bare month name ("May", "March") a verb or noun.
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "jun", "aug", "oct", "dec", "sep"}
_FUTURE_WORDS = {"will", "shall", "'ll", "expected", "expects", "expect", "scheduled",
                 "due", "planned", "plans", "plan", "going", "next", "upcoming", "coming"}


def is_future(span: "Span") -> bool:
    """True if the clause of `span` talks about the future ("will", "is to", "expected")."""
    try:
        tokens = list(span.sent) if hasattr(span, "sent") else list(span)
    except (AttributeError, ValueError):
        return False
    for i, tok in enumerate(tokens):
        low = tok.lower_
        if low in _FUTURE_WORDS and (tok.tag_ == "MD" or low not in ("plan", "plans", "due")):
            return True
        # "is to meet": a form of "be" followed by an infinitive marker.
        if tok.lemma_ == "be" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "to" \
                and i + 2 < len(tokens) and tokens[i + 2].tag_ == "VB":
            return True
    return False


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _place_day(month: int, day: int, published: date, future: bool) -> date | None:
    this_year = _safe_date(published.year, month, day)
    if this_year is None:
        return None
    if future and this_year < published:
        return _safe_date(published.year + 1, month, day)
    if not future and this_year > published:
        return _safe_date(published.year - 1, month, day)
    return this_year


def _place_month(month: int, published: date, future: bool) -> str:
    year = published.year
    if future and month < published.month:
        year += 1
    elif not future and month > published.month:
        year -= 1
    return f"{year:04d}-{month:02d}"


def _shift_month(published: date, delta: int) -> str:
    index = published.year * 12 + published.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _span_unit(first: date, last: date) -> str | None:
    """The finest of day, month, year that holds the days `first`..`last`."""
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return first.isoformat()[:7]
    return f"{first.year:04d}" if first.year == last.year else None


def _coarse(text: str, published: date) -> str | None:
    """A past span named relative to publication ("two years ago", "last week")."""
    m = _AGO.search(text)
    if m:
        word, unit = m[1].lower(), m[2].lower()
        n = int(word) if word.isdigit() else _SMALL[word]
        if unit == "year":
            return f"{published.year - n:04d}"
        if unit == "month":
            return _shift_month(published, -n)
        days = n * (7 if unit == "week" else 1)
        day = published - timedelta(days=days)
        if unit == "day":
            return day.isoformat()
        return _span_unit(day - timedelta(days=day.weekday()),
                          day + timedelta(days=6 - day.weekday()))
    m = _LAST_WEEK.search(text)
    if m:
        monday = published - timedelta(days=published.weekday() + 7)
        if m[1].lower() == "weekend":
            return _span_unit(monday + timedelta(days=5), monday + timedelta(days=6))
        return _span_unit(monday, monday + timedelta(days=6))
    if _THIS_WEEK.search(text):
        return _span_unit(published - timedelta(days=published.weekday()), published)
    return None


def _resolve_text(text: str, published: date, future: bool, coarse: bool = False) -> str | None:
    m = _ISO.search(text)
    if m:
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            return d.isoformat()
    m = _MONTH_DAY_YEAR.search(text)
    if m:
        month, day = MONTHS[m[1].lower()], int(m[2])
        d = (_safe_date(int(m[3]), month, day) if m[3]
             else _place_day(month, day, published, future))
        return d.isoformat() if d else None  # "February 30" names no day at all
    m = _DAY_MONTH_YEAR.search(text)
    if m:
        month, day = MONTHS[m[2].lower()], int(m[1])
        d = (_safe_date(int(m[3]), month, day) if m[3]
             else _place_day(month, day, published, future))
        return d.isoformat() if d else None
    m = _RELATIVE.search(text)
    if m:
        key = m[1].lower().removeprefix("the ")
        return (published + timedelta(days=_RELATIVE_DAY[key])).isoformat()
    m = _WEEKDAY.search(text)
    if m:
        which = (m[1] or "").lower()
        target = WEEKDAYS[m[2].lower()]
        back = (published.weekday() - target) % 7
        ahead = (target - published.weekday()) % 7
        if which == "last":
            d = published - timedelta(days=back or 7)
        elif which in ("next", "coming"):
            d = published + timedelta(days=ahead or 7)
        elif future:
            d = published + timedelta(days=ahead)
        else:
            d = published - timedelta(days=back)
        return d.isoformat()
    m = _REL_PERIOD.search(text)
    if m:
        which, unit = m[1].lower(), m[2].lower()
        delta = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[which]
        if unit == "month":
            return _shift_month(published, delta)
        return f"{published.year + delta:04d}"
    if coarse and not future:
        found = _coarse(text, published)
        if found:
            return found
    m = _MONTH_YEAR.search(text)
    if m:
        return f"{int(m[2]):04d}-{MONTHS[m[1].lower()]:02d}"
    for m in _MONTH_ONLY.finditer(text):
        word = m[1]
        if not word[0].isupper():
            continue
        # "May" and "March" are also a modal and a noun/verb: only after a preposition.
        if word.lower() in _AMBIGUOUS_MONTHS and not re.search(
                rf"\b(?:in|since|until|by|early|late|mid|of|from|last|next|this)[\s-]+"
                rf"{re.escape(word)}\b", text, re.I):
            continue
        return _place_month(MONTHS[word.lower()], published, future)
    m = _YEAR.search(text)
    if m:
        return m[1]
    return None


_LATER = re.compile(r"^(?:(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"\d{1,2})\s+(day|week|month|year)s?\s+(?:later|after(?:wards?)?)|"
                    r"the\s+(?:next|following)\s+(day|week|month|year))$", re.I)


def shift_after(text: str, anchor: str) -> str | None:
    """The date `text` ("a month later", "two days later", "the following year") names
    after the date `anchor` (a day, month or year), in the span's own unit (a week's, its
    month): "a month later" than "2015-06" or "2015-06-17" is "2015-07", "a year later"
    than either is "2016"; a span finer than the anchor ("two days later" than "2015-06")
    names no date. None if `text` is no such expression."""
    m = _LATER.match(text.strip())
    if m is None:
        return None
    word, unit = (m[1] or "one").lower(), (m[2] or m[3]).lower()
    n = int(word) if word.isdigit() else _SMALL[word]
    try:
        if unit == "year":
            return f"{int(anchor[:4]) + n:04d}"
        if len(anchor) == 4:
            return None
        if unit == "month":
            return _shift_month(date(int(anchor[:4]), int(anchor[5:7]), 1), n)
        if len(anchor) != 10:
            return None
        day = date.fromisoformat(anchor) + timedelta(days=n * (7 if unit == "week" else 1))
        return day.isoformat() if unit == "day" else day.isoformat()[:7]
    except (ValueError, OverflowError):
        return None


def resolve_date(span_or_text: "Span | str | Any", published_at: date | None,
                 future: bool | None = None, coarse: bool = False) -> str | None:
    """The date `span_or_text` refers to, resolved against `published_at`.

    Given a spaCy span, its DATE entities are tried first and the tense of its
    sentence decides whether a weekday or month lies ahead (`future` overrides it).
    Returns an ISO date, year-month or year, or None. Never raises on odd input.
    """
    if published_at is None or span_or_text is None:
        return None
    try:
        if isinstance(span_or_text, str):
            return _resolve_text(span_or_text, published_at, bool(future), coarse)
        if future is None:
            future = is_future(span_or_text)
        for ent in getattr(span_or_text, "ents", ()):
            if ent.label_ in ("DATE", "TIME"):
                found = _resolve_text(ent.text, published_at, future, coarse)
                if found:
                    return found
        return _resolve_text(span_or_text.text, published_at, future, coarse)
    except (AttributeError, TypeError, ValueError, OverflowError):
        return None


def ends_before(day: str | None, reference: date, days: int) -> bool:
    """True if the whole of `day` (a date as records carry it: YYYY, YYYY-MM or
    YYYY-MM-DD) ends more than `days` days before `reference`; an undated or
    unreadable day never does."""
    if not day:
        return False
    try:
        if len(day) == 4:
            last = date(int(day), 12, 31)
        elif len(day) == 7:
            year, month = int(day[:4]), int(day[5:7])
            last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        else:
            last = date.fromisoformat(day)
    except ValueError:
        return False
    return (reference - last).days > days
