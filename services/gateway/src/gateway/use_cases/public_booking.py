"""The public endpoints (a portal's availability, the salon booking site): no staff session;
the tenant by its slug and the store by its code, the services called as role ``public``.
A guest's reservation takes the seat first: the booking service holds the slots (or answers
満席, and nobody is registered), the customer service then finds or registers the guest by the
identity rule, and the booking service turns the hold into the visit (and alone decides
whether the guest may book). Any refusal after the hold releases it; a hold the gateway
could not release expires in the booking service (docs/booking.md)."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from kit.auth import Principal

from gateway.adapters.services import ServiceClients, ServiceUnavailable
from gateway.adapters.unit_of_work import GatewayUnitOfWork


@dataclass(frozen=True)
class PublicStore:
    tenant_id: UUID
    store_id: UUID

    def principal(self) -> Principal:
        return Principal(tenant_id=self.tenant_id, role="public")


@dataclass(frozen=True)
class Answer:
    """What the partner is told: a status and a JSON body."""

    status: int
    body: Any


STORE_NOT_FOUND = Answer(
    404, {"detail": {"code": "not_found", "message": "店舗が見つかりません。"}}
)


async def find_store(
    *, tenant_slug: str, store_code: str, uow: GatewayUnitOfWork
) -> PublicStore | None:
    tenant = await uow.accounts.tenant_by_slug(slug=tenant_slug)
    if tenant is None:
        return None
    store = await uow.accounts.store_by_code(tenant_id=tenant.id, code=store_code)
    return PublicStore(tenant.id, store.id) if store else None


async def calendar(
    store: PublicStore, *, day: date, days: int, services: ServiceClients
) -> dict | None:
    result = await services.call(
        "booking", "GET", "/availability", principal=store.principal(),
        params={"store_id": store.store_id, "day": day.isoformat(), "days": days},
    )  # fmt: skip
    return result.json() if result.status_code == 200 else None


async def salon_availability(
    store: PublicStore, *, day: date, days: int, services: ServiceClients
) -> Answer:
    found = await calendar(store, day=day, days=days, services=services)
    salon = await services.call(
        "booking", "GET", "/public/salon", principal=store.principal(),
        params={"store_id": store.store_id},
    )  # fmt: skip
    if found is None or salon.status_code != 200:
        return Answer(
            404, {"detail": {"code": "not_found", "message": "空き状況を取得できません。"}}
        )
    return Answer(200, salon_view(found, salon.json()))


async def reserve(store: PublicStore, *, body: dict, services: ServiceClients) -> Answer:
    principal = store.principal()
    held = await services.call(
        "booking", "POST", "/public/holds", principal=principal,
        json={
            "store_id": str(store.store_id),
            "menu_id": body["menu_id"],
            "staff_member_id": body.get("staff_member_id"),
            "starts_at": body["starts_at"],
        },
    )  # fmt: skip
    if held.status_code != 201:
        return Answer(held.status_code, held.json())
    hold_path = f"/public/holds/{held.json()['hold_id']}"
    booked = None
    try:
        guest = body["guest"]
        identified = await services.call(
            "customer", "POST", "/guests", principal=principal,
            json={**guest, "store_id": str(store.store_id)},
        )  # fmt: skip
        if identified.status_code != 200:
            return Answer(identified.status_code, identified.json())
        booked = await services.call(
            "booking", "POST", f"{hold_path}/reservation", principal=principal,
            json={"customer_id": identified.json()["customer_id"], "customer_name": guest["name"]},
        )  # fmt: skip
        return Answer(booked.status_code, booked.json())
    finally:
        if booked is None or booked.status_code != 201:
            await _release(services, hold_path, principal=principal)


async def _release(services: ServiceClients, hold_path: str, *, principal: Principal) -> None:
    try:
        await services.call("booking", "DELETE", hold_path, principal=principal)
    except ServiceUnavailable:  # the hold expires in the booking service by itself
        pass


def listed_view(calendar: dict, *, property_code: str | None) -> dict:
    """Only what a portal may show: per slot, the remaining groups of each listed property
    (already zero when the store's staff are all taken). No visits, no staff counts."""
    listed = [
        p for p in calendar["properties"]
        if p["portal_listed"] and p["code"] and property_code in (None, p["code"])
    ]  # fmt: skip
    codes = {p["id"]: p["code"] for p in listed}
    return {
        "slot_minutes": calendar["slot_minutes"],
        "properties": [{"code": p["code"], "name": p["name"]} for p in listed],
        "days": [
            {
                "day": d["day"],
                "open": d["open"],
                "slots": [
                    {
                        "starts_at": s["starts_at"],
                        "remaining": {
                            codes[p["property_id"]]: p["remaining"]
                            for p in s["properties"]
                            if p["property_id"] in codes
                        },
                    }
                    for s in d["slots"]
                ],
            }
            for d in calendar["days"]
        ],
    }


def salon_view(calendar: dict, salon: dict) -> dict:
    """The booking site's page: menus with duration and price, staff by name, and per slot
    who is free to start a menu there. No visits, no customers."""
    return {
        "slot_minutes": calendar["slot_minutes"],
        "menus": [
            {k: m[k] for k in ("id", "name", "duration_minutes", "price_yen")}
            for m in salon["menus"]
        ],
        "staff_members": salon["staff_members"],
        "days": [
            {
                "day": d["day"],
                "open": d["open"],
                "slots": [
                    {
                        "starts_at": s["starts_at"],
                        "free_staff": [
                            m["staff_member_id"] for m in s["members"] if m["remaining"] > 0
                        ],
                    }
                    for s in d["slots"]
                ],
            }
            for d in calendar["days"]
        ],
    }
