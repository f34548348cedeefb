import base64
import json

import pytest
from hypothesis import given, settings, strategies as st

from streams.decode import REASONS, Article, Rejected, decode_article


def d(value, key=None, limit=10_000):
    return decode_article(value, key, "t:0:7", limit)


@pytest.mark.parametrize("value,reason", [
    (None, "missing_text"),
    (b"\xff\xfe\xfd", "invalid_utf8"),
    (b'{"text": "a"', "invalid_json"),
    (b"[1, 2]", "wrong_type"),
    (b'{"title": "t"}', "missing_text"),
    (b'{"text": 5}', "wrong_type"),
    (b'{"text": "   "}', "empty_text"),
    (b"   \n ", "empty_text"),
    (b'{"text": "a", "title": 3}', "wrong_type"),
    (b'{"text": "a", "id": true}', "wrong_type"),
    (b'{"text": "a", "published_at": "last week"}', "wrong_type"),
    (b'{"text": "a", "published_at": 20120101}', "wrong_type"),
    (b"[" * 5000 + b"]" * 5000, "invalid_json"),
    (b"x" * 10_001, "too_large"),
])
def test_rejections_have_a_reason(value, reason):
    r = d(value)
    assert isinstance(r, Rejected) and r.reason == reason and r.detail


def test_json_article_fields():
    a = d(json.dumps({"id": "x1", "text": "Hello.", "title": "T", "url": "u", "source": "s",
                      "published_at": "2012-12-28T10:00:00Z", "language": "en"}).encode())
    assert a == Article("x1", "Hello.", "T", "u", "s", "2012-12-28T10:00:00Z", "en")


def test_ids_fall_back_to_key_then_position():
    assert d(b"plain words", key=b"k-1").id == "k-1"
    assert d(b"plain words").id == "t:0:7"
    assert d(b'{"text": "a"}', key=b"k-2").id == "k-2"
    assert d(b'{"text": "a", "id": 12}').id == "12"
    assert d(b'{"text": "a", "published_at": "2012-12-28"}').published_at == "2012-12-28"


def test_unknown_reason_is_refused():
    with pytest.raises(ValueError):
        Rejected("because", "x")


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(value):
    r = d(value)
    assert isinstance(r, (Article, Rejected))
    if isinstance(r, Rejected):
        assert r.reason in REASONS


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "text", "title", "url", "source", "published_at", "x"]), json_values))
def test_random_json_objects_are_articles_or_reasoned_rejections(obj):
    r = d(json.dumps(obj).encode())
    if isinstance(r, Article):
        assert isinstance(obj.get("text"), str) and obj["text"].strip()
    else:
        assert r.reason in REASONS


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=500))
def test_any_text_with_content_is_an_article(text):
    r = d(text.encode("utf-8"))
    if text.strip() and not text.lstrip().startswith(("{", "[")):
        assert isinstance(r, Article) and r.text == text


def test_base64_roundtrip_of_dead_letter_value():
    from agents.pipeline import dead_letter

    class Msg:
        topic, partition, offset, timestamp, key, value = "t", 1, 9, 1.0, b"k", b"\xff\x00"

    rec = dead_letter("invalid_utf8", "bad", "decode", Msg)
    assert base64.b64decode(rec.value) == b"\xff\x00" and rec.value_encoding == "base64"
    assert rec.key == "k" and rec.offset == 9
