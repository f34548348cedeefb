"""Decoding input messages into articles, with a closed set of rejection reasons.

Pure functions (no Kafka): the agent hands over the raw key and value bytes and
gets either an `Article` or a `Rejected` carrying one of `REASONS`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

#: Closed set of dead-letter reasons (also the `reason` label of the metric).
REASONS = (
    "invalid_utf8",
    "invalid_json",
    "missing_text",
    "wrong_type",
    "too_large",
    "empty_text",
    "extraction_error",
    "extraction_timeout",
    "extraction_crashed",
)

_OPTIONAL_STR = ("title", "url", "source", "language")
_KNOWN = {"id", "text", "published_at", *_OPTIONAL_STR}
#: Deeply nested JSON is not an article; refuse it before it can cost stack or memory.
MAX_JSON_DEPTH = 32


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Rejected:
    reason: str
    detail: str

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown dead-letter reason {self.reason!r}")


def _too_deep(raw: str, limit: int) -> bool:
    depth = 0
    in_string = False
    escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _valid_published(value: str) -> bool:
    text = value.strip()
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def decode_article(value: bytes | None, key: bytes | None, fallback_id: str,
                   max_bytes: int) -> Article | Rejected:
    """Decode one input message.

    A JSON object needs a string `text`; optional fields must be strings and
    `published_at` an RFC 3339 timestamp or ISO date. A value that is not a JSON
    object is taken as bare UTF-8 text, its id the message key or `fallback_id`
    (`topic:partition:offset`).
    """
    if value is None:
        return Rejected("missing_text", "message has no value (tombstone)")
    if len(value) > max_bytes:
        return Rejected("too_large", f"value is {len(value)} bytes, limit {max_bytes}")
    try:
        raw = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected("invalid_utf8", f"invalid UTF-8 at byte {exc.start}")
    key_id = None
    if key:
        try:
            key_id = key.decode("utf-8").strip() or None
        except UnicodeDecodeError:
            key_id = None
    stripped = raw.lstrip()
    if not stripped.startswith(("{", "[")):
        text = raw.strip()
        if not text:
            return Rejected("empty_text", "value is empty or whitespace")
        return Article(id=key_id or fallback_id, text=raw)
    if _too_deep(stripped, MAX_JSON_DEPTH):
        return Rejected("invalid_json", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "too deeply nested"
        return Rejected("invalid_json", f"invalid JSON: {msg}")
    if not isinstance(obj, dict):
        return Rejected("wrong_type", f"JSON value is a {type(obj).__name__}, expected an object")
    if "text" not in obj:
        return Rejected("missing_text", "JSON object has no 'text' field")
    text = obj["text"]
    if not isinstance(text, str):
        return Rejected("wrong_type", f"'text' is {type(text).__name__}, expected a string")
    if not text.strip():
        return Rejected("empty_text", "'text' is empty")
    fields: dict[str, str | None] = {}
    for name in _OPTIONAL_STR:
        item = obj.get(name)
        if item is not None and not isinstance(item, str):
            return Rejected("wrong_type", f"'{name}' is {type(item).__name__}, expected a string")
        fields[name] = item
    article_id = obj.get("id")
    if article_id is not None and (isinstance(article_id, bool) or not isinstance(article_id, (str, int))):
        return Rejected("wrong_type", f"'id' is {type(article_id).__name__}, expected a string")
    published = obj.get("published_at")
    if published is not None:
        if not isinstance(published, str):
            return Rejected("wrong_type", "'published_at' must be an RFC 3339 timestamp or date string")
        if not _valid_published(published):
            return Rejected("wrong_type", f"'published_at' {published[:40]!r} is not RFC 3339 or ISO date")
    ident = str(article_id).strip() if article_id is not None else ""
    return Article(id=ident or key_id or fallback_id, text=text, published_at=published, **fields)
