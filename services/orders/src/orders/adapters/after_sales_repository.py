"""The SQL of returns, cancellations and payments (ORD-4). Tenant scoping is the session's."""

from uuid import UUID

import sqlalchemy as sa

from orders.adapters.orm import Order, OrderReturn, Payment, Shipment
from orders.adapters.rows import TenantRows


class AfterSalesRepository(TenantRows):
    async def order_for_update(self, *, order_id: UUID) -> Order | None:
        """The order, locked: two returns or a return and a cancel take turns."""
        return await self._session.scalar(
            sa.select(Order).where(Order.id == order_id).with_for_update()
        )

    async def is_shipped(self, *, order_id: UUID) -> bool:
        found = await self._session.scalar(
            sa.select(Shipment.order_id).where(Shipment.order_id == order_id)
        )
        return found is not None

    async def returns(self, *, order_id: UUID) -> list[OrderReturn]:
        return list(
            await self._session.scalars(
                sa.select(OrderReturn)
                .where(OrderReturn.order_id == order_id)
                .order_by(OrderReturn.returned_at, OrderReturn.id)
            )
        )

    async def import_seen(self, *, import_id: UUID) -> bool:
        found = await self._session.scalar(
            sa.select(Payment.id).where(Payment.import_id == import_id).limit(1)
        )
        return found is not None

    async def open_orders(self, *, amounts: set[int]) -> list[Order]:
        """Placed, unpaid orders of these totals, locked for the reconciliation."""
        if not amounts:
            return []
        return list(
            await self._session.scalars(
                sa.select(Order)
                .where(
                    Order.status == "placed",
                    Order.paid_at.is_(None),
                    Order.total_yen.in_(amounts),
                )
                .order_by(Order.order_number)
                .with_for_update()
            )
        )

    async def payments(
        self, *, status: str | None, limit: int, offset: int
    ) -> tuple[list[Payment], int]:
        query = sa.select(Payment)
        if status is not None:
            query = query.where(Payment.status == status)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Payment.paid_on, Payment.line, Payment.id).limit(limit).offset(offset)
        )
        return list(rows), int(total or 0)

    async def payment_for_update(self, *, payment_id: UUID) -> Payment | None:
        return await self._session.scalar(
            sa.select(Payment).where(Payment.id == payment_id).with_for_update()
        )
