"""Orders read back (one, a customer's, today's list 受注一覧). Merges move them by
kit.customer_refs. Callers own the transaction."""

from datetime import UTC, date, datetime
from uuid import UUID

from kit.clock import japan_date
from kit.errors import NotFound

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.placing import PlacedOrder


async def get_order(*, order_id: UUID, uow: OrdersUnitOfWork) -> PlacedOrder:
    order = await uow.orders.get(order_id=order_id)
    if order is None:
        raise NotFound("受注が見つかりません。")
    lines = await uow.orders.lines(order_ids=[order.id])
    return PlacedOrder(order, lines[order.id])


async def find_orders(
    *,
    customer_id: UUID | None,
    today_only: bool,
    page: int,
    per_page: int,
    uow: OrdersUnitOfWork,
    ordered_on: date | None = None,
    order_number: int | None = None,
) -> tuple[list[PlacedOrder], int]:
    """``today_only``: the orders of Japan's today (受注一覧); else those of ``ordered_on``."""
    day = japan_date(datetime.now(UTC)) if today_only else ordered_on
    rows, total = await uow.orders.search(
        customer_id=customer_id, ordered_on=day, limit=per_page, offset=(page - 1) * per_page,
        order_number=order_number,
    )  # fmt: skip
    lines = await uow.orders.lines(order_ids=[r.id for r in rows])
    return [PlacedOrder(r, lines[r.id]) for r in rows], total
