"""Events produced by the gateway, which owns tenants, stores/offices and staff."""

from datetime import datetime
from uuid import UUID

from contracts.base import Event


class StoreChangedV1(Event):
    """A store/office (店舗・事業所) was created or renamed. Services that show or export
    stores keep code and name as their own read model."""

    event_type = "gateway.store_changed"
    version = 1
    producer = "gateway"

    store_id: UUID
    code: str
    name: str
    active: bool = True
    changed_at: datetime


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (StoreChangedV1,)
