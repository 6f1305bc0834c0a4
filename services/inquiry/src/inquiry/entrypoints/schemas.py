from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


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
    contact: dict[str, Any]
    property: dict[str, Any] | None
    requested_visit_starts_at: datetime | None
    requested_visit_ends_at: datetime | None
    message: str | None
    registered_by: UUID | None


class InquiryPage(BaseModel):
    items: list[InquiryRead]
    total: int
    page: int
    per_page: int


class MediumRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    code: str
    name: str
    auto_linked: bool
    active: bool


class MediumUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=60)


class MediumCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=60)
