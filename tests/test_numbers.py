"""Figure normalisation: `parse_number` and `parse_count` (pure, no model)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from agents.extraction import lexicon
from agents.extraction.lexicon import LexiconError
from agents.extraction.model import QUALIFIERS
from agents.extraction.numbers import MAX_COUNT, parse_count, parse_number


@pytest.mark.parametrize("text, value", [
    ("15", 15),
    ("40,000", 40000),
    ("1,234,567", 1234567),
    ("1.2 million", 1200000),
    ("3 million", 3000000),
    ("fifteen", 15),
    ("twenty-five", 25),
    ("twenty five", 25),
    ("three hundred", 300),
    ("three hundred and fifty", 350),
    ("a hundred", 100),
    ("a thousand", 1000),
    ("two thousand five hundred", 2500),
    ("a dozen", 12),
    ("two dozen", 24),
    ("one", 1),
    ("Forty", 40),
    ("\uff11\uff12", 12),          # full-width digits
    ("\u0661\u0662\u0663", 123),   # Arabic-Indic digits
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", [
    "", "   ", "people", "43rd", "1.5", "3-1", "a", "and", "first", "99999999999999",
    "twenty people", "\x00\x01", "1" * 300,
])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, low, high, qualifier", [
    ("15", 15, None, "exact"),
    ("fifteen", 15, None, "exact"),
    ("a dozen", 12, None, "exact"),
    ("two dozen", 24, None, "exact"),
    ("at least 15", 15, None, "at_least"),
    ("15 or more", 15, None, "at_least"),
    ("no fewer than 15", 15, None, "at_least"),
    ("more than 40,000", 40000, None, "more_than"),
    ("over 40,000", 40000, None, "more_than"),
    ("upwards of 50", 50, None, "more_than"),
    ("in excess of 1,000", 1000, None, "more_than"),
    ("more than a dozen", 12, None, "more_than"),
    ("about 300", 300, None, "about"),
    ("around 300", 300, None, "about"),
    ("some 300", 300, None, "about"),
    ("nearly 300", 300, None, "about"),
    ("almost 300", 300, None, "about"),
    ("an estimated 300", 300, None, "about"),
    ("roughly 300", 300, None, "about"),
    ("approximately 300", 300, None, "about"),
    ("nearly 1.2 million", 1200000, None, "about"),
    ("between 200 and 300", 200, 300, "range"),
    ("200 to 300", 200, 300, "range"),
    ("200-300", 200, 300, "range"),
    ("200\u2013300", 200, 300, "range"),
    ("two or three", 2, 3, "range"),
    ("between 1.2 and 1.5 million", 1200000, 1500000, "range"),
    ("two to three thousand", 2000, 3000, "range"),
    ("up to 50", None, 50, "up_to"),
    ("as many as 50", None, 50, "up_to"),
    ("fewer than 10", None, 10, "fewer_than"),
    ("less than 10", None, 10, "fewer_than"),
    ("under 10", None, 10, "fewer_than"),
    ("dozens", 24, None, "vague"),
    ("scores", 40, None, "vague"),
    ("hundreds", 200, None, "vague"),
    ("thousands", 2000, None, "vague"),
    ("tens of thousands", 20000, None, "vague"),
    ("hundreds of thousands", 200000, None, "vague"),
    ("millions", 2000000, None, "vague"),
    ("At Least 156", 156, None, "at_least"),
])
def test_parse_count(text, low, high, qualifier):
    count = parse_count(text)
    assert count is not None, text
    assert (count.low, count.high, count.qualifier) == (low, high, qualifier)


def test_count_text_keeps_the_qualifier():
    count = parse_count("more than  40,000")
    assert count.text == "more than 40,000"
    assert count.key == 40000
    assert parse_count("up to 50").key == 50


@pytest.mark.parametrize("text", [
    "", "at least", "more than", "between and", "3-1", "43rd", "people", "10000000001",
    "a killer app", None, 42,
])
def test_parse_count_rejects(text):
    assert parse_count(text) is None


def test_huge_figures_are_capped():
    assert parse_number(f"{MAX_COUNT:,}") == MAX_COUNT
    assert parse_number(f"{MAX_COUNT + 1}") is None
    assert parse_count("20 billion") is None


@given(st.text(max_size=60))
def test_parse_count_never_raises(text):
    count = parse_count(text)
    if count is not None:
        assert count.qualifier in QUALIFIERS
        assert count.key is not None and 0 <= count.key <= MAX_COUNT
        if count.low is not None and count.high is not None:
            assert count.low < count.high


def test_count_words_lexicon_validates():
    words = lexicon.load("count_words")
    assert words.units["seven"] == 7
    assert words.vague["tens of thousands"] == 20000


@pytest.mark.parametrize("bad", [
    {"units": {"one": 1}},                                  # missing keys
    {"units": {"one": "1"}, "tens": {"twenty": 20}, "scales": {"hundred": 100},
     "multipliers": {"dozen": 12}, "vague": {"dozens": 24},
     "prefix_qualifiers": {"at least": "at_least"}, "suffix_qualifiers": {"or more": "at_least"},
     "range_joiners": ["to"]},                              # a string where an int belongs
    {"units": {"one": 1}, "tens": {"twenty": 20}, "scales": {"hundred": 100},
     "multipliers": {"dozen": 12}, "vague": {"dozens": 24},
     "prefix_qualifiers": {"at least": "roughly"}, "suffix_qualifiers": {"or more": "at_least"},
     "range_joiners": ["to"]},                              # unknown qualifier
    {"units": {"one": 1}, "tens": {"twenty": 20}, "scales": {"hundred": 100},
     "multipliers": {"dozen": 12}, "vague": {"dozens": 24},
     "prefix_qualifiers": {"at least": "at_least"}, "suffix_qualifiers": {"or more": "at_least"},
     "range_joiners": ["to"], "extra": []},                 # unknown key
])
def test_count_words_validator_rejects_bad_entries(bad):
    with pytest.raises(LexiconError):
        lexicon.VALIDATORS["count_words"](bad, "count_words:entries")
