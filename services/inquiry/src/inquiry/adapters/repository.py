"""All SQL of the inquiry service. Tenant scoping is applied by the session (kit.db); a
一般 user's reads (an inquiry, the list, the CSV) see their stores' inquiries and those of no
store (``store_scope``, kit.db.in_store_scope); intake and linking see every store."""

from collections.abc import AsyncIterator
from uuid import UUID

import sqlalchemy as sa
from kit.db import in_store_scope
from kit.japanese import escape_like
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from inquiry.adapters.orm import Inquiry, Medium, StoreRef
from inquiry.domain.listing import InquiryFilter


class InquiryRepository:
    def __init__(
        self,
        session: AsyncSession,
        *,
        tenant_id: UUID | None,
        store_scope: tuple[UUID, ...] | None = None,
    ) -> None:
        self._session = session
        self._tenant_id = tenant_id
        self._mine = in_store_scope(Inquiry.store_id, store_scope, unassigned=True)

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
        return await self._session.scalar(
            sa.select(Inquiry).where(Inquiry.id == inquiry_id, self._mine)
        )

    async def link_customer(self, *, inquiry_id: UUID, customer_id: UUID) -> None:
        await self._session.execute(
            sa.update(Inquiry).where(Inquiry.id == inquiry_id).values(customer_id=customer_id)
        )

    async def search(
        self, *, where: InquiryFilter, limit: int, offset: int
    ) -> tuple[list[Inquiry], int]:
        query = _filtered(where).where(self._mine)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Inquiry.received_at.desc(), Inquiry.id).limit(limit).offset(offset)
        )
        return list(rows), int(total or 0)

    async def stream(self, *, where: InquiryFilter, limit: int) -> AsyncIterator[Inquiry]:
        """Rows for an export, newest first, fetched in chunks (no whole table in memory)."""
        result = await self._session.stream_scalars(
            _filtered(where)
            .where(self._mine)
            .order_by(Inquiry.received_at.desc(), Inquiry.id)
            .limit(limit)
            .execution_options(yield_per=500)
        )
        async for row in result:
            yield row


class MediaRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def all(self) -> list[Medium]:
        return list(
            await self._session.scalars(sa.select(Medium).order_by(Medium.position, Medium.code))
        )

    async def by_code(self, *, code: str) -> Medium | None:
        return await self._session.scalar(sa.select(Medium).where(Medium.code == code))

    async def by_id(self, *, medium_id: UUID, for_update: bool = False) -> Medium | None:
        query = sa.select(Medium).where(Medium.id == medium_id)
        return await self._session.scalar(query.with_for_update() if for_update else query)

    async def add_if_new(self, *, values: dict) -> bool:
        result = await self._session.execute(
            pg.insert(Medium)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing(index_elements=["tenant_id", "code"])
            .returning(Medium.id)
        )
        return result.first() is not None


class StoreRefRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def upsert(self, *, store_id: UUID, code: str, name: str) -> None:
        stmt = pg.insert(StoreRef).values(
            tenant_id=self._tenant_id, store_id=store_id, code=code, name=name
        )
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=["store_id"], set_={"code": stmt.excluded.code, "name": name}
            )
        )

    async def by_code(self, code: str) -> UUID | None:
        return await self._session.scalar(sa.select(StoreRef.store_id).where(StoreRef.code == code))

    async def names(self) -> dict[UUID, str]:
        rows = await self._session.execute(sa.select(StoreRef.store_id, StoreRef.name))
        return {store_id: name for store_id, name in rows}


def _filtered(where: InquiryFilter) -> sa.Select:
    query = sa.select(Inquiry)
    if where.medium:
        query = query.where(Inquiry.medium == where.medium)
    if where.kind:
        query = query.where(Inquiry.kind == where.kind)
    if where.customer_id is not None:
        query = query.where(Inquiry.customer_id == where.customer_id)
    if where.store_id is not None:
        query = query.where(Inquiry.store_id == where.store_id)
    if where.property_text:
        pattern = f"%{escape_like(where.property_text)}%"
        query = query.where(Inquiry.property_search.like(pattern, escape="\\"))
    if where.contact_text:
        pattern = f"%{escape_like(where.contact_text)}%"
        query = query.where(Inquiry.contact_search.like(pattern, escape="\\"))
    start, end = where.bounds()
    if start is not None:
        query = query.where(Inquiry.received_at >= start)
    if end is not None:
        query = query.where(Inquiry.received_at <= end)
    return query
