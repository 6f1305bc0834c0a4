"""/api/v1/booking: the booking service's operations, relayed. The gateway owns the stores, so
a store's booking settings can only be written for one of the caller's."""

import json
from uuid import UUID

from fastapi import Request, Response
from kit.errors import error_response
from kit.runtime import ServiceRuntime

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.entrypoints.relays import ServiceRelays
from gateway.use_cases.account_admin import RETIRED_STORE
from gateway.use_cases.accounts import Staff

BOOKING = ServiceRelays("booking", prefix="/api/v1/booking", tags=["予約"])
router = BOOKING.router


async def tenant_store_ids(request: Request, staff: Staff) -> set[UUID]:
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.uow(tenant_id=staff.tenant_id) as uow:
        assert isinstance(uow, GatewayUnitOfWork)
        return {store.id for store in await uow.accounts.stores()}


async def own_store(request: Request, staff: Staff) -> Response | None:
    try:
        store_id = UUID(request.path_params["store_id"])
    except ValueError:
        return None  # the service answers a malformed id (422 invalid_uuid)
    if store_id not in await tenant_store_ids(request, staff):
        return error_response(404, "not_found", "店舗が見つかりません。")
    return None


async def open_store(request: Request, staff: Staff) -> Response | None:
    """A new visit goes to a store still in use: a retired one (廃止) keeps its old visits
    only. Booking does not know of retirement; the gateway owns the stores."""
    try:
        data = json.loads(await request.body() or b"{}")
        store_id = UUID(str(data.get("store_id")))
    except (ValueError, AttributeError):
        return None  # the service answers a malformed body or id
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.uow(tenant_id=staff.tenant_id) as uow:
        assert isinstance(uow, GatewayUnitOfWork)
        retired = any(s.id == store_id and not s.active for s in await uow.accounts.stores())
    if retired:
        return error_response(422, "retired_store", RETIRED_STORE, field="store_id")
    return None


BOOKING.relay("GET", "/stores")
BOOKING.relay("GET", "/stores/{store_id}")
BOOKING.relay("PUT", "/stores/{store_id}", admin=True, guard=own_store)
BOOKING.relay("GET", "/properties")
BOOKING.relay("POST", "/properties", admin=True)
BOOKING.relay("GET", "/properties/{property_id}")
BOOKING.relay("PUT", "/properties/{property_id}", admin=True)
BOOKING.relay("POST", "/properties/{property_id}/retire", admin=True)
BOOKING.relay("POST", "/properties/{property_id}/restore", admin=True)
BOOKING.relay("GET", "/menus")
BOOKING.relay("POST", "/menus", admin=True)
BOOKING.relay("PUT", "/menus/{menu_id}", admin=True)
BOOKING.relay("POST", "/menus/{menu_id}/retire", admin=True)
BOOKING.relay("POST", "/menus/{menu_id}/restore", admin=True)
BOOKING.relay("GET", "/staff-members")
BOOKING.relay("POST", "/staff-members", admin=True)
BOOKING.relay("PUT", "/staff-members/{staff_member_id}", admin=True)
BOOKING.relay("POST", "/staff-members/{staff_member_id}/retire", admin=True)
BOOKING.relay("POST", "/staff-members/{staff_member_id}/restore", admin=True)
BOOKING.relay("POST", "/visits", guard=open_store)
BOOKING.relay("GET", "/visits")
BOOKING.relay("GET", "/visits/{visit_id}")
BOOKING.relay("PATCH", "/visits/{visit_id}")
BOOKING.relay("POST", "/visits/{visit_id}/status")
BOOKING.relay("POST", "/visits/{visit_id}/cancel")
BOOKING.relay("GET", "/conflicts")
BOOKING.relay("POST", "/coupon-tickets")
BOOKING.relay("GET", "/coupon-tickets")
BOOKING.relay("POST", "/coupon-tickets/{ticket_id}/use")
BOOKING.relay("GET", "/stores/{store_id}/notification-targets")
BOOKING.relay("POST", "/stores/{store_id}/notification-targets", admin=True)
BOOKING.relay("DELETE", "/notification-targets/{target_id}", admin=True)
BOOKING.relay("PUT", "/visits/{visit_id}/sales-report")
BOOKING.relay("GET", "/sales-reports")
BOOKING.relay("GET", "/availability")
