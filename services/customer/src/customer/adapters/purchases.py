"""The purchases read model (購入履歴): orders as the orders events tell them."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import CustomerPurchase


class PurchaseRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def add(self, *, values: dict) -> None:
        """Once per order: a redelivered OrderPlaced changes nothing."""
        stmt = pg.insert(CustomerPurchase).values(tenant_id=self._tenant_id, **values)
        await self._session.execute(stmt.on_conflict_do_nothing())

    async def set_status(self, *, order_id: UUID, status: str) -> UUID | None:
        """The order's customer (None: an order this service never heard of)."""
        return await self._session.scalar(
            sa.update(CustomerPurchase)
            .where(CustomerPurchase.order_id == order_id)
            .values(status=status)
            .returning(CustomerPurchase.customer_id)
        )

    async def of_customer(self, *, customer_id: UUID, limit: int) -> list[CustomerPurchase]:
        rows = await self._session.scalars(
            sa.select(CustomerPurchase)
            .where(CustomerPurchase.customer_id == customer_id)
            .order_by(CustomerPurchase.ordered_at.desc())
            .limit(limit)
        )
        return list(rows)

    async def totals(self, *, customer_id: UUID) -> tuple[int, int]:
        """(orders, yen) of the customer's orders that stand (not cancelled or returned)."""
        row = (
            await self._session.execute(
                sa.select(
                    sa.func.count(), sa.func.coalesce(sa.func.sum(CustomerPurchase.total_yen), 0)
                )
                .where(CustomerPurchase.customer_id == customer_id)
                .where(CustomerPurchase.status == "placed")
            )
        ).one()
        return int(row[0]), int(row[1])

    async def move(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(CustomerPurchase)
            .where(CustomerPurchase.customer_id == source_id)
            .values(customer_id=target_id)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]
