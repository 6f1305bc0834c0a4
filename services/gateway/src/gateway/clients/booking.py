"""The booking service as the gateway reads it: calendars, what a store offers, visits, and
the public reservation's hold (``use_cases.public_booking``)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from gateway.clients.base import Read, Reply, ServiceClient


class Named(Read):
    """A menu, a staff member or a property: what names an id on a page."""

    id: UUID
    name: str


class Menu(Named):
    duration_minutes: int
    price_yen: int


class Property(Named):
    code: str | None = None
    portal_listed: bool = False


class PropertySlot(Read):
    property_id: UUID
    remaining: int


class MemberSlot(Read):
    staff_member_id: UUID
    remaining: int


class Slot(Read):
    starts_at: datetime
    properties: list[PropertySlot] = Field(default_factory=list)
    members: list[MemberSlot] = Field(default_factory=list)


class CalendarDay(Read):
    day: date
    open: bool
    slots: list[Slot]


class Calendar(Read):
    slot_minutes: int
    properties: list[Property]
    days: list[CalendarDay]


class Salon(Read):
    """A salon's public catalogue: menus, and staff members by name only."""

    menus: list[Menu]
    staff_members: list[Named]


class Visit(Read):
    id: UUID
    store_id: UUID
    starts_at: datetime
    status: str
    property_id: UUID | None = None
    menu_id: UUID | None = None
    staff_member_id: UUID | None = None


class BookingClient(ServiceClient):
    service = "booking"

    async def calendar(self, store_id: UUID, *, day: date, days: int) -> Calendar | None:
        params = {"store_id": store_id, "day": day.isoformat(), "days": days}
        return await self.read("/availability", Calendar, params)

    async def salon(self, store_id: UUID) -> Salon | None:
        return await self.read("/public/salon", Salon, {"store_id": store_id})

    async def menus(self, store_id: UUID) -> list[Menu] | None:
        return await self.read("/menus", list[Menu], {"store_id": store_id})

    async def staff_members(self, store_id: UUID) -> list[Named] | None:
        return await self.read("/staff-members", list[Named], {"store_id": store_id})

    async def properties(self, store_id: UUID) -> list[Property] | None:
        return await self.read("/properties", list[Property], {"store_id": store_id})

    async def visits_of(self, customer_id: UUID) -> list[Visit] | None:
        return await self.read("/visits", list[Visit], {"customer_id": customer_id})

    async def hold(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/public/holds", body)

    async def confirm(self, hold_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/public/holds/{hold_id}/reservation", body)

    async def release(self, hold_id: UUID) -> Reply:
        return await self.send("DELETE", f"/public/holds/{hold_id}")
