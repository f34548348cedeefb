"""The relevance gate: which articles need the parser at all.

A general news wire is mostly sport, markets, weather, culture and technology. The
extraction rules can only produce a record where the text holds what they start
from: a casualty claim starts from a figure with a harm cue in its sentence, a
diplomatic event from an event cue (with the object, particle or word the cue
requires). The gate looks for those signals in the tokenized text only (spaCy's
tokenizer and a `PhraseMatcher`, no tagger, parser or entity recogniser), and an
article without one is answered with an empty extraction instead of being parsed. For
an article with signals, the verdict names its excerpt: the rough sentences the signals
need, and the first; `extract_texts` parses that first and the whole article only when
the excerpt yields a record.

The signals are read from the same lexicons as the rules, generically:

- harm words: every word of every category of `casualty_cues` (a new category or
  a new list in one is picked up as it is), each verb + word phrase as the pair,
  and every other list of that lexicon but the linking words (toll nouns, flight
  verbs, any list added later); and the words of `harm_words`, which the rules read
  from the parse ("among the victims", "have not been accounted for");
- figures: a token that starts with a digit, or any single word of `count_words`
  other than its qualifier and joiner phrases;
- event cues: the lemma of each `event_verbs` entry, with the words its match
  requires (objects, particles, required words, carriers, modifiers, ...).

Lemmas become surface forms by inverting the loaded pipeline's own lemmatizer (its
suffix rules, exception table and the attribute ruler's lemma fixes), so every form
the tagger could lemmatize to a cue is looked for. The gate must be conservative: a
signal counts in its rough sentence (split at `.`, `!`, `?`, `;` and paragraph
breaks) and the sentences either side, so a sentence the parser joins across a
boundary is still covered. `tests/test_gate.py` compares gated and ungated output
record by record on every evaluation set of the repository.
"""
from __future__ import annotations

import bisect
import re
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import lexicon

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

#: Keys of `count_words` that are phrases around a figure, not figures.
_NOT_FIGURES = frozenset({"prefix_qualifiers", "suffix_qualifiers", "range_joiners"})
#: Keys of `casualty_cues` outside the categories that only link a figure to a harm
#: word named elsewhere ("the number of dead rose to", "fled to a stadium": the goal of
#: a flight verb); every other key (toll nouns, flight verbs, any key added later)
#: holds harm words.
_LINK_KEYS = frozenset({"count_nouns", "toll_verbs", "linking_verbs", "exceed_verbs",
                        "refuge_places"})
#: Keys of an `event_verbs` entry whose words a match requires (a cue with objects
#: matches only with one of them, and so on). Other keys do not narrow a match.
_EVENT_NEEDS = ("objects", "particles", "requires_word", "complement_modal",
                "requires_prep_child", "carriers", "modifiers")
#: Rough sentence ends (tokens); a paragraph break ends one too.
_ENDS = frozenset({".", "!", "?", ";"})
_PARAGRAPH = re.compile(r"\n\s*\n")
#: Rough sentences either side of a signal's own that it may share a parsed sentence with.
WINDOW = 1
#: Rough sentences either side of a signal sentence that go into its excerpt when the
#: sentence holds the signal alone (one whose words come from its neighbours takes
#: them too). The excerpt only has to show whether the article has a record at all.
EXCERPT_CONTEXT = 0
#: An excerpt longer than this share of its article is not worth parsing on its own.
EXCERPT_SHARE = 0.6


def _strings(value: Any) -> Iterator[str]:
    """Every string in a lexicon value (lists, dict keys and values), depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _harm_words(entries: dict[str, Any]) -> tuple[set[str], set[tuple[str, str]]]:
    """Harm words that are cues alone, and (verb, word) phrases that are cues together."""
    words: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for spec in entries["categories"].values():
        for key, value in spec.items():
            if key == "nouns" and isinstance(value, dict):
                words.update(value)  # the noun is the cue; its governors come with it
            elif key == "phrases" and isinstance(value, list):
                # A phrase is its verb with its word below it ("fled their homes").
                for phrase in value:
                    if isinstance(phrase, dict) and {"verb", "word"} <= set(phrase):
                        pairs.add((phrase["verb"].lower(), phrase["word"].lower()))
                    else:
                        words.update(_strings(phrase))
            else:
                words.update(_strings(value))
    for key, value in entries.items():
        if key != "categories" and key not in _LINK_KEYS:
            words.update(_strings(value))
    return {w.lower() for w in words}, pairs


def _figure_words(entries: dict[str, Any]) -> set[str]:
    return {w.lower() for key, value in entries.items() if key not in _NOT_FIGURES
            for w in _strings(value) if " " not in w.strip()}


@dataclass(frozen=True)
class EventCue:
    """One `event_verbs` entry as the gate sees it: its lemma and the word sets it needs."""

    lemma: str
    needs: tuple[frozenset[str], ...]


def _event_cues(entries: list[dict[str, Any]]) -> list[EventCue]:
    out = []
    for raw in entries:
        needs = []
        for key in _EVENT_NEEDS:
            if key == "particles" and raw.get("optional_particles"):
                continue
            words = frozenset(w.lower() for w in _strings(raw.get(key, [])))
            if words:
                needs.append(words)
        out.append(EventCue(raw["lemma"].lower(), tuple(needs)))
    return out


class Forms:
    """Surface forms of a lemma under the pipeline's lemmatizer (lower case)."""

    def __init__(self, nlp: "Language") -> None:
        self.rules: list[tuple[str, str]] = []
        self.exceptions: dict[str, set[str]] = {}
        if "lemmatizer" in nlp.pipe_names:
            lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
            if lookups is not None and lookups.has_table("lemma_rules"):
                for rules in lookups.get_table("lemma_rules").values():
                    self.rules.extend((old, new) for old, new in rules)
            if lookups is not None and lookups.has_table("lemma_exc"):
                for table in lookups.get_table("lemma_exc").values():
                    for form, lemmas in table.items():
                        for lemma in lemmas:
                            self.exceptions.setdefault(lemma.lower(), set()).add(form.lower())
        if "attribute_ruler" in nlp.pipe_names:
            for pattern in getattr(nlp.get_pipe("attribute_ruler"), "patterns", []):
                lemma = pattern.get("attrs", {}).get("LEMMA")
                if not isinstance(lemma, str):
                    continue
                for tokens in pattern.get("patterns", []):
                    for spec in tokens if isinstance(tokens, list) else []:
                        for key in ("LOWER", "ORTH", "TEXT"):
                            value = spec.get(key)
                            texts = value.get("IN", []) if isinstance(value, dict) else [value]
                            for text in texts:
                                if isinstance(text, str):
                                    self.exceptions.setdefault(lemma.lower(), set()).add(text.lower())

    def __call__(self, lemma: str) -> set[str]:
        lemma = lemma.lower()
        forms = {lemma, *self.exceptions.get(lemma, ())}
        for old, new in self.rules:
            if lemma.endswith(new):
                stem = lemma[: len(lemma) - len(new)] if new else lemma
                if stem:
                    forms.add(stem + old)
        return forms


@dataclass(frozen=True)
class Verdict:
    """The gate's answer for one article."""

    relevant: bool
    sentences: int  # rough sentences of the article
    #: Character ranges of the article that a relevant article's records can come from:
    #: each rough sentence with a signal and `EXCERPT_CONTEXT` either side, plus the
    #: first (headline or dateline); merged and in order. Empty when not relevant.
    excerpt: tuple[tuple[int, int], ...] = ()
    excerpt_sentences: int = 0


class Gate:
    """Signals of the lexicons, matched on a tokenized article."""

    def __init__(self, nlp: "Language") -> None:
        from spacy.matcher import PhraseMatcher

        from . import casualties, events, harm_words, numbers  # noqa: F401 - register the validators

        # Validated first: a malformed lexicon fails here as it would in the rules.
        for name in ("casualty_cues", "count_words", "event_verbs", "harm_words"):
            lexicon.load(name)
        forms = Forms(nlp)
        harm, pairs = _harm_words(lexicon.read_json("casualty_cues")["entries"])
        harm |= harm_words.load().all  # "among the victims", "not accounted for"
        self.harm, self.harm_pairs = frozenset(harm), tuple(sorted(pairs))
        self.figures = frozenset(_figure_words(lexicon.read_json("count_words")["entries"]))
        self.events = _event_cues(lexicon.read_json("event_verbs")["entries"])
        words = set(self.harm) | set(self.figures) | {w for pair in pairs for w in pair}
        for cue in self.events:
            words.add(cue.lemma)
            for need in cue.needs:
                words.update(need)
        self.vocab = nlp.vocab
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer = nlp.tokenizer
        for word in sorted(words):
            patterns = []
            for form in sorted(forms(word) if " " not in word else {word}):
                doc = tokenizer(form)
                if len(doc):
                    patterns.append(doc)
                if len(doc) > 1:
                    # A word the tokenizer splits ("cease-fire"): each part, so no
                    # spelling of it can be missed.
                    patterns.extend(tokenizer(t.text) for t in doc if t.is_alpha and not t.is_stop)
            self.matcher.add(word, patterns)
        self._lock = threading.Lock()  # spaCy matchers are not meant for concurrent calls

    def check(self, doc: "Doc") -> Verdict:
        """Whether the tokenized `doc` holds a signal the rules could start from, and where."""
        with self._lock:
            found = self.matcher(doc)
        # One pass over the tokens: rough sentence ends, and figures (a leading digit).
        starts, digits = [0], []
        last = len(doc) - 1
        for token in doc:
            text = token.text
            if text[:1].isdecimal():
                digits.append(token.i)
            if token.i < last and (text in _ENDS or _PARAGRAPH.search(text)):
                starts.append(token.i + 1)
        count = len(starts)
        if not found:
            return Verdict(False, count)
        strings = self.vocab.strings
        per: list[set[str]] = [set() for _ in range(count)]
        for key, start, _ in found:
            per[bisect.bisect_right(starts, start) - 1].add(strings[key])
        for start in digits:
            per[bisect.bisect_right(starts, start) - 1].add("\x00figure")
        keep = self._needed(per)
        if not keep:
            return Verdict(False, count)
        kept = sorted({0} | {t for s in keep
                             for t in range(max(0, s - EXCERPT_CONTEXT), min(count, s + EXCERPT_CONTEXT + 1))})
        bounds = [doc[i].idx for i in starts] + [len(doc.text)]
        ranges: list[tuple[int, int]] = []
        for s in kept:
            begin, end = bounds[s], bounds[s + 1]
            if ranges and ranges[-1][1] == begin:
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((begin, end))
        return Verdict(True, count, tuple(ranges), len(kept))

    def _needed(self, per: list[set[str]]) -> set[int]:
        """The rough sentences a signal needs: one that holds it alone; else two
        neighbours that hold it together; else three (`WINDOW` either side of a
        sentence with a match). The article is relevant when any sentence is needed,
        exactly when some sentence's window holds a signal."""
        count, sig = len(per), self._signal
        alone = [bool(p) and sig(p) for p in per]
        keep = {s for s in range(count) if alone[s]}
        pairs = [False] * count  # pairs[s]: sentences s and s + 1 hold one together
        for s in range(count - 1):
            if (per[s] or per[s + 1]) and not alone[s] and not alone[s + 1] and sig(per[s] | per[s + 1]):
                pairs[s] = True
                keep.update((s, s + 1))
        for s in range(count):
            low, high = max(0, s - WINDOW), min(count, s + WINDOW + 1)
            if not per[s] or any(alone[low:high]) or any(pairs[low:high - 1]):
                continue
            window: set[str] = set()
            for t in range(low, high):
                window |= per[t]
            if sig(window):
                keep.update(range(low, high))
        return keep

    def _signal(self, window: set[str]) -> bool:
        if ("\x00figure" in window or window & self.figures) and (
                window & self.harm or any(v in window and w in window for v, w in self.harm_pairs)):
            return True
        return any(cue.lemma in window and all(window & need for need in cue.needs)
                   for cue in self.events)


_gates: "weakref.WeakKeyDictionary[Any, Gate]" = weakref.WeakKeyDictionary()
_gates_lock = threading.Lock()


def for_pipeline(nlp: "Language") -> Gate:
    """The gate of a loaded pipeline, built on first use (about a second)."""
    with _gates_lock:
        gate = _gates.get(nlp)
        if gate is None:
            gate = _gates[nlp] = Gate(nlp)
        return gate
