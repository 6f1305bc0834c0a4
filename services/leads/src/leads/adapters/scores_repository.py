"""SQL of the materialized levels (lead_levels). Tenant scoping is applied by the session,
except in :meth:`LevelRepository.due`, the worker's look across tenants (a Core query)."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.customer_refs import current_customer
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from leads.adapters.orm import Exclusion, LeadLevel

LEVELS_CHANNEL = "lead_levels"  # NOTIFY at commit: the level worker has work now
_SCORED = ("level", "reason", "last_activity_at", "due_at", "scored_at")
_RANK = sa.case({"red": 3, "orange": 2, "yellow": 1}, value=LeadLevel.level, else_=0)


class LevelRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def lock(self, *, customer_id: UUID, now: datetime) -> None:
        """Hold the customer's row until commit (made if missing), so that facts read after
        it include every event committed before, and two scorings cannot cross."""
        await self._session.execute(
            pg.insert(LeadLevel)
            .values(tenant_id=self._tenant_id, customer_id=customer_id, scored_at=now)
            .on_conflict_do_nothing()
        )
        await self._session.execute(
            sa.select(LeadLevel.customer_id)
            .where(LeadLevel.customer_id == customer_id)
            .with_for_update()
        )

    async def mark_due(self, *, customer_id: UUID, now: datetime) -> None:
        """The customer (or whom they were merged into) is due now, and the worker is woken
        at commit: one statement per event, the scoring itself batched by the worker."""
        stmt = pg.insert(LeadLevel).values(
            tenant_id=self._tenant_id,
            customer_id=current_customer(customer_id, tenant_id=self._tenant_id),
            due_at=now,
            scored_at=now,
        )
        marked = (
            stmt.on_conflict_do_update(
                index_elements=[LeadLevel.tenant_id, LeadLevel.customer_id],
                set_={"due_at": sa.func.least(sa.func.coalesce(LeadLevel.due_at, now), now)},
            )
            .returning(LeadLevel.customer_id)
            .cte("marked")
        )
        await self._session.execute(
            sa.select(sa.func.pg_notify(LEVELS_CHANNEL, "")).select_from(marked)
        )

    async def lock_due(self, *, customer_ids: list[UUID], now: datetime) -> list[UUID]:
        """Of these, the rows still due and not being scored elsewhere, locked."""
        rows = await self._session.scalars(
            sa.select(LeadLevel.customer_id)
            .where(LeadLevel.customer_id.in_(customer_ids), LeadLevel.due_at <= now)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def put_many(self, *, values: list[dict]) -> None:
        """Upserted as one cached statement with many parameter sets (a rescore writes
        thousands a round; a multi-row VALUES would be compiled anew each time)."""
        if not values:
            return
        table = LeadLevel.__table__
        stmt = pg.insert(table)
        upsert = stmt.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.customer_id],
            set_={name: stmt.excluded[name] for name in _SCORED},
        )
        await self._session.execute(upsert, [{"tenant_id": self._tenant_id, **v} for v in values])

    async def mark_all_due(self, *, now: datetime) -> int:
        """Every level of the tenant is re-scored by the worker (the settings changed)."""
        result = await self._session.execute(
            sa.update(LeadLevel).values(due_at=now).execution_options(synchronize_session=False)
        )
        await self._session.execute(sa.select(sa.func.pg_notify(LEVELS_CHANNEL, "")))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def due(self, *, now: datetime, limit: int) -> list[tuple[UUID, UUID]]:
        """(tenant, customer) of rows due, oldest first, of every tenant."""
        t = LeadLevel.__table__.c
        rows = await self._session.execute(
            sa.select(t.tenant_id, t.customer_id)
            .where(t.due_at <= now)
            .order_by(t.due_at)
            .limit(limit)
        )
        return [(r.tenant_id, r.customer_id) for r in rows]

    async def due_count(self, *, now: datetime) -> int:
        t = LeadLevel.__table__.c
        return int(
            await self._session.scalar(
                sa.select(sa.func.count()).select_from(LeadLevel.__table__).where(t.due_at <= now)
            )
            or 0
        )

    async def get(self, *, customer_id: UUID) -> LeadLevel | None:
        return await self._session.scalar(
            sa.select(LeadLevel).where(LeadLevel.customer_id == customer_id)
        )

    def _listed(self) -> sa.Select:
        excluded = sa.select(Exclusion.customer_id).where(
            Exclusion.tenant_id == LeadLevel.tenant_id,
            Exclusion.customer_id == LeadLevel.customer_id,
        )
        return sa.select(LeadLevel).where(
            LeadLevel.tenant_id == self._tenant_id,  # also in the subquery of counts()
            LeadLevel.level.is_not(None),
            ~sa.exists(excluded),
        )

    async def listed(self, *, level: str | None, limit: int) -> list[LeadLevel]:
        """By level, then the latest activity: the hot-lead list, exclusions left out."""
        query = self._listed()
        if level is not None:
            query = query.where(LeadLevel.level == level)
        rows = await self._session.scalars(
            query.order_by(
                _RANK.desc(), LeadLevel.last_activity_at.desc(), LeadLevel.customer_id
            ).limit(limit)
        )
        return list(rows)

    async def current(self) -> list[tuple[UUID, str]]:
        """(customer, level) of everyone on the list now."""
        listed = self._listed().subquery()
        rows = await self._session.execute(sa.select(listed.c.customer_id, listed.c.level))
        return [(c, level) for c, level in rows]

    async def counts(self) -> dict[str, int]:
        listed = self._listed().subquery()
        rows = await self._session.execute(
            sa.select(listed.c.level, sa.func.count()).group_by(listed.c.level)
        )
        return {level: int(n) for level, n in rows}
