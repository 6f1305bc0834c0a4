from typing import Annotated

from fastapi import APIRouter, Query

from booking.entrypoints.deps import UowDep
from booking.entrypoints.schemas import VisitRequestPage, VisitRequestRead
from booking.use_cases.visit_requests import find_visit_requests

router = APIRouter()


@router.get("/visit-requests")
async def list_visit_requests(
    uow: UowDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> VisitRequestPage:
    rows, total = await find_visit_requests(page=page, per_page=per_page, uow=uow)
    items = [VisitRequestRead.model_validate(r) for r in rows]
    return VisitRequestPage(items=items, total=total, page=page, per_page=per_page)
