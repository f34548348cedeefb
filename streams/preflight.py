"""Start-up checks against the broker, before the worker joins its group.

A secured broker that refuses the worker makes the clients retry quietly until a
timeout, or fail later mid-stream. The worker instead checks, before it consumes
or commits anything:

- `connect`: a bootstrap server answers with the configured security: TLS (the
  broker's certificate against `WIREWATCH_SSL_CAFILE`, the client certificate
  accepted), then SASL (Faust's own client, aiokafka, authenticates).
- `access`, once the topics exist: the broker's authorised operations for the
  principal (Metadata with authorised operations) allow READ on the input, WRITE
  on every output, READ and WRITE on the app's internal topics; and the consumer
  group allows READ (a JoinGroup, which Kafka authorises first and then rejects for
  its 1 ms session timeout, so that no member joins and nothing rebalances; a broker
  that lets it in after all is left again at once). Brokers that report no
  authorised operations (no authoriser: Tansu, noida-db) are not asked about the group.

Every failure is a `PreflightError` whose message names the setting or the topic.
"""
from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
import struct
import time
from dataclasses import dataclass
from typing import Any

from .settings import Settings
from .topics import TopicNames, kafka_client_config

log = logging.getLogger(__name__)

# TLS alerts a broker sends when it refuses the client's certificate (or its absence).
CERTIFICATE_ALERTS = ("CERTIFICATE_REQUIRED", "BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN",
                      "CERTIFICATE_EXPIRED", "CERTIFICATE_REVOKED", "UNSUPPORTED_CERTIFICATE", "ACCESS_DENIED",
                      "HANDSHAKE_FAILURE")
TOPIC_AUTHORIZATION_FAILED = 29
GROUP_AUTHORIZATION_FAILED = 30
TLS_ALERT_RECORD = 0x15
API_VERSIONS_V0 = struct.pack(">ihhih", 10 + len(b"wirewatch-preflight"), 18, 0, 1,
                              len(b"wirewatch-preflight")) + b"wirewatch-preflight"


class PreflightError(RuntimeError):
    """The broker refuses the configured security or the operations the worker needs."""


class NotKafkaAnswer(ConnectionError):
    """A server's answer to ApiVersions is not a Kafka response (a TLS alert, say)."""


@dataclass(frozen=True)
class Need:
    """Operations the worker needs on one topic, and the setting that names it."""

    topic: str
    setting: str
    operations: tuple[str, ...]


def needs(s: Settings) -> list[Need]:
    names = TopicNames.from_settings(s)
    out = [Need(names.articles, "WIREWATCH_TOPIC_ARTICLES", ("READ",))]
    for field in ("diplomatic", "casualty", "alerts_diplomatic", "alerts_casualty", "deadletter"):
        out.append(Need(getattr(names, field), f"WIREWATCH_TOPIC_{field.upper()}", ("WRITE",)))
    for topic in (names.alert_candidates, names.alert_state_changelog):
        out.append(Need(topic, "internal, named after WIREWATCH_APP_ID", ("READ", "WRITE")))
    return out


def ssl_context(s: Settings) -> ssl.SSLContext | None:
    """The TLS context the worker's clients use (None without TLS)."""
    if not s.security_protocol.endswith("SSL"):
        return None
    context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH,
                                         cafile=str(s.ssl_cafile) if s.ssl_cafile else None)
    if s.ssl_certfile:
        context.load_cert_chain(str(s.ssl_certfile), str(s.ssl_keyfile) if s.ssl_keyfile else None)
    return context


def _password_setting(s: Settings) -> str:
    return "WIREWATCH_SASL_PASSWORD_FILE" if s.sasl_password_file is not None else "WIREWATCH_SASL_PASSWORD"


# --- messages --------------------------------------------------------------------------

def explain(exc: BaseException, s: Settings, server: str, stage: str = "connect") -> str | None:
    """The message for a failure to connect to `server` with the settings `s` (at `stage`:
    "connect", the TCP and TLS exchange, or "sasl", the authentication), naming the
    setting to look at; None when `exc` is not about security (the broker is down)."""
    proto = s.security_protocol
    if stage == "sasl" and type(exc).__name__ == "KafkaConnectionError":
        return (f"the broker at {server} closed the connection during SASL authentication of user "
                f"{s.sasl_username!r}; check WIREWATCH_SASL_MECHANISM={s.sasl_mechanism}, WIREWATCH_SASL_USERNAME "
                f"and {_password_setting(s)}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or str(exc)
        if exc.verify_code == 62 or "hostname" in detail.lower() or "ip address mismatch" in detail.lower():
            return (f"the broker's certificate at {server} does not name that host ({detail}); "
                    f"check WIREWATCH_BROKER")
        where = f"WIREWATCH_SSL_CAFILE={s.ssl_cafile}" if s.ssl_cafile else "the system's CAs (WIREWATCH_SSL_CAFILE unset)"
        return f"the broker's certificate at {server} is not trusted by {where}: {detail}"
    if isinstance(exc, ssl.SSLError) and not isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        reason = (exc.reason or str(exc)).upper()
        if any(a in reason for a in CERTIFICATE_ALERTS):
            if s.ssl_certfile is None:
                return (f"the broker at {server} refused the connection without a client certificate ({exc.reason}); "
                        f"set WIREWATCH_SSL_CERTFILE and WIREWATCH_SSL_KEYFILE")
            return (f"the broker at {server} refused the client certificate WIREWATCH_SSL_CERTFILE={s.ssl_certfile} "
                    f"({exc.reason})")
        if "WRONG_VERSION_NUMBER" in reason or "RECORD_LAYER" in reason or "PACKET_LENGTH" in reason:
            return (f"the broker at {server} does not speak TLS on that port; "
                    f"check WIREWATCH_SECURITY_PROTOCOL={proto} and WIREWATCH_BROKER")
        return f"TLS with the broker at {server} failed ({exc.reason or exc}); check WIREWATCH_SSL_* settings"
    name = type(exc).__name__
    if name in ("SaslAuthenticationFailed", "SaslAuthenticationFailedError"):
        return (f"the broker at {server} rejected SASL user {s.sasl_username!r} ({s.sasl_mechanism}): {exc}; "
                f"check WIREWATCH_SASL_USERNAME and {_password_setting(s)}")
    if name == "UnsupportedSaslMechanismError":
        return f"the broker at {server} does not offer WIREWATCH_SASL_MECHANISM={s.sasl_mechanism}: {exc}"
    if name == "IllegalSaslStateError":
        return (f"the broker at {server} does not expect SASL on that listener; "
                f"check WIREWATCH_SECURITY_PROTOCOL={proto}")
    if isinstance(exc, NotKafkaAnswer):
        return (f"the broker at {server} does not answer as a {proto} listener ({exc}); "
                f"check WIREWATCH_SECURITY_PROTOCOL={proto}")
    if name == "KafkaConnectionError" or isinstance(exc, (ConnectionResetError, EOFError, ssl.SSLEOFError,
                                                          ssl.SSLZeroReturnError)):
        # The TCP connection was accepted, then closed at the first request.
        if proto == "PLAINTEXT" or proto == "SASL_PLAINTEXT":
            return (f"the broker at {server} closed the connection at the first request; does the listener "
                    f"want TLS? check WIREWATCH_SECURITY_PROTOCOL={proto}")
        if proto == "SSL" and s.ssl_certfile is None:
            return (f"the broker at {server} closed the TLS connection; it may require a client certificate: "
                    f"set WIREWATCH_SSL_CERTFILE and WIREWATCH_SSL_KEYFILE (or SASL: "
                    f"WIREWATCH_SECURITY_PROTOCOL={proto})")
        if s.ssl_certfile is not None:
            return (f"the broker at {server} closed the connection at the first request; it may refuse the client "
                    f"certificate WIREWATCH_SSL_CERTFILE={s.ssl_certfile}, or check WIREWATCH_SECURITY_PROTOCOL={proto}")
        return (f"the broker at {server} closed the connection at the first request; "
                f"check WIREWATCH_SECURITY_PROTOCOL={proto}")
    return None


def missing_operations(need: Need, authorized: list[str] | None) -> list[str]:
    """Operations of `need` the broker's authorised operations do not include (none when
    the broker does not report them: no authoriser, or a broker without KIP-430)."""
    if not authorized:
        return []
    if "ALL" in authorized:
        return []
    return [op for op in need.operations if op not in authorized]


def topic_message(need: Need, missing: list[str], principal: str) -> str:
    ops = " and ".join(missing)
    return (f"topic {need.topic} ({need.setting}): the broker does not allow {principal} to {ops} it; "
            f"grant {ops} on topic {need.topic} with an ACL")


def group_message(group: str, principal: str) -> str:
    return (f"consumer group {group} (WIREWATCH_APP_ID): the broker does not allow {principal} to READ the group "
            f"(GROUP_AUTHORIZATION_FAILED); grant READ on group {group} with an ACL")


def principal(s: Settings) -> str:
    if s.security_protocol.startswith("SASL"):
        return f"User:{s.sasl_username}"
    if s.ssl_certfile:
        return f"the principal of WIREWATCH_SSL_CERTFILE={s.ssl_certfile}"
    return "this client"


# --- checks -----------------------------------------------------------------------------

def _split(server: str) -> tuple[str, int]:
    host, port = server.rsplit(":", 1)
    return host.strip("[]"), int(port)


def probe(server: str, context: ssl.SSLContext | None, timeout: float = 10.0) -> None:
    """One ApiVersions request to `server` (over TLS with `context`), its answer read: with
    TLS 1.3 a broker refusing the client's certificate says so only after the handshake,
    at the first read; a TLS listener closes a connection that does not speak TLS."""
    host, port = _split(server)
    with socket.create_connection((host, port), timeout=timeout) as raw:
        sock = context.wrap_socket(raw, server_hostname=host) if context is not None else raw
        try:
            sock.sendall(API_VERSIONS_V0)
            head = _read(sock, 8)
        finally:
            if sock is not raw:
                sock.close()
    if head[:1] == bytes([TLS_ALERT_RECORD]):
        raise NotKafkaAnswer(f"{server} answered a TLS alert ({head.hex()}) to an ApiVersions request")
    if len(head) < 8:
        raise ConnectionResetError(f"{server} closed the connection at the first request")
    size, correlation = struct.unpack(">ii", head)
    if not 4 <= size < 1 << 20 or correlation != 1:
        raise NotKafkaAnswer(f"{server} answered {head.hex()} to an ApiVersions request")


def _read(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


async def _sasl_probe(s: Settings, server: str, context: ssl.SSLContext | None, timeout: float) -> None:
    from aiokafka.conn import create_conn

    host, port = _split(server)
    conn = await asyncio.wait_for(create_conn(
        host, port, client_id=f"{s.app_id}-preflight", request_timeout_ms=int(timeout * 1000),
        ssl_context=context, security_protocol=s.security_protocol, sasl_mechanism=s.sasl_mechanism,
        sasl_plain_username=s.sasl_username, sasl_plain_password=s.password()), timeout)
    conn.close()


def _run(coro: Any) -> Any:
    loop = asyncio.new_event_loop()  # not the current loop: the worker's Faust makes its own
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def _unreachable(exc: BaseException) -> bool:
    """Nobody answers (yet): worth retrying, unlike a refusal."""
    if isinstance(exc, (ConnectionRefusedError, TimeoutError, socket.gaierror, asyncio.TimeoutError)):
        return True
    return (isinstance(exc, OSError) and not isinstance(exc, ssl.SSLError)
            and exc.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT))


def connect(s: Settings, timeout: float | None = None) -> str:
    """Reach one bootstrap server with the configured TLS and SASL; return its address.
    A security failure ends the check at once; an unreachable broker is retried until
    `timeout` (WIREWATCH_STARTUP_TIMEOUT_SECONDS)."""
    timeout = timeout if timeout is not None else s.startup_timeout_seconds
    context = ssl_context(s)
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        for server in s.bootstrap_servers:
            stage = "connect"
            try:
                probe(server, context, min(10.0, timeout))
                if s.security_protocol.startswith("SASL"):
                    stage = "sasl"
                    _run(_sasl_probe(s, server, context, min(10.0, timeout)))
                log.info("preflight: %s accepts %s%s", server, s.security_protocol,
                         f" as {s.sasl_username}" if s.security_protocol.startswith("SASL") else "")
                return server
            except Exception as exc:  # noqa: BLE001 - sorted into security and reachability
                message = None if _unreachable(exc) else explain(exc, s, server, stage)
                if message is not None:
                    raise PreflightError(message) from None
                last = exc
        if time.monotonic() > deadline:
            raise PreflightError(f"no broker reachable at {s.broker} (WIREWATCH_BROKER): {last}")
        time.sleep(1)


def access(s: Settings, server: str | None = None) -> None:
    """The principal may use every topic and the consumer group it needs (after
    `ensure_topics`); raises PreflightError naming the first topic or the group it may not."""
    from kafka.admin import KafkaAdminClient
    from kafka.errors import KafkaError

    who = principal(s)
    wanted = needs(s)
    try:
        admin = KafkaAdminClient(client_id=f"{s.app_id}-preflight", request_timeout_ms=10000,
                                 **kafka_client_config(s))
    except KafkaError as exc:
        raise PreflightError(f"no broker reachable at {s.broker} (WIREWATCH_BROKER): {exc}") from None
    try:
        described = {m.get("name"): m for m in admin.describe_topics([n.topic for n in wanted])}
    except KafkaError as exc:
        raise PreflightError(f"could not describe the topics: {exc}") from None
    finally:
        admin.close()
    reported = False  # did the broker report authorised operations (KIP-430)?
    for need in wanted:
        meta = described.get(need.topic) or {}
        reported = reported or bool(meta.get("authorized_operations"))
        if meta.get("error_code") == TOPIC_AUTHORIZATION_FAILED:
            raise PreflightError(f"topic {need.topic} ({need.setting}): the broker does not allow {who} to "
                                 f"DESCRIBE it (TOPIC_AUTHORIZATION_FAILED); grant DESCRIBE and "
                                 f"{' and '.join(need.operations)} on topic {need.topic} with an ACL")
        missing = missing_operations(need, meta.get("authorized_operations"))
        if missing:
            raise PreflightError(topic_message(need, missing, who))
    # A broker that reports no authorised operations has no authoriser to ask (Tansu,
    # noida-db); and the JoinGroup probe relies on the broker refusing its session timeout.
    if reported and _group_read_refused(s, server or s.bootstrap_servers[0]):
        raise PreflightError(group_message(s.app_id, who))


async def _join_probe(s: Settings, server: str) -> int:
    from aiokafka.conn import create_conn
    from aiokafka.protocol.group import JoinGroupRequest, LeaveGroupRequest

    host, port = _split(server)
    conn = await create_conn(host, port, client_id=f"{s.app_id}-preflight", request_timeout_ms=10000,
                             ssl_context=ssl_context(s), security_protocol=s.security_protocol,
                             sasl_mechanism=s.sasl_mechanism, sasl_plain_username=s.sasl_username,
                             sasl_plain_password=s.password())
    try:
        # The broker authorises READ on the group before anything else; a session
        # timeout of 1 ms is then refused (INVALID_SESSION_TIMEOUT): no member joins.
        response = await conn.send(JoinGroupRequest(s.app_id, 1, 1, "", None, "consumer",
                                                    [("wirewatch-preflight", b"")]))
        if response.member_id:  # accepted after all, or pending: leave again at once
            await conn.send(LeaveGroupRequest(s.app_id, response.member_id))
        return int(response.error_code)
    finally:
        conn.close()


def _group_read_refused(s: Settings, server: str) -> bool:
    try:
        code = _run(_join_probe(s, server))
    except Exception as exc:  # noqa: BLE001 - a broker that cannot answer this is not refusing
        log.warning("preflight: could not check READ on group %s: %s", s.app_id, exc)
        return False
    log.debug("preflight: JoinGroup probe of %s answered error code %d", s.app_id, code)
    return code == GROUP_AUTHORIZATION_FAILED
