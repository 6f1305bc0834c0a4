from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class VisitRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    inquiry_id: UUID
    store_id: UUID | None
    customer_id: UUID | None
    property_code: str | None
    property_name: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    received_at: datetime


class VisitRequestPage(BaseModel):
    items: list[VisitRequestRead]
    total: int
    page: int
    per_page: int
