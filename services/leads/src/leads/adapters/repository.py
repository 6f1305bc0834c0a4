"""All SQL of the leads service. Tenant scoping is applied by the session (kit.db)."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from leads.adapters.orm import LeadActivity


class ActivityRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def add_if_new(self, *, values: dict) -> bool:
        """The unique event id backs up the inbox: a replayed event adds nothing."""
        result = await self._session.execute(
            pg.insert(LeadActivity)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing(index_elements=[LeadActivity.event_id])
            .returning(LeadActivity.id)
        )
        return result.first() is not None

    async def of_customer(self, *, customer_id: UUID, limit: int) -> list[LeadActivity]:
        rows = await self._session.scalars(
            sa.select(LeadActivity)
            .where(LeadActivity.customer_id == customer_id)
            .order_by(LeadActivity.occurred_at.desc(), LeadActivity.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def follow_ups(self) -> list[tuple[UUID, datetime, str]]:
        """Every follow-up status change (customer, when, status), oldest first."""
        rows = await self._session.execute(
            sa.select(
                LeadActivity.customer_id,
                LeadActivity.occurred_at,
                LeadActivity.detail["status"].astext,
            )
            .where(LeadActivity.kind == "follow_up", LeadActivity.customer_id.is_not(None))
            .order_by(LeadActivity.occurred_at, LeadActivity.id)
        )
        return [(c, at, status) for c, at, status in rows]
