"""/api/v1/booking: the booking service behind the public API (thin relays). The gateway owns
the stores, so a store's booking settings can only be written for one of the caller's."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from kit.inputs import Day
from kit.runtime import ServiceRuntime

from gateway.adapters.services import ServiceClients
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.entrypoints.deps import CurrentStaff, ServicesDep
from gateway.use_cases.accounts import Staff

router = APIRouter(prefix="/api/v1/booking", tags=["booking"])


async def _relay(
    services: ServiceClients,
    staff: Staff,
    method: str,
    path: str,
    *,
    params: dict[str, Any] | None = None,
    body: bytes | None = None,
) -> Response:
    result = await services.call(
        "booking", method, path, principal=staff.principal(), params=params, content=body
    )
    return Response(
        content=result.content,
        status_code=result.status_code,
        media_type=result.headers.get("content-type", "application/json"),
    )


async def tenant_store_ids(request: Request, staff: Staff) -> set[UUID]:
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.uow(tenant_id=staff.tenant_id) as uow:
        assert isinstance(uow, GatewayUnitOfWork)
        return {store.id for store in await uow.accounts.stores()}


@router.get("/stores")
async def list_stores(staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", "/stores")


@router.get("/stores/{store_id}")
async def get_store(store_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", f"/stores/{store_id}")


@router.put("/stores/{store_id}")
async def put_store(
    store_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    if store_id not in await tenant_store_ids(request, staff):
        return JSONResponse(
            {"detail": {"code": "not_found", "message": "店舗が見つかりません。"}}, status_code=404
        )
    return await _relay(services, staff, "PUT", f"/stores/{store_id}", body=await request.body())


@router.get("/properties")
async def list_properties(store_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", "/properties", params={"store_id": store_id})


@router.post("/properties")
async def add_property(request: Request, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "POST", "/properties", body=await request.body())


@router.get("/properties/{property_id}")
async def get_property(property_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", f"/properties/{property_id}")


@router.put("/properties/{property_id}")
async def update_property(
    property_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    path = f"/properties/{property_id}"
    return await _relay(services, staff, "PUT", path, body=await request.body())


@router.get("/menus")
async def menus(store_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", "/menus", params={"store_id": store_id})


@router.post("/menus")
async def add_menu(request: Request, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "POST", "/menus", body=await request.body())


@router.get("/staff-members")
async def staff_members(store_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", "/staff-members", params={"store_id": store_id})


@router.post("/staff-members")
async def add_staff_member(
    request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _relay(services, staff, "POST", "/staff-members", body=await request.body())


@router.post("/visits")
async def create_visit(request: Request, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "POST", "/visits", body=await request.body())


@router.get("/visits")
async def customer_visits(
    customer_id: UUID, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _relay(services, staff, "GET", "/visits", params={"customer_id": customer_id})


@router.get("/visits/{visit_id}")
async def get_visit(visit_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", f"/visits/{visit_id}")


@router.patch("/visits/{visit_id}")
async def move_visit(
    visit_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _relay(services, staff, "PATCH", f"/visits/{visit_id}", body=await request.body())


@router.post("/visits/{visit_id}/status")
async def set_status(
    visit_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    path = f"/visits/{visit_id}/status"
    return await _relay(services, staff, "POST", path, body=await request.body())


@router.post("/visits/{visit_id}/cancel")
async def cancel_visit(
    visit_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    path = f"/visits/{visit_id}/cancel"
    return await _relay(services, staff, "POST", path, body=await request.body() or b"{}")


@router.get("/conflicts")
async def conflicts(staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "GET", "/conflicts")


@router.post("/coupon-tickets")
async def issue_ticket(request: Request, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _relay(services, staff, "POST", "/coupon-tickets", body=await request.body())


@router.get("/coupon-tickets")
async def tickets(customer_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    params = {"customer_id": customer_id}
    return await _relay(services, staff, "GET", "/coupon-tickets", params=params)


@router.post("/coupon-tickets/{ticket_id}/use")
async def use_ticket(
    ticket_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    path = f"/coupon-tickets/{ticket_id}/use"
    return await _relay(services, staff, "POST", path, body=await request.body())


@router.get("/stores/{store_id}/notification-targets")
async def notification_targets(
    store_id: UUID, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _relay(services, staff, "GET", f"/stores/{store_id}/notification-targets")


@router.post("/stores/{store_id}/notification-targets")
async def add_notification_target(
    store_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    path = f"/stores/{store_id}/notification-targets"
    return await _relay(services, staff, "POST", path, body=await request.body())


@router.delete("/notification-targets/{target_id}")
async def remove_notification_target(
    target_id: UUID, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _relay(services, staff, "DELETE", f"/notification-targets/{target_id}")


@router.put("/visits/{visit_id}/sales-report")
async def write_sales_report(
    visit_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    path = f"/visits/{visit_id}/sales-report"
    return await _relay(services, staff, "PUT", path, body=await request.body())


@router.get("/sales-reports")
async def sales_reports(
    staff: CurrentStaff,
    services: ServicesDep,
    name: Annotated[str | None, Query(max_length=100)] = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> Response:
    params = {"name": name, "date_from": date_from, "date_to": date_to}
    return await _relay(services, staff, "GET", "/sales-reports", params=params)


@router.get("/availability")
async def availability(
    store_id: UUID,
    day: str,
    staff: CurrentStaff,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=31)] = 1,
    property_id: UUID | None = None,
    with_visits: bool = False,
) -> Response:
    params = {
        "store_id": store_id,
        "day": day,
        "days": days,
        "property_id": property_id,
        "with_visits": str(with_visits).lower(),
    }
    return await _relay(services, staff, "GET", "/availability", params=params)
