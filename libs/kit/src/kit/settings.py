"""Settings shared by every service (prefix ``CRM_``); each service adds its own class."""

from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_TOKEN_SECRET = "dev-only-service-token-secret-change-me"


class CommonSettings(BaseSettings):
    """What every process of the system reads from ``CRM_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="CRM_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # "memory" is the embedded in-process bus; "amqp" is RabbitMQ at ``amqp_url``.
    bus: Literal["memory", "amqp"] = "amqp"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # RabbitMQ's management HTTP API (plugin rabbitmq_management), for the partners' users,
    # queues and connections (kit.bus.feeds). Unset: the broker of ``amqp_url`` on port 15672,
    # with the user and password of ``amqp_url``.
    amqp_management_url: str | None = None
    amqp_management_username: str | None = None
    amqp_management_password: str | None = None
    # Prefix of the exchange and queue names, so that test runs do not share a topology.
    bus_namespace: str = "crm"
    # Delays between redeliveries of a failing message, then its dead-letter queue.
    retry_delays_ms: list[int] = Field(default_factory=lambda: [1_000, 10_000, 60_000])
    service_token_secret: str = DEV_TOKEN_SECRET
    # During a rotation: the secret before, still accepted (never used to sign); unset after.
    service_token_previous_secret: str | None = None
    service_token_ttl_s: int = 60
    otlp_endpoint: str | None = None
    # Where spans go: "otlp" to ``otlp_endpoint``, "file" as JSON lines to ``traces_file``,
    # "console" as JSON lines on stderr, "none" nowhere. Unset: "otlp" when an endpoint is
    # given, else "none" (what every deployment did before the setting existed).
    traces: Literal["otlp", "file", "console", "none"] | None = None
    # "{service}" in the path gives each service its own file (the multi-process mode);
    # without it the services of one process share the file, one span per line.
    traces_file: str = "traces.jsonl"
    # The share of traces recorded, decided where a trace starts (the gateway, a worker) and
    # followed by every span after it, in any process. With no destination for spans (and no
    # test's processor) none is recorded: their ids still cross, for the logs.
    traces_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    log_format: Literal["console", "json"] = "console"
    log_level: str = "INFO"
    outbox_poll_interval_s: float = 1.0
    # A consumer holds up to ``consumer_prefetch`` unacked deliveries and handles those that
    # are ready together, up to ``consumer_batch`` of one tenant in one transaction (decision
    # 110); 1 handles each alone, in as many transactions at once as the prefetch allows.
    consumer_prefetch: int = Field(default=64, ge=1)
    consumer_batch: int = Field(default=8, ge=1)
    # Outgoing mail (notifications): SMTP server; none set means mails wait in the outbox.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_s: float = 10.0
    mail_from: str = "顧客管理 <no-reply@crm.invalid>"
    mail_poll_interval_s: float = 5.0

    def management_endpoint(self) -> tuple[str, str, str, str]:
        """(management URL, user, password, vhost) of the broker of ``amqp_url``."""
        amqp = urlsplit(self.amqp_url)
        vhost = unquote(amqp.path[1:]) if len(amqp.path) > 1 else "/"
        url = self.amqp_management_url or f"http://{amqp.hostname or '127.0.0.1'}:15672"
        user = self.amqp_management_username or unquote(amqp.username or "guest")
        password = self.amqp_management_password or unquote(amqp.password or "guest")
        return url.rstrip("/"), user, password, vhost

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> "CommonSettings":
        if self.environment == "production" and DEV_TOKEN_SECRET in (
            self.service_token_secret,
            self.service_token_previous_secret,
        ):
            raise ValueError("CRM_SERVICE_TOKEN_SECRET must be set in production")
        return self

    @model_validator(mode="after")
    def _traces_have_a_destination(self) -> "CommonSettings":
        if self.traces == "otlp" and not self.otlp_endpoint:
            raise ValueError("CRM_TRACES=otlp needs CRM_OTLP_ENDPOINT")
        return self

    @property
    def traces_exporter(self) -> Literal["otlp", "file", "console", "none"]:
        if self.traces is not None:
            return self.traces
        return "otlp" if self.otlp_endpoint else "none"


class ServiceSettings(BaseSettings):
    """Base of a service's own settings; subclasses set ``env_prefix`` (e.g. ``CUSTOMER_``)."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str
    host: str = "127.0.0.1"
    port: int
    db_pool_size: int = 5
    create_database: bool = True
