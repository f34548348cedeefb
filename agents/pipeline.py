"""The processing stages as thin Faust agents, bound to an app in one place.

`extract` reads articles in batches (`take_events` into `nlp.pipe`, in a worker
thread so heartbeats and commits keep flowing), produces events, claims, alert
candidates and dead letters, and only then lets Faust acknowledge the batch: offsets
are committed after the outputs of a message are produced (at-least-once).

`alert` reads the alert candidates, re-keyed by their group key so one worker owns
each group, and de-duplicates them in the `alert-state` table.
"""
from __future__ import annotations

import asyncio
import base64
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from streams.decode import Article, Rejected, decode_article
from streams.records import AlertCandidate, AlertRecord, DeadLetterRecord

from . import alerts as alert_rules
from .convert import article_ref, claim_record, event_record, now_iso, record_dict, source_of
from .extraction import ArticleContext, ArticleExtraction, extract_doc, parse_published
from .extraction import nlp as nlp_loader
from .extraction.guards import blank_long_runs

log = logging.getLogger(__name__)

_WARM_UP = ("At least 12 people were killed in Kabul on Monday, police said. "
            "France invited Egypt's foreign minister to talks in Paris.")


@dataclass
class Outcome:
    """What happened to one article in the extraction thread."""

    article: Article
    extraction: ArticleExtraction | None = None
    error: str | None = None
    reason: str | None = None
    seconds: float = 0.0


class Extractor:
    """Runs spaCy and the extraction core off the event loop, one batch at a time."""

    def __init__(self, model_name: str, batch_size: int, article_timeout: float) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.article_timeout = article_timeout
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        self._nlp: Any = None
        self.model_label = ""

    def load(self) -> None:
        """Load the pipeline (once per process) and keep only the components used."""
        self._nlp = nlp_loader.load(self.model_name)
        self.model_label = nlp_loader.describe(self._nlp)
        # The first extraction loads the gazetteer and lexicons (over a second); do it
        # now, before the worker reports ready, not on the first article.
        extract_doc(self._nlp(_WARM_UP), ArticleContext(article_id="warm-up"))

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    def _run(self, articles: Sequence[Article], stop: threading.Event) -> list[Outcome]:
        outcomes = [Outcome(a) for a in articles]
        ctxs = [ArticleContext(article_id=a.id, published_at=parse_published(a.published_at)) for a in articles]
        try:
            docs = self._nlp.pipe((blank_long_runs(a.text) for a in articles), batch_size=self.batch_size)
            last = time.perf_counter()
            for i, doc in enumerate(docs):
                outcomes[i].extraction = extract_doc(doc, ctxs[i])
                now = time.perf_counter()
                outcomes[i].seconds, last = now - last, now
                if stop.is_set():
                    break
        except Exception:  # one bad article must not sink the batch: isolate it below
            log.exception("batch extraction failed; retrying article by article")
            for i, outcome in enumerate(outcomes):
                if outcome.extraction is not None or stop.is_set():
                    continue
                start = time.perf_counter()
                try:
                    outcome.extraction = extract_doc(self._nlp(blank_long_runs(articles[i].text)), ctxs[i])
                except Exception as exc:  # noqa: BLE001 - recorded as a dead letter with its reason
                    outcome.error, outcome.reason = f"{type(exc).__name__}: {exc}"[:500], "extraction_error"
                outcome.seconds = time.perf_counter() - start
        return outcomes

    async def extract(self, articles: Sequence[Article]) -> list[Outcome]:
        """Extract a batch; articles not done within the time budget are timed out."""
        if not articles:
            return []
        stop = threading.Event()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, self._run, articles, stop)
        budget = self.article_timeout * len(articles)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=budget)
        except asyncio.TimeoutError:
            stop.set()
            outcomes = await future
            for o in outcomes:
                if o.extraction is None and o.error is None:
                    o.error = f"not extracted within {self.article_timeout:.0f} s per article"
                    o.reason = "extraction_timeout"
            return outcomes


#: How long a stopping worker waits for the batch it is publishing to be acknowledged.
PUBLISH_DRAIN_SECONDS = 10.0

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
        self.pending.append(await topic.send(key=key, value=value))

    async def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            await asyncio.gather(*pending)


@dataclass
class Batch:
    """A batch between extraction and publication."""

    events: list[Any]
    started: float
    #: (dead-letter key, record) of messages that did not decode
    rejected: list[tuple[str, DeadLetterRecord]] = field(default_factory=list)
    #: the message of each outcome, in order
    origin: list[Any] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class Stage:
    """Everything the agents need, built by `streams.app.create_app`."""

    settings: Any
    metrics: Any
    rules: alert_rules.Rules
    extractor: Extractor
    topics: Any  # streams.app.FaustTopics
    table: Any = None

    async def process_batch(self, events: Sequence[Any]) -> None:
        """Process one batch; its messages become committable only once all outputs are acked.

        Faust acknowledges a `take_events` batch when the loop body ends, also when it
        ends by cancellation (shutdown, rebalance). Holding one extra reference on each
        message until the outputs are produced keeps an interrupted batch uncommitted,
        so it is read again after the restart instead of being lost.
        """
        await self.publish_batch(await self.extract_batch(events))

    async def extract_batch(self, events: Sequence[Any]) -> "Batch":
        """Decode and extract a batch; hold its messages until `publish_batch` has run.

        Each message gets an extra reference here, released (acknowledged) only by
        `publish_batch` once the batch's outputs are acknowledged by the broker; a
        batch abandoned in between (cancelled, or its publication failed) is never
        committed. Whichever lets go last, the stream or `publish_batch`, makes the
        message committable.
        """
        for event in events:
            event.message.incref()
        batch = Batch(events=list(events), started=time.perf_counter())
        m, s, t = self.metrics, self.settings, self.topics
        articles: list[Article] = []
        for event in events:
            msg = event.message
            m.articles_consumed.inc()
            fallback = f"{msg.topic}:{msg.partition}:{msg.offset}"
            key = msg.key if isinstance(msg.key, bytes) or msg.key is None else str(msg.key).encode()
            decoded = decode_article(event.value, key, fallback, s.max_article_bytes)
            if isinstance(decoded, Rejected):
                log.warning("dead-letter %s at %s: %s", decoded.reason, fallback, decoded.detail)
                batch.rejected.append((fallback, dead_letter(decoded.reason, decoded.detail, "decode", msg)))
                m.deadlettered.labels(decoded.reason).inc()
                continue
            batch.origin.append(msg)
            articles.append(decoded)
        batch.outcomes = await self.extractor.extract(articles)
        return batch

    async def publish_batch(self, batch: "Batch") -> None:
        """Produce a batch's outputs, wait for the broker's acknowledgements, release it."""
        out = Outbox()
        m, s, t = self.metrics, self.settings, self.topics
        for key, letter in batch.rejected:
            await out.send(t.deadletter, key, letter)
        extracted_at = now_iso()
        model = self.extractor.model_label
        now = time.time()
        for msg, outcome in zip(batch.origin, batch.outcomes):
            a = outcome.article
            if outcome.extraction is None:
                reason = outcome.reason or "extraction_error"
                await out.send(t.deadletter, a.id, dead_letter(reason, outcome.error or "", "extract", msg))
                m.deadlettered.labels(reason).inc()
                continue
            m.article_seconds.observe(outcome.seconds)
            ref = article_ref(a)
            source = source_of(a)
            for claim in outcome.extraction.casualty_claims:
                await out.send(t.casualty, a.id, claim_record(claim, a, model, extracted_at))
                m.claims.labels(claim.category).inc()
                if claim.location and claim.location.country and claim.count.key is not None:
                    m.observe_figure(claim.location.country, claim.category, claim.count.key,
                                     s.alert_window_seconds, now)
                for match in alert_rules.match_claim(self.rules, claim):
                    await out.send(t.alert_candidates, match.group_key,
                                     self._candidate(match, record_dict(claim), ref, source))
            for ev in outcome.extraction.diplomatic_events:
                await out.send(t.diplomatic, a.id, event_record(ev, a, model, extracted_at))
                m.events.labels(ev.type).inc()
                actor, kind, target = ev.key
                m.dyads.labels(actor or "none", kind, target or "none").inc()
                for match in alert_rules.match_event(self.rules, ev):
                    await out.send(t.alert_candidates, match.group_key,
                                     self._candidate(match, record_dict(ev), ref, source))
        await out.flush()
        done = time.time()
        for msg, outcome in zip(batch.origin, batch.outcomes):
            if outcome.extraction is not None:
                m.articles_processed.inc()
                if msg.timestamp:
                    m.latency.observe(max(0.0, done - msg.timestamp))
        m.batch_articles.observe(len(batch.events))
        m.batch_seconds.observe(time.perf_counter() - batch.started)
        for event in batch.events:
            # An acknowledgement, not a bare decref: when batches overlap, the stream
            # has already let go of these messages and this is the last reference, so
            # it must be the one that marks them committable.
            event.ack()

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
        #
        # Batch n is published while batch n+1 is extracted: the extraction thread
        # no longer idles while the broker acknowledges. At most one batch is being
        # published; outputs still go out batch by batch, in order, and a failed
        # publication surfaces here before the next one starts.
        publishing: asyncio.Future | None = None
        try:
            async for events in stream.noack().take_events(s.batch_size, within=s.batch_timeout_seconds):
                batch = await stage.extract_batch(events)
                if publishing is not None:
                    await publishing
                publishing = asyncio.ensure_future(stage.publish_batch(batch))
            if publishing is not None:
                await publishing
        finally:
            if publishing is not None and not publishing.done():
                # Stopping (SIGTERM, rebalance): give the batch in flight the time to be
                # acknowledged and committed. If it is not, it stays uncommitted and is
                # read again, never lost.
                await asyncio.wait({publishing}, timeout=PUBLISH_DRAIN_SECONDS)

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
