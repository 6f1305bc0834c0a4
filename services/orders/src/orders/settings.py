from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class OrdersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDERS_", extra="ignore")

    port: int = 8005
    # The daily run (定期の受注作成): how often each replica looks for due subscriptions.
    subscription_run_enabled: bool = True
    subscription_run_interval_s: float = 300.0
