from typing import Annotated

from kit.settings import ServiceSettings
from pydantic import Field, IPvAnyNetwork, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    port: int = 8000
    inquiry_url: str = "http://127.0.0.1:8001"
    customer_url: str = "http://127.0.0.1:8002"
    booking_url: str = "http://127.0.0.1:8003"
    leads_url: str = "http://127.0.0.1:8004"
    orders_url: str = "http://127.0.0.1:8005"
    # The demo tenant (embedded mode, local development): never in production.
    seed_demo: bool = False
    session_ttl_hours: int = 12
    # Where staff reach the web client: the links of invitation and password-reset mails.
    public_url: str = "http://127.0.0.1:8000"
    # Sign-in attempts per minute, per account and per client address (GW-1).
    login_attempts_per_account: int = 10
    login_attempts_per_address: int = 30
    cookie_secure: bool = False
    service_timeout_s: float = 10.0
    # The booking site's address as customers reach it (https://yoyaku.example.jp), for the
    # links in its mails; unset, the address a request came to (development only).
    site_base_url: str | None = None
    # Reverse proxies / load balancers in front of the gateway, whose X-Forwarded-For is
    # believed for the public endpoints' rate limits (addresses or networks, comma-separated:
    # GATEWAY_TRUSTED_PROXIES=10.0.0.0/8,192.0.2.10). Empty: the peer is the client.
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = Field(default_factory=list)

    # Partner feeds (decision 104): the broker's address as partners reach it (unset: the
    # address of CRM_AMQP_URL without its user), and each partner's connection limit.
    partner_amqp_url: str | None = None
    partner_max_connections: int = 2

    # Signed webhooks (docs/gateway.md): the receiver's timeout, requests in flight per
    # process and per endpoint, the polling fallback for due retries; http:// URLs to any
    # host only when allowed (tests; loopback http is always allowed).
    webhook_timeout_s: float = 15.0
    webhook_concurrency: int = 32
    webhook_per_endpoint: int = 4
    webhook_poll_interval_s: float = 1.0
    webhook_allow_http: bool = False

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
