from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class IntakeRead(BaseModel):
    inquiry_id: UUID
    status: str


class InquiryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    external_id: str | None
    medium: str
    kind: str
    received_at: datetime
    store_id: UUID | None
    customer_id: UUID | None
    property: dict[str, Any] | None
    requested_visit_starts_at: datetime | None
    requested_visit_ends_at: datetime | None


class InquiryPage(BaseModel):
    items: list[InquiryRead]
    total: int
    page: int
    per_page: int
