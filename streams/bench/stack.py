"""An embedded broker and worker processes in one consumer group, started and stopped."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import PARTITIONS, BenchError
from .procfs import proc_cpu_seconds, proc_status_bytes, tree_sum
from .stats import Samples, metric_sum, parse_metrics

def _topic_names(prefix: str) -> dict[str, str]:
    return {"articles": f"{prefix}.articles", "diplomatic": f"{prefix}.events.diplomatic",
            "casualty": f"{prefix}.events.casualty", "alerts_diplomatic": f"{prefix}.alerts.diplomatic",
            "alerts_casualty": f"{prefix}.alerts.casualty", "deadletter": f"{prefix}.deadletter"}


def _http_get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


class WorkerProcess:
    """A `python -m streams run` child with its own web port, stopped by PID."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str) -> None:
        from ..broker import free_port

        self.port = free_port()
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self.env = {**env, "WIREWATCH_WEB_PORT": str(self.port), "WIREWATCH_WEB_BIND": "127.0.0.1",
                    "WIREWATCH_DATA_DIR": str(workdir / f"data-{name}")}
        self.proc: subprocess.Popen[bytes] | None = None
        self.peak_bytes: int | None = None
        self.rss_bytes: int | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "WorkerProcess":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams", "run"], env=self.env,
                                         cwd=Path(__file__).resolve().parents[2], stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        return self

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            code = self.proc.returncode if self.proc else None
            raise BenchError(f"worker {self.name} exited ({code}):\n{self.log_tail()}")

    def ready(self) -> bool:
        self.check_alive()
        try:
            return _http_get(f"http://127.0.0.1:{self.port}/readyz", 2)[0] == 200
        except OSError:
            return False

    def samples(self, names: Sequence[str] = ()) -> Samples:
        query = "?" + "&".join(f"name[]={n}" for n in names) if names else ""
        status, text = _http_get(f"http://127.0.0.1:{self.port}/metrics{query}")
        if status != 200:
            raise BenchError(f"worker {self.name} /metrics answered {status}")
        return parse_metrics(text)

    DONE = ("wirewatch_articles_processed_total", "wirewatch_articles_deadlettered_total")

    def done(self, samples: Samples) -> float:
        """Articles finished: processed, or dead-lettered (so a bad one cannot stall the bench)."""
        return sum(metric_sum(samples, name) for name in self.DONE)

    def cpu_seconds(self) -> float | None:
        return tree_sum(self.pid, proc_cpu_seconds) if self.proc else None

    def stop(self, timeout: float = 30.0) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            # The worker and its extraction process: the sum of their peaks bounds the pod's.
            peak = tree_sum(proc.pid, lambda p: proc_status_bytes(p, "VmHWM"))
            rss = tree_sum(proc.pid, lambda p: proc_status_bytes(p, "VmRSS"))
            self.peak_bytes = None if peak is None else int(peak)
            self.rss_bytes = None if rss is None else int(rss)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout)


@dataclass
class Stack:
    """An embedded broker, the bench's topics, and `workers` workers in one consumer group."""

    broker: Any
    env: dict[str, str]
    topics: dict[str, str]
    workers: list[WorkerProcess]
    settings: Any


@contextlib.contextmanager
def running_stack(workdir: Path, workers: int, worker_env: dict[str, str],
                  ready_timeout: float = 240.0) -> Iterator[Stack]:
    """Start Tansu, create the topics (4 partitions), start the workers, wait until all are ready."""
    from .. import broker as brokers
    from ..settings import load_settings
    from ..topics import ensure_topics

    run_id = uuid.uuid4().hex[:8]
    prefix = f"bench-{run_id}"
    topics = _topic_names(prefix)
    b = brokers.tansu(log_path=workdir / f"tansu-{run_id}.log")
    b.start()
    started: list[WorkerProcess] = []
    try:
        env = {**os.environ, **worker_env, "WIREWATCH_BROKER": b.bootstrap,
               "WIREWATCH_APP_ID": f"wirewatch-{prefix}",
               "WIREWATCH_TOPIC_PARTITIONS": str(PARTITIONS),
               **{f"WIREWATCH_TOPIC_{k.upper()}": v for k, v in topics.items()}}
        s = load_settings(broker=b.bootstrap, app_id=env["WIREWATCH_APP_ID"], topic_partitions=PARTITIONS,
                          session_timeout_seconds=6.0, heartbeat_interval_seconds=1.0,
                          **{f"topic_{k}": v for k, v in topics.items()})
        ensure_topics(s, timeout=30)
        for k in range(workers):
            started.append(WorkerProcess(env, workdir, f"{prefix}-worker{k + 1}").start())
        _wait_group_ready(started, ready_timeout)
        yield Stack(b, env, topics, started, s)
    finally:
        for w in started:
            w.stop()
        b.stop()


def _wait_group_ready(workers: Sequence[WorkerProcess], timeout: float) -> None:
    """Wait until every worker is ready at once and stays so (no rebalance) for 2 s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(w.ready() for w in workers):
            before = [metric_sum(w.samples(), "wirewatch_rebalances_total") for w in workers]
            time.sleep(2.0)
            after = [metric_sum(w.samples(), "wirewatch_rebalances_total") for w in workers]
            if before == after and all(w.ready() for w in workers):
                return
        time.sleep(0.5)
    raise BenchError(f"workers not ready within {timeout:.0f} s:\n{workers[-1].log_tail()}")
