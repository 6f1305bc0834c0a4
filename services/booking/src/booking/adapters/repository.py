"""All SQL of the booking service. Tenant scoping is applied by the session (kit.db)."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import InquiryLink, VisitRequest


class VisitRequestRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def add_if_new(self, *, values: dict) -> bool:
        result = await self._session.execute(
            pg.insert(VisitRequest)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing()
            .returning(VisitRequest.inquiry_id)
        )
        return result.first() is not None

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

    async def set_customer(self, *, inquiry_id: UUID, customer_id: UUID) -> None:
        await self._session.execute(
            sa.update(VisitRequest)
            .where(VisitRequest.inquiry_id == inquiry_id)
            .values(customer_id=customer_id)
        )

    async def repoint_customer(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(VisitRequest)
            .where(VisitRequest.customer_id == source_id)
            .values(customer_id=target_id)
        )
        return result.rowcount or 0

    async def page(self, *, limit: int, offset: int) -> tuple[list[VisitRequest], int]:
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(VisitRequest))
        rows = await self._session.scalars(
            sa.select(VisitRequest)
            .order_by(VisitRequest.received_at.desc(), VisitRequest.inquiry_id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total or 0)


class InquiryLinkRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def lock(self, *, inquiry_id: UUID) -> None:
        """Serialise the request and the link of one inquiry until commit, so that neither
        misses the other when both are consumed at the same moment."""
        key = int.from_bytes(inquiry_id.bytes[8:], "big", signed=True)
        await self._session.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))

    async def customer_of(self, *, inquiry_id: UUID) -> UUID | None:
        return await self._session.scalar(
            sa.select(InquiryLink.customer_id).where(InquiryLink.inquiry_id == inquiry_id)
        )

    async def put(self, *, inquiry_id: UUID, customer_id: UUID) -> None:
        stmt = pg.insert(InquiryLink).values(
            tenant_id=self._tenant_id, inquiry_id=inquiry_id, customer_id=customer_id
        )
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[InquiryLink.inquiry_id],
                set_={"customer_id": stmt.excluded.customer_id},
                where=InquiryLink.tenant_id == self._tenant_id,
            )
        )

    async def repoint_customer(self, *, source_id: UUID, target_id: UUID) -> None:
        await self._session.execute(
            sa.update(InquiryLink)
            .where(InquiryLink.customer_id == source_id)
            .values(customer_id=target_id)
        )
