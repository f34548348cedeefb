"""Date resolution against the publication date (pure, no model)."""
from datetime import date

import pytest

from agents.extraction.dates import resolve_date, shift_after

FRIDAY = date(2012, 12, 28)  # the seed article's publication day, a Friday


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("said on Friday", False, "2012-12-28"),  # the publication day counts as itself
        ("on Thursday", False, "2012-12-27"),
        ("Thursday", False, "2012-12-27"),
        ("on Saturday", True, "2012-12-29"),  # future verb: the coming Saturday
        ("on Saturday", False, "2012-12-22"),  # past verb: the Saturday before
        ("last Friday", False, "2012-12-21"),
        ("next Monday", False, "2012-12-31"),
        ("yesterday", False, "2012-12-27"),
        ("tomorrow", True, "2012-12-29"),
        ("today", False, "2012-12-28"),
        ("last month", False, "2012-11"),
        ("next month", True, "2013-01"),
        ("last year", False, "2011"),
        ("Dec. 27", False, "2012-12-27"),
        ("December 27, 2012", False, "2012-12-27"),
        ("27 December 2012", False, "2012-12-27"),
        ("Jan. 3", True, "2013-01-03"),
        ("Jan. 3", False, "2012-01-03"),
        ("in January", True, "2013-01"),
        ("in January", False, "2012-01"),
        ("since March 2011", False, "2011-03"),
        ("in May", False, "2012-05"),
        ("in 2011", False, "2011"),
        ("2012-12-01", False, "2012-12-01"),
    ],
)
def test_resolves(text, future, expected):
    assert resolve_date(text, FRIDAY, future=future) == expected


@pytest.mark.parametrize("text", ["last week", "recently", "months ago", "they may go",
                                  "a march on the capital", "", "February 30"])
def test_vague_or_not_a_date(text):
    assert resolve_date(text, FRIDAY) is None


def test_no_publication_date_gives_none():
    assert resolve_date("on Friday", None) is None


def test_odd_input_does_not_raise():
    assert resolve_date(12345, FRIDAY) is None
    assert resolve_date(None, FRIDAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two years ago", "2010"),
        ("a year ago", "2011"),
        ("three months ago", "2012-09"),
        ("five days ago", "2012-12-23"),
        ("two weeks ago", "2012-12"),  # Mon 10 .. Sun 16 December
        ("last week", "2012-12"),  # Mon 17 .. Sun 23 December
        ("last weekend", "2012-12"),
        ("earlier this week", "2012-12"),
        ("in 2015", "2015"),
        ("on Sunday", "2012-12-23"),
        ("last month", "2012-11"),
    ],
)
def test_coarse_reading_of_past_spans(text, expected):
    assert resolve_date(text, FRIDAY, future=False, coarse=True) == expected


def test_coarse_week_across_months_gives_the_year_or_nothing():
    # Published Wednesday 2013-01-02: last week ran Mon 24 .. Sun 30 December 2012.
    assert resolve_date("last week", date(2013, 1, 2), coarse=True) == "2012-12"
    # Published Wednesday 2012-11-07: last week ran Mon 29 October .. Sun 4 November.
    assert resolve_date("last week", date(2012, 11, 7), coarse=True) == "2012"
    # Published Wednesday 2013-01-09: last week ran Mon 31 December .. Sun 6 January.
    assert resolve_date("last week", date(2013, 1, 9), coarse=True) is None


def test_coarse_reading_is_opt_in():
    assert resolve_date("two years ago", FRIDAY) is None
    assert resolve_date("last week", FRIDAY) is None
    assert resolve_date("months ago", FRIDAY, coarse=True) is None


@pytest.mark.parametrize("text, anchor, expected", [
    ("A month later", "2015-06", "2015-07"),
    ("a month later", "2015-06-17", "2015-07"),
    ("two days later", "2015-06-17", "2015-06-19"),
    ("the following year", "2014", "2015"),
    ("a year later", "2015-06", "2016"),
    ("the next month", "2015-12", "2016-01"),
    # A span finer than the anchor, or no span after it, names no date.
    ("two days later", "2015-06", None),
    ("a month ago", "2015-06", None),
    ("later", "2015", None),
])
def test_a_span_after_an_anchor(text, anchor, expected):
    assert shift_after(text, anchor) == expected
