"""All SQL of the booking service. Tenant scoping is applied by the session (kit.db)."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import VisitRequest


class VisitRequestRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def put(self, *, values: dict) -> None:
        """The request, once per inquiry. One recorded before its customer was known (by the
        version before decision 97) gets its customer."""
        stmt = pg.insert(VisitRequest).values(tenant_id=self._tenant_id, **values)
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[VisitRequest.inquiry_id],
                set_={"customer_id": stmt.excluded.customer_id},
                where=VisitRequest.customer_id.is_(None),
            )
        )

    async def get(self, *, inquiry_id: UUID) -> VisitRequest | None:
        return await self._session.scalar(
            sa.select(VisitRequest).where(VisitRequest.inquiry_id == inquiry_id)
        )

    async def set_status(self, *, inquiry_id: UUID, status: str) -> None:
        await self._session.execute(
            sa.update(VisitRequest)
            .where(VisitRequest.inquiry_id == inquiry_id)
            .values(status=status)
            .execution_options(synchronize_session=False)
        )

    async def page(self, *, limit: int, offset: int) -> tuple[list[VisitRequest], int]:
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(VisitRequest))
        rows = await self._session.scalars(
            sa.select(VisitRequest)
            .order_by(VisitRequest.received_at.desc(), VisitRequest.inquiry_id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total or 0)
