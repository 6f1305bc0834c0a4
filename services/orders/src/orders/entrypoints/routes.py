from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from kit.http import UowDep

from orders.entrypoints.schemas import OrderPage, OrderRead
from orders.use_cases.orders import find_orders

router = APIRouter()


@router.get("/orders")
async def list_orders(
    uow: UowDep,
    customer_id: UUID | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OrderPage:
    rows, total = await find_orders(customer_id=customer_id, page=page, per_page=per_page, uow=uow)
    items = [OrderRead.model_validate(r) for r in rows]
    return OrderPage(items=items, total=total, page=page, per_page=per_page)
