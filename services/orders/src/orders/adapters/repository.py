"""All SQL of the orders service. Tenant scoping is applied by the session (kit.db)."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from orders.adapters.orm import Order


class OrderRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def repoint_customer(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(Order).where(Order.customer_id == source_id).values(customer_id=target_id)
        )
        return result.rowcount or 0

    async def search(
        self, *, customer_id: UUID | None, limit: int, offset: int
    ) -> tuple[list[Order], int]:
        query = sa.select(Order)
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Order.ordered_at.desc(), Order.id).limit(limit).offset(offset)
        )
        return list(rows), int(total or 0)
