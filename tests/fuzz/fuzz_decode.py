"""Coverage-guided fuzzing (atheris) of the input decoder and the extraction core.

Targets:
  decode   `streams.decode.decode_article` on arbitrary bytes and keys: it must
           return an `Article` or a `Rejected` with a known reason, never raise.
  extract  decode, then `agents.extraction.extract_texts` with the trained pipeline
           on every accepted text: records must point inside the text.

Run a bounded session (what `tests/test_hostile.py::test_fuzz_run` does):

    python tests/fuzz/fuzz_decode.py decode -atheris_runs=20000 -max_len=4096
    python tests/fuzz/fuzz_decode.py extract -atheris_runs=300 -max_len=2048

Any further arguments are libFuzzer's (a corpus directory, -max_total_time=...).
A finding is written as crash-* in the working directory, and exits non-zero.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from streams.decode import REASONS, Article, Rejected, decode_article

_nlp = None


def _split(data: bytes) -> tuple[bytes | None, bytes | None, int]:
    """First byte picks the key, tombstone and size-limit variants; the rest is the value."""
    if not data:
        return None, None, 1
    flags, rest = data[0], data[1:]
    key_len = flags & 0x0F
    key = rest[:key_len] if flags & 0x10 else None
    value = None if flags & 0x20 and not rest else rest[key_len:] if flags & 0x10 else rest
    limit = 64 if flags & 0x40 else 1_000_000
    return key, value, limit


def check_decode(data: bytes) -> Article | Rejected:
    key, value, limit = _split(data)
    result = decode_article(value, key, "fuzz:0:0", limit)
    if isinstance(result, Rejected):
        if result.reason not in REASONS or not result.detail:
            raise AssertionError(f"bad rejection {result!r}")
    elif isinstance(result, Article):
        if not isinstance(result.text, str) or not result.text.strip() or not result.id:
            raise AssertionError(f"bad article {result!r}")
    else:
        raise AssertionError(f"unexpected result {result!r}")
    return result


def check_extract(data: bytes) -> None:
    global _nlp
    result = check_decode(data)
    if not isinstance(result, Article):
        return
    from agents.extraction import ArticleContext, extract_texts

    if _nlp is None:
        from agents.extraction.nlp import load

        _nlp = load()
    (out,) = extract_texts(_nlp, [(result.text, ArticleContext(article_id=result.id))])
    for rec in (*out.casualty_claims, *out.diplomatic_events):
        start, end = rec.span
        if not (0 <= start <= end <= len(result.text)) or result.text[start:end] != rec.sentence:
            raise AssertionError(f"record outside its text: {rec!r}")


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in ("decode", "extract"):
        raise SystemExit(f"usage: {argv[0]} decode|extract [libFuzzer options]")
    target = check_decode if argv[1] == "decode" else check_extract
    if target is check_extract:
        from agents.extraction.nlp import load

        globals()["_nlp"] = load()  # before fuzzing starts, not inside the first run
    atheris.Setup([argv[0], *argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
