from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from inquiry.adapters.orm import Inquiry


class InquiryRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def add_if_new(self, *, values: dict) -> UUID | None:
        """Insert unless the (medium, external id) is known; the new id, or None."""
        stmt = (
            pg.insert(Inquiry)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing(index_elements=["tenant_id", "medium", "external_id"])
            .returning(Inquiry.id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def get_by_external(self, *, medium: str, external_id: str) -> Inquiry | None:
        return await self._session.scalar(
            sa.select(Inquiry).where(Inquiry.medium == medium, Inquiry.external_id == external_id)
        )

    async def get(self, *, inquiry_id: UUID) -> Inquiry | None:
        return await self._session.scalar(sa.select(Inquiry).where(Inquiry.id == inquiry_id))

    async def link_customer(self, *, inquiry_id: UUID, customer_id: UUID) -> None:
        await self._session.execute(
            sa.update(Inquiry).where(Inquiry.id == inquiry_id).values(customer_id=customer_id)
        )

    async def repoint_customer(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(Inquiry).where(Inquiry.customer_id == source_id).values(customer_id=target_id)
        )
        return result.rowcount or 0

    async def search(
        self, *, customer_id: UUID | None, limit: int, offset: int
    ) -> tuple[list[Inquiry], int]:
        query = sa.select(Inquiry)
        if customer_id is not None:
            query = query.where(Inquiry.customer_id == customer_id)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Inquiry.received_at.desc(), Inquiry.id).limit(limit).offset(offset)
        )
        return list(rows), int(total or 0)
