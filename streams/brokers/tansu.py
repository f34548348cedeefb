"""Tansu, the embedded broker (memory storage): a single node, nothing enforced."""
from __future__ import annotations

from pathlib import Path

from .. import broker as embedded
from ..broker import BrokerProcess


def start(workdir: Path, port: int | None = None) -> BrokerProcess:
    b = embedded.tansu(port=port, log_path=workdir / "tansu.log")
    b.kind = "tansu"  # type: ignore[attr-defined]
    return b.start()
