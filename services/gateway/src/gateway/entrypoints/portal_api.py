"""Partner endpoints of the public API: the property portal's webhook and its secret."""

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse

from gateway.entrypoints.deps import CurrentStaff, ServicesDep, UowDep
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


@router.post("/portal/{tenant}/inquiries", status_code=status.HTTP_202_ACCEPTED)
async def portal_inquiry(
    tenant: str, request: Request, uow: UowDep, services: ServicesDep
) -> Response:
    body = await _read_limited(request, MAX_WEBHOOK_BYTES)
    try:
        if body is None:
            size = int(request.headers.get("content-length") or MAX_WEBHOOK_BYTES + 1)
            raise await portal.reject_oversized(tenant_slug=tenant, size=size, uow=uow)
        response = await portal.receive_portal_inquiry(
            tenant_slug=tenant,
            body=body,
            signature=request.headers.get("x-portal-signature"),
            uow=uow,
            services=services,
        )
    except portal.WebhookRejected as rejected:
        return JSONResponse({"detail": rejected.detail}, status_code=rejected.status)
    return Response(
        content=response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type", "application/json"),
    )


@router.post("/admin/portal-secret")
async def rotate_portal_secret(staff: CurrentStaff, uow: UowDep) -> dict[str, str]:
    """A new signing secret for the portal; the old one is accepted for seven more days."""
    if staff.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "管理者のみ操作できます。")
    secret, until = await portal.rotate_portal_secret(
        tenant_id=staff.tenant_id, grace=SECRET_GRACE, uow=uow
    )
    return {"portal_secret": secret, "previous_secret_valid_until": until.isoformat()}
