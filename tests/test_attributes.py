"""The indexed attribute ruler gives the stock ruler's annotations, token by token."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from agents.extraction import attributes
from agents.extraction.attributes import IndexedAttributeRuler, compile_pattern, index_attribute_ruler
from streams.bench import generate_corpus

HERE = Path(__file__).parent

#: Text that exercises the multi-token and dependency patterns of the English rulers
#: ("ai n't", "gon na", "let 's", existential "there is"), and odd input.
ODD_TEXTS = [
    "I ain't gonna sign it, y'all, and we gotta leave. Let's go! C'mon, there are 5 envoys.",
    "There's no deal. There were talks; there is hope. Is there a plan?",
    "",
    "   \n\n\t ",
    "12 34 56 7.5 1,000 -3",
    "\u202eEgypt\u202c met \u200bIsrael\u200d in Cairo.\x07\x00",
    "ÉTATS-UNIS ET CHINE: LA RÉUNION — 3 morts?!",
]


def _signature(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _texts() -> list[str]:
    texts = [a["text"] for a in generate_corpus(40, seed=7)] + ODD_TEXTS
    for name in ("newsdev", "devset"):
        with open(HERE / name / "articles.jsonl", encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


@pytest.fixture(scope="module")
def stock():
    """The model as installed, with the stock attribute ruler; the sentence boundaries
    wirewatch sets before the parser are set here too, so only the ruler differs."""
    from agents.extraction import layout  # noqa: F401  (registers the factory)
    from agents.extraction.nlp import DEFAULT_MODEL

    model = spacy.load(DEFAULT_MODEL)
    model.add_pipe("wirewatch_line_breaks", before="parser")
    return model


def test_loaded_pipeline_uses_the_indexed_ruler(nlp, stock):
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler)
    assert ruler.patterns == stock.get_pipe("attribute_ruler").patterns
    own = ("wirewatch_sentence_cap", "wirewatch_line_breaks")
    assert [n for n in nlp.pipe_names if n not in own] == [n for n in stock.pipe_names if n not in own]


def test_same_annotations_as_the_stock_ruler(nlp, stock):
    texts = _texts()
    assert len(texts) > 100
    differ = []
    for text, a, b in zip(texts, stock.pipe(texts), nlp.pipe(texts)):
        sa, sb = _signature(a), _signature(b)
        if sa != sb:
            differ.append((text[:60], [(x, y) for x, y in zip(sa, sb) if x != y][:3]))
    assert differ == []


def test_same_matches_as_the_stock_ruler(nlp, stock):
    """Not only the outcome: the very matches, so no rule wins by accident."""
    fast, slow = nlp.get_pipe("attribute_ruler"), stock.get_pipe("attribute_ruler")
    docs = list(stock.pipe(_texts()[:60] + ODD_TEXTS, disable=["attribute_ruler", "lemmatizer", "ner"]))
    multi = 0
    for doc in docs:
        expected = sorted(set(slow.match(doc)))
        got = fast.match(doc)
        assert got == expected, doc.text[:80]
        multi += sum(1 for m in got if m[3] - m[2] > 1)
    assert multi > 0  # the contractions above did reach the multi-token patterns


def _blank_ruler(kind, patterns):
    nlp = spacy.blank("en")
    ruler = kind(nlp.vocab)
    ruler.add_patterns(patterns)
    return nlp, ruler


def _tagged(nlp, text, tags):
    doc = nlp(text)
    for tok, tag in zip(doc, tags):
        tok.tag_ = tag
    return doc


PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"LOWER": {"REGEX": "^talk"}}]], "attrs": {"LEMMA": "talk"}},
    {"patterns": [[{"LOWER": "peace"}, {"LOWER": "talks"}]], "attrs": {"POS": "PROPN"}, "index": -1},
    # An operator and an attribute outside the index: these go through a Matcher.
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"POS": "ADV"}},
    {"patterns": [[{"IS_TITLE": True}]], "attrs": {"MORPH": "Case=Nom"}},
    # A later rule overrides an earlier one on the same token.
    {"patterns": [[{"TAG": {"IN": ["NN", "NNS"]}, "LOWER": {"NOT_IN": ["talks"]}}]], "attrs": {"POS": "X"}},
]


def test_operators_and_other_attributes_fall_back_to_a_matcher():
    assert compile_pattern([{"TAG": "NN"}]) is not None
    assert compile_pattern([{"LOWER": "a"}, {"TAG": {"IN": ["NN"]}}]) is not None
    assert compile_pattern([{"LOWER": "very", "OP": "+"}]) is None
    assert compile_pattern([{"IS_TITLE": True}]) is None
    assert compile_pattern([{"TAG": {"FUZZY": "NN"}}]) is None
    assert compile_pattern([]) is None
    text, tags = "Peace talks very very good Talks", ["NN", "NNS", "RB", "RB", "JJ", "NNS"]
    results = []
    for kind in (AttributeRuler, IndexedAttributeRuler):
        nlp, ruler = _blank_ruler(kind, PATTERNS)
        doc = _tagged(nlp, text, tags)
        matches = sorted(set(ruler.match(doc)))
        ruler(doc)
        results.append((matches, [(t.pos_, t.lemma_, str(t.morph)) for t in doc]))
    assert results[0] == results[1]
    assert results[1][1][0][0] == "X" and results[1][1][1][0] == "PROPN" and results[1][1][2][0] == "ADV"


def test_adding_patterns_later_rebuilds_the_index():
    nlp, ruler = _blank_ruler(IndexedAttributeRuler, PATTERNS[:1])
    doc = _tagged(nlp, "peace", ["NN"])
    ruler(doc)
    assert doc[0].pos_ == "NOUN"
    ruler.add([[{"LOWER": "peace"}]], {"POS": "PROPN"})
    doc = _tagged(nlp, "peace", ["NN"])
    ruler(doc)
    assert doc[0].pos_ == "PROPN"


def test_memory_of_token_keys_is_bounded(monkeypatch):
    monkeypatch.setattr(attributes, "MAX_CACHED_KEYS", 50)
    nlp, ruler = _blank_ruler(IndexedAttributeRuler, PATTERNS[:2])
    words = " ".join(f"w{i}" for i in range(400))
    doc = _tagged(nlp, words, ["NN"] * 400)
    ruler(doc)
    assert 0 < len(ruler._cache) <= 50
    assert all(t.pos_ == "NOUN" for t in doc)


def test_no_stock_ruler_leaves_the_pipeline_alone():
    nlp = spacy.blank("en")
    assert index_attribute_ruler(nlp) is False
    nlp.add_pipe("attribute_ruler")
    assert index_attribute_ruler(nlp) is True
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert index_attribute_ruler(nlp) is False  # already indexed
