"""Partner endpoints of the public API: the property portal's webhook and its secret, and the
web shop's orders (use_cases/portal.py: one intake for both)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import APIKeyHeader
from pydantic import BaseModel

from gateway.entrypoints.deps import CurrentStaff, ServicesDep, TxDep, UowDep
from gateway.entrypoints.inquiries_api import INQUIRY
from gateway.entrypoints.relays import ServiceRelays
from gateway.use_cases import portal

router = APIRouter(prefix="/api/v1")

MAX_WEBHOOK_BYTES = 256 * 1024
SECRET_GRACE = timedelta(days=7)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes ``limit`` (a 10 MB post is not buffered)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _receive(  # type: ignore[no-untyped-def]
    partner: portal.Partner,
    tenant: str,
    request: Request,
    signature: str | None,
    uow,
    tx,
    services,
) -> Response:
    body = await _read_limited(request, MAX_WEBHOOK_BYTES)
    declared = request.headers.get("content-length", "")
    delivery = await portal.receive_signed(
        partner,
        tenant_slug=tenant,
        body=body,
        declared_size=int(declared) if declared.isdigit() else MAX_WEBHOOK_BYTES + 1,
        signature=signature,
        uow=uow,
        services=services,
        tenants=request.app.state.runtime.partner_tenants,
    )
    if (rejection := delivery.rejection) is not None:  # audited although the request fails
        await tx.run(lambda uow: portal.record_rejection(rejection, uow=uow))
    return Response(delivery.content, status_code=delivery.status, media_type=delivery.media_type)


SIGNATURE = APIKeyHeader(
    name="x-portal-signature", auto_error=False, scheme_name="portalSignature",
    description="本文の HMAC-SHA256（テナントのポータル用シークレット、16進）",
)  # fmt: skip


@router.post(
    "/portal/{tenant}/inquiries", **INQUIRY.answers("POST", "/portal-inquiries", body=True)
)
async def portal_inquiry(
    tenant: str,
    request: Request,
    uow: UowDep,
    tx: TxDep,
    services: ServicesDep,
    signature: Annotated[str | None, Depends(SIGNATURE)],
) -> Response:
    """反響の自動連携: the portal's inquiry, signed with the tenant's secret. Answers 202 when
    accepted, 200 for a resend of the same inquiry_id, 401 for a wrong signature, 413 above
    256 KiB, 422 naming the field (an unknown store_code too)."""
    return await _receive(portal.PORTAL, tenant, request, signature, uow, tx, services)


SHOP_SIGNATURE = APIKeyHeader(
    name="x-shop-signature", auto_error=False, scheme_name="shopSignature",
    description="本文の HMAC-SHA256（テナントのWebショップ用シークレット、16進。受注の設定で発行）",
)  # fmt: skip
_SHOP = ServiceRelays("orders", tags=["受注・定期"]).answers("POST", "/shop-orders", body=True)


@router.post("/shop/{tenant}/orders", **_SHOP)
async def shop_order(
    tenant: str,
    request: Request,
    uow: UowDep,
    tx: TxDep,
    services: ServicesDep,
    signature: Annotated[str | None, Depends(SHOP_SIGNATURE)],
) -> Response:
    """Webショップ連携: the shop's order, signed with the tenant's shop secret, becomes an
    order without typing. 201 when made, 200 for a resend of the same shop order number, 401
    for a wrong signature, 413 above 256 KiB, 422 naming the field."""
    return await _receive(portal.SHOP, tenant, request, signature, uow, tx, services)


class PortalSecret(BaseModel):
    portal_secret: str
    previous_secret_valid_until: str


@router.post("/admin/portal-secret", openapi_extra={"x-roles": ["admin"]})
async def rotate_portal_secret(staff: CurrentStaff, tx: TxDep, request: Request) -> PortalSecret:
    """A new signing secret for the portal; the old one is accepted for seven more days."""
    if staff.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "管理者のみ操作できます。")
    secret, until = await tx.run(
        lambda uow: portal.rotate_portal_secret(
            tenant_id=staff.tenant_id, grace=SECRET_GRACE, uow=uow
        )
    )
    request.app.state.runtime.partner_tenants.forget(staff.tenant_id)
    return PortalSecret(portal_secret=secret, previous_secret_valid_until=until.isoformat())
