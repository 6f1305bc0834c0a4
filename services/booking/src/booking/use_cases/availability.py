"""Remaining capacity per store and property, per slot, for a day or a week (BKG-3)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from kit.clock import JST

from booking.adapters.orm import BookingCustomer, Property, StaffMember, StoreSettings, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.slots import Counter, day_slots, listed_property_remaining
from booking.use_cases.salon import member_rules
from booking.use_cases.stores import get_store, rules_of


@dataclass(frozen=True)
class PropertySlot:
    property_id: UUID
    capacity: int
    remaining: int


@dataclass(frozen=True)
class MemberSlot:
    staff_member_id: UUID
    remaining: int  # 1 free, 0 booked or outside the member's working hours


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    staff: Counter
    properties: list[PropertySlot]
    members: list[MemberSlot] = field(default_factory=list)


@dataclass(frozen=True)
class Day:
    day: date
    open: bool
    slots: list[Slot]


@dataclass
class Calendar:
    store_id: UUID
    store_name: str
    slot_minutes: int
    properties: list[Property]
    days: list[Day]
    staff_members: list[StaffMember] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    customers: dict[UUID, BookingCustomer] = field(default_factory=dict)


async def availability(
    *,
    store_id: UUID,
    start: date,
    days: int,
    property_id: UUID | None = None,
    with_visits: bool = False,
    uow: BookingUnitOfWork,
) -> Calendar:
    store = await get_store(store_id=store_id, uow=uow)
    rules = rules_of(store)
    props = await uow.properties.of_store(store_id=store_id)
    if property_id is not None:
        props = [p for p in props if p.id == property_id]
    since = datetime.combine(start, datetime.min.time(), tzinfo=JST)
    until = since + timedelta(days=days)
    members = await uow.salon.staff_members(store_id=store_id)
    counters = await uow.slots.counters(
        resource_ids=[store_id, *(p.id for p in props), *(m.id for m in members)],
        since=since,
        until=until,
    )
    member_slots = {m.id: _member_day_slots(store, m, start, days) for m in members}
    step = timedelta(minutes=rules.slot_minutes)
    calendar_days = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        slots = []
        for slot in day_slots(rules, day=day):
            staff = counters.get((store_id, slot), Counter(store.staff_count, 0))
            slots.append(
                Slot(
                    starts_at=slot,
                    ends_at=slot + step,
                    staff=staff,
                    properties=[_property_slot(p, slot, staff, counters) for p in props],
                    members=[
                        MemberSlot(m.id, _member_remaining(m.id, slot, member_slots, counters))
                        for m in members
                    ],
                )
            )
        calendar_days.append(Day(day=day, open=rules.is_open_on(day), slots=slots))
    calendar = Calendar(
        store_id=store_id,
        store_name=store.name,
        slot_minutes=rules.slot_minutes,
        properties=props,
        days=calendar_days,
        staff_members=members,
    )
    if with_visits:
        calendar.visits = await uow.visits.in_range(
            store_id=store_id, since=since, until=until, include_cancelled=False
        )
        calendar.customers = await uow.customers.many(
            customer_ids={v.customer_id for v in calendar.visits}
        )
    return calendar


def _property_slot(
    prop: Property, slot: datetime, staff: Counter, counters: dict[tuple[UUID, datetime], Counter]
) -> PropertySlot:
    if not prop.portal_listed:  # its tours take staff slots: it has what the store has
        return PropertySlot(prop.id, staff.capacity, staff.remaining)
    own = counters.get((prop.id, slot), Counter(prop.concurrent_groups, 0))
    remaining = listed_property_remaining(property_slot=own, store_slot=staff)
    return PropertySlot(prop.id, own.capacity, remaining)


def _member_day_slots(
    store: StoreSettings, member: StaffMember, start: date, days: int
) -> set[datetime]:
    rules = member_rules(store, member)
    return {slot for n in range(days) for slot in day_slots(rules, day=start + timedelta(days=n))}


def _member_remaining(
    member_id: UUID,
    slot: datetime,
    working: dict[UUID, set[datetime]],
    counters: dict[tuple[UUID, datetime], Counter],
) -> int:
    if slot not in working[member_id]:
        return 0
    return counters.get((member_id, slot), Counter(1, 0)).remaining
