"""The customer monitor (顧客モニタ, CUS-13, seed 002): one screen for a phone operator,
gathered from the services that own each part — the customer (profile, flags, follow-up),
booking (visits, with menu, staff and property names) and inquiry (反響) — asked at the
same time. A service that does not answer costs its tab only: visits and inquiries then
fall back to the customer service's own read model, marked as such."""

import asyncio
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from kit.auth import Principal

from gateway.adapters.services import ServiceClients, ServiceUnavailable
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.use_cases.salon_catalog import StoreEntry, salon_catalog, tenant_stores
from gateway.use_cases.staff_directory import staff_of_tenant

MAX_INQUIRIES = 50
MAX_VISITS = 50  # the newest; the counts above the table cover all of them


@dataclass
class Monitor:
    customer: dict[str, Any]
    follow: dict[str, Any] | None
    visits: list[dict[str, Any]]
    visits_live: bool  # False: booking did not answer; the customer's read model is shown
    visit_total: int
    inquiries: list[dict[str, Any]]
    inquiries_live: bool
    inquiry_total: int
    staff_names: dict[str, str] = field(default_factory=dict)
    media_names: dict[str, str] = field(default_factory=dict)


class CustomerNotFound(Exception):
    pass


async def load_monitor(
    customer_id: UUID, *, principal: Principal, services: ServiceClients, uow: GatewayUnitOfWork
) -> Monitor:
    def ask(service: str, path: str, **params: Any):  # type: ignore[no-untyped-def]
        return _json(services.call(service, "GET", path, principal=principal, params=params))

    found, follow, visits, inquiries, media = await asyncio.gather(
        # The profile is the screen: if the customer service is down, that is the answer
        # (ServiceUnavailable); the other parts degrade on their own.
        services.call("customer", "GET", f"/customers/{customer_id}", principal=principal),
        ask("customer", f"/customers/{customer_id}/follow-up"),
        ask("booking", "/visits", customer_id=customer_id),
        ask("inquiry", "/inquiries", customer_id=customer_id, per_page=MAX_INQUIRIES),
        ask("inquiry", "/media"),
    )
    if found.status_code != 200:  # another tenant's customer is not found either
        raise CustomerNotFound(customer_id)
    customer = found.json()
    stores = await tenant_stores(uow=uow)
    staff_names = {str(s.user_id): s.display_name for s in await staff_of_tenant(uow=uow)}
    monitor = Monitor(
        customer=customer,
        follow=follow,
        visits=(visits if visits is not None else _read_model_visits(customer))[:MAX_VISITS],
        visits_live=visits is not None,
        visit_total=len(visits) if visits is not None else len(customer.get("visits", [])),
        inquiries=inquiries["items"] if inquiries else customer.get("inquiries", []),
        inquiries_live=inquiries is not None,
        inquiry_total=inquiries["total"] if inquiries else len(customer.get("inquiries", [])),
        staff_names=staff_names,
        media_names={m["code"]: m["name"] for m in media or []},
    )
    if visits is not None:
        await _name_visits(monitor.visits, stores=stores, services=services, principal=principal)
    return monitor


async def _json(call: Any) -> Any:
    """The answer's body, or None when the service refused or could not be reached."""
    try:
        response = await call
    except ServiceUnavailable:
        return None
    return response.json() if response.status_code == 200 else None


async def _name_visits(
    visits: list[dict[str, Any]],
    *,
    stores: list[StoreEntry],
    services: ServiceClients,
    principal: Principal,
) -> None:
    """Booking's visits name their store, menu, staff member and property by id; the names
    come from the stores the visits are at (the gateway's) and those stores' catalogues."""
    used = {v["store_id"] for v in visits}
    at = [s for s in stores if str(s.id) in used]
    store_names = {str(s.id): s.name for s in stores}
    # A salon's visits name menus and staff, an agency's name properties: ask for what is used.
    names = (
        (await salon_catalog(stores=at, services=services, principal=principal)).names()
        if any(v.get("menu_id") or v.get("staff_member_id") for v in visits)
        else {}
    )
    properties = (
        await _property_names(at, services=services, principal=principal)
        if any(v.get("property_id") for v in visits)
        else {}
    )
    for visit in visits:
        visit["store_name"] = store_names.get(visit["store_id"], "")
        visit["menu_name"] = names.get(visit.get("menu_id") or "")
        visit["staff_member_name"] = names.get(visit.get("staff_member_id") or "")
        visit["property_name"] = properties.get(visit.get("property_id") or "")


async def _property_names(
    stores: list[StoreEntry], *, services: ServiceClients, principal: Principal
) -> dict[str, str]:
    answers = await asyncio.gather(
        *(
            _json(services.call("booking", "GET", "/properties", principal=principal,
                                params={"store_id": s.id}))
            for s in stores
        )
    )  # fmt: skip
    return {p["id"]: p["name"] for answer in answers for p in answer or []}


def _read_model_visits(customer: dict[str, Any]) -> list[dict[str, Any]]:
    """The customer service's copy of the visits (kept from booking's events)."""
    return [
        {
            "starts_at": v["starts_at"], "status": v["status"], "kind": v.get("kind"),
            "property_name": v.get("property_name"), "menu_name": v.get("menu_name"),
            "staff_member_name": v.get("staff_member_name"), "store_name": "",
            "last_minute_cancel": v.get("last_minute", False), "no_show": v.get("no_show", False),
            "conflict": False,
        }
        for v in customer.get("visits", [])
    ]  # fmt: skip
