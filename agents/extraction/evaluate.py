"""`wirewatch eval`: run the extractor over annotated articles and report scores.

Entry point for the command line::

    main(argv: Sequence[str] | None = None) -> int

    wirewatch eval GOLD... [--articles PATH...] [--only-available] [--predictions FILE]
                   [--model NAME] [-v] [--json]

Each GOLD file is JSONL in one of two formats, detected per file:

* the project's gold (`id`, `casualty_claims`, `diplomatic_events`, `notes`);
  the article texts come from `--articles` (JSON files, JSONL files or
  directories of them, records `{"id", "text", "title"?, "published_at"?}`),
  matched by `id` (a gold article without one is an error; `--only-available` leaves
  it out of the score and counts it);
* PLOVER gold-standard records (with `expected`); the text is in the record.

The extractor runs once over every text that is needed. With `--predictions`
a saved `wirewatch extract` output is scored instead (no model needed).

The text report gives precision, recall and F1 per task, per casualty category
and per event type, and attribute accuracy on matched items; `-v` adds each
miss and false alarm with its article id and sentence; `--json` prints the same
figures as one JSON object. Exit status: 0 when scored, 2 on bad input.

Library use: `load_articles`, `extract_predictions`, `evaluate_file`.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from .scoring import (
    ArticleGold,
    ArticlePrediction,
    GoldError,
    Report,
    TaskScore,
    parse_gold,
    prediction_from_dict,
    prediction_from_extraction,
    score,
)

__all__ = ["EvalInputError", "evaluate_file", "extract_predictions", "load_articles",
           "load_jsonl", "main", "render_text"]


class EvalInputError(ValueError):
    """An input file is missing, unreadable or not in an expected format."""


# ------------------------------------------------------------------------ input


def load_jsonl(path: Path) -> list[Any]:
    """The JSON values of a JSONL file, skipping blank lines; errors name the line."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalInputError(f"cannot read {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"{path}:{n}: not JSON: {exc}") from exc
    return out


def _article_records(path: Path) -> list[Any]:
    if path.suffix == ".jsonl":
        return load_jsonl(path)
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalInputError(f"cannot read articles from {path}: {exc}") from exc
    return value if isinstance(value, list) else [value]


def load_articles(paths: Iterable[str | Path]) -> dict[str, dict[str, Any]]:
    """Articles by id from JSON files, JSONL files and directories (searched recursively)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl")))
        elif path.is_file():
            files.append(path)
        else:
            raise EvalInputError(f"no such article file or directory: {path}")
    articles: dict[str, dict[str, Any]] = {}
    for path in files:
        for record in _article_records(path):
            if not isinstance(record, dict) or not isinstance(record.get("id"), str) \
                    or not isinstance(record.get("text"), str):
                raise EvalInputError(f"{path}: every article needs a string `id` and `text`")
            if record["id"] in articles:
                raise EvalInputError(f"{path}: article id {record['id']!r} given twice")
            articles[record["id"]] = record
    return articles


# ------------------------------------------------------------------- extraction


def extract_predictions(items: Sequence[tuple[str, str, str | None]],
                        model: str | None = None) -> dict[str, ArticlePrediction]:
    """Run the extractor over `(id, text, published_at)` triples; predictions by id."""
    from . import extract_texts, nlp as nlp_module, parse_published
    from .model import ArticleContext

    nlp = nlp_module.load(model) if model else nlp_module.load()
    pairs = ((text, ArticleContext(article_id=aid, published_at=parse_published(published)))
             for aid, text, published in items)
    return {ex.article_id: prediction_from_extraction(ex) for ex in extract_texts(nlp, pairs)}


def _texts_for(golds: Sequence[ArticleGold], articles: Mapping[str, Mapping[str, Any]],
               source: str, only_available: bool = False) -> list[tuple[str, str, str | None]]:
    items, missing = [], []
    for g in golds:
        if g.text is not None:
            items.append((g.id, g.text, None))
        elif g.id in articles:
            a = articles[g.id]
            items.append((g.id, a["text"], a.get("published_at")))
        else:
            missing.append(g.id)
    if missing and not only_available:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise EvalInputError(f"{source}: no article text for {len(missing)} gold id(s): {shown} "
                             f"(pass the articles with --articles, or --only-available to score "
                             f"the others)")
    return items


def evaluate_file(gold_path: str | Path, articles: Mapping[str, Mapping[str, Any]] | None = None,
                  *, predictions: Mapping[str, ArticlePrediction] | None = None,
                  model: str | None = None, only_available: bool = False) -> Report:
    """Score one gold file: given predictions, or the extractor's on the matching texts.

    With `only_available`, gold articles with no text (and no prediction given) are left
    out of the score, and the report counts them (`without_text`); without it they are an
    error, so a score never silently covers less than its gold file.
    """
    path = Path(gold_path)
    try:
        fmt, golds = parse_gold(load_jsonl(path), str(path))
    except GoldError as exc:
        raise EvalInputError(str(exc)) from exc
    without_text = 0
    if predictions is None:
        items = _texts_for(golds, articles or {}, str(path), only_available)
        have = {aid for aid, _, _ in items}
        without_text = sum(g.id not in have for g in golds)
        golds = [g for g in golds if g.id in have]
        predictions = extract_predictions(items, model)
    return dataclasses.replace(score(golds, predictions, fmt), without_text=without_text)


# ----------------------------------------------------------------------- output


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def _task_lines(name: str, task: TaskScore, verbose: bool) -> list[str]:
    o = task.overall
    lines = [
        f"{name}: P {_pct(o.precision)}  R {_pct(o.recall)}  F1 {_pct(o.f1)}  "
        f"(tp {o.tp}, fp {o.fp}, fn {o.fn}; {task.optional_matched} optional matched; "
        f"{task.articles} articles)",
    ]
    for label, t in sorted(task.by_label.items()):
        lines.append(f"  {label:<11} P {_pct(t.precision)}  R {_pct(t.recall)}  F1 {_pct(t.f1)}"
                     f"  (tp {t.tp}, fp {t.fp}, fn {t.fn})")
    for attr, acc in task.attributes.items():
        lines.append(f"  attribute {attr:<12} {_pct(acc.value)}%  ({acc.correct}/{acc.total} matched)")
    if verbose:
        for kind, rows in (("miss", task.misses), ("false alarm", task.false_alarms)):
            for article, item in rows:
                sentence = " ".join((item.sentence or "(sentence not annotated)").split())
                lines.append(f"  {kind:<11} [{article}] {item.describe()}: {sentence}")
    return lines


def render_text(path: str, report: Report, verbose: bool = False) -> str:
    """The human-readable report of one gold file."""
    lines = [f"== {path} ({report.format}, {report.articles} records)"]
    if report.without_text:
        lines.append(f"   left out for want of their text: {report.without_text} gold article(s)")
    if report.skipped_events or report.skipped_claims:
        lines.append(f"   not annotated for the task, skipped: {report.skipped_events} for events, "
                     f"{report.skipped_claims} for claims ({report.unscored_predictions} predictions unscored)")
    lines += _task_lines("claims", report.claims, verbose)
    lines += _task_lines("events", report.events, verbose)
    return "\n".join(lines)


# -------------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wirewatch eval",
                                description="Score the extractor against gold annotations.")
    p.add_argument("gold", nargs="+", help="gold JSONL file(s): project format or PLOVER records")
    p.add_argument("--articles", nargs="+", action="extend", default=[], metavar="PATH",
                   help="article JSON/JSONL files or directories, matched to gold by id")
    p.add_argument("--predictions", metavar="FILE",
                   help="score this `wirewatch extract` JSONL output instead of running the model")
    p.add_argument("--only-available", action="store_true",
                   help="score only the gold articles whose text --articles holds (the rest are "
                        "counted, not scored); without it a missing text is an error")
    p.add_argument("--model", default=None, help="spaCy pipeline name (default: the configured one)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every miss and false alarm")
    p.add_argument("--json", action="store_true", help="print all figures as one JSON object")
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run `wirewatch eval`; returns the exit status (0 scored, 2 bad input)."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        articles = load_articles(args.articles) if args.articles else {}
        predictions = None
        if args.predictions:
            predictions = {p.id: p for p in map(prediction_from_dict, load_jsonl(Path(args.predictions)))}
        reports = [(g, evaluate_file(g, articles, predictions=predictions, model=args.model,
                                     only_available=args.only_available))
                   for g in args.gold]
    except EvalInputError as exc:
        print(f"wirewatch eval: {exc}", file=sys.stderr)
        return 2
    if args.json:
        payload = {"files": [{"path": str(g), **r.as_dict()} for g, r in reports]}
        if not args.verbose:
            for f in payload["files"]:
                for task in ("claims", "events"):
                    f[task].pop("misses")
                    f[task].pop("false_alarms")
        json.dump(payload, out, indent=2)
        out.write("\n")
    else:
        out.write("\n\n".join(render_text(str(g), r, args.verbose) for g, r in reports) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
