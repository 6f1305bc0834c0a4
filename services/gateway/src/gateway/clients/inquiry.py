"""The inquiry service as the gateway reads it: a customer's 反響 and the media master."""

from datetime import datetime
from uuid import UUID

from gateway.clients.base import Read, ServiceClient


class Inquiry(Read):
    id: UUID
    medium: str
    kind: str
    received_at: datetime


class InquiryPage(Read):
    items: list[Inquiry]
    total: int


class Medium(Read):
    code: str
    name: str


class InquiryClient(ServiceClient):
    service = "inquiry"

    async def inquiries_of(self, customer_id: UUID, *, per_page: int) -> InquiryPage | None:
        params = {"customer_id": customer_id, "per_page": per_page}
        return await self.read("/inquiries", InquiryPage, params)

    async def media(self) -> list[Medium] | None:
        return await self.read("/media", list[Medium])
