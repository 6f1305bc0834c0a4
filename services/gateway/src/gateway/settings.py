from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


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
    cookie_secure: bool = False
    service_timeout_s: float = 10.0
