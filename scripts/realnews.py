#!/usr/bin/env python3
"""Real-news evaluation sets: the committed facts, and the texts rebuilt locally.

A set lives in `tests/realnews/<set>/`:

* `manifest.jsonl`, one line per article: `id`, `url`, `outlet`, `published_at`
  (ISO date), `half` (`dev` to develop on, `measure` to score only), and the
  `sha256` and `chars` of the article text as captured;
* `dev.gold.jsonl` and `measure.gold.jsonl`, the gold of each half in the
  evaluation format (`wirewatch eval`).

The texts are other people's writing and are never committed. They are kept in
a local cache (`$WIREWATCH_REALNEWS_DIR`, default `~/.cache/wirewatch/realnews`),
one file per article, `<set>/texts/<id>.txt`, as captured from the public page
(headline and body, page furniture left out). The hash in the manifest pins
the exact text the gold was annotated on.

    scripts/realnews.py add SET --id ID --url URL --outlet NAME --published DATE --half dev FILE
    scripts/realnews.py build [SET ...]      # writes <cache>/<set>/articles.jsonl
    scripts/realnews.py status [SET ...]
    scripts/realnews.py recover SET ID PAGE  # find the annotated text in a fresh copy of its page

`build` checks every cached text against its manifest line and names each
article whose text is missing or differs (with its address, to capture again);
the articles file it writes is what `wirewatch eval --articles` reads.

`recover` rebuilds a lost cache entry from a new copy of the page (the page as
text, paragraphs apart by blank lines or one per line): the annotated text is the headline and
body paragraphs in page order with furniture dropped, possibly cut short at the
end, so it is searched for among those selections and accepted only when its
hash matches the manifest.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "realnews"
HALVES = ("dev", "measure")
MANIFEST_KEYS = ("id", "url", "outlet", "published_at", "half", "sha256", "chars")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,80}$")


def cache_dir() -> Path:
    return Path(os.environ.get("WIREWATCH_REALNEWS_DIR") or Path.home() / ".cache" / "wirewatch" / "realnews")


def text_path(name: str, article_id: str) -> Path:
    """Where the cache keeps one article's text."""
    return cache_dir() / name / "texts" / f"{article_id}.txt"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(name: str) -> list[dict]:
    path = SETS / name / "manifest.jsonl"
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: not JSON: {e}") from e
    return rows


def check_row(row: dict, where: str) -> None:
    """The manifest's own rules (tests/test_realnews.py applies the same)."""
    missing = [k for k in MANIFEST_KEYS if k not in row]
    unknown = sorted(set(row) - set(MANIFEST_KEYS))
    if missing or unknown:
        raise SystemExit(f"{where}: missing {missing}, unknown {unknown}")
    if not _ID.match(row["id"]):
        raise SystemExit(f"{where}: id {row['id']!r} must be lower-case letters, digits and dashes")
    if not re.match(r"^https?://[^/\s]+/?\S*$", row["url"]):
        raise SystemExit(f"{where}: url {row['url']!r} is not an http(s) address")
    if row["half"] not in HALVES:
        raise SystemExit(f"{where}: half must be one of {HALVES}")
    date.fromisoformat(row["published_at"])


def sets(names: list[str]) -> list[str]:
    if names:
        return names
    return sorted(p.name for p in SETS.iterdir() if (p / "manifest.jsonl").exists()) if SETS.exists() else []


def cmd_add(args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8").strip()
    if not text:
        raise SystemExit(f"{args.file}: empty text")
    rows = read_manifest(args.set)
    if any(r["id"] == args.id for r in rows):
        raise SystemExit(f"{args.set}: id {args.id} is in the manifest already")
    if any(r["url"] == args.url for r in rows):
        raise SystemExit(f"{args.set}: {args.url} is in the manifest already")
    row = {"id": args.id, "url": args.url, "outlet": args.outlet, "published_at": args.published,
           "half": args.half, "sha256": digest(text), "chars": len(text)}
    check_row(row, "new row")
    target = text_path(args.set, args.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    (SETS / args.set).mkdir(parents=True, exist_ok=True)
    with (SETS / args.set / "manifest.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{args.set}/{args.id}: {len(text)} chars, {args.half}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    bad = 0
    for name in sets(args.sets):
        out, problems = [], []
        for n, row in enumerate(read_manifest(name), 1):
            check_row(row, f"{name}/manifest.jsonl:{n}")
            path = text_path(name, row["id"])
            if not path.exists():
                problems.append(f"  missing  {row['id']}  {row['url']}")
                continue
            text = path.read_text(encoding="utf-8").strip()
            if digest(text) != row["sha256"]:
                problems.append(f"  differs  {row['id']}  {row['url']}")
                continue
            out.append({"id": row["id"], "text": text, "url": row["url"], "source": row["outlet"],
                        "published_at": row["published_at"]})
        target = cache_dir() / name / "articles.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in out), encoding="utf-8")
        print(f"{name}: {len(out)} articles -> {target}")
        for p in problems:
            print(p)
        bad += len(problems)
    return 1 if bad else 0


def cmd_status(args: argparse.Namespace) -> int:
    for name in sets(args.sets):
        rows = read_manifest(name)
        halves = {h: sum(r["half"] == h for r in rows) for h in HALVES}
        have = sum(text_path(name, r["id"]).exists() for r in rows)
        outlets = len({r["outlet"] for r in rows})
        print(f"{name}: {len(rows)} articles ({halves['dev']} dev, {halves['measure']} measure), "
              f"{outlets} outlets, {have} texts cached")
    return 0


MODES = ("paragraphs", "lines-apart", "lines", "as-given")


def _units(page: str, mode: str) -> list[tuple[str, str]]:
    """The page cut into candidate pieces, each with the break the page has before it:
    blank-line paragraphs, or lines joined by a blank line, by a line break, or by the
    break the page itself has there."""
    if mode == "paragraphs":
        return [(p.strip(), "\n\n") for p in re.split(r"\n[ \t]*\n\s*", page) if p.strip()]
    units, blank = [], False
    for line in page.splitlines():
        if not line.strip():
            blank = True
            continue
        sep = {"lines-apart": "\n\n", "lines": "\n"}.get(mode, "\n\n" if blank else "\n")
        units.append((line.strip(), sep))
        blank = False
    return units


#: Typographic quotes as plain ones: some texts were captured with the page's quotes
#: straightened, so a copy that shows them curly is also tried straight.
_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


#: Where a page copy may have lost the break after its headline: a capital glued to a
#: lower-case letter ("in CaliforniaDeadly fires"), or a weekday or month glued to a word.
_GLUED = re.compile(r"(?<=[a-z.!?])(?=[A-Z])|(?<=\S)(?=(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)"
                    r"|(?<=\S)(?=(?:January|February|March|April|May|June|July|August|September"
                    r"|October|November|December)\b)")


def recover(page: str, sha256: str, chars: int, max_dropped: int = 12, budget: int = 3_000_000) -> str | None:
    """The selection of `page` whose text has this hash, or None.

    A selection starts in some piece (at its start or after a word of page
    furniture such as a date line), keeps later pieces in order with at most
    `max_dropped` left out (captions, bylines, links), and may end inside a
    piece: its length is known, so the last piece is cut to fit exactly. The
    page is tried as given, with its typographic quotes made plain, and with a
    break put back where a headline runs into the next line.
    """
    def matches(text: str) -> bool:
        return len(text) == chars and digest(text) == sha256

    spent = 0
    straight = page.translate(_STRAIGHT)
    copies = [page] if straight == page else [page, straight]
    copies += [c[:m.start()] + "\n" + c[m.start():] for c in list(copies) for m in _GLUED.finditer(c[:400])]
    for copy, mode in ((c, m) for c in copies for m in MODES):
        units = _units(copy, mode)
        n = len(units)

        def walk(i: int, parts: list[str], length: int, dropped: int) -> str | None:
            nonlocal spent
            for j in range(i, n):
                skip = dropped + (j - i)
                if skip > max_dropped:
                    return None
                spent += 1
                if spent > budget:
                    return None
                # after left-out pieces, the break is the one after the last kept piece
                piece, sep = units[j][0], units[i][1]
                grown = length + len(sep) + len(piece)
                if grown >= chars:
                    text = "".join(parts + [sep, piece[:chars - length - len(sep)].rstrip()])
                    if matches(text):
                        return text
                    continue
                found = walk(j + 1, parts + [sep, piece], grown, skip)
                if found:
                    return found
            return None

        for k, (first, _) in enumerate(units):
            starts = [0] + [m.end() for m in re.finditer(r"\s+", first[:400])]
            for start in starts:
                head = first[start:]
                if len(head) >= chars:
                    text = head[:chars].rstrip()
                    if matches(text):
                        return text
                    continue
                found = walk(k + 1, [head], len(head), 0)
                if found:
                    return found
    return None


def cmd_recover(args: argparse.Namespace) -> int:
    rows = {r["id"]: r for r in read_manifest(args.set)}
    if args.id not in rows:
        raise SystemExit(f"{args.set}: no article {args.id} in the manifest")
    row = rows[args.id]
    text = recover(Path(args.page).read_text(encoding="utf-8"), row["sha256"], row["chars"])
    if text is None:
        print(f"{args.set}/{args.id}: no selection of {args.page} has the manifest's hash ({row['url']})")
        return 1
    target = text_path(args.set, args.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"{args.set}/{args.id}: recovered, {len(text)} chars -> {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add", help="register a captured article text")
    add.add_argument("set")
    add.add_argument("file", help="the captured text (headline and body)")
    add.add_argument("--id", required=True)
    add.add_argument("--url", required=True)
    add.add_argument("--outlet", required=True)
    add.add_argument("--published", required=True, help="YYYY-MM-DD")
    add.add_argument("--half", required=True, choices=HALVES)
    add.set_defaults(func=cmd_add)
    rec = sub.add_parser("recover", help="find an article's annotated text in a new copy of its page")
    rec.add_argument("set")
    rec.add_argument("id")
    rec.add_argument("page", help="the page as text, paragraphs apart by blank lines or one per line")
    rec.set_defaults(func=cmd_recover)
    for name, func, text in (("build", cmd_build, "write each set's articles.jsonl from the cache"),
                             ("status", cmd_status, "count articles, halves and cached texts")):
        p = sub.add_parser(name, help=text)
        p.add_argument("sets", nargs="*")
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
