"""The tenant's partners (AMQP feeds); scoped by the unit's tenant like every TenantOwned row."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.orm import Partner


class PartnerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list(self) -> list[Partner]:
        return list(await self._session.scalars(sa.select(Partner).order_by(Partner.created_at)))

    async def get(self, *, partner_id: UUID) -> Partner | None:
        """A partner of the unit's tenant (another tenant's id: None)."""
        return await self._session.scalar(sa.select(Partner).where(Partner.id == partner_id))

    async def add(self, partner: Partner) -> None:
        self._session.add(partner)
        await self._session.flush()
        await self._session.refresh(partner)  # created_at, the database's

    async def delete(self, partner: Partner) -> None:
        await self._session.delete(partner)
        await self._session.flush()
