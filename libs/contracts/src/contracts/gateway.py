"""Events produced by the gateway, which owns tenants, stores/offices and staff."""

from datetime import datetime
from uuid import UUID

from contracts.base import Event


class StoreChangedV1(Event):
    """A store/office (店舗・事業所) was created, renamed, given its address, retired
    (``active: false``) or restored. Services that show or export stores keep code and name
    as their own read model. The address and phone were added within v1, hence optional
    (absent from older producers: None)."""

    event_type = "gateway.store_changed"
    version = 1
    producer = "gateway"

    store_id: UUID
    code: str
    name: str
    active: bool = True
    changed_at: datetime
    postal_code: str | None = None
    prefecture: str | None = None
    city: str | None = None  # 市区町村
    street: str | None = None  # 町域・番地
    building: str | None = None
    phone: str | None = None


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (StoreChangedV1,)
