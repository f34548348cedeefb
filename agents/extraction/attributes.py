"""An attribute ruler with the stock ruler's exact output, at a fraction of its cost.

The English pipelines map fine-grained tags to coarse ones (and fix a few lemmas) with
an `AttributeRuler`: about 180 token patterns run through spaCy's `Matcher` on every
token. In `en_core_web_sm` that matching costs about a tenth of the whole pipeline,
as much as all the extraction rules together.

Almost every one of those patterns looks at a single token and only at attributes that
are fixed before the ruler runs (its tag, lower-cased text, dependency label, whether
it is whitespace). Whether such a pattern matches is therefore a function of those
attributes alone, so `IndexedAttributeRuler` works it out once per distinct
combination and remembers it. Every other pattern (several tokens, operators,
attributes it cannot read from the key) stays in a `Matcher` of its own. The matches,
their order and the attributes set are the stock ruler's; `tests/test_attributes.py`
compares the two token by token.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: Token attributes an indexed pattern may test: pattern key -> column of the key array.
_KEY_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_KEY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]

#: Distinct token keys remembered before the memory is cleared (about 25 MB at most);
#: wire copy reuses a few tens of thousands, hostile text could otherwise grow it forever.
MAX_CACHED_KEYS = 100_000

Predicate = Callable[[tuple[Any, ...]], bool]


def _value_test(value: Any) -> Callable[[Any], bool] | None:
    """A test of one attribute value, or None when the form is not one this index reads."""
    if isinstance(value, dict):
        if len(value) != 1:
            return None
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            members = frozenset(arg)
            return lambda v: v in members
        if op == "NOT_IN" and isinstance(arg, list):
            members = frozenset(arg)
            return lambda v: v not in members
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return lambda v: isinstance(v, str) and rx.search(v) is not None
        return None
    if isinstance(value, (str, bool)):
        return lambda v: v == value
    return None


def compile_token_spec(spec: Any) -> Predicate | None:
    """A predicate over a token key for one token of a pattern, or None if it needs a Matcher."""
    if not isinstance(spec, dict) or not spec:
        return None
    tests: list[tuple[int, Callable[[Any], bool]]] = []
    for attr, value in spec.items():
        column = _KEY_COLUMNS.get(attr)
        test = _value_test(value) if column is not None else None
        if test is None:  # an operator ("OP"), or an attribute outside the key
            return None
        if attr == "IS_SPACE" and not isinstance(value, bool):
            return None
        tests.append((column, test))
    return lambda key: all(test(key[column]) for column, test in tests)


def compile_pattern(pattern: Any) -> list[Predicate] | None:
    """One predicate per token of a fixed-length pattern, or None if it needs a Matcher."""
    if not isinstance(pattern, list) or not pattern:
        return None
    predicates = [compile_token_spec(spec) for spec in pattern]
    if any(p is None for p in predicates):
        return None
    return predicates  # type: ignore[return-value]


class IndexedAttributeRuler(AttributeRuler):
    """`AttributeRuler` whose fixed-length patterns are decided once per token key.

    Each token of such a pattern is a slot; which slots a token fills depends only on
    its key (tag, lower-cased text, dependency label, whitespace), so it is computed
    once per distinct key. A one-token pattern matches where its slot is filled; a
    longer one where its slots are filled by consecutive tokens.
    """

    def __init__(self, vocab: Any, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._reset_index()

    def _reset_index(self) -> None:
        self._slots: list[Predicate] | None = None
        #: per slot: (attribute id, pattern length, position in the pattern)
        self._slot_info: list[tuple[int, int, int]] = []
        self._residual: Matcher | None = None
        self._match_ids: list[int] = []
        self._cache: dict[tuple[int, ...], tuple[int, ...]] = {}

    def add(self, patterns: Iterable[Any], attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._reset_index()

    def clear(self) -> None:
        super().clear()
        self._reset_index()

    def from_bytes(self, *args: Any, **kwargs: Any) -> "IndexedAttributeRuler":
        out = super().from_bytes(*args, **kwargs)
        self._reset_index()
        return out

    def from_disk(self, *args: Any, **kwargs: Any) -> "IndexedAttributeRuler":
        out = super().from_disk(*args, **kwargs)
        self._reset_index()
        return out

    def _build(self) -> None:
        slots: list[Predicate] = []
        info: list[tuple[int, int, int]] = []
        residual = Matcher(self.vocab, validate=self.validate)
        for attr_id in range(len(self.attrs)):
            key = str(attr_id)
            _, patterns = self.matcher.get(key)
            rest = []
            for pattern in patterns:
                predicates = compile_pattern(pattern)
                index = self.indices[attr_id]
                if predicates is None or not -len(predicates) <= index < len(predicates):
                    rest.append(pattern)  # the Matcher, and the stock error for a bad index
                    continue
                for position, predicate in enumerate(predicates):
                    slots.append(predicate)
                    info.append((attr_id, len(predicates), position))
            if rest:
                residual.add(self.vocab.strings.add(key), rest)
        self._slots, self._slot_info = slots, info
        self._match_ids = [self.vocab.strings.add(str(i)) for i in range(len(self.attrs))]
        self._residual = residual if len(residual) else None

    def _decide(self, key: tuple[int, ...]) -> tuple[int, ...]:
        strings = self.vocab.strings
        text_key = (strings[key[0]] if key[0] else "", strings[key[1]] if key[1] else "",
                    strings[key[2]] if key[2] else "", bool(key[3]))
        assert self._slots is not None
        filled = tuple(slot for slot, predicate in enumerate(self._slots) if predicate(text_key))
        if len(self._cache) >= MAX_CACHED_KEYS:
            self._cache.clear()
        self._cache[key] = filled
        return filled

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self._slots is None:
            self._build()
        if len(doc) == 0:
            return []
        strings, info, match_ids = self.vocab.strings, self._slot_info, self._match_ids
        cache, decide = self._cache, self._decide
        rows = doc.to_array(_KEY_ATTRS).tolist()
        filled = []
        for row in rows:
            key = tuple(row)
            slots = cache.get(key)
            filled.append(decide(key) if slots is None else slots)
        matches: set[tuple[int, int, int, int]] = set()
        n = len(filled)
        for i, slots in enumerate(filled):
            for slot in slots:
                attr_id, length, position = info[slot]
                if position:
                    continue
                if length > 1 and not (i + length <= n and all(
                        slot + k in filled[i + k] for k in range(1, length))):
                    continue
                matches.add((attr_id, match_ids[attr_id], i, i + length))
        if self._residual is not None:
            for m_id, start, end in self._residual(doc, allow_missing=True, as_spans=False):
                matches.add((int(strings[m_id]), m_id, start, end))
        return sorted(matches)

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        """The stock ruler's annotation, in the same order, without a Span per one-token match."""
        attrs, indices = self.attrs, self.indices
        for attr_id, match_id, start, end in matches:
            if end - start == 1 and indices[attr_id] in (0, -1):
                set_token_attrs(doc[start], attrs[attr_id])
            else:
                super().set_annotations(doc, [(attr_id, match_id, start, end)])


@Language.factory("wirewatch_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Swap the stock ruler `name` of `nlp` for an indexed one with the same patterns.

    Returns False (and changes nothing) when `nlp` has no stock ruler by that name.
    """
    if name not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe(name)
    if type(stock) is not AttributeRuler:
        return False
    patterns = list(stock.patterns)
    nlp.replace_pipe(name, "wirewatch_attribute_ruler", config={"validate": stock.validate})
    nlp.get_pipe(name).add_patterns(patterns)
    return True
