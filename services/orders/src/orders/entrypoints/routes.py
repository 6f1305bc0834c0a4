"""ORD-2 orders: entry, one order, a customer's orders, today's list; the tenant's settings."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from kit.inputs import Day

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.entrypoints.deps import AdminOnly, StaffOnly, TxDep, UowDep
from orders.entrypoints.schemas import (
    OrderCreate,
    OrderPage,
    OrderRead,
    QuoteCreate,
    QuoteRead,
    SettingsRead,
    SettingsWrite,
)
from orders.use_cases import history, orders, settings
from orders.use_cases.order_sets import BundleRequest
from orders.use_cases.placing import (
    Delivery,
    LineRequest,
    PlacedOrder,
    PlaceOrder,
    place_order,
    quote_order,
)

router = APIRouter(dependencies=[StaffOnly])


def _command(body: OrderCreate | QuoteCreate) -> PlaceOrder:
    return PlaceOrder(
        customer_id=body.customer_id,
        lines=tuple(LineRequest(line.product_id, line.quantity) for line in body.lines),
        delivery=Delivery(**body.delivery.model_dump()) if body.delivery else None,
        staff_id=body.staff_id,
        medium_id=body.medium_id,
        campaign_ids=None if body.campaign_ids is None else tuple(body.campaign_ids),
        payer_kana=body.payer_kana,
        bundles=tuple(BundleRequest(b.set_id, b.quantity) for b in body.bundles),
    )


@router.post("/orders/quote")
async def quote(body: QuoteCreate, uow: UowDep) -> QuoteRead:
    """見積り: the lines, campaigns (with why) and totals per tax rate that ``POST /orders``
    would make of the same body, by the same code, nothing written (the reading unit of
    work is rolled back). Refusals are the same too; survey answers are not checked. Without
    ``delivery`` (an address not typed yet) the fee is left out: ``shipping_priced`` false."""
    return QuoteRead.of(await quote_order(_command(body), uow=uow))


@router.post("/orders", status_code=status.HTTP_201_CREATED)
async def create_order(body: OrderCreate, tx: TxDep) -> OrderRead:
    cmd = _command(body)
    answers = [(a.question_id, a.answer) for a in body.survey_answers]

    async def work(uow: OrdersUnitOfWork) -> PlacedOrder:
        placed = await place_order(cmd, uow=uow)
        await history.record_answers(placed=placed, answers=answers, uow=uow)
        return placed

    return OrderRead.of(await tx.run(work))


@router.get("/orders")
async def list_orders(
    uow: UowDep,
    customer_id: UUID | None = None,
    today: bool = False,
    ordered_on: Day | None = None,
    order_number: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OrderPage:
    """``today=true``: 受注一覧, the orders of Japan's today; ``ordered_on``: of that day;
    ``order_number``: the one order of that number (入金消込 by hand)."""
    found, total = await orders.find_orders(
        customer_id=customer_id, today_only=today, ordered_on=ordered_on, page=page,
        per_page=per_page, uow=uow, order_number=order_number,
    )  # fmt: skip
    return OrderPage(
        items=[OrderRead.of(o) for o in found], total=total, page=page, per_page=per_page
    )


@router.get("/orders/{order_id}")
async def get_order(order_id: UUID, uow: UowDep) -> OrderRead:
    return OrderRead.of(await orders.get_order(order_id=order_id, uow=uow))


@router.get("/settings")
async def get_settings(uow: UowDep) -> SettingsRead:
    found = await settings.get_settings(uow=uow)
    return SettingsRead(tax_rounding=found.tax_rounding, shop_secret_set=bool(found.shop_secret))


@router.put("/settings", dependencies=[AdminOnly])
async def put_settings(body: SettingsWrite, tx: TxDep) -> SettingsRead:
    found = await tx.run(
        lambda uow: settings.set_tax_rounding(tax_rounding=body.tax_rounding, uow=uow)
    )
    return SettingsRead(tax_rounding=found.tax_rounding, shop_secret_set=bool(found.shop_secret))
