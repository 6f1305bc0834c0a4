"""Merge log and redirects (CUS-7), and moving a source customer's rows to the target."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import (
    CustomerAddress,
    CustomerEmail,
    CustomerInquiry,
    CustomerMerge,
    CustomerPhone,
)


class MergeRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def resolve(self, *, customer_id: UUID) -> UUID:
        """The id a merged customer lives on as (one hop: redirects are kept flat)."""
        target = await self._session.scalar(
            sa.select(CustomerMerge.target_id).where(CustomerMerge.source_id == customer_id)
        )
        return target or customer_id

    async def target_by_identity_email(self, *, email_key: str) -> UUID | None:
        return await self._session.scalar(
            sa.select(CustomerMerge.target_id)
            .where(CustomerMerge.source_identity_email == email_key)
            .limit(1)
        )

    async def record(
        self,
        *,
        source_id: UUID,
        target_id: UUID,
        source_name: str,
        target_name: str,
        source_identity_email: str | None,
        merged_by: UUID | None,
        moved: dict[str, int],
    ) -> None:
        await self._session.execute(
            pg.insert(CustomerMerge).values(
                tenant_id=self._tenant_id,
                source_id=source_id,
                target_id=target_id,
                source_name=source_name,
                target_name=target_name,
                source_identity_email=source_identity_email,
                merged_by=merged_by,
                moved=moved,
            )
        )
        # Keep redirects flat: whatever was merged into the source now points at the target.
        await self._session.execute(
            sa.update(CustomerMerge)
            .where(CustomerMerge.target_id == source_id)
            .values(target_id=target_id)
        )

    async def log(self, *, limit: int = 100) -> list[CustomerMerge]:
        return list(
            await self._session.scalars(
                sa.select(CustomerMerge).order_by(CustomerMerge.merged_at.desc()).limit(limit)
            )
        )

    async def count_movable(self, *, customer_id: UUID) -> dict[str, int]:
        out = {}
        for name, table in (
            ("inquiries", CustomerInquiry),
            ("phones", CustomerPhone),
            ("emails", CustomerEmail),
            ("addresses", CustomerAddress),
        ):
            out[name] = int(
                await self._session.scalar(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(table.customer_id == customer_id)
                )
                or 0
            )
        return out

    async def move_contacts(self, *, source_id: UUID, target_id: UUID) -> None:
        """Inquiries and addresses move; phones and emails join the target's unless it has
        them already (their keys are the primary key with the customer)."""
        for table in (CustomerInquiry, CustomerAddress):
            await self._session.execute(
                sa.update(table).where(table.customer_id == source_id).values(customer_id=target_id)
            )
        for table, key in ((CustomerPhone, "digits"), (CustomerEmail, "email_key")):
            column = getattr(table, key)
            taken = sa.select(column).where(table.customer_id == target_id)
            await self._session.execute(
                sa.update(table)
                .where(table.customer_id == source_id, column.not_in(taken))
                .values(customer_id=target_id)
            )
            await self._session.execute(sa.delete(table).where(table.customer_id == source_id))
