from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore")

    port: int = 8002
    # CUS-14: a longer export is refused (with a message) rather than cut off.
    export_max_rows: int = 100_000
