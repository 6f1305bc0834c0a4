"""SQL of the booking site's accounts (customer_site_accounts)."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import SiteAccount


class SiteAccountRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def by_email(self, *, email_key: str, for_update: bool = False) -> SiteAccount | None:
        stmt = sa.select(SiteAccount).where(SiteAccount.email_key == email_key)
        return await self._session.scalar(stmt.with_for_update() if for_update else stmt)

    async def of_customer(
        self, *, customer_id: UUID, for_update: bool = False
    ) -> SiteAccount | None:
        stmt = sa.select(SiteAccount).where(SiteAccount.customer_id == customer_id)
        return await self._session.scalar(stmt.with_for_update() if for_update else stmt)

    async def add_if_absent(self, *, values: dict) -> bool:
        """False when the customer or the mail already has an account (a concurrent one)."""
        stmt = (
            pg.insert(SiteAccount)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing()
            .returning(SiteAccount.customer_id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none() is not None

    async def follow_merge(self, *, source_id: UUID, target_id: UUID) -> None:
        """The source's account goes to the target, unless the target has its own."""
        if await self.of_customer(customer_id=target_id) is None:
            await self._session.execute(
                sa.update(SiteAccount)
                .where(SiteAccount.customer_id == source_id)
                .values(customer_id=target_id)
            )
