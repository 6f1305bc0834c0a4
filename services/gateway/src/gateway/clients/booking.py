"""The booking service as the gateway reads it: calendars, what a store offers, visits, and
the public reservation's hold (``use_cases.public_booking``); the booking pages' reads and
writes (settings, menus, staff, 通知先, visits, 営業報告, 回数券)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from gateway.clients.base import Read, Reply, ServiceClient


class Named(Read):
    """A menu, a staff member or a property: what names an id on a page."""

    id: UUID
    name: str
    retired_at: datetime | None = None  # 廃止: named on old records, offered nowhere


class Menu(Named):
    duration_minutes: int
    price_yen: int


class Property(Named):
    code: str | None = None
    portal_listed: bool = False
    concurrent_groups: int = 1
    facts: dict[str, Any] | None = None  # contracts.listings.ListingFacts


class StaffMember(Named):
    hours: dict[str, list[str]] | None = None


class PropertySlot(Read):
    property_id: UUID
    remaining: int


class MemberSlot(Read):
    staff_member_id: UUID
    remaining: int


class Slot(Read):
    starts_at: datetime
    ends_at: datetime
    properties: list[PropertySlot] = Field(default_factory=list)
    members: list[MemberSlot] = Field(default_factory=list)


class CalendarDay(Read):
    day: date
    open: bool
    slots: list[Slot]


class Visit(Read):
    id: UUID
    store_id: UUID
    customer_id: UUID
    kind: str
    starts_at: datetime
    ends_at: datetime
    status: str
    property_id: UUID | None = None
    menu_id: UUID | None = None
    staff_member_id: UUID | None = None


class Calendar(Read):
    slot_minutes: int
    properties: list[Property]
    days: list[CalendarDay]
    staff_members: list[Named] = Field(default_factory=list)
    visits: list[Visit] = Field(default_factory=list)  # asked for with ``with_visits``


class StoreSettings(Read):
    store_id: UUID


class Salon(Read):
    """A salon's public catalogue: menus, and staff members by name only."""

    menus: list[Menu]
    staff_members: list[Named]


class BookingClient(ServiceClient):
    service = "booking"

    async def calendar(
        self, store_id: UUID, *, day: date, days: int, with_visits: bool = False
    ) -> Calendar | None:
        params = {"store_id": store_id, "day": day.isoformat(), "days": days}
        if with_visits:
            params["with_visits"] = "true"
        return await self.read("/availability", Calendar, params)

    async def stores(self) -> list[StoreSettings] | None:
        return await self.read("/stores", list[StoreSettings])

    async def store(self, store_id: UUID | str) -> StoreSettings | None:
        return await self.read(f"/stores/{store_id}", StoreSettings)

    async def save_store(self, store_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/stores/{store_id}", body)

    async def conflicts(self) -> list[Visit] | None:
        return await self.read("/conflicts", list[Visit])

    async def salon(self, store_id: UUID) -> Salon | None:
        return await self.read("/public/salon", Salon, {"store_id": store_id})

    async def menus(self, store_id: UUID, *, retired: bool = False) -> list[Menu] | None:
        """The store's menus; ``retired`` adds the retired ones (to name old records)."""
        params = {"store_id": store_id, "include_retired": retired}
        return await self.read("/menus", list[Menu], params)

    async def staff_members(
        self, store_id: UUID, *, retired: bool = False
    ) -> list[StaffMember] | None:
        params = {"store_id": store_id, "include_retired": retired}
        return await self.read("/staff-members", list[StaffMember], params)

    async def properties(self, store_id: UUID, *, retired: bool = False) -> list[Property] | None:
        params = {"store_id": store_id, "include_retired": retired}
        return await self.read("/properties", list[Property], params)

    async def update_property(self, property_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/properties/{property_id}", body)

    async def retire_property(self, property_id: UUID) -> Reply:
        return await self.send("POST", f"/properties/{property_id}/retire")

    async def restore_property(self, property_id: UUID) -> Reply:
        return await self.send("POST", f"/properties/{property_id}/restore")

    async def restore_menu(self, menu_id: UUID) -> Reply:
        return await self.send("POST", f"/menus/{menu_id}/restore")

    async def restore_staff_member(self, member_id: UUID) -> Reply:
        return await self.send("POST", f"/staff-members/{member_id}/restore")

    async def update_menu(self, menu_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/menus/{menu_id}", body)

    async def retire_menu(self, menu_id: UUID) -> Reply:
        return await self.send("POST", f"/menus/{menu_id}/retire")

    async def update_staff_member(self, member_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/staff-members/{member_id}", body)

    async def retire_staff_member(self, member_id: UUID) -> Reply:
        return await self.send("POST", f"/staff-members/{member_id}/retire")

    async def property(self, property_id: UUID) -> Property | None:
        return await self.read(f"/properties/{property_id}", Property)

    async def add_property(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/properties", body)

    async def add_menu(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/menus", body)

    async def add_staff_member(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/staff-members", body)

    async def notification_targets(self, store_id: UUID) -> list[Read] | None:
        return await self.read(f"/stores/{store_id}/notification-targets", list[Read])

    async def add_notification_target(self, store_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/stores/{store_id}/notification-targets", body)

    async def delete_notification_target(self, target_id: UUID) -> Reply:
        return await self.send("DELETE", f"/notification-targets/{target_id}")

    async def store_notifications(self, store_id: UUID, *, limit: int) -> list[Read] | None:
        return await self.read(f"/stores/{store_id}/notifications", list[Read], {"limit": limit})

    async def visits_of(self, customer_id: UUID) -> list[Visit] | None:
        return await self.read("/visits", list[Visit], {"customer_id": customer_id})

    async def visit(self, visit_id: UUID) -> Visit | None:
        return await self.read(f"/visits/{visit_id}", Visit)

    async def visit_notifications(self, visit_id: UUID) -> list[Read] | None:
        return await self.read(f"/visits/{visit_id}/notifications", list[Read])

    async def add_visit(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/visits", body)

    async def move_visit(self, visit_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PATCH", f"/visits/{visit_id}", body)

    async def cancel_visit(self, visit_id: UUID, *, reason: str) -> Reply:
        return await self.send("POST", f"/visits/{visit_id}/cancel", {"reason": reason})

    async def set_visit_status(self, visit_id: UUID, *, status: str) -> Reply:
        return await self.send("POST", f"/visits/{visit_id}/status", {"status": status})

    async def sales_reports(self, params: dict[str, Any]) -> list[Read] | None:
        return await self.read("/sales-reports", list[Read], params)

    async def write_sales_report(self, visit_id: UUID, *, body: str) -> Reply:
        return await self.send("PUT", f"/visits/{visit_id}/sales-report", {"body": body})

    async def coupon_tickets(self, customer_id: UUID) -> list[Read] | None:
        return await self.read("/coupon-tickets", list[Read], {"customer_id": customer_id})

    async def issue_ticket(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/coupon-tickets", body)

    async def use_ticket(self, ticket_id: UUID, *, visit_id: str) -> Reply:
        return await self.send("POST", f"/coupon-tickets/{ticket_id}/use", {"visit_id": visit_id})

    async def hold(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/public/holds", body)

    async def confirm(self, hold_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/public/holds/{hold_id}/reservation", body)

    async def release(self, hold_id: UUID) -> Reply:
        return await self.send("DELETE", f"/public/holds/{hold_id}")
