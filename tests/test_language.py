"""Articles not in English: skipped, counted, no outputs."""
import json

import pytest

from agents.language import MIN_DETECT_CHARS, SKIP_REASONS, LanguageGate, is_english_tag
from streams import metrics

FRENCH = ("Dix personnes ont été tuées lundi dans une attaque contre un marché de la ville, a indiqué "
          "le ministère de la Santé, qui fait aussi état de vingt blessés transportés à l'hôpital.")
ENGLISH = ("Ten people were killed on Monday in an attack on a market in the city, the health ministry "
           "said, adding that twenty wounded had been taken to hospital.")


@pytest.fixture(scope="module")
def gate():
    g = LanguageGate()
    g.load()
    return g


def test_language_tags():
    assert all(is_english_tag(t) for t in ("en", "EN", "en-GB", "en_US", "eng", "English"))
    assert not any(is_english_tag(t) for t in ("fr", "de-DE", "ar", "es_419"))


def test_the_field_decides_when_present(gate):
    assert gate.skip_reason("fr", ENGLISH) == "not_english"
    assert gate.skip_reason("en-GB", FRENCH) is None
    assert gate.skip_reason("  ", FRENCH) == "not_english"  # blank: detected


def test_detection_without_the_field(gate):
    assert gate.detect(FRENCH)[0] == "fr"
    assert gate.skip_reason(None, FRENCH) == "not_english"
    assert gate.skip_reason(None, ENGLISH) is None
    # Too short to judge: kept (a three-word English headline often looks like another language).
    short = "Ten killed."
    assert len(short) < MIN_DETECT_CHARS and gate.skip_reason(None, short) is None
    # Figures are no language: the detector says so ("zxx"), and the text is read.
    figures = " ".join(str(i) for i in range(500))
    assert gate.skip_reason(None, figures) is None
    assert gate.skip_reason(None, "0 1 2 " * 50 + FRENCH) == "not_english"


def test_no_english_text_of_the_evaluation_sets_is_skipped(gate):
    from pathlib import Path

    root = Path(__file__).parent
    skipped = []
    for name in ("devset", "newsdev", "blindset"):
        for line in (root / name / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            art = json.loads(line)
            if gate.skip_reason(art.get("language"), art["text"]):
                skipped.append(art["id"])
    assert skipped == []


def test_skip_reasons_are_the_metric_labels():
    assert metrics.SKIP_REASONS == SKIP_REASONS
