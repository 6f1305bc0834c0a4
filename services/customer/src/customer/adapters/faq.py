"""SQL of the FAQ (CUS-12): categories, entries, and the bigram search (domain/faq.py)."""

from uuid import UUID

import sqlalchemy as sa
from kit.japanese import escape_like
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm_histories import FaqCategory, FaqEntry


class FaqRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def categories(self) -> list[FaqCategory]:
        rows = await self._session.scalars(
            sa.select(FaqCategory).order_by(FaqCategory.position, FaqCategory.name)
        )
        return list(rows)

    async def category(self, *, category_id: UUID) -> FaqCategory | None:
        return await self._session.scalar(
            sa.select(FaqCategory).where(FaqCategory.id == category_id)
        )

    async def category_named(self, *, name: str) -> FaqCategory | None:
        return await self._session.scalar(sa.select(FaqCategory).where(FaqCategory.name == name))

    async def add_category(self, *, values: dict) -> FaqCategory:
        row = FaqCategory(tenant_id=self._tenant_id, **values)
        self._session.add(row)
        await self._session.flush()
        return row

    async def entry(self, *, entry_id: UUID) -> FaqEntry | None:
        return await self._session.scalar(sa.select(FaqEntry).where(FaqEntry.id == entry_id))

    async def add_entry(self, *, values: dict) -> FaqEntry:
        row = FaqEntry(tenant_id=self._tenant_id, **values)
        self._session.add(row)
        await self._session.flush()
        return row

    async def update_entry(self, *, entry_id: UUID, values: dict) -> None:
        await self._session.execute(
            sa.update(FaqEntry)
            .where(FaqEntry.id == entry_id)
            .values(**values, updated_at=sa.func.now())
        )

    async def delete_entry(self, *, entry_id: UUID) -> None:
        await self._session.execute(sa.delete(FaqEntry).where(FaqEntry.id == entry_id))

    async def search(
        self, *, words: list[str], grams: list[str], category_id: UUID | None, limit: int
    ) -> tuple[list[FaqEntry], int]:
        """Entries holding every word; the GIN index on the bigrams narrows, LIKE confirms.
        Entries where the first word comes earliest (in the question) come first."""
        query = sa.select(FaqEntry)
        if grams:
            query = query.where(FaqEntry.search_grams.contains(sa.cast(grams, pg.ARRAY(sa.Text))))
        for word in words:
            query = query.where(FaqEntry.search_text.like(f"%{escape_like(word)}%", escape="\\"))
        if category_id is not None:
            query = query.where(FaqEntry.category_id == category_id)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        # The search text begins with the question: an earlier hit is a better one.
        in_question = sa.func.strpos(FaqEntry.search_text, words[0] if words else "")
        rows = await self._session.scalars(
            query.order_by(in_question, FaqEntry.updated_at.desc()).limit(limit)
        )
        return list(rows), int(total or 0)

    async def listed(self, *, category_id: UUID | None, limit: int) -> tuple[list[FaqEntry], int]:
        query = sa.select(FaqEntry)
        if category_id is not None:
            query = query.where(FaqEntry.category_id == category_id)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(query.order_by(FaqEntry.question).limit(limit))
        return list(rows), int(total or 0)
