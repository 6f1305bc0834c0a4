from pathlib import Path

from kit.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class LeadsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LEADS_", extra="ignore")

    port: int = 8004
    # Signs the pixel and beacon tokens (a key per tenant is derived from it). Unset, the
    # service token secret serves, which production already requires to be set.
    tracking_secret: str | None = None
    tracking_token_ttl_days: int = 180
    # Apple's egress ranges; unset, the snapshot shipped with the service. Reread on change.
    apple_egress_file: Path | None = None
    # Hits beyond these, per minute, are answered and counted nowhere.
    tracking_hits_per_token: int = 30
    tracking_hits_per_address: int = 3_000  # Gmail and Apple proxies carry many readers
    # LEAD-6 mails: the gateway's public address, which relays /t/o/ (pixel) and /t/u/
    # (unsubscribe) here; how often the scheduler looks for mails falling due later.
    public_base_url: str = "http://127.0.0.1:8000"
    mail_schedule_poll_s: float = 5.0
    # The level worker looks for levels whose window ended this often: with a round's time,
    # the bound of LEAD-7 (docs/leads.md: a level changes within 60 s of its window ending).
    level_poll_s: float = 10.0
