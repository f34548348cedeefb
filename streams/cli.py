"""The `wirewatch` command: run, demo, broker, publish, tail, extract, topics, eval.

Errors are messages, not tracebacks: an unreachable broker, an unknown model, an
invalid setting or rules file each end the command with one line naming the
problem and exit status 2.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .broker import BrokerError
from .preflight import PreflightError
from .settings import Settings, SettingsError, load_settings
from .topics import TopicError

log = logging.getLogger("wirewatch")

REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class Fatal(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"wirewatch: error: {self.format_message()}", err=True)


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        raise Fatal(str(exc)) from None


def _logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("kafka", "aiokafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


@click.group()
@click.version_option(__version__, prog_name="wirewatch")
def main() -> None:
    """Diplomatic events and casualty claims from a Kafka topic of news articles."""


def _broker_option(f: Any) -> Any:
    return click.option("--broker", "-b", default=None, metavar="HOST:PORT",
                        help="Kafka bootstrap servers (default: WIREWATCH_BROKER).")(f)


@main.command()
@_broker_option
@click.option("--web-port", type=int, default=None, help="Port of /metrics, /livez, /readyz (WIREWATCH_WEB_PORT).")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
              help="Alert rules YAML (WIREWATCH_RULES_FILE).")
def run(broker: str | None, web_port: int | None, rules_file: str | None) -> None:
    """Run the worker. With no broker configured, start the embedded one on 127.0.0.1."""
    from agents.alerts import RulesError, load_rules
    from agents.extraction.nlp import ModelNotFound
    from agents.isolated import ExtractionProcessError

    s = _settings(broker=broker, web_port=web_port, rules_file=rules_file)
    _logging(s.log_level)
    embedded = None
    try:
        rules = load_rules(s.rules_file)
    except RulesError as exc:
        raise Fatal(f"invalid alert rules (WIREWATCH_RULES_FILE): {exc}") from None
    if s.embedded:
        from . import broker as brokers

        try:
            embedded = brokers.tansu().start()
        except BrokerError as exc:
            raise Fatal(str(exc)) from None
        click.echo(f"wirewatch: no broker configured; started the embedded broker on {embedded.bootstrap} "
                   f"(memory storage, data is lost on exit)", err=True)
        s = s.model_copy(update={"broker": embedded.bootstrap, "session_timeout_seconds": 6.0,
                                 "heartbeat_interval_seconds": 1.0})
    try:
        _run_worker(s, rules)
    except (ModelNotFound, ExtractionProcessError) as exc:
        raise Fatal(str(exc)) from None
    except (TopicError, PreflightError) as exc:
        raise Fatal(str(exc)) from None
    finally:
        if embedded is not None:
            embedded.stop()


def _run_worker(s: Settings, rules: Any) -> None:
    from faust.worker import Worker

    from agents.extraction.nlp import check_installed
    from agents.pipeline import make_extractor

    from . import preflight
    from .app import create_app
    from .topics import ensure_topics

    check_installed(s.spacy_model)  # an unknown model is named before any broker is asked
    extractor = make_extractor(s)
    try:
        # Fail fast, before joining the group: the broker refuses the security settings
        # or an operation the worker needs, or the model cannot load.
        server = preflight.connect(s)
        ensure_topics(s)
        preflight.access(s, server)
        extractor.load()
        s.data_dir.mkdir(parents=True, exist_ok=True)
        ww = create_app(s, extractor=extractor, rules=rules)
        log.info("wirewatch %s: model %s, metrics on http://%s:%d/metrics", __version__, extractor.model_label,
                 "127.0.0.1" if s.web_bind in ("0.0.0.0", "") else s.web_bind, s.web_port)
        worker = Worker(ww.app, loglevel=s.log_level, quiet=True, redirect_stdouts=False)
        # Faust's start-up spinner sets the root logger to DEBUG (every record spins it)
        # and keeps it there: each debug call in Faust and mode then builds a log record
        # that the WARNING handler drops, once per record sent. Without the spinner the
        # configured level holds.
        worker.spinner = None
        worker.execute_from_commandline()
    finally:
        extractor.close()


@main.command()
@click.option("--topic", "topic_names", multiple=True, help="Only these topics (default: all).")
@_broker_option
def topics(topic_names: tuple[str, ...], broker: str | None) -> None:
    """Create missing topics with the configured partitions and show their shape."""
    from .topics import ensure_topics

    s = _settings(broker=broker)
    if s.embedded:
        raise Fatal("no broker configured: set WIREWATCH_BROKER or --broker")
    try:
        shape = ensure_topics(s)
    except TopicError as exc:
        raise Fatal(str(exc)) from None
    for name, parts in shape.items():
        if not topic_names or name in topic_names:
            click.echo(f"{name}\t{parts} partitions")


@main.command()
@click.argument("topic", required=False)
def schema(topic: str | None) -> None:
    """Print the JSON Schema of TOPIC's values (its configured or default name); no TOPIC: list them."""
    from . import schemas
    from .topics import TopicNames

    names = TopicNames.from_settings(_settings())
    if topic is None:
        for role, (name, _, title) in schemas.TOPICS.items():
            click.echo(f"{getattr(names, role)}\t{name}\t{title}")
        return
    try:
        role = schemas.role_of(topic, names)
    except schemas.UnknownTopic:
        known = ", ".join(getattr(names, r) for r in schemas.TOPICS)
        raise Fatal(f"no topic {topic!r} has a schema; topics: {known}") from None
    click.echo(schemas.dumps(schemas.schema_for(role)), nl=False)


# --- reading inputs --------------------------------------------------------------

def _read_inputs(paths: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Articles from JSON lines, JSON files, directories of them, plain text or stdin."""
    for path in paths or ("-",):
        if path == "-":
            yield from _parse_blob(_utf8(sys.stdin.buffer.read(), "stdin"), "stdin")
            continue
        p = Path(path)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.suffix in (".json", ".jsonl", ".txt") and child.is_file():
                    yield from _parse_blob(_utf8(child.read_bytes(), str(child)), child.stem)
        elif p.is_file():
            yield from _parse_blob(_utf8(p.read_bytes(), path), p.stem)
        else:
            raise Fatal(f"no such file: {path}")


def _utf8(data: bytes, name: str) -> str:
    """The text of an input, or a one-line refusal naming where its encoding breaks."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Fatal(f"{name}: not UTF-8 (byte {exc.start}, line {line}); nothing was published. "
                    f"Convert it (iconv -t UTF-8) or send raw bytes with another client.") from None


def _parse_blob(text: str, name: str) -> Iterator[dict[str, Any]]:
    stripped = text.strip()
    if not stripped:
        return
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
            yield obj if "id" in obj else {"id": name, **obj}
            return
        except json.JSONDecodeError:
            pass
        for n, line in enumerate(stripped.splitlines(), 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise Fatal(f"{name}: line {n} is not JSON: {exc.msg}") from None
                yield obj if "id" in obj else {"id": f"{name}-{n}", **obj}
        return
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise Fatal(f"{name}: invalid JSON: {exc.msg}") from None
        for n, obj in enumerate(items, 1):
            yield obj if "id" in obj else {"id": f"{name}-{n}", **obj}
        return
    yield {"id": name, "text": text}


@main.command()
@click.argument("files", nargs=-1)
@_broker_option
@click.option("--topic", default=None, help="Target topic (default: the articles topic).")
def publish(files: tuple[str, ...], broker: str | None, topic: str | None) -> None:
    """Publish articles (JSON lines, JSON files, text files, or - for stdin)."""
    from kafka import KafkaProducer
    from kafka.errors import KafkaError

    from .topics import kafka_client_config

    s = _settings(broker=broker)
    if s.embedded:
        raise Fatal("no broker configured: set WIREWATCH_BROKER or --broker")
    topic = topic or s.topic_articles
    articles = list(_read_inputs(files))  # every input is read (and checked) before any send
    try:
        producer = KafkaProducer(acks="all", linger_ms=5, **kafka_client_config(s))
    except KafkaError as exc:
        raise Fatal(f"no broker reachable at {s.broker}: {exc}") from None
    try:
        refused = _send_all(producer, topic, articles)
    except KafkaError as exc:
        raise Fatal(f"publishing to {topic} failed: {exc}") from None
    finally:
        producer.close(timeout=10)
    for article_id, error in refused:
        click.echo(f"wirewatch: refused: article {article_id!r}: {error}", err=True)
    click.echo(f"published {len(articles) - len(refused)} article(s) to {topic}"
               + (f"; {len(refused)} refused" if refused else ""), err=True)
    if refused:
        sys.exit(1)


def _send_all(producer: Any, topic: str, articles: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Send every article; return `(id, error)` of those the client or the broker refused.

    A refusal fails the whole batch the record travelled in, so a refused record's
    neighbours are sent again one by one: only the records refused on their own are
    reported, and one oversized article never costs the others.
    """
    from kafka.errors import KafkaError, KafkaTimeoutError

    def send(article: dict[str, Any]) -> Any:
        key = str(article.get("id", "")).encode() or None
        return producer.send(topic, key=key, value=json.dumps(article, ensure_ascii=False).encode())

    failed: list[dict[str, Any]] = []
    pending = []
    for article in articles:
        try:
            pending.append((article, send(article)))
        except KafkaTimeoutError:
            raise
        except KafkaError:
            failed.append(article)  # refused before sending (too large for the client): retried below
    for article, future in pending:
        try:
            future.get(timeout=30)
        except KafkaTimeoutError:
            raise
        except KafkaError:
            failed.append(article)
    refused: list[tuple[str, str]] = []
    for article in failed:
        try:
            send(article).get(timeout=30)
        except KafkaTimeoutError:
            raise
        except KafkaError as exc:
            refused.append((str(article.get("id", "?")), f"{type(exc).__name__}: {exc}"))
    return refused


def format_alert(a: dict[str, Any]) -> str:
    status = a.get("status", "new").upper()
    corr = a.get("corroboration", 1)
    sup = f" supersedes {a['supersedes'][:8]}" if a.get("supersedes") else ""
    art = (a.get("article") or {}).get("id", "?")
    return (f"[{a.get('severity', '?'):>8}] {a.get('rule', '?')} {status}{sup}: {a.get('summary', '')} "
            f"(article {art}, {corr} source{'s' if corr != 1 else ''})")


def _pretty(topic: str, value: dict[str, Any]) -> str:
    if "alert_id" in value:
        return format_alert(value)
    if "category" in value:
        c = value["count"]
        loc = (value.get("location") or {}).get("country") or "-"
        return f"claim {value['category']} {c['text']} {value.get('victims') or ''} [{loc}] ({value['article_id']})"
    if "cameo" in value:
        tgt = value.get("target") or {}
        return (f"event {value['actor'].get('country') or value['actor'].get('org')} {value['type']}"
                f" {tgt.get('country') or tgt.get('org') or '-'} {'planned ' if value.get('planned') else ''}"
                f"({value['article_id']})")
    if "reason" in value:
        return f"dead-letter {value['reason']}: {value['detail']} ({value['topic']}:{value['partition']}:{value['offset']})"
    return json.dumps(value, ensure_ascii=False)


@main.command()
@click.argument("topic")
@_broker_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--from-beginning/--from-end", default=True, help="Where to start reading.")
@click.option("--max-messages", "-n", type=int, default=None, help="Stop after this many messages.")
@click.option("--timeout", type=float, default=None, help="Stop after this many idle seconds.")
def tail(topic: str, broker: str | None, as_json: bool, from_beginning: bool,
         max_messages: int | None, timeout: float | None) -> None:
    """Print the messages of TOPIC (pretty, or --json)."""
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError

    from .topics import kafka_client_config

    s = _settings(broker=broker)
    if s.embedded:
        raise Fatal("no broker configured: set WIREWATCH_BROKER or --broker")
    try:
        consumer = KafkaConsumer(topic, auto_offset_reset="earliest" if from_beginning else "latest",
                                 enable_auto_commit=False, group_id=None,
                                 consumer_timeout_ms=int(timeout * 1000) if timeout else float("inf"),
                                 **kafka_client_config(s))
    except KafkaError as exc:
        raise Fatal(f"no broker reachable at {s.broker}: {exc}") from None
    n = 0
    try:
        for msg in consumer:
            try:
                value = json.loads(msg.value)
            except (ValueError, TypeError):
                value = {"raw": msg.value.decode("utf-8", "replace") if msg.value else None}
            click.echo(json.dumps(value, ensure_ascii=False) if as_json else _pretty(topic, value))
            n += 1
            if max_messages and n >= max_messages:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()


@main.command()
@click.argument("files", nargs=-1)
@click.option("--model", default=None, help="spaCy pipeline (WIREWATCH_SPACY_MODEL).")
def extract(files: tuple[str, ...], model: str | None) -> None:
    """Extract without Kafka: one JSON line per article (id, diplomatic_events, casualty_claims)."""
    from agents.extraction import ArticleContext, extract_texts, parse_published
    from agents.extraction.nlp import ModelNotFound, load

    s = _settings(spacy_model=model)
    try:
        nlp = load(s.spacy_model)
    except ModelNotFound as exc:
        raise Fatal(str(exc)) from None
    items = []
    for art in _read_inputs(files):
        if not isinstance(art.get("text"), str):
            raise Fatal(f"article {art.get('id')!r} has no text")
        items.append((art["text"], ArticleContext(article_id=str(art["id"]),
                                                  published_at=parse_published(art.get("published_at")))))
    for result in extract_texts(nlp, items):
        d = result.to_dict()
        click.echo(json.dumps({"id": d["id"], "diplomatic_events": d["diplomatic_events"],
                               "casualty_claims": d["casualty_claims"]}, ensure_ascii=False))


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                "help_option_names": []})
@click.pass_context
def eval(ctx: click.Context) -> None:  # noqa: A001 - the command's name
    """Score extraction against gold files: wirewatch eval GOLD... --articles PATH... [-v] [--json]."""
    from agents.extraction.evaluate import main as evaluate

    ctx.exit(evaluate(list(ctx.args)))


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                "help_option_names": []})
@click.pass_context
def bench(ctx: click.Context) -> None:
    """Throughput (spaCy ceiling, core, end to end with 1 and 2 workers), latency, worker memory."""
    from .bench import run_bench

    ctx.exit(run_bench(list(ctx.args)))


class _Stop(BaseException):
    """SIGINT or SIGTERM reached `wirewatch broker`."""


@main.command("broker")
@click.option("--kind", type=click.Choice(["tansu", "noida", "apache-kafka"]), default="tansu", show_default=True,
              help="Which broker to run.")
@click.option("--version", "kafka_version", default=None, metavar="V",
              help="Apache Kafka release (default: the latest 4.x known, 4.4.0; 3.9.x works too).")
@click.option("--nodes", type=click.IntRange(1, 9), default=1, show_default=True,
              help="Apache Kafka: nodes of the KRaft cluster (each a broker and a controller).")
@click.option("--sasl", is_flag=True, help="Apache Kafka: clients authenticate with SCRAM-SHA-512.")
@click.option("--tls", is_flag=True, help="Apache Kafka: TLS (with --sasl: SASL_SSL; alone: client certificates).")
@click.option("--workdir", type=click.Path(file_okay=False), default=None,
              help="Data, logs and certificates here, kept at exit (default: a temporary directory, removed).")
@click.option("--resolve-only", is_flag=True,
              help="Apache Kafka: resolve the jars into the cache with Maven, then exit (an install step).")
def broker_command(kind: str, kafka_version: str | None, nodes: int, sasl: bool, tls: bool,
                   workdir: str | None, resolve_only: bool) -> None:
    """A local broker or cluster on 127.0.0.1, in the foreground until Ctrl-C or SIGTERM.

    The first line on stdout is `bootstrap: HOST:PORT[,HOST:PORT...]`, printed once
    every node is ready; the lines after it are the settings a worker needs.
    """
    import shutil
    import tempfile

    from . import brokers

    if resolve_only:
        if kind != "apache-kafka":
            raise Fatal("--resolve-only: only --kind apache-kafka has jars to resolve")
        from .brokers import apache_kafka

        try:
            version = apache_kafka.check_version(kafka_version or apache_kafka.DEFAULT_VERSION)
            click.echo(f"apache-kafka {version}: {apache_kafka.resolve(version)}")
        except BrokerError as exc:
            raise Fatal(str(exc)) from None
        return

    def _signalled(*_: Any) -> None:
        raise _Stop()

    old = {sig: signal.signal(sig, _signalled) for sig in (signal.SIGINT, signal.SIGTERM)}
    work = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix=f"wirewatch-{kind}-"))
    cluster = None
    try:
        try:
            cluster = brokers.launch(kind, work, version=kafka_version, nodes=nodes, sasl=sasl, tls=tls)
        except BrokerError as exc:
            raise Fatal(str(exc)) from None
        click.echo(f"bootstrap: {cluster.bootstrap}")
        click.echo(f"WIREWATCH_BROKER={cluster.bootstrap}")
        if kind == "apache-kafka":
            from .brokers import apache_kafka

            assert isinstance(cluster, apache_kafka.KafkaCluster)
            if cluster.security.enabled:
                s = _settings()
                apache_kafka.grant_worker(cluster, s)
                for k, v in cluster.client_settings(apache_kafka.WORKER_PRINCIPAL).items():
                    click.echo(f"{k}={v}")
                click.echo(f"(principal {apache_kafka.WORKER_PRINCIPAL!r} may use app id {s.app_id!r} and its "
                           f"topics; {apache_kafka.ADMIN_PRINCIPAL!r} is a super user)", err=True)
        sys.stdout.flush()
        click.echo(f"{kind} running, data and logs in {work}; Ctrl-C to stop", err=True)
        while True:
            time.sleep(0.5)
            dead = _dead_nodes(cluster)
            if dead:
                raise Fatal(f"{dead} exited; see the logs in {work}")
    except _Stop:
        pass
    finally:
        for sig in old:
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
        if cluster is not None:
            cluster.stop()
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if not workdir:
            shutil.rmtree(work, ignore_errors=True)
        if cluster is not None:
            click.echo("stopped.", err=True)


def _dead_nodes(cluster: Any) -> str:
    """Which of a running cluster's nodes have exited ('' when none)."""
    nodes = getattr(cluster, "nodes", None)
    if nodes is not None:
        return ", ".join(f"node {n.node_id}" for n in nodes if not n.alive())
    proc = getattr(cluster, "proc", None)
    return f"the {cluster.kind} broker" if proc is None or proc.poll() is not None else ""


@main.command()
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False), default=None,
              help="Directory of articles to publish (default: the project's seeds/articles).")
@click.option("--web-port", type=int, default=6066, show_default=True, help="Metrics/health port of the worker.")
@click.option("--duration", type=float, default=None, help="Stop by itself after this many seconds.")
def demo(seeds_dir: str | None, web_port: int, duration: float | None) -> None:
    """Embedded broker + worker + the seed articles; prints alerts as they arrive."""
    from kafka import KafkaConsumer

    from . import broker as brokers
    from .broker import wait_for_port
    from .topics import ensure_topics, kafka_client_config

    seeds = Path(seeds_dir) if seeds_dir else REPO_SEEDS / "articles"
    if not seeds.is_dir():
        raise Fatal(f"no seed articles at {seeds} (use --seeds DIR)")
    _logging("warning")
    try:
        b = brokers.tansu().start()
    except BrokerError as exc:
        raise Fatal(str(exc)) from None
    worker = None
    stopping = False

    def _stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        s = _settings(broker=b.bootstrap, web_port=web_port, session_timeout_seconds=6.0,
                      heartbeat_interval_seconds=1.0)
        ensure_topics(s)
        click.echo(f"embedded broker on {b.bootstrap} (Tansu, memory storage)")
        env = {**os.environ, "WIREWATCH_BROKER": b.bootstrap, "WIREWATCH_WEB_PORT": str(web_port),
               "WIREWATCH_SESSION_TIMEOUT_SECONDS": "6", "WIREWATCH_HEARTBEAT_INTERVAL_SECONDS": "1",
               "WIREWATCH_LOG_LEVEL": os.environ.get("WIREWATCH_LOG_LEVEL", "warning")}
        worker = subprocess.Popen([sys.executable, "-m", "streams", "run"], env=env, start_new_session=True)
        if not wait_for_port("127.0.0.1", web_port, 120):
            raise Fatal(f"the worker did not open port {web_port}")
        click.echo(f"worker started (pid {worker.pid}); metrics at http://127.0.0.1:{web_port}/metrics")
        consumer = KafkaConsumer(s.topic_alerts_casualty, s.topic_alerts_diplomatic, s.topic_deadletter,
                                 auto_offset_reset="earliest", enable_auto_commit=False, group_id=None,
                                 consumer_timeout_ms=500, **kafka_client_config(s))
        subprocess.run([sys.executable, "-m", "streams", "publish", "--broker", b.bootstrap, str(seeds)],
                       check=True)
        click.echo("alerts (Ctrl-C to stop):")
        started = time.monotonic()
        while not stopping and (duration is None or time.monotonic() - started < duration):
            if worker.poll() is not None:
                raise Fatal(f"the worker exited with status {worker.returncode}")
            for msg in consumer:
                value = json.loads(msg.value)
                click.echo(_pretty(msg.topic, value))
                if stopping:
                    break
        consumer.close()
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("stopping...", err=True)
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        b.stop()
        click.echo("stopped.", err=True)


if __name__ == "__main__":
    main()
