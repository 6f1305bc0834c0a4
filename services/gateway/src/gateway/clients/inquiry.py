"""The inquiry service as the gateway reads it: 反響 (a customer's, the list's, one registered
by hand) and the media master."""

from datetime import datetime
from typing import Any
from uuid import UUID

from gateway.clients.base import Read, Reply, ServiceClient


class Inquiry(Read):
    id: UUID
    medium: str
    kind: str
    received_at: datetime


class InquiryPage(Read):
    items: list[Inquiry]
    total: int


class Medium(Read):
    id: UUID | None = None
    code: str
    name: str
    active: bool = True
    auto_linked: bool = False  # the portal's: not for registering by hand


class InquiryClient(ServiceClient):
    service = "inquiry"

    async def inquiries_of(self, customer_id: UUID, *, per_page: int) -> InquiryPage | None:
        params = {"customer_id": customer_id, "per_page": per_page}
        return await self.read("/inquiries", InquiryPage, params)

    async def inquiries(self, params: dict[str, Any]) -> InquiryPage | None:
        return await self.read("/inquiries", InquiryPage, params)

    async def register(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/inquiries", body)

    async def media(self) -> list[Medium] | None:
        return await self.read("/media", list[Medium])

    async def add_medium(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/media", body)

    async def rename_medium(self, medium_id: UUID, *, name: str) -> Reply:
        return await self.send("PUT", f"/media/{medium_id}", {"name": name})

    async def retire_medium(self, medium_id: UUID) -> Reply:
        return await self.send("POST", f"/media/{medium_id}/retire")

    async def restore_medium(self, medium_id: UUID) -> Reply:
        return await self.send("POST", f"/media/{medium_id}/restore")
