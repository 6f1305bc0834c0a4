from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class ActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: str
    occurred_at: datetime
    customer_id: UUID | None
    inquiry_id: UUID | None
    detail: dict[str, Any]


class ActivityList(BaseModel):
    items: list[ActivityRead]
