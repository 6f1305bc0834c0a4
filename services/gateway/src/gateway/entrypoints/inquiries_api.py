"""反響 (inquiries) in the public API: list and search, CSV, registration by hand, media."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from kit.inputs import Day

from gateway.entrypoints.deps import CurrentStaff, ServicesDep
from gateway.entrypoints.streaming import relay_download

router = APIRouter(prefix="/api/v1")


def _relay(response: Any) -> Response:
    return Response(
        content=response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type", "application/json"),
    )


def _filters(
    medium: Annotated[str | None, Query(max_length=40)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    property: Annotated[str | None, Query(max_length=100)] = None,
    name: Annotated[str | None, Query(max_length=100)] = None,
    received_from: Day | None = None,
    received_to: Day | None = None,
    customer_id: UUID | None = None,
    store_id: UUID | None = None,
) -> dict[str, Any]:
    return {"medium": medium, "kind": kind, "property": property, "name": name,
            "received_from": received_from, "received_to": received_to,
            "customer_id": customer_id, "store_id": store_id}  # fmt: skip


FiltersDep = Annotated[dict[str, Any], Depends(_filters)]


@router.get("/inquiries")
async def list_inquiries(
    staff: CurrentStaff,
    services: ServicesDep,
    filters: FiltersDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    params = {**filters, "page": page, "per_page": per_page}
    return _relay(
        await services.call(
            "inquiry", "GET", "/inquiries", principal=staff.principal(), params=params
        )
    )


@router.get("/inquiries.csv")
async def export_inquiries(
    staff: CurrentStaff, services: ServicesDep, filters: FiltersDep
) -> Response:
    """Streamed through: a large export is never held in the gateway's memory."""
    upstream = await services.stream(
        "inquiry", "/inquiries.csv", principal=staff.principal(), params=filters
    )
    return await relay_download(upstream)


@router.post("/inquiries", status_code=202)
async def register_inquiry(
    staff: CurrentStaff, services: ServicesDep, request: Request
) -> Response:
    body = await request.body()
    return _relay(
        await services.call(
            "inquiry", "POST", "/inquiries", principal=staff.principal(), content=body
        )
    )


@router.get("/inquiries/{inquiry_id}")
async def get_inquiry(inquiry_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return _relay(
        await services.call(
            "inquiry", "GET", f"/inquiries/{inquiry_id}", principal=staff.principal()
        )
    )


@router.get("/media")
async def list_media(staff: CurrentStaff, services: ServicesDep) -> Response:
    return _relay(await services.call("inquiry", "GET", "/media", principal=staff.principal()))


@router.post("/media", status_code=201)
async def add_medium(staff: CurrentStaff, services: ServicesDep, request: Request) -> Response:
    return _relay(
        await services.call(
            "inquiry", "POST", "/media", principal=staff.principal(), content=await request.body()
        )
    )
