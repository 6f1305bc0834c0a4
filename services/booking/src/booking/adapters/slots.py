"""The capacity counters: the database, not Python, decides whether a slot has room.

A booking's statements are Core, built once at import (compiled once, cached by SQLAlchemy
and prepared once per connection by asyncpg), and name their tenant themselves: the
session's tenant criteria (kit.db) scope ORM entities, not Core tables."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import SlotCapacity
from booking.domain.slots import Counter

_NO_SYNC = {"synchronize_session": False}
_slots = SlotCapacity.__table__
_c = _slots.c

# Every missing counter of a booking in one statement, whatever their number (one shape, one
# prepared statement): the rows are inserted in the order given.
_ENSURE = sa.text(
    "INSERT INTO booking_slot_capacity"
    " (tenant_id, resource, resource_id, slot_start, capacity, booked)"
    " SELECT CAST(:tenant_id AS uuid), r.resource, r.resource_id, r.slot_start, r.capacity, 0"
    " FROM unnest(CAST(:resources AS text[]), CAST(:resource_ids AS uuid[]),"
    " CAST(:slot_starts AS timestamptz[]), CAST(:capacities AS integer[]))"
    " AS r(resource, resource_id, slot_start, capacity)"
    " ON CONFLICT DO NOTHING"
)
# (bind names other than the columns': an UPDATE reserves those for its SET clause)
_ONE = (
    _c.resource_id == sa.bindparam("rid"),
    _c.slot_start == sa.bindparam("slot"),
    _c.booked < _c.capacity,
    _c.tenant_id == sa.bindparam("tenant"),
)
_TAKE = sa.update(_slots).where(*_ONE).values(booked=_c.booked + 1).returning(_c.booked)
_HOLD_OPEN = sa.select(_c.booked).where(*_ONE).with_for_update(read=True)

CounterSpec = tuple[str, UUID, int]
"""(resource, resource_id, capacity) of the counters a booking needs."""


class SlotRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def ensure(self, *, counters: Sequence[CounterSpec], slots: list[datetime]) -> None:
        """Create the missing counters at ``slots`` of each resource, in the order given and
        each by slot start, so that concurrent creators queue in one order."""
        rows = [(*counter, slot) for counter in counters for slot in sorted(slots)]
        await self._session.execute(
            _ENSURE,
            {
                "tenant_id": self._tenant_id,
                "resources": [str(r[0]) for r in rows],
                "resource_ids": [r[1] for r in rows],
                "capacities": [r[2] for r in rows],
                "slot_starts": [r[3] for r in rows],
            },
        )

    async def take(self, *, resource_id: UUID, slot: datetime) -> bool:
        """The guarded UPDATE: one unit of the slot, only while one is left. Concurrent takers
        queue on the row lock and re-check ``booked < capacity`` on the row they then see."""
        params = {"rid": resource_id, "slot": slot, "tenant": self._tenant_id}
        return (await self._session.execute(_TAKE, params)).first() is not None

    async def hold_open(self, *, resource_id: UUID, slot: datetime) -> bool:
        """Share-lock a counter while it still has room: a listed property's tour needs the
        store to have a free staff slot but does not take one. A store visit taking the last
        staff slot waits for this lock (and vice versa), so neither decides on a stale count."""
        params = {"rid": resource_id, "slot": slot, "tenant": self._tenant_id}
        return (await self._session.execute(_HOLD_OPEN, params)).first() is not None

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
