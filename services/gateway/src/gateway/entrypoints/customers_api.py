"""Public API of the customer master (issue 5): registration, flags, withdrawal, deletion,
merge, import, settings and the exports (CSV, DM list); thin proxies to the customer
service with the staff's token. Search and detail stay in api.py (the foundation's
contract); the web client's pages share the use cases (``use_cases.customer_master``), never
these routes. Its fixed paths under /customers/ (lookup, dm-list.csv) are registered before
api.py's /customers/{customer_id} (``entrypoints/http.py`` says why the order)."""

import json
from typing import Annotated, Any
from uuid import UUID

from contracts.customer_search import CustomerSearch
from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from gateway.entrypoints.deps import CurrentStaff, ServicesDep
from gateway.entrypoints.streaming import relay_download
from gateway.use_cases import customer_master
from gateway.use_cases.staff_directory import export_names

router = APIRouter(prefix="/api/v1")


def _relay(response) -> Response:  # type: ignore[no-untyped-def]
    headers = {}
    if "content-disposition" in response.headers:
        headers["content-disposition"] = response.headers["content-disposition"]
    return Response(
        content=response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type", "application/json"),
        headers=headers,
    )


async def _call(
    services: ServicesDep, staff: CurrentStaff, method: str, path: str, body: Any = None
) -> Response:
    return _relay(
        await services.call("customer", method, path, principal=staff.principal(), json=body)
    )


@router.get("/customers/lookup")
async def lookup(
    staff: CurrentStaff,
    services: ServicesDep,
    term: Annotated[str, Query(max_length=1000)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """The customer monitor's lookup: any phone number (e.g. a caller id), a customer
    number or a name → how it was read and the first matches."""
    return _relay(
        await services.call(
            "customer", "GET", "/customers/lookup", principal=staff.principal(),
            params={"term": term, "limit": limit},
        )
    )  # fmt: skip


@router.get("/customers.csv")
async def export_customers(
    request: Request,
    staff: CurrentStaff,
    services: ServicesDep,
    search: Annotated[CustomerSearch, Query()],
) -> Response:
    """CUS-14: the list's search as CSV for Japanese Excel, streamed through."""
    return await relay_download(
        await stream_customers(request, staff, services, customer_master.as_query(search))
    )


@router.get("/customers/dm-list.csv")
async def export_dm_list(
    staff: CurrentStaff,
    services: ServicesDep,
    search: Annotated[CustomerSearch, Query()],
    prefecture: Annotated[str | None, Query(max_length=100)] = None,
    city: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """宛名リスト for direct mail: the list's search within a region (都道府県, 市区町村)."""
    params = {**customer_master.as_query(search), "prefecture": prefecture, "city": city}
    upstream = await services.stream(
        "customer", "/customers/dm-list.csv", principal=staff.principal(), params=params
    )
    return await relay_download(upstream)


async def stream_customers(request: Request, staff, services, params: dict):  # type: ignore[no-untyped-def]
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        names = await export_names(uow=uow)
    return await customer_master.stream_customers(
        names=names, services=services, principal=staff.principal(), params=params
    )


@router.post("/customers")
async def register(body: dict, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "POST", "/customers", body)


@router.post("/customer-phone-registrations")
async def register_by_phone(body: dict, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "POST", "/customers/phone-registrations", body)


@router.put("/customers/{customer_id}")
async def update(
    customer_id: UUID, body: dict, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _call(services, staff, "PUT", f"/customers/{customer_id}", body)


@router.put("/customers/{customer_id}/flags")
async def set_flags(
    customer_id: UUID, body: dict, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _call(services, staff, "PUT", f"/customers/{customer_id}/flags", body)


@router.post("/customers/{customer_id}/withdrawal")
async def withdraw(
    customer_id: UUID, body: dict, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _call(services, staff, "POST", f"/customers/{customer_id}/withdrawal", body)


@router.delete("/customers/{customer_id}")
async def delete(customer_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "DELETE", f"/customers/{customer_id}")


@router.post("/merges/preview")
async def merge_preview(body: dict, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "POST", "/merges/preview", body)


@router.post("/merges")
async def merge(body: dict, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "POST", "/merges", body)


@router.get("/merges")
async def merge_log(staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "GET", "/merges")


@router.get("/settings/customer-required-fields")
async def required_fields(staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "GET", "/settings/required-fields")


@router.put("/settings/customer-required-fields")
async def set_required_fields(body: dict, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "PUT", "/settings/required-fields", body)


@router.get("/customer-imports/template.xlsx")
async def import_template(staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "GET", "/imports/template.xlsx")


@router.post("/customer-imports")
async def start_import(
    request: Request,
    staff: CurrentStaff,
    services: ServicesDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        agents = await customer_master.import_agents(uow=uow)
    content = await file.read(customer_master.MAX_IMPORT_BYTES + 1)
    return _relay(
        await customer_master.forward_import(
            agents=agents, services=services, principal=staff.principal(),
            filename=file.filename, content=content, content_type=file.content_type,
        )
    )  # fmt: skip


@router.get("/customer-imports/{job_id}")
async def import_progress(job_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "GET", f"/imports/{job_id}")


@router.get("/customer-imports/{job_id}/errors.csv")
async def import_errors(job_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "GET", f"/imports/{job_id}/errors.csv")


@router.post("/customer-imports/{job_id}/overwrite")
async def import_overwrite(job_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "POST", f"/imports/{job_id}/overwrite")


@router.patch("/customers/{customer_id}/follow-up")
async def change_follow_up(
    customer_id: UUID, body: dict, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    """追客状況を変更 / 担当を設定: the rep must be one of the tenant's active staff (the
    gateway owns accounts, so it checks before the customer service records the change)."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        refused = await customer_master.assignee_refusal(body, uow=uow)
    if refused is not None:
        return Response(json.dumps(refused, ensure_ascii=False), status_code=422,
                        media_type="application/json")  # fmt: skip
    return await _call(services, staff, "PATCH", f"/customers/{customer_id}/follow-up", body)


@router.get("/customers/{customer_id}/follow-up")
async def follow_up(customer_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return await _call(services, staff, "GET", f"/customers/{customer_id}/follow-up")


@router.post("/customers/{customer_id}/memos")
async def add_memo(
    customer_id: UUID, body: dict, staff: CurrentStaff, services: ServicesDep
) -> Response:
    return await _call(services, staff, "POST", f"/customers/{customer_id}/memos", body)
