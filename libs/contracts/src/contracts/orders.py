"""Events produced by the orders service (受注)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.base import Event


class OrderLine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: UUID
    product_name: str
    quantity: int
    unit_price_yen: int
    tax_rate_percent: int
    amount_yen: int


class OrderPlacedV1(Event):
    """An order was placed (phone, web shop or subscription run)."""

    event_type = "orders.order_placed"
    version = 1
    producer = "orders"

    order_id: UUID
    customer_id: UUID
    channel: str
    ordered_at: datetime
    lines: list[OrderLine]
    subtotal_yen: int
    tax_yen: int
    shipping_fee_yen: int
    discount_yen: int
    total_yen: int
    subscription_id: UUID | None = None


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (OrderPlacedV1,)
