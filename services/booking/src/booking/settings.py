from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class BookingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKING_", extra="ignore")

    port: int = 8003
