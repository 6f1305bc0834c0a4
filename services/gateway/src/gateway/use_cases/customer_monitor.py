"""The customer monitor (顧客モニタ, CUS-13, seed 002): one screen for a phone operator,
gathered from the services that own each part — the customer (profile, flags, follow-up),
booking (visits, with menu, staff and property names) and inquiry (反響) — asked at the
same time. A service that does not answer costs its tab only: visits and inquiries then
fall back to the customer service's own read model, marked as such."""

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from kit.auth import Principal

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.booking import BookingClient, Visit
from gateway.clients.customer import Customer, CustomerClient, FollowUp
from gateway.clients.inquiry import Inquiry, InquiryClient
from gateway.clients.transport import ServiceClients, ServiceUnavailable
from gateway.use_cases.salon_catalog import StoreEntry, salon_catalog, tenant_stores
from gateway.use_cases.staff_directory import staff_of_tenant

MAX_INQUIRIES = 50
MAX_VISITS = 50  # the newest; the counts above the table cover all of them
T = TypeVar("T")


@dataclass
class Monitor:
    customer: Customer
    follow: FollowUp | None
    visits: list[Visit] | list[dict[str, Any]]  # dicts: the customer's read model
    visits_live: bool  # False: booking did not answer; the customer's read model is shown
    visit_total: int
    inquiries: list[Inquiry] | list[dict[str, Any]]
    inquiries_live: bool
    inquiry_total: int
    staff_names: dict[str, str] = field(default_factory=dict)
    media_names: dict[str, str] = field(default_factory=dict)


class CustomerNotFound(Exception):
    pass


async def load_monitor(
    customer_id: UUID, *, principal: Principal, services: ServiceClients, uow: GatewayUnitOfWork
) -> Monitor:
    customers = CustomerClient(services, principal)
    booking = BookingClient(services, principal)
    inquiry = InquiryClient(services, principal)
    found, follow, visits, inquiries, media = await asyncio.gather(
        # The profile is the screen: if the customer service is down, that is the answer
        # (ServiceUnavailable); the other parts degrade on their own.
        customers.customer(customer_id),
        _unless_down(customers.follow_up(customer_id)),
        _unless_down(booking.visits_of(customer_id)),
        _unless_down(inquiry.inquiries_of(customer_id, per_page=MAX_INQUIRIES)),
        _unless_down(inquiry.media()),
    )
    if found is None:  # another tenant's customer is not found either
        raise CustomerNotFound(customer_id)
    stores = await tenant_stores(uow=uow)
    staff_names = {str(s.user_id): s.display_name for s in await staff_of_tenant(uow=uow)}
    monitor = Monitor(
        customer=found,
        follow=follow,
        visits=(visits if visits is not None else _read_model_visits(found))[:MAX_VISITS],
        visits_live=visits is not None,
        visit_total=len(visits) if visits is not None else len(found.visits),
        inquiries=inquiries.items if inquiries else found.inquiries,
        inquiries_live=inquiries is not None,
        inquiry_total=inquiries.total if inquiries else len(found.inquiries),
        staff_names=staff_names,
        media_names={m.code: m.name for m in media or []},
    )
    if visits is not None:
        await _name_visits(visits[:MAX_VISITS], stores=stores, booking=booking)
    return monitor


async def _unless_down(read: Awaitable[T | None]) -> T | None:
    """The answer, or None when the service refused or could not be reached."""
    try:
        return await read
    except ServiceUnavailable:
        return None


async def _name_visits(
    visits: list[Visit], *, stores: list[StoreEntry], booking: BookingClient
) -> None:
    """Booking's visits name their store, menu, staff member and property by id; the names
    come from the stores the visits are at (the gateway's) and those stores' catalogues."""
    used = {v.store_id for v in visits}
    at = [s for s in stores if s.id in used]
    store_names = {s.id: s.name for s in stores}
    # A salon's visits name menus and staff, an agency's name properties: ask for what is used.
    names = (
        (
            await salon_catalog(stores=at, services=booking.transport, principal=booking.principal)
        ).names()
        if any(v.menu_id or v.staff_member_id for v in visits)
        else {}
    )
    properties = (
        await _property_names(at, booking=booking) if any(v.property_id for v in visits) else {}
    )
    for visit in visits:  # what the visits table shows beside booking's own fields
        visit.store_name = store_names.get(visit.store_id, "")  # type: ignore[attr-defined]
        visit.menu_name = names.get(str(visit.menu_id))  # type: ignore[attr-defined]
        visit.staff_member_name = names.get(str(visit.staff_member_id))  # type: ignore[attr-defined]
        visit.property_name = properties.get(visit.property_id)  # type: ignore[attr-defined]


async def _property_names(stores: list[StoreEntry], *, booking: BookingClient) -> dict[UUID, str]:
    answers = await asyncio.gather(*(_unless_down(booking.properties(s.id)) for s in stores))
    return {p.id: p.name for answer in answers for p in answer or []}


def _read_model_visits(customer: Customer) -> list[dict[str, Any]]:
    """The customer service's copy of the visits (kept from booking's events)."""
    return [
        {
            "starts_at": v["starts_at"], "status": v["status"], "kind": v.get("kind"),
            "property_name": v.get("property_name"), "menu_name": v.get("menu_name"),
            "staff_member_name": v.get("staff_member_name"), "store_name": "",
            "last_minute_cancel": v.get("last_minute", False), "no_show": v.get("no_show", False),
            "conflict": False,
        }
        for v in customer.visits
    ]  # fmt: skip
