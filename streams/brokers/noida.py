"""noida-db (from the test extras): a single node with storage on disk."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..broker import BrokerError, BrokerProcess, free_port


def binary() -> str:
    exe = shutil.which("noida-db") or str(Path(sys.executable).parent / "noida-db")
    if not Path(exe).exists():
        raise BrokerError("noida-db is not installed (pip install 'wirewatch[test]')")
    return exe


def process(workdir: Path, port: int) -> BrokerProcess:
    """A noida-db broker on `port` keeping its data in `workdir` (not started)."""
    b = BrokerProcess([binary(), "start", "--only", "kafka", "--kafka-port", str(port), "--host", "127.0.0.1",
                       "--data-dir", str(workdir / "noida-data")], port, "noida-db",
                      log_path=workdir / f"noida-{port}.log")
    b.kind = "noida"  # type: ignore[attr-defined]
    return b


def start(workdir: Path, port: int | None = None) -> BrokerProcess:
    return process(workdir, port or free_port()).start()
