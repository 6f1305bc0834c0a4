from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class LeadsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LEADS_", extra="ignore")

    port: int = 8004
