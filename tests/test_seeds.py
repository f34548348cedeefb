"""The seed articles: valid records, and (with the model) a regression check on their gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.extraction.evaluate import extract_predictions, load_articles, load_jsonl
from agents.extraction.scoring import parse_gold

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_files():
    return sorted((SEEDS / "articles").glob("*.json"))


def test_seed_files_are_named_and_shaped():
    files = seed_files()
    assert len(files) >= 8
    for path in files:
        record = json.loads(path.read_text())
        assert set(record) == {"id", "title", "source", "url", "published_at", "text"}, path.name
        assert path.stem[:3].isdigit() and path.stem[3] == "_"
        assert record["url"].startswith("https://example.org/")
        assert record["id"] == f"seed-{path.stem[:3]}"


def test_seed_gold_matches_files():
    _, golds = parse_gold(load_jsonl(SEEDS / "gold.jsonl"))
    assert {g.id for g in golds} == set(load_articles([SEEDS / "articles"]))


@pytest.fixture(scope="module")
def seed_results(nlp):
    _, golds = parse_gold(load_jsonl(SEEDS / "gold.jsonl"))
    articles = load_articles([SEEDS / "articles"])
    preds = extract_predictions([(g.id, articles[g.id]["text"], articles[g.id]["published_at"])
                                 for g in golds])
    return [(g, preds[g.id]) for g in golds]


@pytest.mark.model
def test_seed_gold_items_are_extracted(seed_results):
    missing = []
    for gold, pred in seed_results:
        claim_keys = {c.key for c in pred.claims}
        event_keys = {e.key for e in pred.events}
        missing += [(gold.id, c.describe()) for c in gold.claims if not c.optional and c.key not in claim_keys]
        missing += [(gold.id, e.describe()) for e in gold.events if not e.optional and e.key not in event_keys]
    assert not missing, f"gold items not extracted: {missing}"


@pytest.mark.model
def test_no_claim_outside_the_seed_gold(seed_results):
    extra = []
    for gold, pred in seed_results:
        allowed = {c.key for c in gold.claims}
        extra += [(gold.id, c.describe(), c.sentence) for c in pred.claims if c.key not in allowed]
    assert not extra, f"claims outside the gold: {extra}"
