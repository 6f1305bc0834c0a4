"""SQL of visits (接客予定). A 一般 user's reads (a visit, the calendar, conflicts, a
customer's visits) and changes see their own stores' visits only (``store_scope``); the
checks behind a booking (a customer's overlapping visit) see every store."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import in_store_scope
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import Visit
from booking.domain.visits import HOLDING

# A booking's statements: Core, built once, naming their tenant (kit.db's tenant criteria
# scope ORM entities only).
_visits = Visit.__table__
_COLUMNS = tuple(c.name for c in _visits.c)
_V = "v_"  # the new row's values
_INSERT = sa.insert(_visits).values({name: sa.bindparam(_V + name) for name in _COLUMNS})
# The customer's first active visit sharing the new one's time, in any store ...
_OTHER = (
    sa.select(_visits.c.starts_at, _visits.c.ends_at)
    .where(
        _visits.c.customer_id == sa.bindparam(_V + "customer_id"),
        _visits.c.status == sa.any_(sa.bindparam("live", type_=pg.ARRAY(sa.Text))),
        _visits.c.starts_at < sa.bindparam(_V + "ends_at"),
        _visits.c.ends_at > sa.bindparam(_V + "starts_at"),
        _visits.c.tenant_id == sa.bindparam(_V + "tenant_id"),
    )
    .order_by(_visits.c.starts_at, _visits.c.id)
    .limit(1)
    .cte("other")
)
# ... and the new row written only if there is none: one statement, one snapshot; it answers
# the other visit's start and end, or nothing when the row was written.
_INSERT_UNLESS_OVERLAPPING = sa.select(_OTHER.c.starts_at, _OTHER.c.ends_at).add_cte(
    sa.insert(_visits)
    .from_select(
        _COLUMNS,
        sa.select(*(sa.bindparam(_V + c.name, type_=c.type) for c in _visits.c)).where(
            ~sa.exists().select_from(_OTHER)
        ),
    )
    .cte("written")
)


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

    async def insert(
        self, visit: Visit, *, unless_overlapping: bool = False
    ) -> tuple[datetime, datetime] | None:
        """Write the new visit's row now (``visit`` stays a plain, transient object).
        ``unless_overlapping``: not if the customer has an active visit sharing its time, in
        any store; that visit's start and end are answered instead. The caller holds the
        customer's row lock, so a concurrent booking of the customer cannot slip in between."""
        visit.tenant_id = self._tenant_id  # type: ignore[assignment]
        params = {_V + name: getattr(visit, name) for name in _COLUMNS}
        if not unless_overlapping:
            await self._session.execute(_INSERT, params)
            return None
        found = await self._session.execute(_INSERT_UNLESS_OVERLAPPING, {**params, "live": _ACTIVE})
        other = found.first()
        return None if other is None else (other.starts_at, other.ends_at)

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
