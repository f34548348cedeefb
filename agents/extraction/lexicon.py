"""Loading and validating the lexicon data files shipped in `lexicons/`.

Every lexicon is a JSON object ``{"description": str, "entries": ...}``. Modules that
use a lexicon describe the shape of its entries with a small `Schema`; a file that
does not match fails loudly, naming the file and the offending path, rather than
quietly matching nothing at run time.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable

PACKAGE = "agents.extraction"


class LexiconError(ValueError):
    """A lexicon file is missing or malformed."""


@dataclass(frozen=True)
class Field:
    """One key of a dict entry: the type(s) it takes and whether it must be present."""

    types: tuple[type, ...]
    required: bool = True
    choices: tuple[Any, ...] | None = None


def check_record(value: Any, fields: dict[str, Field], where: str) -> dict[str, Any]:
    """Check that `value` is a dict with exactly the known `fields`; return it."""
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected an object, got {type(value).__name__}")
    unknown = set(value) - set(fields)
    if unknown:
        raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}; allowed {sorted(fields)}")
    for key, spec in fields.items():
        if key not in value:
            if spec.required:
                raise LexiconError(f"{where}: missing key {key!r}")
            continue
        item = value[key]
        if not isinstance(item, spec.types) or (isinstance(item, bool) and bool not in spec.types):
            names = "/".join(t.__name__ for t in spec.types)
            raise LexiconError(f"{where}.{key}: expected {names}, got {type(item).__name__}")
        if spec.choices is not None:
            items = item if isinstance(item, list) else [item]
            bad = [i for i in items if i not in spec.choices]
            if bad:
                raise LexiconError(f"{where}.{key}: {bad} not in {list(spec.choices)}")
    return value


def check_string_list(value: Any, where: str) -> list[str]:
    """Check that `value` is a non-empty list of non-empty strings."""
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: expected a non-empty list of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise LexiconError(f"{where}[{i}]: expected a non-empty string, got {item!r}")
    return value


def check_word_list(value: Any, where: str) -> frozenset[str]:
    """Check that `value` is a non-empty list of single lower-case words (lemmas)."""
    words = check_string_list(value, where)
    for i, word in enumerate(words):
        if word != word.strip().lower() or " " in word:
            raise LexiconError(f"{where}[{i}]: {word!r} is not one lower-case word")
    return frozenset(words)


def read_json(name: str) -> Any:
    """Raw parsed content of `lexicons/<name>.json`."""
    path = resources.files(PACKAGE).joinpath("lexicons", f"{name}.json")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LexiconError(f"lexicon {name!r} not found at {path}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"lexicon {name!r}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc


#: name -> validator(entries, where) returning the validated/compiled entries.
VALIDATORS: dict[str, Callable[[Any, str], Any]] = {}


def register(name: str) -> Callable[[Callable[[Any, str], Any]], Callable[[Any, str], Any]]:
    """Decorator: register the validator of lexicon `name` (used by `load` and the tests)."""

    def wrap(fn: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
        VALIDATORS[name] = fn
        return fn

    return wrap


@functools.cache
def load(name: str) -> Any:
    """Load, validate and cache lexicon `name`; returns what its validator returns."""
    data = read_json(name)
    where = f"lexicons/{name}.json"
    check_record(data, {"description": Field((str,)), "entries": Field((dict, list))}, where)
    validator = VALIDATORS.get(name)
    if validator is None:
        raise LexiconError(f"{where}: no validator registered for lexicon {name!r}")
    return validator(data["entries"], f"{where}:entries")
