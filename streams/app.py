"""The one Faust app: configuration, topics, the alert-state table, web endpoints.

`create_app` builds it from `Settings`; agents are bound from `agents.pipeline`.
HTTP on `web_port`: `/metrics` (Prometheus), `/livez`, `/readyz`.
"""
from __future__ import annotations

import collections
import logging
import ssl
import time
from dataclasses import dataclass
from typing import Any

import faust
from mode.utils.objects import cached_property
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from .assignment import AssignmentWatch, PartitionState, ProgressWatch, group_view
from .consumer import FlowControl
from .consumer import Transport as SafeTransport
from .metrics import Metrics
from .records import AlertCandidate, AlertRecord, CasualtyClaimRecord, DeadLetterRecord, DiplomaticEventRecord
from .settings import Settings
from .topics import ALERT_STATE_TABLE, TopicNames

log = logging.getLogger(__name__)

#: aiohttp takes the charset separately; the exposition format is UTF-8 text.
METRICS_CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4.replace("; charset=utf-8", "")
#: The gauge a scrape must refresh first (figures that left the alert window go).
FIGURE_MAX = "wirewatch_casualty_figure_max"


class App(faust.App):
    """Faust's app, with flow control that keeps what a redundant resume would drop
    (see `streams.consumer`)."""

    @cached_property
    def flow_control(self) -> FlowControl:
        return FlowControl(loop=self.loop)


@dataclass
class FaustTopics:
    articles: Any
    diplomatic: Any
    casualty: Any
    alerts_diplomatic: Any
    alerts_casualty: Any
    deadletter: Any
    alert_candidates: Any


PRODUCER_LINGER_SECONDS = 0.005
PRODUCER_MAX_BATCH_BYTES = 256 * 1024


def broker_credentials(s: Settings) -> Any:
    """Faust credentials for the configured security protocol (None for PLAINTEXT)."""
    context = None
    if s.security_protocol.endswith("SSL"):
        context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH,
                                             cafile=str(s.ssl_cafile) if s.ssl_cafile else None)
        if s.ssl_certfile:
            context.load_cert_chain(str(s.ssl_certfile), str(s.ssl_keyfile) if s.ssl_keyfile else None)
    if s.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(username=s.sasl_username, password=s.password(),
                                     mechanism=s.sasl_mechanism, ssl_context=context)
    if context is not None:
        return faust.SSLCredentials(context)
    return None


class HealthSensor(faust.Sensor):
    """Tracks rebalances and assignment for `/readyz` and the metrics."""

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics
        self.rebalancing = True

    def on_rebalance_start(self, app: Any) -> dict[str, Any]:
        self.rebalancing = True
        self.metrics.rebalances.inc()
        self.metrics.ready.set(0)
        return {}

    def on_rebalance_end(self, app: Any, state: dict[str, Any]) -> None:
        self.rebalancing = False
        assigned = len(app.consumer.assignment()) if app.consumer else 0
        self.metrics.assigned.set(assigned)


def topic_objects(app: faust.App, names: TopicNames, s: Settings) -> FaustTopics:
    def out(name: str, value_type: Any) -> Any:
        return app.topic(name, key_type=str, value_type=value_type, key_serializer="raw",
                         value_serializer="json", partitions=s.topic_partitions,
                         replicas=s.topic_replication_factor)

    articles = app.topic(names.articles, key_type=bytes, value_type=bytes, key_serializer="raw",
                         value_serializer="raw", partitions=s.topic_partitions,
                         replicas=s.topic_replication_factor)
    return FaustTopics(
        articles=articles,
        diplomatic=out(names.diplomatic, DiplomaticEventRecord),
        casualty=out(names.casualty, CasualtyClaimRecord),
        alerts_diplomatic=out(names.alerts_diplomatic, AlertRecord),
        alerts_casualty=out(names.alerts_casualty, AlertRecord),
        deadletter=out(names.deadletter, DeadLetterRecord),
        alert_candidates=app.topic(names.alert_candidates, key_type=str, value_type=AlertCandidate,
                                   key_serializer="raw", value_serializer="json", internal=True,
                                   partitions=s.topic_partitions, replicas=s.topic_replication_factor),
    )


@dataclass
class Wirewatch:
    app: faust.App
    settings: Settings
    metrics: Metrics
    topics: FaustTopics
    stage: Any
    sensor: HealthSensor

    def is_ready(self) -> bool:
        consumer = self.app.consumer if self.app.started else None
        return bool(self.stage.extractor.loaded and consumer is not None and not self.sensor.rebalancing
                    and not self.app.rebalancing and consumer.assignment() and self.broker_connected())

    def broker_connected(self) -> bool:
        """Whether the consumer holds at least one live broker connection.

        The assignment outlives a broker outage (aiokafka keeps it and reconnects),
        so without this `/readyz` stayed ready while no broker was reachable.
        Reads aiokafka's connection table; an unknown driver counts as connected.
        """
        try:
            conns = list(self.app.consumer._thread._consumer._client._conns.values())
        except AttributeError:
            return True
        return any(conn.connected() for conn in conns)


def consumer_view(consumer: Any) -> tuple[set[tuple[str, int]], set[tuple[str, int]], collections.Counter]:
    """The partitions Faust's aiokafka consumer has paused, those Faust itself holds paused
    (it fetches nothing for them, whatever the client's own set says), and the messages in
    flight (delivered, not acknowledged) per partition, read once per look (see
    `ProgressWatch`)."""
    try:
        paused = {(p.topic, p.partition) for p in consumer._thread._consumer.paused()}
    except AttributeError:  # another driver, or not started
        paused = set()
    held = {(p.topic, p.partition) for p in list(getattr(consumer, "_paused_partitions", ()) or ())}
    in_flight = collections.Counter(m.tp for m in list(getattr(consumer, "_unacked_messages", ()))
                                    if not m.acked)
    return paused, held, in_flight


def create_app(s: Settings, *, metrics: Metrics | None = None, extractor: Any = None,
               rules: Any = None) -> Wirewatch:
    """Build the Faust app with its topics, table, agents, timers and endpoints."""
    from agents import pipeline
    from agents.alerts import load_rules

    metrics = metrics or Metrics()
    names = TopicNames.from_settings(s)
    app = App(
        s.app_id,
        broker=[f"kafka://{h}" for h in s.bootstrap_servers] or "kafka://localhost:9092",
        broker_credentials=broker_credentials(s),
        store="memory://",
        autodiscover=False,
        topic_partitions=s.topic_partitions,
        topic_replication_factor=s.topic_replication_factor,
        topic_allow_declare=True,
        broker_session_timeout=s.session_timeout_seconds,
        broker_heartbeat_interval=s.heartbeat_interval_seconds,
        consumer_auto_offset_reset="earliest",
        processing_guarantee=s.processing_guarantee,  # at_least_once (see Settings)
        producer_acks=-1,
        # A batch's records are sent in a burst and awaited together: a few milliseconds
        # of linger put most of them in one produce request per partition instead of
        # about one request per record (measured: fewer requests, less CPU per article).
        producer_linger=PRODUCER_LINGER_SECONDS,
        producer_max_batch_size=PRODUCER_MAX_BATCH_BYTES,
        web_enabled=True,
        web_port=s.web_port,
        web_bind=s.web_bind,
        web_host="localhost",
        datadir=str(s.data_dir / s.app_id),
        table_standby_replicas=0,
    )
    # Before anything reaches the transport: the consumer it creates commits only
    # offsets whose messages were all acknowledged (see streams.consumer).
    app.transport = SafeTransport(app.conf.broker_consumer, app)
    topics = topic_objects(app, names, s)
    extractor = extractor or pipeline.make_extractor(s)
    if hasattr(extractor, "on_restart"):
        extractor.on_restart = lambda reason: metrics.extraction_restarts.labels(reason).inc()
    stage = pipeline.Stage(settings=s, metrics=metrics, rules=rules or load_rules(s.rules_file),
                           extractor=extractor, topics=topics)
    # Values are plain JSON objects (Faust's default serializer): no value_type,
    # because Faust rebuilds a typed changelog value with `value_type.from_data`,
    # which `dict` lacks, so recovery after a restart failed on every record.
    stage.table = app.Table(ALERT_STATE_TABLE, default=lambda: None, partitions=s.topic_partitions,
                            key_type=str)
    pipeline.bind(app, stage)
    sensor = HealthSensor(metrics)
    app.sensors.add(sensor)
    ww = Wirewatch(app, s, metrics, topics, stage, sensor)

    @app.task
    async def _load_model() -> None:
        if not extractor.loaded:
            await app.loop.run_in_executor(None, extractor.load)
        await app.loop.run_in_executor(None, stage.language.load)
        metrics.model.labels(*extractor.model_label.rsplit("-", 1)).set(1)

    progress = ProgressWatch(s.stall_warning_seconds)

    @app.timer(interval=s.lag_interval_seconds)
    async def _measure_lag() -> None:
        consumer = app.consumer
        assignment = consumer.assignment() if consumer else set()
        ready = ww.is_ready()
        metrics.ready.set(1 if ready else 0)
        metrics.assigned.set(len(assignment))
        metrics.refresh_figures(s.alert_window_seconds)
        seen = set()
        states = []
        paused, held, in_flight = (consumer_view(consumer) if consumer
                                   else (set(), set(), collections.Counter()))
        for tp in assignment:
            if tp.topic != names.articles:
                continue
            # Counted from the group's committed offset, as Kafka's consumer-groups tool
            # and lag-based autoscalers count it. The fetch position is no measure: the
            # consumer reads ahead into its buffers, so it sits at the end of the log
            # while hundreds of fetched articles still wait for extraction.
            try:
                high = consumer.highwater(tp)
            except Exception:  # noqa: BLE001 - lag is best effort during rebalances
                continue
            if high is None:
                continue
            # Faust stores a committed offset of 0 as None.
            committed = getattr(consumer, "_committed_offset", {}).get(tp) or 0
            metrics.lag.labels(tp.topic, str(tp.partition)).set(max(0, high - committed))
            seen.add((tp.topic, str(tp.partition)))
            states.append(PartitionState(partition=tp.partition, end=high, committed=committed,
                                         read=getattr(consumer, "_read_offset", {}).get(tp),
                                         paused=(tp.topic, tp.partition) in paused,
                                         held=(tp.topic, tp.partition) in held, in_flight=in_flight[tp]))
        for labels in list(getattr(metrics.lag, "_metrics", {})):
            if labels not in seen:
                metrics.lag.remove(*labels)
        stalled = progress.look(time.monotonic(), states, rebalancing=bool(app.rebalancing) or not ready)
        metrics.stalled.set(progress.stalled)
        if stalled:
            log.warning(progress.message(time.monotonic(), names.articles, stalled,
                                         flow_stopped=not getattr(consumer, "flow_active", True)))

    watch = AssignmentWatch(s.unassigned_warning_seconds)

    @app.timer(interval=min(s.lag_interval_seconds, s.unassigned_warning_seconds))
    async def _watch_assignment() -> None:
        consumer = app.consumer
        assigned = any(tp.topic == names.articles for tp in (consumer.assignment() if consumer else ()))
        now = time.monotonic()
        if not watch.due(now, assigned):
            return
        view = await app.loop.run_in_executor(None, group_view, s, names.articles)
        warning = watch.message(now, names.articles, view, rebalancing=bool(app.rebalancing),
                                connected=ww.broker_connected())
        if warning:
            log.warning(warning)

    @app.page("/metrics")
    async def _metrics_view(web: Any, request: Any) -> Any:
        # `?name[]=<sample name>` (repeatable) limits the page to those samples, as
        # prometheus_client's own exposition does: a cheap page for frequent pollers.
        names = request.rel_url.query.getall("name[]", [])
        if not names or any(n.startswith(FIGURE_MAX) for n in names):
            metrics.refresh_figures(s.alert_window_seconds)  # drop figures that left the window
        registry = metrics.registry.restricted_registry(names) if names else metrics.registry
        return web.bytes(generate_latest(registry), content_type=METRICS_CONTENT_TYPE)

    @app.page("/livez")
    async def _livez(web: Any, request: Any) -> Any:  # noqa: ARG001
        return web.json({"status": "alive"})

    @app.page("/readyz")
    async def _readyz(web: Any, request: Any) -> Any:  # noqa: ARG001
        ready = ww.is_ready()
        metrics.ready.set(1 if ready else 0)
        body = {"ready": ready, "rebalancing": bool(app.rebalancing),
                "assigned_partitions": len(app.consumer.assignment()) if app.consumer else 0,
                "model_loaded": extractor.loaded, "broker_connected": ww.broker_connected()}
        return web.json(body, status=200 if ready else 503)

    return ww
