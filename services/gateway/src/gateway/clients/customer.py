"""The customer service as the gateway reads it: a customer's profile and its 追客."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from gateway.clients.base import Read, ServiceClient


class Customer(Read):
    """The profile, as the customer service shows it (its copy of the visits and inquiries
    kept from the events stands in when booking or inquiry cannot answer)."""

    id: UUID
    name: str
    store_id: UUID | None = None
    created_at: datetime
    visits: list[dict[str, Any]] = Field(default_factory=list)
    inquiries: list[dict[str, Any]] = Field(default_factory=list)


class FollowUp(Read):
    status: str
    assignee_id: UUID | None = None


class CustomerClient(ServiceClient):
    service = "customer"

    async def customer(self, customer_id: UUID) -> Customer | None:
        return await self.read(f"/customers/{customer_id}", Customer)

    async def follow_up(self, customer_id: UUID) -> FollowUp | None:
        return await self.read(f"/customers/{customer_id}/follow-up", FollowUp)
