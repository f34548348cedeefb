"""The processing stages as thin Faust agents, bound to an app in one place.

`extract` reads articles in batches (`take_events` into `nlp.pipe`, in a child
process so heartbeats, sends and commits keep flowing on their own core), produces
events, claims, alert candidates and dead letters, and only then lets Faust
acknowledge the batch: offsets are committed after the outputs of a message are
produced (at-least-once).

`alert` reads the alert candidates, re-keyed by their group key so one worker owns
each group, and de-duplicates them in the `alert-state` table.
"""
from __future__ import annotations

import asyncio
import base64
import logging
import threading
import time
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from faust.topics import Topic

from streams.decode import Article, Rejected, decode_article
from streams.records import AlertCandidate, AlertRecord, DeadLetterRecord

from . import alerts as alert_rules
from .batches import Item, Outcome, extract_items, warm_up
from .convert import article_ref, claim_record, event_record, now_iso, record_dict, source_of
from .extraction import ArticleExtraction, parse_published
from .extraction import nlp as nlp_loader
from .isolated import ProcessExtractor
from .language import LanguageGate

log = logging.getLogger(__name__)

class Extractor:
    """Runs spaCy and the extraction core in a thread of the worker, one batch at a time.

    The default is `agents.isolated.ProcessExtractor` (a child process, see
    `make_extractor`); this one shares the worker's interpreter lock with the event
    loop, and its time budget can only stop a batch between two articles.
    """

    def __init__(self, model_name: str, batch_size: int, article_timeout: float,
                 gate: bool = False) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.article_timeout = article_timeout
        #: The relevance gate (`agents.extraction.gate`) is on.
        self.gate = gate
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        self._nlp: Any = None
        self.model_label = ""

    def load(self) -> None:
        """Load the pipeline (once per process) and keep only the components used."""
        self._nlp = nlp_loader.load(self.model_name)
        self.model_label = nlp_loader.describe(self._nlp)
        # The first extraction loads the gazetteer and lexicons (over a second); do it
        # now, before the worker reports ready, not on the first article.
        warm_up(self._nlp)

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    def close(self) -> None:
        self.executor.shutdown(wait=False)

    async def outcomes(self, articles: Sequence[Article]) -> AsyncIterator[tuple[int, Outcome]]:
        """Yield `(index, outcome)` for each article as soon as it is extracted.

        spaCy and the rules run in the extraction thread; the caller sends an
        article's records while the next one is parsed, so the first articles of a
        batch do not wait for the last to reach their readers. Articles not done
        within the batch's time budget (`article_timeout` per article) come last,
        timed out.
        """
        if not articles:
            return
        loop = asyncio.get_running_loop()
        outcomes = [Outcome(a) for a in articles]
        ready: asyncio.Queue[int | None] = asyncio.Queue()
        stop = threading.Event()
        items = [Item(a.id, a.text, a.published_at) for a in articles]

        def emit(i: int, extraction: ArticleExtraction | None, error: str | None, reason: str | None,
                 seconds: float) -> None:
            o = outcomes[i]
            o.extraction, o.error, o.reason, o.seconds = extraction, error, reason, seconds
            loop.call_soon_threadsafe(ready.put_nowait, i)

        future = loop.run_in_executor(self.executor, extract_items, self._nlp, items, self.batch_size,
                                      emit, stop.is_set, False, self.gate)
        # Runs after every emit of the thread: those were scheduled first.
        future.add_done_callback(lambda _: ready.put_nowait(None))
        deadline = loop.time() + self.article_timeout * len(articles)
        done: set[int] = set()
        try:
            while True:
                if stop.is_set():
                    i = await ready.get()
                else:
                    try:
                        i = await asyncio.wait_for(ready.get(), timeout=max(0.0, deadline - loop.time()))
                    except asyncio.TimeoutError:
                        stop.set()  # the thread stops after the article in hand
                        continue
                if i is None:
                    break
                done.add(i)
                yield i, outcomes[i]
            future.result()  # an error outside the per-article guard surfaces here
            for i, o in enumerate(outcomes):
                if i not in done:
                    o.error = f"not extracted within {self.article_timeout:.0f} s per article"
                    o.reason = "extraction_timeout"
                    yield i, o
        finally:
            stop.set()  # abandoned (cancelled): let the thread go after the article in hand

    async def extract(self, articles: Sequence[Article]) -> list[Outcome]:
        """Extract a batch; articles not done within the time budget are timed out."""
        out: list[Outcome] = [Outcome(a) for a in articles]
        async for i, outcome in self.outcomes(articles):
            out[i] = outcome
        return out


def make_extractor(settings: Any) -> "Extractor | ProcessExtractor":
    """The extractor `WIREWATCH_EXTRACTION_PROCESS` asks for (not loaded yet)."""
    cls = ProcessExtractor if settings.extraction_process else Extractor
    return cls(settings.spacy_model, settings.batch_size, settings.article_timeout_seconds,
               gate=settings.relevance_gate)


#: The most input bytes a dead letter carries. A larger value is cut (the detail says
#: so): whole, it could exceed the producer's request size (1 MB), the send would fail
#: and crash the agent. The full value stays at the topic/partition/offset named.
DEAD_LETTER_VALUE_BYTES = 64 * 1024


def dead_letter(reason: str, detail: str, stage: str, message: Any) -> DeadLetterRecord:
    value: bytes | None = message.value
    text, encoding = None, "none"
    if value is not None:
        kept = value[:DEAD_LETTER_VALUE_BYTES]
        try:
            value.decode("utf-8")
            text, encoding = kept.decode("utf-8", "ignore"), "utf-8"  # ignore: a character cut in two
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(kept).decode("ascii"), "base64"
        if len(kept) < len(value):
            detail = f"{detail}; value cut to its first {len(kept)} of {len(value)} bytes"
    key = message.key.decode("utf-8", "replace") if isinstance(message.key, bytes) else message.key
    return DeadLetterRecord(reason=reason, detail=detail, stage=stage, topic=message.topic,
                            partition=message.partition, offset=message.offset,
                            timestamp=message.timestamp, key=key, value=text, value_encoding=encoding,
                            failed_at=now_iso())


class Outbox:
    """Sends of one unit of work; `flush` waits until the broker acknowledged all of them.

    Each batch (and each alert) has its own outbox: the two agents run on one event
    loop and must never wait on, or acknowledge after, each other's sends.
    """

    def __init__(self) -> None:
        self.pending: list[Any] = []

    async def send(self, topic: Any, key: str, value: Any) -> None:
        if isinstance(topic, Topic):
            # Straight to the producer: the record is serialized once, to the bytes the
            # topic's json serializer would write, and the future kept is the producer's
            # acknowledgement, the same one `topic.send` returns. Faust's own path adds a
            # pending message, a send sensor, a debug log and a done callback per record
            # (a sixth of the worker's CPU per record in the profile).
            producer = await topic.app.maybe_start_producer()
            self.pending.append(await producer.send(topic.get_topic_name(), key.encode("utf-8"), value.dumps(),
                                                    partition=None, timestamp=None, headers=None))
            return
        self.pending.append(await topic.send(key=key, value=value))

    async def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            await asyncio.gather(*pending)


@dataclass
class Stage:
    """Everything the agents need, built by `streams.app.create_app`."""

    settings: Any
    metrics: Any
    rules: alert_rules.Rules
    extractor: Extractor | ProcessExtractor
    topics: Any  # streams.app.FaustTopics
    table: Any = None
    language: LanguageGate = field(default_factory=LanguageGate)

    async def process_batch(self, events: Sequence[Any]) -> None:
        """Process one batch; its messages become committable only once all outputs are acked.

        Faust acknowledges a `take_events` batch when the loop body ends, also when it
        ends by cancellation (shutdown, rebalance). Holding one extra reference on each
        message until the outputs are produced keeps an interrupted batch uncommitted,
        so it is read again after the restart instead of being lost.
        """
        for event in events:
            event.message.incref()
        await self._process_batch(events)
        for event in events:
            # An acknowledgement rather than a bare decref: if the stream has already
            # let go, this is the last reference and must make the message committable.
            event.ack()

    async def _process_batch(self, events: Sequence[Any]) -> None:
        started = time.perf_counter()
        out = Outbox()
        m, s, t = self.metrics, self.settings, self.topics
        articles: list[Article] = []
        origin: dict[int, Any] = {}
        for event in events:
            msg = event.message
            m.articles_consumed.inc()
            fallback = f"{msg.topic}:{msg.partition}:{msg.offset}"
            key = msg.key if isinstance(msg.key, bytes) or msg.key is None else str(msg.key).encode()
            decoded = decode_article(event.value, key, fallback, s.max_article_bytes)
            if isinstance(decoded, Rejected):
                log.warning("dead-letter %s at %s: %s", decoded.reason, fallback, decoded.detail)
                await out.send(t.deadletter, fallback, dead_letter(decoded.reason, decoded.detail, "decode", msg))
                m.deadlettered.labels(decoded.reason).inc()
                continue
            skip = self.language.skip_reason(decoded.language, decoded.text)
            if skip is not None:
                log.info("skipped %s at %s (article %s)", skip, fallback, decoded.id)
                m.skipped.labels(skip).inc()
                continue
            origin[len(articles)] = msg
            articles.append(decoded)
        extracted: list[int] = []
        # Each article's records are sent as soon as it is extracted, while the thread
        # parses the next; the batch is acknowledged once all of them are.
        async for i, outcome in self.extractor.outcomes(articles):
            if await self._send_outputs(out, origin[i], outcome):
                extracted.append(i)
        await out.flush()
        done = time.time()
        for i in extracted:
            m.articles_processed.inc()
            if origin[i].timestamp:
                m.latency.observe(max(0.0, done - origin[i].timestamp))
        m.batch_articles.observe(len(events))
        m.batch_seconds.observe(time.perf_counter() - started)

    async def _send_outputs(self, out: Outbox, msg: Any, outcome: Outcome) -> bool:
        """Send one article's records (or its dead letter); True if it was extracted."""
        m, s, t = self.metrics, self.settings, self.topics
        a = outcome.article
        if outcome.extraction is None:
            reason = outcome.reason or "extraction_error"
            await out.send(t.deadletter, a.id, dead_letter(reason, outcome.error or "", "extract", msg))
            m.deadlettered.labels(reason).inc()
            return False
        m.article_seconds.observe(outcome.seconds)
        m.observe_gate(outcome.extraction)
        model, extracted_at, now = self.extractor.model_label, now_iso(), time.time()
        ref = article_ref(a)
        source = source_of(a)
        published = parse_published(a.published_at)
        for claim in outcome.extraction.casualty_claims:
            await out.send(t.casualty, a.id, claim_record(claim, a, model, extracted_at))
            m.claims.labels(claim.category).inc()
            if claim.location and claim.location.country and claim.count.key is not None:
                m.observe_figure(claim.location.country, claim.category, claim.count.key,
                                 s.alert_window_seconds, now)
            record = None  # the alert candidates' copy, made once for all the rules it matches
            for match in alert_rules.match_claim(self.rules, claim, published,
                                                 s.alert_max_claim_age_days):
                record = record_dict(claim) if record is None else record
                await out.send(t.alert_candidates, match.group_key, self._candidate(match, record, ref, source))
        for ev in outcome.extraction.diplomatic_events:
            await out.send(t.diplomatic, a.id, event_record(ev, a, model, extracted_at))
            m.events.labels(ev.type).inc()
            actor, kind, target = ev.key
            m.dyads.labels(actor or "none", kind, target or "none").inc()
            record = None
            for match in alert_rules.match_event(self.rules, ev):
                record = record_dict(ev) if record is None else record
                await out.send(t.alert_candidates, match.group_key, self._candidate(match, record, ref, source))
        return True

    @staticmethod
    def _candidate(match: alert_rules.Match, record: dict[str, Any], ref: Any, source: str) -> AlertCandidate:
        return AlertCandidate(kind=match.kind, rule=match.rule, severity=match.severity,
                              group_key=match.group_key, figure=match.figure, summary=match.summary,
                              corroborating_source=source, record=record, article=ref,
                              matched_at=time.time())

    async def process_candidate(self, c: AlertCandidate) -> None:
        state = alert_rules.GroupState.from_value(self.table[c.group_key])
        match = alert_rules.Match(c.kind, c.rule, c.severity, c.group_key, c.figure, c.summary)
        now = time.time()
        d = alert_rules.decide(state, match, source=c.corroborating_source, article_id=c.article.id,
                               now=now, window=self.settings.alert_window_seconds)
        if d.status is None:
            self.table[c.group_key] = state.to_value()
            return
        alert = AlertRecord(alert_id=d.alert_id, dedupe_key=d.dedupe_key, rule=c.rule, severity=c.severity,
                            status=d.status, kind=c.kind, summary=c.summary, corroboration=d.corroboration,
                            sources=list(d.sources), supersedes=d.supersedes, records=[c.record],
                            article=c.article, first_seen=d.first_seen, raised_at=now)
        topic = self.topics.alerts_casualty if c.kind == "casualty" else self.topics.alerts_diplomatic
        out = Outbox()
        await out.send(topic, d.dedupe_key, alert)
        await out.flush()
        # The new state is stored only once the alert is acknowledged: stored first, a
        # crash in between would make the redelivered candidate look already seen, and
        # its alert would never be published. This order repeats it instead (same id).
        self.table[c.group_key] = state.to_value()
        self.metrics.alerts.labels(c.rule, c.severity, d.status).inc()


def bind(app: Any, stage: Stage) -> tuple[Any, Any]:
    """Bind the two agents to `app` (the one place agents meet the app)."""
    s = stage.settings

    async def extract(stream: Any) -> None:
        # noack: take_events acks each batch itself, then restores the stream's ack
        # mode when it stops; with acks on, the background drain then acked messages
        # that had only reached the take buffer, and a SIGTERM lost them.
        async for events in stream.noack().take_events(s.batch_size, within=s.batch_timeout_seconds):
            await stage.process_batch(events)

    async def alert(stream: Any) -> None:
        async for candidate in stream:
            # Faust acks the current event also when the body is cancelled (stop,
            # rebalance); an extra reference keeps a candidate whose alert is not
            # published yet uncommitted, so it is read again rather than lost.
            message = stream.current_event.message
            message.incref()
            await stage.process_candidate(candidate)
            message.decref()

    extract_agent = app.agent(stage.topics.articles, name="wirewatch.extract")(extract)
    alert_agent = app.agent(stage.topics.alert_candidates, name="wirewatch.alert")(alert)
    return extract_agent, alert_agent
