from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class InquirySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INQUIRY_", extra="ignore")

    port: int = 8001
