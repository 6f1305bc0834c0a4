from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from kit.http import UowDep

from customer.entrypoints.schemas import CustomerDetail, CustomerPage, CustomerRead
from customer.use_cases import browsing

router = APIRouter()


@router.get("/customers")
async def list_customers(
    uow: UowDep,
    email: Annotated[str | None, Query(max_length=254)] = None,
    phone: Annotated[str | None, Query(max_length=30)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CustomerPage:
    where = browsing.build_filter(email=email, phone=phone, q=q)
    views, total = await browsing.find_customers(where, page=page, per_page=per_page, uow=uow)
    items = [CustomerRead.of(v) for v in views]
    return CustomerPage(items=items, total=total, page=page, per_page=per_page)


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: UUID, uow: UowDep) -> CustomerDetail:
    return CustomerDetail.of(await browsing.show_customer(customer_id, uow=uow))
