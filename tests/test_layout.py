"""A line break ends a sentence: headlines, datelines and subheads stand alone."""
from __future__ import annotations

import spacy
from spacy.tokens import Doc

from agents.extraction.layout import LineBreaks


def _doc(words, spaces):
    return LineBreaks()(Doc(spacy.blank("en").vocab, words=words, spaces=spaces))


def test_the_word_after_a_line_break_starts_a_sentence():
    doc = _doc(["Talks", "end", "\n", "Iran", "met", "Iraq", "."],
               [True, False, False, True, True, False, False])
    assert doc[3].is_sent_start is True
    assert doc[4].is_sent_start is False  # a line's first word is no sentence of its own


def test_a_paragraph_break_and_a_space_before_it_count_too():
    doc = _doc(["Summit", " \n\n", "WASHINGTON", "\n", "The", "US", "vetoed", "it"],
               [False, False, False, False, True, True, True, False])
    assert doc[2].is_sent_start is True
    assert doc[4].is_sent_start is True
    assert doc[3].is_sent_start is None  # a one-word line: nothing after it to hold


def test_words_on_one_line_are_left_to_the_parser():
    doc = _doc(["Taliban", ",", "Pakistan", "agree", "to", "meet"],
               [False, True, True, True, True, False])
    assert all(t.is_sent_start is None for t in doc[1:])


def test_the_pipeline_reads_a_headline_apart_from_the_first_sentence(nlp):
    text = ("Taliban, Pakistan agree to meet again in Istanbul next week, says statement\n"
            "Taliban and Pakistan will reconvene in Istanbul on November 6.")
    line = text.index("\n")
    sents = list(nlp(text).sents)
    assert not any(s.start_char < line < s.end_char - 1 for s in sents)  # none across it
    assert any(s.start_char == line + 1 for s in sents)


def test_a_lead_after_a_headline_keeps_its_first_word(nlp):
    """Left free, the parser ended a sentence after the lead's first word."""
    text = ("Two Chicago Firefighters Killed, 14 Injured After Building Collapsed\n\n"
            "Two Chicago firefighters were killed and more than a dozen injured Wednesday.")
    lead = text.index("\n\n") + 2
    sents = [s for s in nlp(text).sents if s.start_char >= lead]
    assert sents[0].text.startswith("Two Chicago firefighters were killed")


def test_an_opening_mark_and_the_word_after_it_hold_together():
    doc = _doc(["Shot", "\n\n", "(", "AP", ")", "Police", "said", "so", ".", "\n", "Yes", "."],
               [False, False, False, False, True, True, True, False, False, False, False, False])
    assert doc[2].is_sent_start is True
    assert doc[3].is_sent_start is False and doc[4].is_sent_start is False
    assert doc[5].is_sent_start is None  # past the line's first word: the parser's call
    assert doc[10].is_sent_start is True and doc[11].is_sent_start is None  # "Yes." may end
