"""Local brokers for development and tests: `wirewatch broker` and the integration suite.

One module per kind: `tansu` (the embedded broker), `noida` (noida-db) and
`apache_kafka` (Apache Kafka in KRaft mode, one node or a cluster, optionally with
SASL/TLS and ACLs enforced). Every kind binds to 127.0.0.1 only and is stopped by
PID; `launch` returns a started `Cluster`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..broker import BrokerError

KINDS = ("tansu", "noida", "apache-kafka")


class Cluster(Protocol):
    """A running broker or cluster."""

    kind: str

    @property
    def bootstrap(self) -> str: ...

    def stop(self) -> None: ...


def launch(kind: str, workdir: Path, *, version: str | None = None, nodes: int = 1, sasl: bool = False,
           tls: bool = False, port: int | None = None) -> Cluster:
    """Start a broker of `kind` with its data and logs under `workdir`; return it once
    every node is ready. Raises `BrokerError` with a one-line reason."""
    if kind not in KINDS:
        raise BrokerError(f"unknown broker kind {kind!r}: choose one of {', '.join(KINDS)}")
    if kind != "apache-kafka":
        if nodes != 1:
            raise BrokerError(f"--nodes: {kind} runs a single node; use --kind apache-kafka for a cluster")
        if sasl or tls:
            raise BrokerError(f"--sasl/--tls: {kind} does not enforce security; use --kind apache-kafka")
        if version:
            raise BrokerError(f"--version: {kind} ships as one version with wirewatch's test extras")
    workdir.mkdir(parents=True, exist_ok=True)
    if kind == "tansu":
        from . import tansu

        return tansu.start(workdir, port=port)
    if kind == "noida":
        from . import noida

        return noida.start(workdir, port=port)
    from . import apache_kafka

    return apache_kafka.start(workdir, version=version, nodes=nodes, sasl=sasl, tls=tls)


__all__ = ["KINDS", "BrokerError", "Cluster", "launch"]
