"""SQL of tracking: sends, opens, page views. Tenant scoping is applied by the session."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.customer_refs import current_customer
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from leads.adapters.orm import EmailOpen, PageView, TrackedSend
from leads.domain.levels import OpenFact, ViewFact


class _Scoped:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id


class SendRepository(_Scoped):
    async def add(self, *, values: dict) -> None:
        """A send recorded again (a retried mail job) keeps its first moment."""
        await self._session.execute(
            pg.insert(TrackedSend)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing(constraint="lead_sends_once")
        )

    async def get(self, *, message_id: UUID, customer_id: UUID) -> TrackedSend | None:
        """The send a token names, followed to the merge target if its customer was merged."""
        current = current_customer(customer_id, tenant_id=self._tenant_id)
        return await self._session.scalar(
            sa.select(TrackedSend).where(
                TrackedSend.message_id == message_id, TrackedSend.customer_id == current
            )
        )

    async def message_ids(self, *, customer_id: UUID, kind: str) -> list[UUID]:
        rows = await self._session.scalars(
            sa.select(TrackedSend.message_id).where(
                TrackedSend.customer_id == customer_id, TrackedSend.message_kind == kind
            )
        )
        return list(rows)


class OpenRepository(_Scoped):
    async def add(self, *, values: dict) -> None:
        await self._session.execute(
            sa.insert(EmailOpen).values(tenant_id=self._tenant_id, **values)
        )

    async def reason_seen(self, *, message_id: UUID, customer_id: UUID, reason: str) -> bool:
        found = await self._session.scalar(
            sa.select(EmailOpen.id)
            .where(
                EmailOpen.message_id == message_id,
                EmailOpen.customer_id == customer_id,
                EmailOpen.machine_reason == reason,
            )
            .limit(1)
        )
        return found is not None

    async def facts(
        self,
        *,
        since: datetime,
        customer_id: UUID | None = None,
        customer_ids: list[UUID] | None = None,
    ) -> list[tuple[UUID, OpenFact]]:
        # Columns, not entities: a tenant's rescore reads a million of them.
        o = EmailOpen
        query = sa.select(
            o.customer_id, o.id, o.opened_at, o.message_kind, o.machine, o.message_id
        ).where(o.opened_at > since)
        if customer_id is not None:
            query = query.where(o.customer_id == customer_id)
        if customer_ids is not None:
            query = query.where(o.customer_id.in_(customer_ids))
        return [(row[0], OpenFact(*row[1:])) for row in await self._session.execute(query)]

    async def customers_with_machine_opens(self, *, customer_ids: list[UUID]) -> set[UUID]:
        """Whose counted opens cannot all be trusted (seed 001's attention mark)."""
        rows = await self._session.scalars(
            sa.select(EmailOpen.customer_id)
            .where(
                EmailOpen.customer_id.in_(customer_ids),
                EmailOpen.machine.is_(True),
                EmailOpen.message_kind.in_(("proposal", "step")),
            )
            .distinct()
        )
        return set(rows)


class ViewRepository(_Scoped):
    async def record(self, *, values: dict) -> None:
        """The first beacon of a view creates it; later ones raise its dwell or add a like."""
        stmt = pg.insert(PageView).values(tenant_id=self._tenant_id, **values)
        await self._session.execute(
            stmt.on_conflict_do_update(
                constraint="lead_page_views_once",
                set_={
                    "dwell_s": sa.func.greatest(PageView.dwell_s, stmt.excluded.dwell_s),
                    "liked": PageView.liked | stmt.excluded.liked,
                },
                where=PageView.tenant_id == self._tenant_id,
            )
        )

    async def any_of_send(self, *, message_id: UUID, customer_id: UUID) -> bool:
        found = await self._session.scalar(
            sa.select(PageView.id)
            .where(PageView.message_id == message_id, PageView.customer_id == customer_id)
            .limit(1)
        )
        return found is not None

    async def facts(
        self,
        *,
        since: datetime,
        customer_id: UUID | None = None,
        customer_ids: list[UUID] | None = None,
    ) -> list[tuple[UUID, ViewFact]]:
        v = PageView
        query = sa.select(
            v.customer_id, v.view_id, v.viewed_at, v.page, v.property_code, v.property_name,
            v.dwell_s, v.liked,
        ).where(v.viewed_at > since)  # fmt: skip
        if customer_id is not None:
            query = query.where(v.customer_id == customer_id)
        if customer_ids is not None:
            query = query.where(v.customer_id.in_(customer_ids))
        return [(row[0], ViewFact(*row[1:])) for row in await self._session.execute(query)]

    async def history(self, *, customer_id: UUID, limit: int) -> list[PageView]:
        rows = await self._session.scalars(
            sa.select(PageView)
            .where(PageView.customer_id == customer_id)
            .order_by(PageView.viewed_at.desc(), PageView.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def count_from_kind(self, *, customer_id: UUID, kind: str) -> int:
        """Views of pages reached from mails of one kind (提案閲覧数: from proposals)."""
        return int(
            await self._session.scalar(
                sa.select(sa.func.count())
                .select_from(PageView)
                .join(
                    TrackedSend,
                    sa.and_(
                        TrackedSend.tenant_id == PageView.tenant_id,
                        TrackedSend.message_id == PageView.message_id,
                        TrackedSend.customer_id == PageView.customer_id,
                    ),
                )
                .where(PageView.customer_id == customer_id, TrackedSend.message_kind == kind)
            )
            or 0
        )
