"""SQL of coupon tickets (回数券)."""

from datetime import date, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import CouponTicket, CouponUse


class CouponRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def add(self, ticket: CouponTicket) -> None:
        ticket.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(ticket)

    async def flush(self) -> None:
        await self._session.flush()

    async def get(self, *, ticket_id: UUID) -> CouponTicket | None:
        return await self._session.scalar(
            sa.select(CouponTicket).where(CouponTicket.id == ticket_id)
        )

    async def reload(self, ticket: CouponTicket) -> CouponTicket:
        await self._session.refresh(ticket)
        return ticket

    async def of_customer(self, *, customer_id: UUID) -> list[CouponTicket]:
        return list(
            await self._session.scalars(
                sa.select(CouponTicket)
                .where(CouponTicket.customer_id == customer_id)
                .order_by(CouponTicket.expires_on, CouponTicket.id)
            )
        )

    async def take_one(self, *, ticket_id: UUID, today: date) -> int | None:
        """The guarded UPDATE: one use while any is left and the ticket is valid today."""
        result = await self._session.execute(
            sa.update(CouponTicket)
            .where(
                CouponTicket.id == ticket_id,
                CouponTicket.remaining > 0,
                CouponTicket.expires_on >= today,
            )
            .values(remaining=CouponTicket.remaining - 1)
            .returning(CouponTicket.remaining)
            .execution_options(synchronize_session=False)
        )
        return result.scalar_one_or_none()

    async def record_use(self, *, visit_id: UUID, ticket_id: UUID, used_at: datetime) -> bool:
        """False when the visit already used a ticket (one per visit)."""
        result = await self._session.execute(
            pg.insert(CouponUse)
            .values(
                tenant_id=self._tenant_id, visit_id=visit_id, ticket_id=ticket_id, used_at=used_at
            )
            .on_conflict_do_nothing()
            .returning(CouponUse.visit_id)
        )
        return result.first() is not None
