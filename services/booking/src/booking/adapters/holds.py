"""SQL of public reservation holds."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import ReservationHold


class HoldRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def add(self, hold: ReservationHold) -> None:
        hold.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(hold)
        await self._session.flush()

    async def pop(self, *, hold_id: UUID) -> ReservationHold | None:
        """Remove the hold and return it: of two concurrent callers only one gets it, so its
        slots are turned into a visit or given back exactly once."""
        return await self._session.scalar(
            sa.delete(ReservationHold)
            .where(ReservationHold.id == hold_id)
            .returning(ReservationHold)
            .execution_options(synchronize_session=False)
        )

    async def pop_expired(self, *, store_id: UUID, now: datetime) -> list[ReservationHold]:
        rows = await self._session.scalars(
            sa.delete(ReservationHold)
            .where(ReservationHold.store_id == store_id, ReservationHold.expires_at <= now)
            .returning(ReservationHold)
            .execution_options(synchronize_session=False)
        )
        return list(rows)
