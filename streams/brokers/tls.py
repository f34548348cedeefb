"""Throw-away TLS material for a local cluster, made with the `openssl` command.

A CA (`ca.pem`, `ca.key`) and, per principal, an RSA key (`NAME.key`, PKCS#8), a
certificate signed by the CA with CN=NAME valid for 127.0.0.1 and localhost
(`NAME.crt`), and both in one file (`NAME.pem`), the form Kafka's PEM key stores read.
Valid for two days: it lives as long as the cluster's work directory.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..broker import BrokerError

DAYS = "2"
EXTENSIONS = ("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
              "extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n")


def _openssl(*args: str, cwd: Path) -> None:
    exe = shutil.which("openssl")
    if not exe:
        raise BrokerError("--tls/--sasl need the `openssl` command to make test certificates (apt-get install openssl)")
    r = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise BrokerError(f"openssl {args[0]} failed: {r.stderr.strip().splitlines()[-1:]}")


def make_ca(d: Path, name: str = "ca", cn: str = "wirewatch local CA") -> Path:
    d.mkdir(parents=True, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem",
             "-days", DAYS, "-subj", f"/CN={cn}", cwd=d)
    return d / f"{name}.pem"


def make_leaf(d: Path, cn: str, ca: str = "ca", name: str | None = None) -> Path:
    """A key and certificate for `cn` signed by `ca` in `d`; returns the combined PEM."""
    name = name or cn
    (d / "leaf.ext").write_text(EXTENSIONS)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
             "-subj", f"/CN={cn}", cwd=d)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
             "-out", f"{name}.crt", "-days", DAYS, "-extfile", "leaf.ext", cwd=d)
    combined = d / f"{name}.pem"
    combined.write_text((d / f"{name}.key").read_text() + (d / f"{name}.crt").read_text())
    (d / f"{name}.csr").unlink()
    return combined


def make_all(d: Path, principals: list[str]) -> None:
    make_ca(d)
    for p in principals:
        make_leaf(d, p)
