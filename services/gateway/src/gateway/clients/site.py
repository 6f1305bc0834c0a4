"""What the booking site (予約サイト, ``web/site``) asks of the services, as role ``public``:
the customer service's site accounts and booking's reservations of the signed-in customer
(the customer as the token's subject). Kept apart from the staff clients."""

from datetime import datetime
from typing import Any
from uuid import UUID

from gateway.clients.base import Read, Reply, ServiceClient


class SignedIn(Read):
    customer_id: UUID
    name: str
    email: str
    must_change: bool


class MyVisit(Read):
    id: UUID
    store_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: str
    menu_id: UUID | None = None
    menu_name: str | None = None
    duration_minutes: int | None = None
    price_yen: int | None = None
    staff_member_id: UUID | None = None
    staff_member_name: str | None = None
    changeable_until: datetime
    changeable: bool


class SiteAccountsClient(ServiceClient):
    service = "customer"

    async def register(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/site-accounts", body)

    async def open_for_booking(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/site-accounts/for-booking", body)

    async def sign_in(self, *, email: str, password: str) -> SignedIn | None:
        reply = await self.send("POST", "/site-accounts/sign-in",
                                {"email": email, "password": password})  # fmt: skip
        return SignedIn.model_validate(reply.data) if reply.status_code == 200 else None

    async def change_password(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/site-accounts/password", body)

    async def reset(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/site-accounts/reset", body)


class MyReservationsClient(ServiceClient):
    service = "booking"

    async def visits(self) -> list[MyVisit] | None:
        return await self.read("/public/my/visits", list[MyVisit])

    async def cancel(self, visit_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/public/my/visits/{visit_id}/cancel", body)

    async def move(self, visit_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PATCH", f"/public/my/visits/{visit_id}", body)
