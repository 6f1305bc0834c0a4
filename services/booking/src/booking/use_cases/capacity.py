"""Taking and giving back slots for a visit, inside the caller's transaction.

Lock order is fixed so that concurrent bookings queue instead of deadlocking: the store's
counters first, then the property's, each by slot start."""

from datetime import datetime
from uuid import UUID

from booking.adapters.orm import Property, StoreSettings
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import SlotFull
from booking.domain.slots import slots_between
from booking.domain.visits import Resource, VisitKind, resource_taken

Held = list[list[str]]
"""[[resource_id, slot start ISO], ...] as stored on the visit: exactly what to give back."""


async def take_slots(
    *,
    kind: VisitKind,
    store: StoreSettings,
    prop: Property | None,
    starts_at: datetime,
    ends_at: datetime,
    uow: BookingUnitOfWork,
    staff_member_id: UUID | None = None,
) -> Held:
    """Take the visit's slots or raise :class:`SlotFull`; the caller's rollback undoes a
    partial take."""
    slots = slots_between(starts_at=starts_at, ends_at=ends_at, slot_minutes=store.slot_minutes)
    if resource_taken(kind) is Resource.STAFF_MEMBER:  # a salon: one client per staff member
        assert staff_member_id is not None
        await uow.slots.ensure(counters=[(Resource.STAFF_MEMBER, staff_member_id, 1)], slots=slots)
        for slot in slots:
            if not await uow.slots.take(resource_id=staff_member_id, slot=slot):
                raise SlotFull()
        return [[str(staff_member_id), slot.isoformat()] for slot in slots]
    store_counter = (Resource.STORE, store.store_id, store.staff_count)
    if resource_taken(kind) is Resource.STORE:
        await uow.slots.ensure(counters=[store_counter], slots=slots)
        for slot in slots:
            if not await uow.slots.take(resource_id=store.store_id, slot=slot):
                raise SlotFull()
        return [[str(store.store_id), slot.isoformat()] for slot in slots]
    assert prop is not None
    property_counter = (Resource.PROPERTY, prop.id, prop.concurrent_groups)
    await uow.slots.ensure(counters=[store_counter, property_counter], slots=slots)
    for slot in slots:  # the store must still have a staff slot free (seed 000)
        if not await uow.slots.hold_open(resource_id=store.store_id, slot=slot):
            raise SlotFull()
    for slot in slots:
        if not await uow.slots.take(resource_id=prop.id, slot=slot):
            raise SlotFull()
    return [[str(prop.id), slot.isoformat()] for slot in slots]


async def give_back(held: Held, *, uow: BookingUnitOfWork) -> None:
    for resource_id, slot in sorted(held, key=lambda h: (h[1], h[0])):
        await uow.slots.release(resource_id=UUID(resource_id), slot=datetime.fromisoformat(slot))
