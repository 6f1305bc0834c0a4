from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    customer_id: UUID
    channel: str
    ordered_at: datetime
    total_yen: int
    created_at: datetime


class OrderPage(BaseModel):
    items: list[OrderRead]
    total: int
    page: int
    per_page: int
