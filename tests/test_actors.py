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
    assert "coach" in lexicon.load("titles")["private_people"]
    with pytest.raises(LexiconError, match="not in"):
        lexicon.VALIDATORS["titles"]({"person_titles": {"envoy": "BOSS"}, "collectives": {},
                                      "role_modifiers": {}, "private_people": ["coach"]}, "t")
    with pytest.raises(LexiconError, match="unknown key"):
        lexicon.VALIDATORS["titles"]({"person_titles": {}, "collectives": {},
                                      "role_modifiers": {}, "private_people": ["coach"], "extra": {}}, "t")
    with pytest.raises(LexiconError, match="not one lower-case word"):
        lexicon.VALIDATORS["titles"]({"person_titles": {}, "collectives": {},
                                      "role_modifiers": {}, "private_people": ["Coach"]}, "t")


# "Germany 's coach praised Japan ."  /  "German Foreign Minister Baerbock praised Japan ."
@pytest.mark.parametrize(("spec", "head", "code"), [
    (dict(words=["Germany", "'s", "coach", "praised", "Japan", "."], heads=[2, 0, 3, 3, 3, 3],
          deps=["poss", "case", "nsubj", "ROOT", "dobj", "punct"],
          pos=["PROPN", "PART", "NOUN", "VERB", "PROPN", "PUNCT"],
          ents=["B-GPE", "O", "O", "O", "B-GPE", "O"]), 2, None),
    (dict(words=["Russian", "tennis", "player", "Daniil", "Medvedev", "said", "."],
          heads=[2, 2, 4, 4, 5, 5, 5], deps=["amod", "compound", "compound", "compound", "nsubj", "ROOT", "punct"],
          pos=["ADJ", "NOUN", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT"],
          ents=["B-NORP", "O", "O", "B-PERSON", "I-PERSON", "O", "O"]), 4, None),
    (dict(words=["German", "Foreign", "Minister", "Baerbock", "praised", "Japan", "."],
          heads=[3, 2, 3, 4, 4, 4, 4], deps=["amod", "compound", "compound", "nsubj", "ROOT", "dobj", "punct"],
          pos=["ADJ", "PROPN", "PROPN", "PROPN", "VERB", "PROPN", "PUNCT"],
          ents=["B-NORP", "O", "O", "B-PERSON", "O", "B-GPE", "O"]), 3, "DEU"),
])
def test_people_in_private_walks_of_life_act_for_no_state(spec, head, code):
    party = actors.resolve(build(**spec)[head], registry())
    assert (party.country if party else None) == code


# ------------------------------------------------------------- leaders and named groups

def test_leaders_lexicon_is_validated():
    table = lexicon.load("leaders")
    assert table["names"]["vladimir putin"] == "RUS"
    assert table["aliases"]["Erdogan"] == "TUR"
    validate = lexicon.VALIDATORS["leaders"]
    good = {"name": "Ann Example", "code": "FRA", "aliases": ["Example"]}
    assert validate([good], "t")["aliases"] == {"Example": "FRA"}
    assert validate([{**good, "code": "UNO"}], "t")["names"]["ann example"] == "UNO"
    with pytest.raises(LexiconError, match="unknown key"):
        validate([{**good, "party": "x"}], "t")
    with pytest.raises(LexiconError, match="alpha-3"):
        validate([{**good, "code": "France"}], "t")
    with pytest.raises(LexiconError, match="listed for FRA and DEU"):
        validate([good, {"name": "Bo Example", "code": "DEU", "aliases": ["Example"]}], "t")
    with pytest.raises(LexiconError, match="already listed"):
        validate([good, {"name": "ann example", "code": "DEU"}], "t")


def test_groups_lexicon_is_validated():
    groups = lexicon.load("groups")
    assert ("Hamas", "PSE", "REB") in groups
    validate = lexicon.VALIDATORS["groups"]
    with pytest.raises(LexiconError, match="not in"):
        validate([{"name": "X Front", "code": "SYR", "role": "BOSS"}], "t")
    with pytest.raises(LexiconError, match="organisation code"):
        validate([{"name": "X Front", "code": "UNO", "role": "REB"}], "t")
    with pytest.raises(LexiconError, match="missing key"):
        validate([{"name": "X Front", "code": "SYR"}], "t")


def test_leader_code_whole_name_alias_and_title_plus_surname():
    assert actors.leader_code("Recep Tayyip Erdogan") == "TUR"
    assert actors.leader_code("Zelensky") == "UKR"
    assert actors.leader_code("President Bush") == "USA"
    assert actors.leader_code("Kofi Annan") == "UNO"
    assert actors.leader_code("Putin's") == "RUS"
    # Aliases are case-sensitive, unknown people are not guessed.
    assert actors.leader_code("gallant") is None
    assert actors.leader_code("John Smith") is None


def test_untitled_leader_resolves_without_nationality():
    # "President Bush met ." -- no state word anywhere in the phrase.
    doc = build(["President", "Bush", "met", "."], [1, 2, 2, 2],
                ["compound", "nsubj", "ROOT", "punct"], ["PROPN", "PROPN", "VERB", "PUNCT"],
                ["O", "B-PERSON", "O", "O"])
    party = actors.resolve(doc[1], registry(dominant="SYR"))
    assert (party.country, party.role) == ("USA", "GOV")


def test_named_group_codes_to_its_state_as_rebels():
    doc = build(["Hamas", "agreed", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"],
                ["PROPN", "VERB", "PUNCT"], ["B-ORG", "O", "O"])
    party = actors.resolve(doc[0], registry())
    assert (party.country, party.role) == ("PSE", "REB")


def test_institution_takes_the_state_of_its_seat():
    # "The Foreign Ministry in Beijing said ." while the article is about Lithuania.
    doc = build(["The", "Foreign", "Ministry", "in", "Beijing", "said", "."],
                [2, 2, 5, 2, 3, 5, 5],
                ["det", "compound", "nsubj", "prep", "pobj", "ROOT", "punct"],
                ["DET", "PROPN", "PROPN", "ADP", "PROPN", "VERB", "PUNCT"],
                ["O", "B-ORG", "I-ORG", "O", "B-GPE", "O", "O"])
    reg = registry(dominant="LTU")
    assert actors.resolve(doc[2], reg).country == "CHN"


def test_bare_peacekeepers_are_not_the_united_nations():
    doc = build(["Russian", "peacekeepers", "left", "."], [1, 2, 2, 2],
                ["amod", "nsubj", "ROOT", "punct"], ["ADJ", "NOUN", "VERB", "PUNCT"],
                ["B-NORP", "O", "O", "O"])
    party = actors.resolve(doc[1], registry())
    assert (party.country, party.org, party.role) == ("RUS", None, "MIL")


def test_the_two_leaders_are_the_last_two_parties():
    reg = registry()
    actors.resolve(build(**LAVROV)[4], reg)
    doc = build(["Chinese", "officials", "met", "."], [1, 2, 2, 2], ["amod", "nsubj", "ROOT", "punct"],
                ["ADJ", "NOUN", "VERB", "PUNCT"], ["B-NORP", "O", "O", "O"])
    actors.resolve(doc[1], reg)
    pair = build(["The", "two", "leaders", "signed", "."], [2, 2, 3, 3, 3],
                 ["det", "nummod", "nsubj", "ROOT", "punct"], ["DET", "NUM", "NOUN", "VERB", "PUNCT"],
                 ["O", "O", "O", "O", "O"], lemmas=["the", "two", "leader", "sign", "."])
    assert {p.country for p in actors.resolve_all(pair[2], reg)} == {"RUS", "CHN"}


def test_the_two_countries_named_only_as_places_are_found_in_the_text():
    # "Clashes between Kyrgyzstan and Tajikistan . The two countries agreed ." -- neither
    # state was a party before, so the registry is empty and the text supplies the pair.
    doc = build(["Clashes", "between", "Kyrgyzstan", "and", "Tajikistan", ".",
                 "The", "two", "countries", "agreed", "."],
                [0, 0, 1, 2, 2, 0, 8, 8, 9, 9, 9],
                ["ROOT", "prep", "pobj", "cc", "conj", "punct", "det", "nummod", "nsubj", "ROOT",
                 "punct"],
                ["NOUN", "ADP", "PROPN", "CCONJ", "PROPN", "PUNCT", "DET", "NUM", "NOUN", "VERB",
                 "PUNCT"],
                ["O", "O", "B-GPE", "O", "B-GPE", "O", "O", "O", "O", "O", "O"],
                lemmas=["clash", "between", "Kyrgyzstan", "and", "Tajikistan", ".", "the", "two",
                        "country", "agree", "."])
    pair = actors.resolve_all(doc[8], registry())
    assert [p.country for p in pair] == ["KGZ", "TJK"]
    assert all(p.text == "countries" and p.role == "GOV" for p in pair)
    # One state named before is no pair.
    one = build(["Kyrgyzstan", "said", ".", "The", "two", "countries", "met", "."],
                [1, 1, 1, 5, 5, 6, 6, 6],
                ["nsubj", "ROOT", "punct", "det", "nummod", "nsubj", "ROOT", "punct"],
                ["PROPN", "VERB", "PUNCT", "DET", "NUM", "NOUN", "VERB", "PUNCT"],
                ["B-GPE", "O", "O", "O", "O", "O", "O", "O"],
                lemmas=["Kyrgyzstan", "say", ".", "the", "two", "country", "meet", "."])
    assert actors.resolve_all(one[5], registry()) == []


@pytest.mark.parametrize(("word", "code"), [
    ("Afganistan", "AFG"),   # a letter dropped
    ("Ethopia", "ETH"),
    ("Quatar", "QAT"),       # a letter added
    ("Venezeula", "VEN"),    # two neighbours swapped
    ("Argentine", None),     # a nationality word, not a slip
    ("Columbia", None),      # a real name one letter from Colombia
    ("Jordan", None),        # spelled right: not a slip
    ("Kenia", None),         # too short to trust
    ("afganistan", None),    # not capitalised
    ("AFGANISTAN", None),    # capitals only: an acronym or a shout, not a name
    ("Afganistan Air", None),
])
def test_misspelled_country_names_within_one_edit(word, code):
    assert actors.fuzzy_country(word) == code


def test_a_misspelled_country_resolves_as_a_party():
    doc = build(["Afganistan", "refused", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"],
                ["PROPN", "VERB", "PUNCT"], ["B-GPE", "O", "O"])
    party = actors.resolve(doc[0], registry())
    assert (party.country, party.role) == ("AFG", "GOV")


def test_capitalised_us_is_the_united_states_not_the_pronoun():
    reg = registry()
    actors.resolve(build(**LAVROV)[4], reg)
    doc = build(["The", "US", "must", "act", "."], [1, 3, 3, 3, 3],
                ["det", "nsubj", "aux", "ROOT", "punct"], ["DET", "PROPN", "AUX", "VERB", "PUNCT"],
                ["O", "B-GPE", "O", "O", "O"])
    assert actors.resolve(doc[1], reg).country == "USA"
    pron = build(["He", "told", "us", "."], [1, 1, 1, 1], ["nsubj", "ROOT", "dobj", "punct"],
                 ["PRON", "VERB", "PRON", "PUNCT"], ["O", "O", "O", "O"])
    assert actors.resolve(pron[2], reg).country == "RUS"  # the speaker remembered


def test_dateline_end_finds_the_spaced_dash_of_a_capitalised_dateline():
    words = ["SAN", "JOSE", ",", "California", "(", "Reuters", ")", "-", "Mexico", "agreed", "."]
    spaces = [True, False, True, True, False, False, True, True, True, False, False]
    doc = Doc(VOCAB, words=words, spaces=spaces)
    assert actors.dateline_end(doc) == 7
    # A hyphen inside a name ("U.N.-Arab League") closes no dateline, nor does a plain opening.
    assert actors.dateline_end(Doc(VOCAB, words=["U.N.", "-", "Arab", "League", "envoy"],
                                   spaces=[False, False, True, True, False])) is None
    assert actors.dateline_end(Doc(VOCAB, words=["Mexico", "agreed", "-", "today"])) is None


def test_named_groups_with_a_nationality_and_african_union_agencies():
    # "The Pakistani Taliban claimed ." is Pakistan's armed group, not Afghanistan's.
    doc = build(["The", "Pakistani", "Taliban", "claimed", "."], [2, 2, 3, 3, 3],
                ["det", "amod", "nsubj", "ROOT", "punct"],
                ["DET", "ADJ", "PROPN", "VERB", "PUNCT"], ["O", "B-ORG", "I-ORG", "O", "O"])
    party = actors.resolve(doc[2], registry())
    assert (party.country, party.role) == ("PAK", "REB")
    # "Africa CDC said ." speaks for the African Union, not for Congo or any state.
    doc = build(["Africa", "CDC", "said", "."], [1, 2, 2, 2], ["compound", "nsubj", "ROOT", "punct"],
                ["PROPN", "PROPN", "VERB", "PUNCT"], ["B-ORG", "I-ORG", "O", "O"])
    party = actors.resolve(doc[1], registry(dominant="COD"))
    assert (party.org, party.country) == ("AFU", None)
