"""SQL of the level settings, their history, and the hot-lead exclusions."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.customer_refs import lock_key
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from leads.adapters.orm import Exclusion, LevelSettingsChange, LevelSettingsRow


class LevelSettingsRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def guard(self, *, change: bool) -> None:
        """Until commit: shared by every scoring, exclusive for a change of the settings. A
        level is then scored either wholly before a change (and made due by it) or after it
        (with the new settings), never with the old settings after the change."""
        assert self._tenant_id is not None
        key = lock_key("lead-level-settings", self._tenant_id)
        fn = sa.func.pg_advisory_xact_lock if change else sa.func.pg_advisory_xact_lock_shared
        await self._session.execute(sa.select(fn(key)))

    async def get(self, *, for_update: bool = False) -> LevelSettingsRow | None:
        query = sa.select(LevelSettingsRow)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def put(self, *, rules: dict, at: datetime, by: UUID | None) -> None:
        stmt = pg.insert(LevelSettingsRow).values(
            tenant_id=self._tenant_id, rules=rules, updated_at=at, updated_by=by
        )
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[LevelSettingsRow.tenant_id],
                set_={"rules": rules, "updated_at": at, "updated_by": by},
            )
        )

    async def add_change(self, *, values: dict) -> None:
        await self._session.execute(
            sa.insert(LevelSettingsChange).values(tenant_id=self._tenant_id, **values)
        )

    async def changes(self, *, limit: int) -> list[LevelSettingsChange]:
        rows = await self._session.scalars(
            sa.select(LevelSettingsChange)
            .order_by(LevelSettingsChange.changed_at.desc(), LevelSettingsChange.id.desc())
            .limit(limit)
        )
        return list(rows)


class ExclusionRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def exclude(self, *, customer_ids: list[UUID], at: datetime, by: UUID | None) -> None:
        if not customer_ids:
            return
        await self._session.execute(
            pg.insert(Exclusion)
            .values(
                [
                    {
                        "tenant_id": self._tenant_id,
                        "customer_id": c,
                        "excluded_at": at,
                        "excluded_by": by,
                    }
                    for c in customer_ids
                ]
            )
            .on_conflict_do_nothing()
        )

    async def include(self, *, customer_ids: list[UUID]) -> None:
        await self._session.execute(
            sa.delete(Exclusion).where(Exclusion.customer_id.in_(customer_ids))
        )

    async def excluded(self, *, customer_ids: list[UUID] | None = None) -> set[UUID]:
        query = sa.select(Exclusion.customer_id)
        if customer_ids is not None:
            query = query.where(Exclusion.customer_id.in_(customer_ids))
        return set(await self._session.scalars(query))
