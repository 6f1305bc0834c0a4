"""The public endpoints (a portal's availability, the salon booking site): no staff session;
the tenant by its slug and the store by its code, the services called as role ``public``.
A guest's reservation takes the seat first: the booking service holds the slots (or answers
満席, and nobody is registered), the customer service then finds or registers the guest by the
identity rule, and the booking service turns the hold into the visit (and alone decides
whether the guest may book). Any refusal after the hold releases it; a hold the gateway
could not release expires in the booking service (docs/booking.md)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from kit.auth import Principal
from pydantic import BaseModel

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.booking import BookingClient, Calendar, Salon, Slot
from gateway.clients.transport import ServiceClients, ServiceUnavailable


@dataclass(frozen=True)
class PublicStore:
    tenant_id: UUID
    store_id: UUID

    def principal(self) -> Principal:
        return Principal(tenant_id=self.tenant_id, role="public")

    def booking(self, services: ServiceClients) -> BookingClient:
        return BookingClient(services, self.principal())


@dataclass(frozen=True)
class Answer:
    """What the partner is told: a status and a JSON body."""

    status: int
    body: Any


SlotT = TypeVar("SlotT", bound=BaseModel)

STORE_NOT_FOUND = Answer(
    404, {"detail": {"code": "not_found", "message": "店舗が見つかりません。"}}
)


class ListedProperty(BaseModel):
    code: str
    name: str


class ListedSlot(BaseModel):
    starts_at: datetime
    remaining: dict[str, int]  # property code → groups that can still book


class PublicDay(BaseModel, Generic[SlotT]):
    day: date
    open: bool
    slots: list[SlotT]


class ListedCalendar(BaseModel):
    """What a portal may show: per slot, the remaining groups of each listed property."""

    slot_minutes: int
    properties: list[ListedProperty]
    days: list[PublicDay[ListedSlot]]


class SalonMenu(BaseModel):
    id: UUID
    name: str
    duration_minutes: int
    price_yen: int


class SalonStaff(BaseModel):
    id: UUID
    name: str


class SalonSlot(BaseModel):
    starts_at: datetime
    free_staff: list[UUID]  # who is free to start a menu here


class SalonCalendar(BaseModel):
    """The booking site's page: menus, staff by name and who is free per slot."""

    slot_minutes: int
    menus: list[SalonMenu]
    staff_members: list[SalonStaff]
    days: list[PublicDay[SalonSlot]]


async def find_store(
    *, tenant_slug: str, store_code: str, uow: GatewayUnitOfWork
) -> PublicStore | None:
    tenant = await uow.accounts.tenant_by_slug(slug=tenant_slug)
    if tenant is None:
        return None
    store = await uow.accounts.store_by_code(tenant_id=tenant.id, code=store_code)
    return PublicStore(tenant.id, store.id) if store and store.active else None


async def calendar(
    store: PublicStore, *, day: date, days: int, services: ServiceClients
) -> Calendar | None:
    return await store.booking(services).calendar(store.store_id, day=day, days=days)


async def salon_availability(
    store: PublicStore, *, day: date, days: int, services: ServiceClients
) -> Answer:
    found = await calendar(store, day=day, days=days, services=services)
    salon = await store.booking(services).salon(store.store_id)
    if found is None or salon is None:
        return Answer(
            404, {"detail": {"code": "not_found", "message": "空き状況を取得できません。"}}
        )
    return Answer(200, salon_view(found, salon).model_dump(mode="json"))


async def reserve(store: PublicStore, *, body: dict, services: ServiceClients) -> Answer:
    answer, _ = await reserve_guest(store, body=body, services=services)
    return answer


async def reserve_guest(
    store: PublicStore, *, body: dict, services: ServiceClients, mail: dict | None = None
) -> tuple[Answer, UUID | None]:
    """Hold, identify the guest, confirm: the answer and, once booked, the guest's customer.
    With ``mail`` booking also mails the guest the confirmation (the booking site)."""
    principal = store.principal()
    booking = store.booking(services)
    held = await booking.hold(_slot(store, body))
    if held.status_code != 201:
        return Answer(held.status_code, held.data), None
    hold_id = held.data["hold_id"]
    booked = None
    try:
        guest = body["guest"]
        identified = await services.call(
            "customer", "POST", "/guests", principal=principal,
            json={**guest, "store_id": str(store.store_id)},
        )  # fmt: skip
        if identified.status_code != 200:
            return Answer(identified.status_code, identified.json()), None
        customer_id = UUID(identified.json()["customer_id"])
        booked = await booking.confirm(hold_id, _confirmation(customer_id, guest["name"], mail))
        return Answer(booked.status_code, booked.data), customer_id if booked.ok else None
    finally:
        if booked is None or booked.status_code != 201:
            await _release(booking, hold_id)


async def reserve_known(
    store: PublicStore, *, customer_id: UUID, customer_name: str, body: dict,
    services: ServiceClients, mail: dict | None = None,
) -> Answer:  # fmt: skip
    """A signed-in customer of the booking site: hold and confirm, nobody to identify."""
    booking = store.booking(services)
    held = await booking.hold(_slot(store, body))
    if held.status_code != 201:
        return Answer(held.status_code, held.data)
    booked = None
    try:
        booked = await booking.confirm(
            held.data["hold_id"], _confirmation(customer_id, customer_name, mail)
        )
        return Answer(booked.status_code, booked.data)
    finally:
        if booked is None or booked.status_code != 201:
            await _release(booking, held.data["hold_id"])


def _slot(store: PublicStore, body: dict) -> dict:
    return {
        "store_id": str(store.store_id),
        "menu_id": body["menu_id"],
        "staff_member_id": body.get("staff_member_id"),
        "starts_at": body["starts_at"],
    }


def _confirmation(customer_id: UUID, name: str, mail: dict | None) -> dict:
    given: dict[str, Any] = {"customer_id": str(customer_id), "customer_name": name}
    if mail is not None:
        given["mail"] = mail
    return given


async def _release(booking: BookingClient, hold_id: UUID) -> None:
    try:
        await booking.release(hold_id)
    except ServiceUnavailable:  # the hold expires in the booking service by itself
        pass


def listed_view(calendar: Calendar, *, property_code: str | None) -> ListedCalendar:
    """Only what a portal may show: per slot, the remaining groups of each listed property
    (already zero when the store's staff are all taken). No visits, no staff counts."""
    listed = [
        p for p in calendar.properties
        if p.portal_listed and p.code and property_code in (None, p.code)
    ]  # fmt: skip
    codes = {p.id: p.code for p in listed if p.code}

    def slot(s: Slot) -> ListedSlot:
        remaining = {codes[p.property_id]: p.remaining for p in s.properties
                     if p.property_id in codes}  # fmt: skip
        return ListedSlot(starts_at=s.starts_at, remaining=remaining)

    return ListedCalendar(
        slot_minutes=calendar.slot_minutes,
        properties=[ListedProperty(code=code, name=p.name) for p in listed if (code := p.code)],
        days=_days(calendar, slot),
    )


def salon_view(calendar: Calendar, salon: Salon) -> SalonCalendar:
    """The booking site's page: menus with duration and price, staff by name, and per slot
    who is free to start a menu there. No visits, no customers."""
    return SalonCalendar(
        slot_minutes=calendar.slot_minutes,
        menus=[SalonMenu.model_validate(m, from_attributes=True) for m in salon.menus],
        staff_members=[SalonStaff(id=m.id, name=m.name) for m in salon.staff_members],
        days=_days(calendar, lambda s: SalonSlot(
            starts_at=s.starts_at,
            free_staff=[m.staff_member_id for m in s.members if m.remaining > 0],
        )),
    )  # fmt: skip


def _days(calendar: Calendar, slot: Callable[[Slot], SlotT]) -> list[PublicDay[SlotT]]:
    return [PublicDay[SlotT](day=d.day, open=d.open, slots=[slot(s) for s in d.slots])
            for d in calendar.days]  # fmt: skip
