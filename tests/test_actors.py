"""Actor resolution on hand-built parses: titles, nationalities, organisations, memory."""
import pytest
from spacy.tokens import Doc
import spacy

from agents.extraction import actors, lexicon
from agents.extraction.lexicon import LexiconError
from agents.extraction.model import ArticleContext


VOCAB = spacy.blank("en").vocab


def build(words, heads, deps, pos, ents, lemmas=None):
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, ents=ents,
               lemmas=lemmas or [w.lower() for w in words])


def registry(dominant=None):
    return actors.Registry(ctx=ArticleContext("t", None, dominant))


# "Russian Foreign Minister Sergei Lavrov said ."
LAVROV = dict(
    words=["Russian", "Foreign", "Minister", "Sergei", "Lavrov", "said", "."],
    heads=[4, 2, 4, 4, 5, 5, 5],
    deps=["amod", "compound", "compound", "compound", "nsubj", "ROOT", "punct"],
    pos=["ADJ", "PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"],
    ents=["B-NORP", "O", "O", "B-PERSON", "I-PERSON", "O", "O"],
)


def test_titled_person_gets_state_from_nationality_and_is_remembered():
    reg = registry()
    doc = build(**LAVROV)
    party = actors.resolve(doc[4], reg)
    assert (party.country, party.role, party.name) == ("RUS", "GOV", "Sergei Lavrov")
    assert party.text == "Russian Foreign Minister Sergei Lavrov"
    # A later bare surname and a later pronoun resolve to the same state.
    later = build(["Lavrov", "left", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"],
                  ["PROPN", "VERB", "PUNCT"], ["B-PERSON", "O", "O"])
    assert actors.resolve(later[0], reg).country == "RUS"
    he = build(["He", "left", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"],
               ["PRON", "VERB", "PUNCT"], ["O", "O", "O"])
    assert actors.resolve(he[0], reg).country == "RUS"


def test_title_back_reference():
    reg = registry()
    actors.resolve(build(**LAVROV)[4], reg)
    doc = build(["The", "minister", "left", "."], [1, 2, 2, 2], ["det", "nsubj", "ROOT", "punct"],
                ["DET", "NOUN", "VERB", "PUNCT"], ["O", "O", "O", "O"])
    assert actors.resolve(doc[1], reg).country == "RUS"


def test_nationality_collective_and_role_modifiers():
    reg = registry()
    doc = build(["Syrian", "officials", "and", "the", "rebel", "Free", "Syrian", "Army", "met"],
                [1, 8, 1, 7, 7, 7, 7, 1, 8],
                ["amod", "nsubj", "cc", "det", "amod", "compound", "compound", "conj", "ROOT"],
                ["ADJ", "NOUN", "CCONJ", "DET", "ADJ", "PROPN", "PROPN", "PROPN", "VERB"],
                ["B-NORP", "O", "O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O"])
    officials = actors.resolve(doc[1], reg)
    assert (officials.country, officials.role) == ("SYR", "GOV")
    army = actors.resolve(doc[7], reg)
    assert (army.country, army.role) == ("SYR", "REB")
    assert [t.text for t in actors.expand_conjuncts(doc[1])] == ["officials", "Army"]


def test_opposition_without_state_goes_to_the_article_country():
    doc = build(["the", "opposition", "met"], [1, 2, 2], ["det", "nsubj", "ROOT"],
                ["DET", "NOUN", "VERB"], ["O", "O", "O"])
    party = actors.resolve(doc[1], registry("SYR"))
    assert (party.country, party.role) == ("SYR", "OPP")


def test_organisations_and_their_envoys():
    reg = registry("SYR")
    doc = build(["U.N.-Arab", "League", "envoy", "Lakhdar", "Brahimi", "spoke"],
                [1, 4, 4, 4, 5, 5], ["compound", "compound", "compound", "compound", "nsubj", "ROOT"],
                ["PROPN", "PROPN", "NOUN", "PROPN", "PROPN", "VERB"],
                ["B-ORG", "I-ORG", "O", "B-PERSON", "I-PERSON", "O"])
    party = actors.resolve(doc[4], reg)
    assert (party.org, party.role, party.country, party.code) == ("UNO", "IGO", None, "UNO")
    nato = build(["NATO", "warned"], [1, 1], ["nsubj", "ROOT"], ["PROPN", "VERB"], ["B-ORG", "O"])
    assert actors.resolve(nato[0], reg).org == "NAT"
    # Acronyms are case-sensitive: the pronoun "us" is not the United States.
    assert actors.find_org("tell us more") is None
    assert actors.find_org("the Arab League and the EU")[0] == "ARL"


def test_metonym_and_capital_act_for_their_state():
    reg = registry()
    doc = build(["the", "Kremlin", "and", "Washington", "said"], [1, 4, 1, 1, 4],
                ["det", "nsubj", "cc", "conj", "ROOT"], ["DET", "PROPN", "CCONJ", "PROPN", "VERB"],
                ["O", "B-FAC", "O", "B-GPE", "O"])
    assert actors.resolve(doc[1], reg).country == "RUS"
    assert actors.resolve(doc[3], reg).country == "USA"


def test_unresolvable_phrases_give_none():
    doc = build(["the", "plan", "failed"], [1, 2, 2], ["det", "nsubj", "ROOT"],
                ["DET", "NOUN", "VERB"], ["O", "O", "O"])
    assert actors.resolve(doc[1], registry()) is None


def test_organisation_and_title_lexicons_are_validated():
    assert "UNO" in lexicon.load("organisations")
    assert lexicon.load("titles")["person_titles"]["foreign minister"] == "GOV"
    with pytest.raises(LexiconError, match="unknown organisation code"):
        lexicon.VALIDATORS["organisations"]({"XXX": ["Something"]}, "t")
    with pytest.raises(LexiconError, match="not in"):
        lexicon.VALIDATORS["titles"]({"person_titles": {"envoy": "BOSS"}, "collectives": {},
                                      "role_modifiers": {}}, "t")
    with pytest.raises(LexiconError, match="unknown key"):
        lexicon.VALIDATORS["titles"]({"person_titles": {}, "collectives": {},
                                      "role_modifiers": {}, "extra": {}}, "t")
