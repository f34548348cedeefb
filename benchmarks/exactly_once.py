"""Does Faust's `exactly_once` hold for wirewatch's worker over real Kafka transactions?

The experiment (docs/delivery.md reports what it showed):

1. start Apache Kafka in KRaft mode on 127.0.0.1 (`streams.brokers.apache_kafka`, one
   node by default: its transaction state log then has replication factor and
   min.insync.replicas 1);
2. start a worker whose Faust app runs with `processing_guarantee=<--guarantee>`
   (the worker as `wirewatch run` starts it, with that one option changed);
3. publish `--articles` articles, each carrying one casualty claim with a
   deterministic id; kill -9 the worker once a fifth of them are processed;
4. start a second worker with the same app id and wait until the stream is done;
5. read every output topic from the beginning with librdkafka
   (`isolation.level=read_committed`, and once more `read_uncommitted`) and count,
   per claim id, how often it was delivered.

Prints one JSON object: duplicates and missing articles as a read_committed reader
sees them, what the workers logged (crashes, fenced producers, sends refused), and
the group's committed offsets against the input's end. Exit status 0 when the run
completed (whatever it found), 2 when the setup itself failed.

    python benchmarks/exactly_once.py --guarantee exactly_once --articles 300
    python benchmarks/exactly_once.py --guarantee at_least_once --articles 300

`python benchmarks/exactly_once.py worker` is the worker process the script starts.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GUARANTEE_ENV = "EXACTLY_ONCE_EXPERIMENT_GUARANTEE"
COMMIT_INTERVAL_ENV = "EXACTLY_ONCE_EXPERIMENT_COMMIT_INTERVAL"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: What the workers' logs are searched for.
LOG_SIGNS = {
    "traceback": r"Traceback \(most recent call last\)",
    "crashed": r"Crashed reason=",
    "producer_fenced": r"ProducerFenced|fenced",
    "no_transaction_producer": r"No transaction producer found",
    "key_error": r"KeyError",
    "commit_unknown_transaction": r"Commit invoked for unknown transaction",
    "not_committed": r"Has not committed",
}


def articles(n: int, tag: str) -> list[dict[str, Any]]:
    """`n` articles with one 'killed' claim each (the same figure and place, distinct sources)."""
    return [{"id": f"{tag}-{i:04d}", "source": f"outlet {tag} {i}",
             "text": (f"Twenty-five people were killed in an attack on a market in Mali on "
                      f"{DAYS[i % 7]}, officials said. Report number {i} of the day.")}
            for i in range(n)]


# --- the worker process ----------------------------------------------------------------

def run_worker() -> None:
    """`wirewatch run`, with Faust's processing guarantee taken from the environment."""
    import streams.app as app_module
    from streams.cli import main

    guarantee = os.environ[GUARANTEE_ENV]
    interval = os.environ.get(COMMIT_INTERVAL_ENV)
    base = app_module.App

    class ExperimentApp(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["processing_guarantee"] = guarantee
            if interval:
                kwargs["broker_commit_interval"] = float(interval)
            super().__init__(*args, **kwargs)

    app_module.App = ExperimentApp  # create_app looks the class up at call time
    main(["run"], prog_name="wirewatch")


# --- reading the outputs -------------------------------------------------------------

def read_topic(bootstrap: str, topic: str, isolation: str, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Every message of `topic` a reader with `isolation` sees, read to the end of each partition."""
    from confluent_kafka import Consumer, KafkaError, TopicPartition

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"eos-check-{uuid.uuid4().hex[:6]}",
                  "enable.auto.commit": False, "enable.partition.eof": True,
                  "isolation.level": isolation, "auto.offset.reset": "earliest"})
    try:
        meta = c.list_topics(topic, timeout=10).topics[topic]
        parts = sorted(meta.partitions)
        c.assign([TopicPartition(topic, p, 0) for p in parts])
        done: set[int] = set()
        out: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while len(done) < len(parts) and time.monotonic() < deadline:
            msg = c.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    done.add(msg.partition())
                    continue
                raise RuntimeError(f"reading {topic}: {msg.error()}")
            done.discard(msg.partition())
            out.append({"partition": msg.partition(), "offset": msg.offset(), "value": json.loads(msg.value())})
        return out
    finally:
        c.close()


def committed_offsets(bootstrap: str, group: str, topic: str) -> dict[str, Any]:
    """The group's committed offsets on `topic` and the topic's end offsets (read_committed)."""
    from confluent_kafka import Consumer, TopicPartition

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                  "isolation.level": "read_committed"})
    try:
        parts = sorted(c.list_topics(topic, timeout=10).topics[topic].partitions)
        tps = [TopicPartition(topic, p) for p in parts]
        committed = {tp.partition: tp.offset for tp in c.committed(tps, timeout=10)}
        ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts}
        return {"committed": committed, "end": ends}
    finally:
        c.close()


def tally(bootstrap: str, topics: dict[str, str], ids: set[str], isolation: str) -> dict[str, Any]:
    claims = read_topic(bootstrap, topics["casualty"], isolation)
    alerts = read_topic(bootstrap, topics["alerts_casualty"], isolation)
    dead = read_topic(bootstrap, topics["deadletter"], isolation)
    times = collections.Counter(m["value"]["id"] for m in claims)
    articles_with_claim = {m["value"]["article_id"] for m in claims}
    alert_ids = collections.Counter(m["value"]["alert_id"] for m in alerts)
    dead_keys = {m["value"].get("key") for m in dead}
    missing = sorted(i for i in ids if i not in articles_with_claim and i not in dead_keys)
    named = {m["value"]["article"]["id"] for m in alerts}
    no_alert = sorted(i for i in ids if i not in named and i not in dead_keys)
    return {
        "claims": len(claims),
        "distinct_claims": len(times),
        "duplicated_claims": sum(1 for t in times.values() if t > 1),
        "extra_claim_copies": sum(t - 1 for t in times.values() if t > 1),
        "alerts": len(alerts),
        "duplicated_alert_ids": sum(1 for t in alert_ids.values() if t > 1),
        "dead_letters": len(dead),
        "missing_articles": len(missing),
        "missing_sample": missing[:10],
        "articles_without_alert": len(no_alert),
        "without_alert_sample": no_alert[:10],
    }


def _dump(cluster: Any, topic: str, *extra: str) -> str:
    """Kafka's DumpLogSegments over every segment of `topic` on the first node."""
    from streams.brokers import apache_kafka

    main_class = "kafka.tools.DumpLogSegments" if apache_kafka.is_legacy(cluster.version) \
        else "org.apache.kafka.tools.DumpLogSegments"
    files = sorted(str(f) for n in cluster.nodes[:1] for f in (n.dir / "data").glob(f"{topic}-*/*.log"))
    if not files:
        return ""
    r = subprocess.run([cluster.java, "-Xmx256m", "-cp", apache_kafka.classpath(cluster.jars), main_class,
                        *extra, "--files", ",".join(files)], capture_output=True, text=True, timeout=120)
    return r.stdout


def transaction_timeline(cluster: Any, topic: str) -> list[str]:
    """`topic`'s log as runs: "<records> records by producer <id>" and the commit/abort
    markers (with the producer epoch that wrote them), in offset order per partition."""
    runs: list[list[Any]] = []
    for line in _dump(cluster, topic, "--deep-iteration").splitlines():
        if line.startswith("Dumping "):
            runs.append(["partition " + line.rsplit("-", 1)[-1].split("/")[0]])
            continue
        m = re.search(r"count: (\d+).*producerId: (-?\d+) producerEpoch: (-?\d+).*isControl: (\w+)", line)
        if m:
            count, pid, epoch, control = m.groups()
            if control == "false" and runs and runs[-1][0] == ("data", pid):
                runs[-1][1] += int(count)
            else:
                runs.append([("data", pid) if control == "false" else ("marker", pid, epoch), int(count)])
            continue
        m = re.search(r"endTxnMarker: (\w+)", line)
        if m and runs:
            runs[-1].append(m.group(1))
    out: list[str] = []
    for r in runs:
        if isinstance(r[0], str):
            if out and out[-1].startswith("partition "):
                out.pop()  # nothing in the partition before
            out.append(r[0])
        elif r[0][0] == "data":
            out.append(f"{r[1]} records by producer {r[0][1]}")
        else:
            out.append(f"{r[2] if len(r) > 2 else 'marker'} by producer {r[0][1]} epoch {r[0][2]}")
    if out and out[-1].startswith("partition "):
        out.pop()
    return out


def batch_kinds(cluster: Any, topic: str) -> dict[str, int]:
    """How the broker stored `topic`'s record batches: transactional or not, control
    (commit/abort markers) or data, read from the log segments with Kafka's own
    DumpLogSegments (the log is only read; the broker keeps running)."""
    text = _dump(cluster, topic)
    kinds: collections.Counter[str] = collections.Counter()
    for m in re.finditer(r"isTransactional: (\w+).*?isControl: (\w+)", text):
        kinds[("transactional" if m.group(1) == "true" else "plain")
              + ("_control" if m.group(2) == "true" else "_data")] += 1
    return dict(sorted(kinds.items()))


def transaction_states(cluster: Any, app_id: str) -> dict[str, dict[str, Any]]:
    """The broker's transactional ids of `app_id`: state and how long the last
    transaction ran (Kafka's own TransactionsCommand, describe per id)."""
    from streams.brokers import apache_kafka

    tool = "org.apache.kafka.tools.TransactionsCommand"
    listed = apache_kafka.run_tool(cluster, tool, "--bootstrap-server", cluster.bootstrap, "list")
    out: dict[str, dict[str, Any]] = {}
    for tid in sorted(set(re.findall(rf"^({re.escape(app_id)}-\d+-\d+)\s", listed.stdout, re.M))):
        r = apache_kafka.run_tool(cluster, tool, "--bootstrap-server", cluster.bootstrap, "describe",
                                  "--transactional-id", tid)
        lines = [ln.split() for ln in r.stdout.splitlines() if ln.strip()]
        if len(lines) >= 2:
            row = dict(zip(lines[0], lines[1]))
            out[tid] = {"state": row.get("TransactionState"), "epoch": row.get("ProducerEpoch"),
                        "timeout_ms": row.get("TransactionTimeoutMs"),
                        "duration_ms": row.get("TransactionDurationMs")}
    return out


def log_signs(text: str) -> dict[str, int]:
    return {name: len(re.findall(pattern, text)) for name, pattern in LOG_SIGNS.items()}


# --- the experiment ----------------------------------------------------------------------

def experiment(args: argparse.Namespace) -> dict[str, Any]:
    from streams.brokers import apache_kafka
    from tests import harness

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="eos-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cluster = apache_kafka.start(workdir / "kafka", version=args.version, nodes=args.nodes)
    report: dict[str, Any] = {"kafka": cluster.version, "nodes": args.nodes, "guarantee": args.guarantee,
                              "articles": args.articles, "kill_at": args.kill_at, "workdir": str(workdir)}
    rounds = []
    try:
        for _ in range(args.repeat):
            rounds.append(kill_and_resume(cluster, workdir, args, harness))
    finally:
        cluster.stop()
    committed = [r["read_committed"] for r in rounds]
    report["summary"] = {
        "rounds": len(rounds),
        "rounds_with_duplicates": sum(1 for c in committed if c["extra_claim_copies"]),
        "extra_claim_copies": [c["extra_claim_copies"] for c in committed],
        "processed_before_kill": [r.get("processed_before_kill") for r in rounds],
        "missing_articles": [c["missing_articles"] for c in committed],
        "articles_without_alert": [c["articles_without_alert"] for c in committed],
        "seconds_to_every_claim": [r.get("seconds_to_every_claim") for r in rounds],
        "seconds_to_every_alert": [r.get("seconds_to_every_alert") for r in rounds],
    }
    report["rounds"] = rounds
    return report


class ExperimentWorker:
    """A harness worker started as `benchmarks/exactly_once.py worker`."""

    def __init__(self, harness: Any, cluster: Any, workdir: Path, app_id: str, name: str, guarantee: str,
                 commit_interval: float | None = None) -> None:
        env = {GUARANTEE_ENV: guarantee, "WIREWATCH_TOPIC_REPLICATION_FACTOR": str(min(3, len(cluster.nodes)))}
        if commit_interval:
            env[COMMIT_INTERVAL_ENV] = str(commit_interval)
        self.w = harness.Worker(cluster, workdir, app_id=app_id, name=name, env=env)

    def start(self) -> Any:
        w = self.w
        with open(w.log_path, "ab") as log:
            w.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "worker"], env=w.env,
                                      cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return w


def kill_and_resume(cluster: Any, workdir: Path, args: argparse.Namespace, harness: Any) -> dict[str, Any]:
    """One round: a worker killed with SIGKILL mid-stream, a second one finishing the
    stream (with `--kill-at 0`, one worker and no kill: the control)."""
    tag = f"eos-{uuid.uuid4().hex[:4]}"
    stream = articles(args.articles, tag)
    ids = {a["id"] for a in stream}
    app_id = f"ww-{tag}"
    out: dict[str, Any] = {}
    first = ExperimentWorker(harness, cluster, workdir, app_id, "first", args.guarantee,
                             args.commit_interval).start()
    topics = first.topics
    if args.kill_at <= 0:
        try:
            first.wait_ready(args.ready_timeout)
            harness.publish_confluent(cluster.bootstrap, stream, topics["articles"])
            out.update(settle_and_read(cluster, first, topics, ids, app_id, args, time.monotonic()))
        finally:
            first.stop(signal.SIGTERM)
        out["first_exit"] = first.proc.returncode
        out["first_log"] = log_signs(first.log())
        out["logs"] = [str(first.log_path)]
        return out
    try:
        first.wait_ready(args.ready_timeout)
        harness.publish_confluent(cluster.bootstrap, stream, topics["articles"])
        published = time.monotonic()
        done = first.wait_metric("wirewatch_articles_processed_total", int(args.articles * args.kill_at),
                                 timeout=args.timeout)
        out["processed_before_kill"] = int(done)
        out["seconds_published_to_kill"] = round(time.monotonic() - published, 1)
        first.stop(signal.SIGKILL)
        out["first_exit"] = first.proc.returncode
    finally:
        first.stop(signal.SIGKILL)
    out["first_log"] = log_signs(first.log())
    out["committed_at_kill"] = committed_offsets(cluster.bootstrap, app_id, topics["articles"])["committed"]
    second = ExperimentWorker(harness, cluster, workdir, app_id, "second", args.guarantee,
                              args.commit_interval).start()
    try:
        out.update(settle_and_read(cluster, second, topics, ids, app_id, args, time.monotonic()))
    finally:
        second.stop(signal.SIGTERM)
    out["second_exit"] = second.proc.returncode
    out["second_log"] = log_signs(second.log())
    out["logs"] = [str(first.log_path), str(second.log_path)]
    return out


def settle_and_read(cluster: Any, worker: Any, topics: dict[str, str], ids: set[str], app_id: str,
                    args: argparse.Namespace, started: float) -> dict[str, Any]:
    """Wait until a read_committed reader sees every article and its alert, or its view
    has not changed for `--quiet` seconds (longer than the 60 s transaction timeout after
    which the broker aborts a transaction left open); then read everything."""
    out: dict[str, Any] = {}
    worker.wait_ready(args.ready_timeout)
    deadline = started + args.timeout
    last, quiet_since = None, time.monotonic()
    while time.monotonic() < deadline:
        seen = tally(cluster.bootstrap, topics, ids, "read_committed")
        if seen["missing_articles"] == 0 and "seconds_to_every_claim" not in out:
            out["seconds_to_every_claim"] = round(time.monotonic() - started, 1)
        if seen["missing_articles"] == 0 and seen["articles_without_alert"] == 0:
            out["seconds_to_every_alert"] = round(time.monotonic() - started, 1)
            break
        if worker.proc.poll() is not None:
            break
        view = (seen["claims"], seen["alerts"], seen["dead_letters"])
        if view != last:
            last, quiet_since = view, time.monotonic()
        elif time.monotonic() - quiet_since > args.quiet:
            break
        time.sleep(3)
    time.sleep(args.settle)  # let a last commit land, then read once more
    out["worker_alive"] = worker.proc.poll() is None
    out["worker_processed"] = worker.metric("wirewatch_articles_processed_total") if out["worker_alive"] else None
    out["read_committed"] = tally(cluster.bootstrap, topics, ids, "read_committed")
    out["read_uncommitted"] = tally(cluster.bootstrap, topics, ids, "read_uncommitted")
    out["offsets"] = committed_offsets(cluster.bootstrap, app_id, topics["articles"])
    internal = {"alert_candidates": f"{app_id}-alert-candidates",
                "alert_state_changelog": f"{app_id}-alert-state-changelog"}
    out["transactions"] = transaction_states(cluster, app_id)
    out["alert_candidates_log"] = transaction_timeline(cluster, internal["alert_candidates"])
    out["batches"] = {name: batch_kinds(cluster, topic) for name, topic in
                      {**{k: topics[k] for k in ("casualty", "alerts_casualty")}, **internal}.items()}
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        run_worker()
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--guarantee", choices=("exactly_once", "at_least_once"), default="exactly_once")
    p.add_argument("--articles", type=int, default=300)
    p.add_argument("--version", default=None, help="Apache Kafka release (default: the launcher's 4.x)")
    p.add_argument("--nodes", type=int, default=1)
    p.add_argument("--kill-at", type=float, default=0.2,
                   help="fraction of the articles processed at the kill; 0: no kill (one worker)")
    p.add_argument("--commit-interval", type=float, default=None,
                   help="Faust's commit interval in seconds (default Faust's 2.8): a long one makes "
                        "sure the kill lands before the first commit, inside open transactions")
    p.add_argument("--repeat", type=int, default=1, help="kill/resume rounds on the same broker")
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("--ready-timeout", type=float, default=180.0)
    p.add_argument("--settle", type=float, default=8.0)
    p.add_argument("--quiet", type=float, default=90.0, help="stop waiting once the read_committed view "
                   "has not changed for this long")
    p.add_argument("--workdir", default=None)
    args = p.parse_args(argv)
    try:
        report = experiment(args)
    except Exception as exc:  # noqa: BLE001 - the setup failed; say how
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:3000]}))
        return 2
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
