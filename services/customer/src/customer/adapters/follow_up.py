"""SQL of follow-up (追客): the history of status and rep changes, and memos."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import Customer, CustomerMemo, FollowUpChange


class FollowUpRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def record(
        self, *, customer_id: UUID, field: str, old: str | None, new: str | None, by: UUID | None
    ) -> None:
        self._session.add(
            FollowUpChange(
                tenant_id=self._tenant_id,
                customer_id=customer_id,
                field=field,
                old_value=old,
                new_value=new,
                changed_by=by,
            )
        )

    async def history(self, *, customer_id: UUID) -> list[FollowUpChange]:
        rows = await self._session.scalars(
            sa.select(FollowUpChange)
            .where(FollowUpChange.customer_id == customer_id)
            .order_by(FollowUpChange.changed_at.desc(), FollowUpChange.id.desc())
        )
        return list(rows)

    async def add_memo(self, *, customer_id: UUID, body: str, by: UUID | None) -> CustomerMemo:
        memo = CustomerMemo(
            tenant_id=self._tenant_id, customer_id=customer_id, body=body, written_by=by
        )
        self._session.add(memo)
        await self._session.flush()
        await self._session.refresh(memo)  # written_at is the database's clock
        return memo

    async def memos(self, *, customer_id: UUID) -> list[CustomerMemo]:
        rows = await self._session.scalars(
            sa.select(CustomerMemo)
            .where(CustomerMemo.customer_id == customer_id)
            .order_by(CustomerMemo.written_at.desc(), CustomerMemo.id.desc())
        )
        return list(rows)

    async def unassigned_count(self) -> int:
        """「担当設定なし N件」 of seed 000: customers still followed up without a rep."""
        count = await self._session.scalar(
            sa.select(sa.func.count())
            .select_from(Customer)
            .where(Customer.assignee_id.is_(None), Customer.withdrawn_at.is_(None))
        )
        return int(count or 0)
