"""Which articles are in English: the only language the extraction rules read.

An article whose `language` field names another language is skipped; without the
field, the language is detected from the start of the text with py3langid (a naive
Bayes model over byte n-grams, about a quarter of a millisecond per article). A
detection overrules English only when it is confident and the text long enough to
judge (100 letters): short texts, figures and mixed texts are kept, since extracting an English article is worth
more than skipping a foreign one.
"""
from __future__ import annotations

import threading
from typing import Any

#: Reasons an article is skipped (the `reason` label of `wirewatch_articles_skipped_total`).
SKIP_REASONS = ("not_english",)

#: Characters of text the detector reads.
SAMPLE_CHARS = 2000
#: Texts with fewer letters are taken as English whatever the detector says.
MIN_DETECT_CHARS = 100
#: Detector labels that name no language (`zxx`: no linguistic content, such as figures).
NO_LANGUAGE = frozenset(("zxx", "und"))
#: Probability a detected language needs to overrule English.
MIN_CONFIDENCE = 0.95


def is_english_tag(tag: str) -> bool:
    """`en`, `EN`, `en-GB`, `en_US`, `eng`, `english`."""
    primary = tag.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary in ("en", "eng", "english")


class LanguageGate:
    """Says whether an article is skipped for its language, and why."""

    def __init__(self) -> None:
        self._identifier: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the detector's model (two seconds or so, once)."""
        with self._lock:
            if self._identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> tuple[str, float]:
        """The most likely language of `text` (ISO 639-1) and its probability."""
        if self._identifier is None:
            self.load()
        lang, confidence = self._identifier.classify(text[:SAMPLE_CHARS])
        return lang, float(confidence)

    def skip_reason(self, language: str | None, text: str) -> str | None:
        """None to extract the article, else one of `SKIP_REASONS`."""
        if language is not None and language.strip():
            return None if is_english_tag(language) else "not_english"
        sample = text.strip()
        if sum(c.isalpha() for c in sample[:SAMPLE_CHARS]) < MIN_DETECT_CHARS:
            return None
        lang, confidence = self.detect(sample)
        foreign = lang != "en" and lang not in NO_LANGUAGE
        return "not_english" if foreign and confidence >= MIN_CONFIDENCE else None
