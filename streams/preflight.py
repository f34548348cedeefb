"""Checks, before the worker joins its group, that the configured security works.

The Kafka clients retry a refused login or a failed TLS handshake until a timeout
and then report only that no broker could be reached. With TLS or SASL configured,
one connection is opened the way Faust's client (aiokafka) opens it, so a wrong
password, a broker certificate the CA file does not trust, or a client certificate
the broker refuses ends the start at once with one line naming the setting. The
ACLs are checked from what the broker says the principal may do on each topic and
on the consumer group: a missing one names the topic (or group) and the operation.
Nothing has been consumed or committed when these fail.
"""
from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading
import time
from typing import Any

from .settings import Settings
from .topics import TopicError

log = logging.getLogger(__name__)


class PreflightError(TopicError):
    """The broker refused the configured credentials or the principal lacks an ACL."""


def ssl_context(s: Settings) -> ssl.SSLContext:
    context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH,
                                         cafile=str(s.ssl_cafile) if s.ssl_cafile else None)
    if s.ssl_certfile:
        context.load_cert_chain(str(s.ssl_certfile), str(s.ssl_keyfile) if s.ssl_keyfile else None)
    return context


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def _run(coro: Any) -> Any:
    """Run `coro` on a loop of its own (the caller may already be inside one)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def check_credentials(s: Settings) -> None:
    """Open one connection with the configured TLS/SASL settings (no-op for PLAINTEXT
    and when no broker answers: the start's own timeout reports that)."""
    if s.security_protocol == "PLAINTEXT":
        return
    from aiokafka.conn import create_conn
    from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed, UnsupportedSaslMechanismError

    for server in s.bootstrap_servers:
        host, port = server.rsplit(":", 1)
        if _reachable(host, int(port)):
            break
    else:
        return
    where = f"the broker at {host}:{port}"
    kwargs: dict[str, Any] = {"security_protocol": s.security_protocol}
    if s.security_protocol.endswith("SSL"):
        try:
            kwargs["ssl_context"] = ssl_context(s)
        except (OSError, ssl.SSLError) as exc:
            raise PreflightError(f"WIREWATCH_SSL_CERTFILE/WIREWATCH_SSL_KEYFILE/WIREWATCH_SSL_CAFILE: "
                                 f"cannot load the TLS files: {exc}") from None
    if s.security_protocol.startswith("SASL"):
        kwargs.update(sasl_mechanism=s.sasl_mechanism, sasl_plain_username=s.sasl_username,
                      sasl_plain_password=s.password())

    async def connect() -> None:
        conn = await create_conn(host, int(port), request_timeout_ms=10000, **kwargs)
        conn.close()

    try:
        _run(connect())
    except SaslAuthenticationFailed as exc:
        raise PreflightError(f"{where} refused the SASL login of WIREWATCH_SASL_USERNAME={s.sasl_username!r} "
                             f"({s.sasl_mechanism}): check WIREWATCH_SASL_PASSWORD or WIREWATCH_SASL_PASSWORD_FILE "
                             f"({exc})") from None
    except UnsupportedSaslMechanismError as exc:
        raise PreflightError(f"WIREWATCH_SASL_MECHANISM={s.sasl_mechanism}: {where} does not offer it ({exc})") from None
    except ssl.SSLCertVerificationError as exc:
        trusted = s.ssl_cafile or "the system's CA certificates"
        raise PreflightError(f"WIREWATCH_SSL_CAFILE: the certificate of {where} is not signed by a CA in {trusted} "
                             f"({exc.verify_message or exc})") from None
    except (KafkaConnectionError, ssl.SSLError, ConnectionError) as exc:
        if not s.security_protocol.endswith("SSL"):
            raise PreflightError(f"{where} closed the connection during the SASL handshake: {exc}") from None
        if s.ssl_certfile:
            raise PreflightError(f"WIREWATCH_SSL_CERTFILE: {where} closed the connection in the TLS handshake: it "
                                 f"refused the client certificate {s.ssl_certfile} ({exc})") from None
        raise PreflightError(f"{where} closed the connection in the TLS handshake: it likely requires a client "
                             f"certificate (WIREWATCH_SSL_CERTFILE and WIREWATCH_SSL_KEYFILE) ({exc})") from None


#: What the worker does on each of its topics (see streams.topics.TopicNames).
NEEDS = {"articles": ("READ",), "alert_candidates": ("READ", "WRITE"), "alert_state_changelog": ("READ", "WRITE")}
OUTPUT_NEEDS = ("WRITE",)


def check_access(admin: Any, s: Settings, metas: list[dict[str, Any]]) -> None:
    """Compare what the broker says the principal may do (`authorized_operations` of
    `metas`, the describe_topics answer) with what the worker does. Brokers that do
    not report operations (no authorizer information) are not checked."""
    from kafka.errors import CoordinatorNotAvailableError, GroupAuthorizationFailedError, NotCoordinatorError

    from .topics import TopicNames

    names = TopicNames.from_settings(s)
    by_name = {m.get("name") or m.get("topic"): m for m in metas}
    for field, topic in names.__dict__.items():
        meta = by_name.get(topic) or {}
        if meta.get("error_code") == 29:  # TOPIC_AUTHORIZATION_FAILED
            raise PreflightError(f"topic {topic}: the principal {s.sasl_username or 'of the client certificate'} "
                                 f"may not even DESCRIBE it (missing ACL)")
        allowed = meta.get("authorized_operations")
        if not allowed:
            continue
        allowed = {str(getattr(op, "name", op)).upper() for op in allowed}
        for op in NEEDS.get(field, OUTPUT_NEEDS):
            if op not in allowed and "ALL" not in allowed:
                raise PreflightError(f"topic {topic}: no ACL allows {op} for the worker's principal "
                                     f"(it may {', '.join(sorted(allowed))})")
    groups: Any = None
    deadline = time.monotonic() + 30
    while groups is None:
        try:
            groups = admin.describe_groups([s.app_id])
        except GroupAuthorizationFailedError:
            raise PreflightError(f"consumer group {s.app_id} (WIREWATCH_APP_ID): no ACL allows READ for the "
                                 f"worker's principal") from None
        except (CoordinatorNotAvailableError, NotCoordinatorError):
            # A new cluster creates its offsets topic on the first group lookup.
            if time.monotonic() > deadline:
                log.warning("group coordinator not available: the consumer group's ACLs were not checked")
                return
            time.sleep(1)
    ops = (groups.get(s.app_id) or {}).get("authorized_operations") if isinstance(groups, dict) else None
    if ops:
        allowed = {str(getattr(op, "name", op)).upper() for op in ops}
        if "READ" not in allowed and "ALL" not in allowed:
            raise PreflightError(f"consumer group {s.app_id} (WIREWATCH_APP_ID): no ACL allows READ for the worker's "
                                 f"principal (it may {', '.join(sorted(allowed))})")
