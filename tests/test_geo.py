"""The offline gazetteer: names, aliases, demonyms, metonyms, places in parsed text."""
import pytest
from spacy.tokens import Doc
import spacy

from agents.extraction import geo, lexicon
from agents.extraction.lexicon import LexiconError


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Syria", "SYR"), ("Syria's", "SYR"), ("Britain", "GBR"), ("U.S.", "USA"), ("US", "USA"),
        ("the United States", "USA"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"),
        ("Moscow", "RUS"), ("the Kremlin", "RUS"), ("Washington", "USA"),
        ("the White House", "USA"), ("Downing Street", "GBR"), ("Beijing", "CHN"),
        ("Damascus", "SYR"), ("Georgia", "GEO"), ("Gaza", "PSE"),
    ],
)
def test_resolve_places(text, iso3):
    loc = geo.resolve(text)
    assert loc is not None and loc.country == iso3 and loc.text == text.strip()


def test_resolve_prefers_country_then_capital_then_big_city():
    assert geo.resolve("Georgia").country == "GEO"  # not the US state
    moscow = geo.resolve("Moscow")
    assert moscow.country == "RUS" and moscow.lat == pytest.approx(55.75, abs=0.1)
    assert geo.resolve("Aleppo").country == "SYR"
    assert geo.resolve("Geneva").country == "CHE"


@pytest.mark.parametrize("text", ["us", "Of", "", "   ", "Xyzzyland"])
def test_resolve_rejects_words_and_unknowns(text):
    assert geo.resolve(text) is None


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("Syrian", "SYR"), ("Egyptian", "EGY"), ("U.S.", "USA"), ("American", "USA"),
     ("Moscow", "RUS"), ("Kremlin", "RUS"), ("the Kremlin", "RUS"), ("Russian capital", "RUS"),
     ("British", "GBR"), ("Chinese", "CHN"), ("Elysee", "FRA")],
)
def test_country_of(text, iso3):
    assert geo.country_of(text) == iso3


def test_country_of_ignores_cities_and_pronouns():
    assert geo.country_of("Geneva") is None  # a venue, not a state's voice
    assert geo.country_of("us") is None
    assert geo.country_of(None) is None


def test_country_location_has_name_and_centre():
    syr = geo.country_location("SYR")
    assert (syr.text, syr.country, syr.lat, syr.lon) == ("Syria", "SYR", 35.0, 38.0)
    assert geo.country_location("rus").country == "RUS"


VOCAB = spacy.blank("en").vocab


def _doc(words, heads, deps, ents):
    return Doc(VOCAB, words=words, heads=heads, deps=deps, ents=ents)


def test_locate_prefers_place_after_preposition():
    # "Russia held talks in Geneva ."
    doc = _doc(["Russia", "held", "talks", "in", "Geneva", "."],
               [1, 1, 1, 1, 3, 1], ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
               ["B-GPE", "O", "O", "O", "B-GPE", "O"])
    loc = geo.locate(doc[:])
    assert loc.text == "Geneva" and loc.country == "CHE"
    # Without a locative phrase the bare mention is the only candidate ...
    assert geo.locate(doc[0:3]).country == "RUS"
    # ... and none is accepted when a locative is required.
    assert geo.locate(doc[0:3], require_locative=True) is None


def test_locate_ignores_nationality_words():
    doc = _doc(["Syrian", "officials", "spoke", "."], [1, 2, 2, 2],
               ["amod", "nsubj", "ROOT", "punct"], ["B-NORP", "O", "O", "O"])
    assert geo.locate(doc[:]) is None


def test_dominant_country_weights_mentions_and_early_sentences():
    # Sentence 1 names Egypt; sentence 2 names Syria twice (once as a demonym).
    words = ["Egypt", "spoke", ".", "Syrian", "troops", "left", "Syria", "."]
    doc = _doc(words, [1, 1, 1, 5, 5, 5, 5, 5],
               ["nsubj", "ROOT", "punct", "amod", "nsubj", "ROOT", "dobj", "punct"],
               ["B-GPE", "O", "O", "B-NORP", "O", "O", "B-GPE", "O"])
    # Egypt: 1 + 1 = 2; Syria: 2 * (1 + 1/2) = 3.
    assert geo.dominant_country(doc) == "SYR"
    first_only = _doc(["Egypt", "spoke", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"],
                      ["B-GPE", "O", "O"])
    assert geo.dominant_country(first_only) == "EGY"
    assert geo.dominant_country(_doc(["Hi", "."], [0, 0], ["ROOT", "punct"], ["O", "O"])) is None


def test_countries_lexicon_is_valid_and_validated():
    data = lexicon.load("countries")
    assert data["SYR"]["centroid"] == (35.0, 38.0)
    validate = lexicon.VALIDATORS["countries"]
    with pytest.raises(LexiconError, match="unknown key"):
        validate({"SYR": {"centroid": [35, 38], "capitol": ["x"]}}, "t")
    with pytest.raises(LexiconError, match="out of range"):
        validate({"SYR": {"centroid": [135, 38]}}, "t")
    with pytest.raises(LexiconError, match="alpha-3"):
        validate({"Syria": {"centroid": [35, 38]}}, "t")
