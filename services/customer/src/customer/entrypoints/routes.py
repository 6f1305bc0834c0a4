"""Search and show (CUS-3, CUS-13). The criteria are the search contract's
(contracts.customer_search), with page and per_page (≤ 100; more is a 422) → items,
total, page, per_page."""

from typing import Annotated
from uuid import UUID

from contracts.customer_search import CustomerSearchPage
from fastapi import APIRouter, Query

from customer.entrypoints.deps import UowDep
from customer.entrypoints.schemas import (
    CustomerDetail,
    CustomerLookup,
    CustomerPage,
    CustomerRead,
)
from customer.use_cases import browsing

router = APIRouter()


@router.get("/customers")
async def list_customers(
    uow: UowDep, params: Annotated[CustomerSearchPage, Query()]
) -> CustomerPage:
    criteria = browsing.build_criteria(params)
    views, total, exact = await browsing.find_customers(
        criteria, page=params.page, per_page=params.per_page, uow=uow
    )
    items = [CustomerRead.of(v) for v in views]
    return CustomerPage(
        items=items, total=total, total_exact=exact, page=params.page, per_page=params.per_page
    )


@router.get("/customers/lookup")
async def lookup_customers(
    uow: UowDep,
    term: Annotated[str, Query(max_length=1000)] = "",  # the use case says what is too long
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> CustomerLookup:
    """The customer monitor's one input: any phone number or a name (CUS-13)."""
    matched_by, views, total, exact = await browsing.lookup_customers(term, limit=limit, uow=uow)
    items = [CustomerRead.of(v) for v in views]
    return CustomerLookup(matched_by=matched_by, items=items, total=total, total_exact=exact)


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: UUID, uow: UowDep) -> CustomerDetail:
    return CustomerDetail.of(await browsing.show_customer(customer_id, uow=uow))
