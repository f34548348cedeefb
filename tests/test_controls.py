"""Control and format characters are blanked before tokenizing, offsets kept."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from agents.extraction.guards import blank_controls, prepare

CONTROLS = st.characters(categories=("Cc", "Cf")).filter(lambda c: not c.isspace())
SENTENCE = "Ten people were killed in an attack on a market in Aleppo, Syria, on Monday, activists said."


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_blanking_keeps_length_and_leaves_no_glue(text):
    out = blank_controls(text)
    assert len(out) == len(text)
    for i, (a, b) in enumerate(zip(text, out)):
        if a != b:
            assert b == " " and unicodedata.category(a) in ("Cc", "Cf")
        elif unicodedata.category(b) in ("Cc", "Cf") and not b.isspace():
            # only a joiner inside a word survives
            assert b in "\u00ad\u200c\u200d" and out[i - 1].isalpha() and out[i + 1].isalpha()
    assert blank_controls(out) == out


def test_plain_text_and_joiners_inside_words_are_untouched():
    assert blank_controls(SENTENCE) == SENTENCE
    assert blank_controls("co\u00adoperate") == "co\u00adoperate"
    assert blank_controls("\u0000\u0007Ten\u200b people\ufeff") == "  Ten  people "


@pytest.mark.model
@settings(max_examples=25, deadline=None)
@given(st.text(CONTROLS, min_size=1, max_size=4))
def test_a_claim_glued_to_controls_is_found_as_with_spaces(nlp, glue):
    from agents.extraction import ArticleContext, extract_texts

    def claims(text):
        (result,) = extract_texts(nlp, [(text, ArticleContext(article_id="a"))])
        return [(c.category, c.count.low, c.span, c.location and c.location.country)
                for c in result.casualty_claims]

    spaced = claims(" " * len(glue) + SENTENCE)
    assert spaced and spaced[0][:2] == ("killed", 10)
    assert claims(glue + SENTENCE) == spaced
    assert prepare(glue + SENTENCE) == " " * len(glue) + SENTENCE
