"""SQL of visits (接客予定). A 一般 user's reads (a visit, the calendar, conflicts, a
customer's visits) and changes see their own stores' visits only (``store_scope``); the
checks behind a booking (a customer's overlapping visit) see every store."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import in_store_scope
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import Visit
from booking.domain.visits import HOLDING


class VisitRepository:
    def __init__(
        self,
        session: AsyncSession,
        *,
        tenant_id: UUID | None,
        store_scope: tuple[UUID, ...] | None = None,
    ) -> None:
        self._session = session
        self._tenant_id = tenant_id
        self._mine = in_store_scope(Visit.store_id, store_scope)

    def add(self, visit: Visit) -> None:
        visit.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(visit)

    async def flush(self) -> None:
        await self._session.flush()

    async def get_for_update(self, *, visit_id: UUID) -> Visit | None:
        """Row-locked: two concurrent cancellations must not both give the slot back."""
        return await self._session.scalar(
            sa.select(Visit).where(Visit.id == visit_id, self._mine).with_for_update()
        )

    async def get(self, *, visit_id: UUID) -> Visit | None:
        return await self._session.scalar(sa.select(Visit).where(Visit.id == visit_id, self._mine))

    async def exists_for_inquiry(self, *, inquiry_id: UUID) -> bool:
        found = await self._session.scalar(
            sa.select(Visit.id).where(Visit.source_inquiry_id == inquiry_id)
        )
        return found is not None

    async def in_range(
        self, *, store_id: UUID, since: datetime, until: datetime, include_cancelled: bool
    ) -> list[Visit]:
        query = sa.select(Visit).where(
            Visit.store_id == store_id, Visit.starts_at < until, Visit.ends_at > since, self._mine
        )
        if not include_cancelled:
            query = query.where(Visit.status.in_(_ACTIVE))
        return list(await self._session.scalars(query.order_by(Visit.starts_at, Visit.id)))

    async def overlapping(
        self, *, customer_id: UUID, starts_at: datetime, ends_at: datetime
    ) -> Visit | None:
        """The customer's first active visit that shares any time with the given span."""
        return await self._session.scalar(
            sa.select(Visit)
            .where(
                Visit.customer_id == customer_id,
                Visit.status.in_(_ACTIVE),
                Visit.starts_at < ends_at,
                Visit.ends_at > starts_at,
            )
            .order_by(Visit.starts_at, Visit.id)
            .limit(1)
        )

    async def conflicts(self, *, limit: int) -> list[Visit]:
        return list(
            await self._session.scalars(
                sa.select(Visit)
                .where(Visit.conflict, Visit.status.in_(_ACTIVE), self._mine)
                .order_by(Visit.starts_at, Visit.id)
                .limit(limit)
            )
        )

    async def of_customer(self, *, customer_id: UUID) -> list[Visit]:
        return list(
            await self._session.scalars(
                sa.select(Visit)
                .where(Visit.customer_id == customer_id, self._mine)
                .order_by(Visit.starts_at.desc())
            )
        )


_ACTIVE = sorted(status.value for status in HOLDING)
