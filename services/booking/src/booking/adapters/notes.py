"""SQL of notification destinations, notifications and sales reports."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.mail import mail_table
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import Notification, NotificationTarget, SalesReport

_targets = NotificationTarget.__table__
# Read by every new reservation: Core, built once, naming its tenant (kit.db's tenant
# criteria scope ORM entities only).
_TARGETS = (
    sa.select(_targets)
    .where(
        _targets.c.store_id == sa.bindparam("store_id"),
        _targets.c.tenant_id == sa.bindparam("tenant_id"),
    )
    .order_by(_targets.c.name, _targets.c.id)
)


class NotificationRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def add(self, row: NotificationTarget | Notification) -> None:
        row.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(row)

    async def flush(self) -> None:
        await self._session.flush()

    async def targets(self, *, store_id: UUID) -> list[NotificationTarget]:
        """The store's 通知先 by name, as transient objects (nothing to track)."""
        params = {"store_id": store_id, "tenant_id": self._tenant_id}
        rows = (await self._session.execute(_TARGETS, params)).mappings()
        return [NotificationTarget(**row) for row in rows]

    async def target(self, *, target_id: UUID) -> NotificationTarget | None:
        return await self._session.scalar(
            sa.select(NotificationTarget).where(NotificationTarget.id == target_id)
        )

    async def remove_target(self, *, target_id: UUID) -> bool:
        result = await self._session.execute(
            sa.delete(NotificationTarget)
            .where(NotificationTarget.id == target_id)
            .returning(NotificationTarget.id)
            .execution_options(synchronize_session=False)
        )
        return result.first() is not None

    async def with_mail_status(
        self, *, visit_id: UUID | None, store_id: UUID | None, limit: int
    ) -> list[sa.Row]:
        """Notifications with what became of their mails (kit.mail's outbox): rows of the
        notification's columns plus ``sent_at`` and ``attempts``."""
        n, m = Notification, mail_table
        query = sa.select(
            n.id, n.store_id, n.visit_id, n.inquiry_id, n.email, n.subject, n.body,
            n.created_at, m.c.sent_at, sa.func.coalesce(m.c.attempts, 0).label("attempts"),
        ).outerjoin(m, m.c.id == n.mail_id)  # fmt: skip
        if visit_id is not None:
            query = query.where(n.visit_id == visit_id).order_by(n.email)
        if store_id is not None:
            query = query.where(n.store_id == store_id).order_by(n.created_at.desc(), n.email)
        rows = await self._session.execute(query.limit(limit))
        return list(rows)


class SalesReportRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def put(self, *, values: dict) -> SalesReport:
        stmt = pg.insert(SalesReport).values(tenant_id=self._tenant_id, **values)
        keep = {k: v for k, v in values.items() if k != "visit_id"}
        row = await self._session.scalar(
            stmt.on_conflict_do_update(
                index_elements=[SalesReport.visit_id],
                set_=keep,
                where=SalesReport.tenant_id == self._tenant_id,
            ).returning(SalesReport),
            execution_options={"populate_existing": True},
        )
        assert row is not None
        return row

    async def search(
        self, *, name: str | None, since: datetime | None, until: datetime | None, limit: int
    ) -> list[SalesReport]:
        query = sa.select(SalesReport)
        if name:
            escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(SalesReport.name_search.like(f"%{escaped}%", escape="\\"))
        if since is not None:
            query = query.where(SalesReport.visit_starts_at >= since)
        if until is not None:
            query = query.where(SalesReport.visit_starts_at < until)
        return list(
            await self._session.scalars(
                query.order_by(SalesReport.visit_starts_at.desc()).limit(limit)
            )
        )
