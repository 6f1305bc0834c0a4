from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from kit.auth import CurrentPrincipal
from kit.errors import NotFound
from kit.http import UowDep
from pydantic import ValidationError

from inquiry.domain.model import PortalInquiry
from inquiry.entrypoints.schemas import InquiryPage, InquiryRead, IntakeRead
from inquiry.use_cases.intake import receive_portal_inquiry

router = APIRouter()

MAX_BODY_BYTES = 256 * 1024


@router.post("/portal-inquiries", status_code=status.HTTP_202_ACCEPTED)
async def portal_inquiry(
    request: Request, response: Response, principal: CurrentPrincipal, uow: UowDep
) -> IntakeRead:
    """The portal webhook's body, forwarded by the gateway after it checked the signature."""
    if principal.role != "portal":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "portal credentials required")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "payload too large")
    try:
        payload = PortalInquiry.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_input=False)) from None
    store_id = principal.store_ids[0] if principal.store_ids else None
    result = await receive_portal_inquiry(
        payload, raw=raw.decode("utf-8", "replace"), store_id=store_id, uow=uow
    )
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return IntakeRead(
        inquiry_id=result.inquiry_id, status="accepted" if result.created else "duplicate"
    )


@router.get("/inquiries")
async def list_inquiries(
    uow: UowDep,
    customer_id: UUID | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> InquiryPage:
    rows, total = await uow.inquiries.search(
        customer_id=customer_id, limit=per_page, offset=(page - 1) * per_page
    )
    items = [InquiryRead.model_validate(r) for r in rows]
    return InquiryPage(items=items, total=total, page=page, per_page=per_page)


@router.get("/inquiries/{inquiry_id}")
async def get_inquiry(inquiry_id: UUID, uow: UowDep) -> InquiryRead:
    inquiry = await uow.inquiries.get(inquiry_id=inquiry_id)
    if inquiry is None:
        raise NotFound("反響が見つかりません。")
    return InquiryRead.model_validate(inquiry)
