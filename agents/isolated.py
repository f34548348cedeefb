"""Extraction in a child process: spaCy and the rules on their own core.

In the worker process spaCy and the rules share the interpreter lock with the event
loop, which sends records, heartbeats and commits; a worker then extracts about a
fifth slower than spaCy alone. In a child process they run in parallel, and a stuck
article can be stopped for real: when the time budget runs out the child is killed
and started again.

The child loads the pipeline once, then takes batches from a pipe and answers each
article as it is done. Messages (all pickled by `multiprocessing.Connection`):

    parent -> child   ("batch", seq, [Item, ...], one_by_one, gate) | ("stop",)
    child -> parent   ("ready", model_label) | ("failed", kind, message)
                      ("done", seq, index, extraction, error, reason, seconds) | ("end", seq)

`seq` numbers batches. An abandoned batch (the agent was cancelled by a rebalance or
a stop) is cancelled through a shared value: the child stops after the article in
hand, and its late answers are dropped by their `seq`.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from streams.decode import Article

from .batches import Item, Outcome, extract_items, warm_up

log = logging.getLogger(__name__)

#: Longest wait for a child to load its pipeline.
START_TIMEOUT_SECONDS = 300.0
#: Added to the child's niceness: where workers share cores, the worker processes
#: (the Kafka client, heartbeats, records) get a core promptly when they need one.
#: Two workers on two cores: 28.7 articles/s with it, 26.2 without.
CHILD_NICENESS = 10
#: Longest wait for a child to leave after ("stop",) before it is killed.
STOP_TIMEOUT_SECONDS = 5.0


class ExtractionProcessError(RuntimeError):
    """The extraction child could not be started."""


def _watch_parent(parent_pid: int) -> None:
    """Leave when the worker is gone (even killed with -9): never an orphan holding a core."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            os._exit(0)


class _Termination:
    """SIGTERM in the child: leave now when idle, else after the batch in hand.

    A stop signal sent to the whole process group (a terminal, `kill -- -pgid`,
    systemd) also reaches the child while the worker shuts down gracefully; dying on
    the spot would turn the worker's batch in flight into a crash to recover from.
    """

    def __init__(self) -> None:
        self.busy = False
        self.requested = False

    def __call__(self, signum: int, frame: Any) -> None:  # noqa: ARG002
        self.requested = True
        if not self.busy:
            raise SystemExit(0)


def child_main(conn: Any, model_name: str, batch_size: int, cancelled: Any, parent_pid: int) -> None:
    """Entry point of the extraction child process."""
    # Ctrl-C reaches the whole process group; the worker decides when its child stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    termination = _Termination()
    signal.signal(signal.SIGTERM, termination)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True).start()
    os.nice(CHILD_NICENESS)
    from .extraction import nlp as nlp_loader

    try:
        nlp = nlp_loader.load(model_name)
        warm_up(nlp)
    except Exception as exc:  # noqa: BLE001 - reported to the worker, which fails with it
        conn.send(("failed", type(exc).__name__, str(exc)))
        return
    conn.send(("ready", nlp_loader.describe(nlp)))
    while not termination.requested:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] != "batch":
            return
        termination.busy = True
        _, seq, items, one_by_one, gate = message

        def emit(i: int, extraction: Any, error: str | None, reason: str | None, seconds: float) -> None:
            conn.send(("done", seq, i, extraction, error, reason, seconds))

        try:
            extract_items(nlp, items, batch_size, emit, lambda: cancelled.value >= seq, one_by_one, gate)
            conn.send(("end", seq))
        except (BrokenPipeError, EOFError, OSError):
            return
        termination.busy = False


def _close_at_exit(ref: "weakref.ref[ProcessExtractor]") -> None:
    # Before multiprocessing's own exit handler (registered earlier, so run later).
    extractor = ref()
    if extractor is not None:
        extractor.close()


class ProcessExtractor:
    """Runs spaCy and the extraction core in a child process, one batch at a time.

    The same interface as `agents.pipeline.Extractor`: `load`, `loaded`,
    `model_label`, `outcomes`, `extract`, `close`.
    """

    #: What the child runs (module level, so `spawn` can import it by name).
    child = staticmethod(child_main)

    def __init__(self, model_name: str, batch_size: int, article_timeout: float,
                 gate: bool = False) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.article_timeout = article_timeout
        #: The relevance gate (`agents.extraction.gate`) is on.
        self.gate = gate
        self.model_label = ""
        self.restarts = 0
        #: Called with the reason of each restart (the worker counts them in a metric).
        self.on_restart: Callable[[str], None] | None = None
        self._mp = multiprocessing.get_context("spawn")
        self._cancelled = self._mp.Value("q", -1, lock=False)
        self._proc: Any = None
        self._conn: Any = None
        self._seq = 0
        self._ready = False
        self._start_lock = threading.Lock()
        self._busy: asyncio.Lock | None = None
        atexit.register(_close_at_exit, weakref.ref(self))

    # --- the child's life ------------------------------------------------------------

    def load(self) -> None:
        """Start the child and wait until its pipeline is loaded (blocking); no-op if it is."""
        with self._start_lock:
            if not self.loaded:
                self._start()

    @property
    def loaded(self) -> bool:
        return self._ready and self._alive()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    def _start(self) -> None:
        self._discard()
        parent, child = self._mp.Pipe(duplex=True)
        proc = self._mp.Process(target=self.child, name="wirewatch-extract", daemon=True,
                                args=(child, self.model_name, self.batch_size, self._cancelled, os.getpid()))
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not parent.poll(0.2):
            if not proc.is_alive():
                self._discard()
                raise ExtractionProcessError(f"the extraction process exited with code {proc.exitcode} "
                                             f"while loading spaCy model {self.model_name!r}")
            if time.monotonic() > deadline:
                self._discard()
                raise ExtractionProcessError(f"the extraction process did not load spaCy model "
                                             f"{self.model_name!r} within {START_TIMEOUT_SECONDS:.0f} s")
        try:
            message = parent.recv()
        except (EOFError, OSError):
            message = ("failed", "EOFError", "the extraction process closed its pipe while loading")
        if message[0] != "ready":
            self._discard()
            _, kind, text = message
            if kind == "ModelNotFound":
                from .extraction.nlp import ModelNotFound

                raise ModelNotFound(text)
            raise ExtractionProcessError(f"the extraction process failed to load spaCy model "
                                         f"{self.model_name!r}: {kind}: {text}")
        self.model_label = message[1]
        self._ready = True
        log.info("extraction process %d ready with %s", proc.pid, self.model_label)

    def _discard(self) -> None:
        """Kill the child (if any) and forget it."""
        self._ready = False
        proc, conn, self._proc, self._conn = self._proc, self._conn, None, None
        if conn is not None:
            conn.close()
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(STOP_TIMEOUT_SECONDS)

    def close(self) -> None:
        """Ask the child to leave after its article in hand; kill it if it does not."""
        proc, conn = self._proc, self._conn
        if proc is None:
            return
        self._cancelled.value = self._seq
        if conn is not None and proc.is_alive():
            try:
                conn.send(("stop",))
            except OSError:
                pass
            proc.join(STOP_TIMEOUT_SECONDS)
        self._discard()

    async def _restart(self, reason: str, why: str) -> None:
        """Start a new child; `reason` (timeout, crashed, gone) labels the restart metric.

        In a thread, so the event loop keeps serving heartbeats while the model loads.
        A restart abandoned half way (the agent was cancelled) goes on in its thread;
        the next batch then waits for it under the start lock instead of starting twice.
        """
        self.restarts += 1
        if self.on_restart is not None:
            self.on_restart(reason)
        log.warning("restarting the extraction process: %s", why)
        # `load` starts a child (discarding the dead or stuck one) unless one is ready.
        await asyncio.get_running_loop().run_in_executor(None, self.load)

    # --- batches ---------------------------------------------------------------------

    async def outcomes(self, articles: Sequence[Article]) -> AsyncIterator[tuple[int, Outcome]]:
        """Yield `(index, outcome)` for each article as soon as the child has extracted it.

        Articles not done within the batch's time budget (`article_timeout` per
        article) come last, timed out; the child is killed and started again. If the
        child dies, the articles left are tried again one at a time in a new child; an
        article during which a child dies a second time is reported as
        `extraction_crashed`.
        """
        if not articles:
            return
        if self._busy is None:
            self._busy = asyncio.Lock()
        async with self._busy:
            loop = asyncio.get_running_loop()
            if not self.loaded:
                if self._start_lock.locked():  # a restart left by a cancelled batch is under way
                    await loop.run_in_executor(None, self.load)
                else:
                    await self._restart("gone", "it is not running")
            outcomes = [Outcome(a) for a in articles]
            left = list(range(len(articles)))
            deadline = loop.time() + self.article_timeout * len(articles)
            one_by_one = False
            while left:
                self._seq += 1
                seq, batch = self._seq, list(left)
                items = [Item(articles[i].id, articles[i].text, articles[i].published_at) for i in batch]
                ended, died = False, False
                queue: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
                conn = self._conn
                self._listen(loop, conn, queue)
                try:
                    # From a thread: a batch can be megabytes, and the loop must keep
                    # reading meanwhile (late answers of an abandoned batch included).
                    await loop.run_in_executor(None, conn.send, ("batch", seq, items, one_by_one,
                                                                         self.gate))
                    while not ended and not died:
                        try:
                            # Answers already read count even when the budget has just run out.
                            message = (queue.get_nowait() if not queue.empty() else
                                       await asyncio.wait_for(queue.get(), max(0.0, deadline - loop.time())))
                        except asyncio.TimeoutError:
                            break
                        kind = message[0]
                        if kind == "eof":
                            died = True
                        elif message[1] != seq:
                            continue  # a late answer to an abandoned batch
                        elif kind == "end":
                            ended = True
                        else:
                            _, _, j, extraction, error, reason, seconds = message
                            i = batch[j]
                            o = outcomes[i]
                            o.extraction, o.error, o.reason, o.seconds = extraction, error, reason, seconds
                            left.remove(i)
                            yield i, o
                except (BrokenPipeError, OSError):
                    died = True
                finally:
                    if not conn.closed:
                        loop.remove_reader(conn.fileno())
                    if not ended:
                        self._cancelled.value = seq  # abandoned: stop after the article in hand
                if ended:
                    continue  # `left` is empty unless the child stopped early; then send again
                if died:
                    code = self._exit_code()
                    if one_by_one and left:
                        i = left.pop(0)
                        o = outcomes[i]
                        o.error = f"the extraction process died (exit code {code}) on this article"
                        o.reason = "extraction_crashed"
                        log.error("extraction process died on article %s (exit code %s)", o.article.id, code)
                        yield i, o
                    one_by_one = True
                    await self._restart("crashed", f"it died (exit code {code}) in a batch")
                    continue
                # The time budget ran out: stop the child for real and time out the rest.
                self._discard()
                for i in left:
                    o = outcomes[i]
                    o.error = f"not extracted within {self.article_timeout:.0f} s per article"
                    o.reason = "extraction_timeout"
                    yield i, o
                left = []
                await self._restart("timeout", "the time budget ran out")

    def _exit_code(self) -> int | None:
        """The dead child's exit code (negative: the signal that killed it)."""
        if self._proc is None:
            return None
        self._proc.join(1.0)
        return self._proc.exitcode

    @staticmethod
    def _listen(loop: asyncio.AbstractEventLoop, conn: Any, queue: asyncio.Queue[tuple[Any, ...]]) -> None:
        def readable() -> None:
            try:
                while conn.poll():
                    queue.put_nowait(conn.recv())
            except (EOFError, OSError):
                loop.remove_reader(conn.fileno())
                queue.put_nowait(("eof",))

        loop.add_reader(conn.fileno(), readable)

    async def extract(self, articles: Sequence[Article]) -> list[Outcome]:
        """Extract a batch; articles not done within the time budget are timed out."""
        out = [Outcome(a) for a in articles]
        async for i, outcome in self.outcomes(articles):
            out[i] = outcome
        return out
