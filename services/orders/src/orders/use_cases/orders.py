"""Orders as this first step knows them: listed, and moved along when customers merge
(placing orders comes with the ORD issues). Callers own the transaction."""

from uuid import UUID

from orders.adapters.orm import Order
from orders.adapters.unit_of_work import OrdersUnitOfWork


async def repoint_customer(*, source_id: UUID, target_id: UUID, uow: OrdersUnitOfWork) -> None:
    await uow.orders.repoint_customer(source_id=source_id, target_id=target_id)


async def find_orders(
    *, customer_id: UUID | None, page: int, per_page: int, uow: OrdersUnitOfWork
) -> tuple[list[Order], int]:
    return await uow.orders.search(
        customer_id=customer_id, limit=per_page, offset=(page - 1) * per_page
    )
