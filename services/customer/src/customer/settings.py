from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore")

    port: int = 8002
