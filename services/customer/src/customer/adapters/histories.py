"""SQL of the customer's histories: interactions (対応履歴), actions (アクション履歴) with the
order each led to, and the customer's last activity of any kind (長期放置)."""

from datetime import date, datetime, time, timedelta
from uuid import UUID, uuid4

import sqlalchemy as sa
from kit.clock import JST
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import Customer, CustomerPurchase
from customer.adapters.orm_histories import (
    CustomerAction,
    HistoryChange,
    Interaction,
    StaffInstruction,
)


class _Scoped:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def record_change(
        self, *, entry: str, entry_id: object, change: str, by: UUID | None, before: dict
    ) -> None:
        """The correction or deletion kept: who, when (now), the entry's text before."""
        self._session.add(HistoryChange(
            tenant_id=self._tenant_id, entry=entry, entry_id=str(entry_id), change=change,
            changed_by=by, before=before,
        ))  # fmt: skip
        await self._session.flush()

    async def changes(self, *, entry: str, entry_id: object) -> list[HistoryChange]:
        rows = await self._session.scalars(
            sa.select(HistoryChange)
            .where(HistoryChange.entry == entry, HistoryChange.entry_id == str(entry_id))
            .order_by(HistoryChange.changed_at, HistoryChange.id)
        )
        return list(rows)


class InteractionRepository(_Scoped):
    async def add(self, *, values: dict) -> Interaction:
        row = Interaction(id=uuid4(), tenant_id=self._tenant_id, **values)
        self._session.add(row)
        await self._session.flush()
        return row

    async def get(self, *, interaction_id: UUID, for_update: bool = False) -> Interaction | None:
        query = sa.select(Interaction).where(Interaction.id == interaction_id)
        return await self._session.scalar(query.with_for_update() if for_update else query)

    async def of_customer(self, *, customer_id: UUID, limit: int) -> list[Interaction]:
        rows = await self._session.scalars(
            sa.select(Interaction)
            .where(Interaction.customer_id == customer_id, Interaction.deleted_at.is_(None))
            .order_by(Interaction.occurred_at.desc(), Interaction.created_at.desc())
            .limit(limit)
        )
        return list(rows)

    async def deleted_of_customer(self, *, customer_id: UUID, limit: int) -> list[Interaction]:
        """The tombstones the timeline leaves out, the latest deletion first."""
        rows = await self._session.scalars(
            sa.select(Interaction)
            .where(Interaction.customer_id == customer_id, Interaction.deleted_at.is_not(None))
            .order_by(Interaction.deleted_at.desc(), Interaction.id)
            .limit(limit)
        )
        return list(rows)

    async def between(
        self, *, start: datetime, end: datetime, limit: int
    ) -> list[tuple[Interaction, str]]:
        """The day's interactions of all customers, oldest first, with the customer's name."""
        rows = await self._session.execute(
            sa.select(Interaction, Customer.name)
            .join(Customer, Customer.id == Interaction.customer_id)
            .where(Interaction.occurred_at >= start, Interaction.occurred_at < end)
            .where(Interaction.deleted_at.is_(None))
            .order_by(Interaction.occurred_at, Interaction.created_at)
            .limit(limit)
        )
        return [(r[0], r[1]) for r in rows]

    async def staff_instructions(self, *, day: date, staff_id: UUID | None = None
                                 ) -> list[StaffInstruction]:  # fmt: skip
        query = sa.select(StaffInstruction).where(StaffInstruction.day == day)
        if staff_id is not None:
            query = query.where(StaffInstruction.staff_id == staff_id)
        return list(await self._session.scalars(query))

    async def put_staff_instruction(
        self, *, staff_id: UUID, day: date, instruction: str | None, by: UUID | None
    ) -> None:
        """Written (or replaced), or cleared when empty."""
        key = (StaffInstruction.staff_id == staff_id, StaffInstruction.day == day)
        if not instruction:
            await self._session.execute(sa.delete(StaffInstruction).where(*key))
            return
        stmt = pg.insert(StaffInstruction).values(
            tenant_id=self._tenant_id, staff_id=staff_id, day=day, instruction=instruction,
            written_by=by, written_at=sa.func.now(),
        )  # fmt: skip
        await self._session.execute(stmt.on_conflict_do_update(
            index_elements=["tenant_id", "staff_id", "day"],
            set_={"instruction": instruction, "written_by": by, "written_at": sa.func.now()},
        ))  # fmt: skip

    async def move(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(Interaction)
            .where(Interaction.customer_id == source_id)
            .values(customer_id=target_id)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]


class ActionRepository(_Scoped):
    async def add(self, *, values: dict) -> CustomerAction | None:
        """None when the event's send was recorded already (``source_ref`` once a tenant)."""
        stmt = (
            pg.insert(CustomerAction)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing(constraint="customer_actions_once")
            .returning(CustomerAction)
        )
        return (await self._session.scalars(stmt)).one_or_none()

    async def get(self, *, action_id: int, for_update: bool = False) -> CustomerAction | None:
        query = sa.select(CustomerAction).where(CustomerAction.id == action_id)
        return await self._session.scalar(query.with_for_update() if for_update else query)

    async def of_customer(self, *, customer_id: UUID, limit: int) -> list[CustomerAction]:
        rows = await self._session.scalars(
            sa.select(CustomerAction)
            .where(CustomerAction.customer_id == customer_id, CustomerAction.deleted_at.is_(None))
            .order_by(CustomerAction.occurred_at.desc(), CustomerAction.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def deleted_of_customer(self, *, customer_id: UUID, limit: int) -> list[CustomerAction]:
        rows = await self._session.scalars(
            sa.select(CustomerAction)
            .where(
                CustomerAction.customer_id == customer_id, CustomerAction.deleted_at.is_not(None)
            )
            .order_by(CustomerAction.deleted_at.desc(), CustomerAction.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def credit_order(
        self, *, customer_id: UUID, order_id: UUID, since: datetime, until: datetime
    ) -> CustomerAction | None:
        """The attribution rule: the customer's latest action in [since, until] that no
        order took yet is credited with this one (a redelivery finds it credited already)."""
        if await self._session.scalar(
            sa.select(CustomerAction.id).where(CustomerAction.led_to_order_id == order_id)
        ):
            return None
        latest = (
            sa.select(CustomerAction.id)
            .where(
                CustomerAction.customer_id == customer_id,
                CustomerAction.led_to_order_id.is_(None),
                CustomerAction.deleted_at.is_(None),
                CustomerAction.occurred_at.between(since, until),
            )
            .order_by(CustomerAction.occurred_at.desc(), CustomerAction.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        # Re-checked by the UPDATE itself: two orders at once cannot both take one action.
        return await self._session.scalar(
            sa.update(CustomerAction)
            .where(CustomerAction.id == latest, CustomerAction.led_to_order_id.is_(None))
            .values(led_to_order_id=order_id)
            .returning(CustomerAction)
        )

    async def sales_by_kind(self, *, start: datetime, end: datetime) -> list[sa.Row]:
        """アクション別売上集計: per kind, the actions in [start, end), those credited with an
        order that stands (not cancelled or returned), and those orders' yen."""
        standing = sa.and_(
            CustomerPurchase.order_id == CustomerAction.led_to_order_id,
            CustomerPurchase.status == "placed",
        )
        rows = await self._session.execute(
            sa.select(
                CustomerAction.kind,
                sa.func.count(CustomerAction.id),
                sa.func.count(CustomerPurchase.order_id),
                sa.func.coalesce(sa.func.sum(CustomerPurchase.total_yen), 0),
            )
            .outerjoin(CustomerPurchase, standing)
            .where(CustomerAction.occurred_at >= start, CustomerAction.occurred_at < end)
            .where(CustomerAction.deleted_at.is_(None))
            .group_by(CustomerAction.kind)
        )
        return list(rows)

    async def move(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(CustomerAction)
            .where(CustomerAction.customer_id == source_id)
            .values(customer_id=target_id)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]


class ActivityRepository(_Scoped):
    """customers.last_activity_at/kind: kept as activities arrive, so that 長期放置 is one
    indexed query at a million customers."""

    async def touch(self, *, customer_id: UUID, at: datetime, kind: str) -> None:
        """Only a later activity moves it (events arrive in any order)."""
        await self._session.execute(
            sa.update(Customer)
            .where(
                Customer.id == customer_id,
                sa.or_(Customer.last_activity_at.is_(None), Customer.last_activity_at <= at),
            )
            .values(last_activity_at=at, last_activity_kind=kind)
        )

    async def take_later(self, *, source: Customer, target_id: UUID) -> None:
        """A merge: the target's last activity is the later of the two."""
        if source.last_activity_at is not None and source.last_activity_kind is not None:
            await self.touch(
                customer_id=target_id, at=source.last_activity_at, kind=source.last_activity_kind
            )

    async def neglected(
        self,
        *,
        before: datetime | None,
        rank_id: UUID | None,
        no_rank: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[Customer], int]:
        """Customers with no activity since ``before`` (never any counts as the longest),
        the longest neglected first."""
        query = sa.select(Customer).where(Customer.withdrawn_at.is_(None))
        if before is not None:
            query = query.where(
                sa.or_(Customer.last_activity_at.is_(None), Customer.last_activity_at < before)
            )
        if rank_id is not None:
            query = query.where(Customer.rank_id == rank_id)
        elif no_rank:
            query = query.where(Customer.rank_id.is_(None))
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Customer.last_activity_at.asc().nulls_first(), Customer.id)
            .limit(limit).offset(offset)
        )  # fmt: skip
        return list(rows), int(total or 0)


def japan_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a Japan day, as aware moments."""
    start = datetime.combine(day, time(), tzinfo=JST)
    return start, start + timedelta(days=1)
