"""The capacity counters: the database, not Python, decides whether a slot has room."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import SlotCapacity
from booking.domain.slots import Counter

_NO_SYNC = {"synchronize_session": False}


class SlotRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def ensure(
        self, *, resource: str, resource_id: UUID, slots: list[datetime], capacity: int
    ) -> None:
        """Create missing counters (sorted, so that concurrent creators queue in one order)."""
        rows = [
            {
                "tenant_id": self._tenant_id,
                "resource": resource,
                "resource_id": resource_id,
                "slot_start": slot,
                "capacity": capacity,
                "booked": 0,
            }
            for slot in sorted(slots)
        ]
        await self._session.execute(pg.insert(SlotCapacity).values(rows).on_conflict_do_nothing())

    async def take(self, *, resource_id: UUID, slot: datetime) -> bool:
        """The guarded UPDATE: one unit of the slot, only while one is left. Concurrent takers
        queue on the row lock and re-check ``booked < capacity`` on the row they then see."""
        result = await self._session.execute(
            sa.update(SlotCapacity)
            .where(
                SlotCapacity.resource_id == resource_id,
                SlotCapacity.slot_start == slot,
                SlotCapacity.booked < SlotCapacity.capacity,
            )
            .values(booked=SlotCapacity.booked + 1)
            .returning(SlotCapacity.booked)
            .execution_options(**_NO_SYNC)
        )
        return result.first() is not None

    async def hold_open(self, *, resource_id: UUID, slot: datetime) -> bool:
        """Share-lock a counter while it still has room: a listed property's tour needs the
        store to have a free staff slot but does not take one. A store visit taking the last
        staff slot waits for this lock (and vice versa), so neither decides on a stale count."""
        row = await self._session.execute(
            sa.select(SlotCapacity.booked)
            .where(
                SlotCapacity.resource_id == resource_id,
                SlotCapacity.slot_start == slot,
                SlotCapacity.booked < SlotCapacity.capacity,
            )
            .with_for_update(read=True)
        )
        return row.first() is not None

    async def release(self, *, resource_id: UUID, slot: datetime) -> None:
        await self._session.execute(
            sa.update(SlotCapacity)
            .where(
                SlotCapacity.resource_id == resource_id,
                SlotCapacity.slot_start == slot,
                SlotCapacity.booked > 0,
            )
            .values(booked=SlotCapacity.booked - 1)
            .execution_options(**_NO_SYNC)
        )

    async def set_capacity(self, *, resource_id: UUID, capacity: int, since: datetime) -> None:
        """A changed staff count or group count applies to the counters still ahead."""
        await self._session.execute(
            sa.update(SlotCapacity)
            .where(SlotCapacity.resource_id == resource_id, SlotCapacity.slot_start >= since)
            .values(capacity=capacity)
            .execution_options(**_NO_SYNC)
        )

    async def counters(
        self, *, resource_ids: list[UUID], since: datetime, until: datetime
    ) -> dict[tuple[UUID, datetime], Counter]:
        rows = await self._session.execute(
            sa.select(
                SlotCapacity.resource_id,
                SlotCapacity.slot_start,
                SlotCapacity.capacity,
                SlotCapacity.booked,
            ).where(
                SlotCapacity.resource_id.in_(resource_ids),
                SlotCapacity.slot_start >= since,
                SlotCapacity.slot_start < until,
            )
        )
        return {(r.resource_id, r.slot_start): Counter(r.capacity, r.booked) for r in rows}
