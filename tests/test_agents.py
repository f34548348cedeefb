"""The agents in `agent.test_context()`: a real Faust app, the real model, no broker.

The output topics are replaced by recorders: what the agents send, to which topic
and under which key, is the contract under test here (the integration tests send
for real)."""
from __future__ import annotations

import asyncio
import json

import pytest

from agents.pipeline import Extractor
from streams.app import create_app
from streams.broker import free_port
from streams.metrics import Metrics
from streams.records import AlertCandidate, AlertRecord
from streams.settings import load_settings

pytestmark = pytest.mark.model


class Recorder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, object]] = []

    async def send(self, key: str, value: object) -> asyncio.Future:
        self.sent.append((key, value))
        fut = asyncio.get_running_loop().create_future()
        fut.set_result(None)
        return fut


@pytest.fixture()
def ww(nlp):
    s = load_settings(broker="127.0.0.1:9092", batch_timeout_seconds=0.05, web_port=free_port())
    extractor = Extractor(s.spacy_model, s.batch_size, s.article_timeout_seconds)
    extractor.load()
    w = create_app(s, metrics=Metrics(with_process=False), extractor=extractor)
    for field in ("diplomatic", "casualty", "alerts_diplomatic", "alerts_casualty", "deadletter",
                  "alert_candidates"):
        setattr(w.stage.topics, field, Recorder(field))
    return w


def _agent(ww, name):
    return next(a for a in ww.app.agents.values() if a.name == name)


async def _until(predicate, timeout=20.0):
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def test_extract_agent_publishes_records_candidates_and_dead_letters(ww):
    t = ww.stage.topics
    article = {"id": "a-1", "source": "Wire", "text": "At least 25 people were killed in Kabul, Afghanistan, "
               "on Monday, police said. Russia invited the Syrian opposition to talks in Moscow."}
    async with _agent(ww, "wirewatch.extract").test_context() as agent:
        await agent.put(json.dumps(article).encode(), key=b"a-1", wait=False)
        await agent.put(b"\xff\xfe", key=None, wait=False)
        await agent.put(b'{"text": ["not", "a", "string"]}', key=None, wait=False)
        # The processed count rises once the batch's sends are flushed, after the records.
        await _until(lambda: len(t.deadletter.sent) == 2 and t.casualty.sent
                     and ww.metrics.articles_processed._value.get() >= 1)
    claims = [v for _, v in t.casualty.sent]
    assert {(c.category, c.count.low) for c in claims} >= {("killed", 25)}
    assert all(k == "a-1" for k, _ in t.casualty.sent)
    assert [v.reason for _, v in t.deadletter.sent] == ["invalid_utf8", "wrong_type"]
    assert t.deadletter.sent[0][1].value_encoding == "base64"
    candidates = [v for _, v in t.alert_candidates.sent]
    assert any(c.rule == "deadly-incident" for c in candidates)
    assert all(k == c.group_key for (k, c) in t.alert_candidates.sent)
    m = ww.metrics
    assert m.articles_consumed._value.get() == 3
    assert m.articles_processed._value.get() == 1
    assert m.deadlettered.labels("invalid_utf8")._value.get() == 1
    assert m.claims.labels("killed")._value.get() >= 1


async def test_a_replay_raises_no_alert_candidate_on_a_background_claim(ww):
    """The seed articles and a story that recalls an earlier attack: the recalled toll is a
    background claim on the casualty topic, and no rule makes a candidate of it."""
    from pathlib import Path

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds" / "articles").glob("*.json"))
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in seeds]
    articles.append({"id": "recall-1", "source": "Wire", "published_at": "2017-11-13",
                     "text": "Police said two men were wounded in a shooting in Paris on Sunday. "
                             "The attack came two years after 130 people were killed in "
                             "coordinated attacks in Paris."})
    t = ww.stage.topics
    async with _agent(ww, "wirewatch.extract").test_context() as agent:
        for a in articles:
            await agent.put(json.dumps(a).encode(), key=a["id"].encode(), wait=False)
        await _until(lambda: ww.metrics.articles_processed._value.get() == len(articles))
    claims = [v for _, v in t.casualty.sent]
    recalled = [c for c in claims if c.background]
    assert [(c.article_id, c.category, c.count.low) for c in recalled] == [("recall-1", "killed", 130)]
    candidates = [v for _, v in t.alert_candidates.sent if v.kind == "casualty"]
    assert candidates, "the seeds raise casualty candidates"
    assert not any(c.record.get("background") for c in candidates)
    assert not any(c.article.id == "recall-1" for c in candidates)


def _candidate(figure: int, source: str, article: str) -> AlertCandidate:
    from streams.records import ArticleRef

    return AlertCandidate(kind="casualty", rule="mass-casualty", severity="critical",
                          group_key="mass-casualty|killed|SDN", figure=figure, summary=f"{figure} killed",
                          corroborating_source=source, record={"category": "killed"},
                          article=ArticleRef(id=article, url=None, source=source, published_at=None, title=None),
                          matched_at=0.0)


async def test_alert_agent_deduplicates_in_its_table(ww):
    t = ww.stage.topics
    async with _agent(ww, "wirewatch.alert").test_context() as agent:
        for i, (fig, src) in enumerate([(15000, "a"), (15000, "b"), (15000, "a"), (20000, "c")]):
            await agent.put(_candidate(fig, src, f"art-{i}"), key="mass-casualty|killed|SDN", wait=False)
        await _until(lambda: len(t.alerts_casualty.sent) == 3)
    alerts: list[AlertRecord] = [v for _, v in t.alerts_casualty.sent]
    assert [(a.status, a.corroboration) for a in alerts] == [("new", 1), ("corroborated", 2), ("escalation", 1)]
    assert alerts[2].supersedes == alerts[0].alert_id
    assert ww.stage.table["mass-casualty|killed|SDN"]["alerts"][0]["sources"] == ["a", "b"]


def _message(offset: int, value: bytes):
    import time

    from faust.types import TP, Message

    return Message("articles", 0, offset, time.time(), 0, None, b"k", value, b"", 0, 0, TP("articles", 0))


class _Event:
    def __init__(self, message, consumer=None):
        self.message = message
        self.value = message.value
        self.consumer = consumer or object()

    def ack(self):
        return self.message.ack(self.consumer)


async def test_an_interrupted_batch_is_never_acknowledged(ww):
    """Cancelled mid-batch (shutdown, rebalance): Faust's own ack must not make it committable."""
    done, cut = _message(1, b"Five people were killed in Lagos."), _message(2, b"Talks resumed in Geneva.")
    for m in (done, cut):
        m.incref()  # the reference Faust holds for the stream
    await ww.stage.process_batch([_Event(done)])

    async def interrupted(articles):
        raise asyncio.CancelledError
        yield  # an async generator, as Extractor.outcomes is

    ww.stage.extractor.outcomes = interrupted
    with pytest.raises(asyncio.CancelledError):
        await ww.stage.process_batch([_Event(cut)])
    consumer = object()
    assert done.ack(consumer) is True and done.acked
    assert cut.ack(consumer) is False and not cut.acked


async def test_an_articles_records_are_sent_while_the_next_is_extracted(ww, monkeypatch):
    """Within a batch, publication follows extraction article by article: the
    extraction thread does not wait for the whole batch's records to be produced."""
    import threading

    from agents import batches

    t = ww.stage.topics
    first_sent = threading.Event()
    waited: list[bool] = []
    real = batches.extract_doc

    def extract_doc(doc, ctx):
        if ctx.article_id == "s-2":
            # Runs in the extraction thread: article 1's claim must go out meanwhile.
            waited.append(first_sent.wait(timeout=5))
        return real(doc, ctx)

    monkeypatch.setattr(batches, "extract_doc", extract_doc)

    class Watching(Recorder):
        async def send(self, key, value):
            fut = await super().send(key, value)
            if key == "s-1":
                first_sent.set()
            return fut

    t.casualty = Watching("casualty")
    texts = {"s-1": "Twelve people were killed in Kabul on Monday, police said.",
             "s-2": "Seven people were injured in Lagos on Tuesday, officials said."}
    msgs = [_message(i, json.dumps({"id": k, "text": v}).encode()) for i, (k, v) in enumerate(texts.items())]
    for msg in msgs:
        msg.incref()  # the stream's reference
    await ww.stage.process_batch([_Event(msg) for msg in msgs])
    assert waited == [True]
    assert [k for k, _ in t.casualty.sent] == ["s-1", "s-2"]
    assert ww.metrics.articles_processed._value.get() == 2
    for msg in msgs:
        assert not msg.acked  # the stream still holds them: the batch released only its own reference
        assert msg.ack(object()) is True


async def test_a_batch_released_after_the_stream_let_go_is_acknowledged(ww):
    """Whoever lets go last makes the message committable; a bare decref never would."""
    msgs = [_message(i, b"Four people were killed in Kabul.") for i in (10, 11)]
    # No stream reference left: the batch's own release is the last one.
    await ww.stage.process_batch([_Event(msg) for msg in msgs])
    assert all(msg.acked and msg.refcount == 0 for msg in msgs)


async def test_articles_not_in_english_are_counted_and_give_no_outputs(ww):
    from tests.test_language import ENGLISH, FRENCH

    t = ww.stage.topics
    async with _agent(ww, "wirewatch.extract").test_context() as agent:
        await agent.put(json.dumps({"id": "fr-1", "language": "fr", "text": ENGLISH}).encode(), key=b"fr-1",
                        wait=False)
        await agent.put(json.dumps({"id": "fr-2", "text": FRENCH}).encode(), key=b"fr-2", wait=False)
        await agent.put(json.dumps({"id": "en-1", "text": ENGLISH}).encode(), key=b"en-1", wait=False)
        await _until(lambda: ww.metrics.articles_processed._value.get() == 1)
    m = ww.metrics
    assert m.skipped.labels("not_english")._value.get() == 2
    assert {k for k, _ in t.casualty.sent} == {"en-1"}
    assert not t.deadletter.sent and {k for k, _ in t.diplomatic.sent} <= {"en-1"}
    assert m.articles_consumed._value.get() == 3
