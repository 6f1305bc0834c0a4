"""Scheduling a visit (BKG-2, BKG-4, BKG-6): checks, the guarded slot take, the visit row and
VisitScheduled, all in the caller's one transaction."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts import VisitScheduledV1
from contracts.envelope import new_event_id
from kit.errors import Invalid, NotFound

from booking.adapters.orm import (
    BookingCustomer,
    NotificationTarget,
    Property,
    StoreSettings,
    Visit,
)
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import CustomerBlacklisted, VisitInPast, VisitNotYetBegun, VisitOverlap
from booking.domain.slots import check_visit_time, moment, time_span
from booking.domain.visits import VisitKind, VisitStatus, initial_status
from booking.use_cases.capacity import Held, take_slots
from booking.use_cases.notifications import notify_new_visit
from booking.use_cases.salon import SalonTarget, check_member_time, salon_target
from booking.use_cases.stores import rules_of

STORE_NOT_FOUND = "店舗が見つかりません。店舗の予約設定を確認してください。"


@dataclass(frozen=True)
class ScheduleVisit:
    kind: VisitKind
    store_id: UUID
    customer_id: UUID
    starts_at: datetime
    ends_at: datetime | None = None  # a salon reservation ends when its menu does
    property_id: UUID | None = None
    menu_id: UUID | None = None
    staff_member_id: UUID | None = None
    tentative: bool = False
    memo: str | None = None
    allow_overlap: bool = False  # staff confirmed a second visit of the customer at that time
    record_as_visited: bool = False  # staff confirmed: a past visit, recorded as 来店済み


@dataclass(frozen=True)
class Claim:
    """The slots a visit took, and what it took them for."""

    store: StoreSettings
    prop: Property | None
    salon: SalonTarget | None
    ends_at: datetime
    held: Held
    targets: list[NotificationTarget] | None = None  # the store's 通知先; None: not read yet


async def schedule_visit(cmd: ScheduleVisit, *, now: datetime, uow: BookingUnitOfWork) -> Visit:
    check_past(cmd, now=now)
    # One customer, one place at a time — unless staff confirm. Locked at once when the
    # overlap is to be refused: a concurrent booking of the same customer waits here, then
    # sees this one's visit when it writes its own (record_visit).
    refuse_overlap = not cmd.allow_overlap
    customer = await bookable_customer(customer_id=cmd.customer_id, lock=refuse_overlap, uow=uow)
    claim = await claim_slots(
        kind=cmd.kind, store_id=cmd.store_id, starts_at=cmd.starts_at, ends_at=cmd.ends_at,
        property_id=cmd.property_id, menu_id=cmd.menu_id, staff_member_id=cmd.staff_member_id,
        uow=uow,
    )  # fmt: skip
    return await record_visit(
        cmd, claim, customer=customer, now=now, uow=uow, refuse_overlap=refuse_overlap
    )


def check_past(cmd: ScheduleVisit, *, now: datetime) -> None:
    """A visit whose start has passed is never a reservation (予約中来店前): staff record it
    knowingly as 来店済み, or it is refused; 来店済み is only for one that has begun."""
    if cmd.starts_at < now and not cmd.record_as_visited:
        raise VisitInPast(moment(cmd.starts_at))
    if cmd.record_as_visited and cmd.starts_at >= now:
        raise VisitNotYetBegun()


async def claim_slots(
    *,
    kind: VisitKind,
    store_id: UUID,
    starts_at: datetime,
    ends_at: datetime | None,
    property_id: UUID | None,
    menu_id: UUID | None,
    staff_member_id: UUID | None,
    uow: BookingUnitOfWork,
) -> Claim:
    """The checks of the store's rules and the guarded slot take; no customer involved."""
    # One read for both; a wrong property_id is refused after the store is found, as ever.
    wanted = wants_property(kind=kind, property_id=property_id)
    found = await uow.stores.for_booking(
        store_id=store_id, property_id=property_id if wanted else None
    )
    if found is None:
        raise Invalid(STORE_NOT_FOUND, field="store_id")
    store, prop, salon = found.store, None, None
    if kind is VisitKind.SALON:
        salon = await salon_target(
            store=store, menu_id=menu_id, staff_member_id=staff_member_id,
            starts_at=starts_at, uow=uow,
        )  # fmt: skip
        ends_at = salon.ends_at
        check_member_time(store, salon.member, starts_at=starts_at, ends_at=ends_at)
    elif wants_property(kind=kind, property_id=property_id, refuse=True):
        prop = checked_property(found.prop, kind=kind, store_id=store_id)
    if ends_at is None:
        raise Invalid("終了時刻を指定してください。", field="ends_at")
    check_visit_time(rules_of(store), starts_at=starts_at, ends_at=ends_at)
    held = await take_slots(
        kind=kind, store=store, prop=prop, starts_at=starts_at, ends_at=ends_at, uow=uow,
        staff_member_id=salon.member.id if salon else None,
    )  # fmt: skip
    return Claim(store, prop, salon, ends_at, held, targets=found.targets)


async def record_visit(
    cmd: ScheduleVisit,
    claim: Claim,
    *,
    customer: BookingCustomer,
    now: datetime,
    uow: BookingUnitOfWork,
    refuse_overlap: bool = False,
) -> Visit:
    """The visit row on slots already taken, its VisitScheduled and the store's notice.
    ``refuse_overlap``: :class:`VisitOverlap` instead when the customer (whose row the caller
    has locked) has an active visit at that time."""
    prop, salon = claim.prop, claim.salon
    visit = Visit(
        id=new_event_id(),
        kind=cmd.kind.value,
        store_id=cmd.store_id,
        property_id=prop.id if prop else None,
        customer_id=cmd.customer_id,
        starts_at=cmd.starts_at,
        ends_at=claim.ends_at,
        menu_id=salon.menu.id if salon else None,
        staff_member_id=salon.member.id if salon else None,
        status=_first_status(cmd, claim).value,
        held_slots=claim.held,
        conflict=False,
        conflict_reason=None,
        source_inquiry_id=None,
        memo=cmd.memo,
        created_at=now,
        updated_at=now,
        cancelled_at=None,
        last_minute_cancel=False,
        no_show=False,
    )
    other = await uow.visits.insert(visit, unless_overlapping=refuse_overlap)
    if other is not None:
        raise VisitOverlap(time_span(*other))
    await uow.add_event(
        scheduled_event(
            visit,
            property_name=prop.name if prop else None,
            menu_name=salon.menu.name if salon else None,
            staff_member_name=salon.member.name if salon else None,
        )
    )
    if not cmd.record_as_visited:  # a record of a past visit is no new reservation to announce
        await notify_new_visit(
            visit, customer_name=customer.name, now=now, uow=uow, targets=claim.targets
        )
    return visit


def _first_status(cmd: ScheduleVisit, claim: Claim) -> VisitStatus:
    if cmd.record_as_visited:  # a past visit, recorded knowingly
        return VisitStatus.VISITED
    return initial_status(tentative=cmd.tentative, prepayment=claim.store.prepayment)


def scheduled_event(
    visit: Visit,
    *,
    property_name: str | None,
    menu_name: str | None = None,
    staff_member_name: str | None = None,
) -> VisitScheduledV1:
    return VisitScheduledV1(
        visit_id=visit.id,
        kind=visit.kind,  # type: ignore[arg-type]
        customer_id=visit.customer_id,
        store_id=visit.store_id,
        property_id=visit.property_id,
        property_name=property_name,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        status=visit.status,
        source_inquiry_id=visit.source_inquiry_id,
        conflict=visit.conflict,
        menu_id=visit.menu_id,
        menu_name=menu_name,
        staff_member_id=visit.staff_member_id,
        staff_member_name=staff_member_name,
    )


async def bookable_customer(
    *, customer_id: UUID, uow: BookingUnitOfWork, lock: bool = False
) -> BookingCustomer:
    """``lock``: the customer's row stays locked until commit (see schedule_visit)."""
    customer = await uow.customers.for_booking(customer_id=customer_id, lock=lock)
    if customer is None:  # unknown here, or another tenant's: the same answer
        raise Invalid("お客様が見つかりません。お客様を選び直してください。", field="customer_id")
    if customer.blacklisted:
        raise CustomerBlacklisted()
    if customer.withdrawn:
        raise Invalid("退会済みのお客様は予約できません。", field="customer_id")
    return customer


async def store_for_visit(*, store_id: UUID, uow: BookingUnitOfWork) -> StoreSettings:
    store = await uow.stores.get(store_id=store_id)
    if store is None:
        raise Invalid(STORE_NOT_FOUND, field="store_id")
    return store


async def property_for_visit(
    *, kind: VisitKind, store_id: UUID, property_id: UUID | None, uow: BookingUnitOfWork
) -> Property | None:
    if not wants_property(kind=kind, property_id=property_id, refuse=True):
        return None
    assert property_id is not None
    prop = await uow.properties.get(property_id=property_id)
    return checked_property(prop, kind=kind, store_id=store_id)


def wants_property(*, kind: VisitKind, property_id: UUID | None, refuse: bool = False) -> bool:
    """Seed 000: a tour names a property, a consultation or a salon reservation none.
    ``refuse``: raise for the wrong one instead of answering False."""
    if kind in (VisitKind.STORE_CONSULTATION, VisitKind.SALON):
        if property_id is not None and refuse:
            raise Invalid("店舗接客には物件を指定しないでください。", field="property_id")
        return False
    if property_id is None:
        if refuse:
            raise Invalid("物件見学には物件を指定してください。", field="property_id")
        return False
    return True


def checked_property(prop: Property | None, *, kind: VisitKind, store_id: UUID) -> Property:
    """Seed 000: the kind follows the property — a portal-listed property's tour takes the
    property's slot, any other tour a staff slot."""
    if prop is None or prop.store_id != store_id or prop.retired_at is not None:
        raise Invalid("物件が見つかりません。この店舗の物件を選んでください。", field="property_id")
    if prop.portal_listed != (kind is VisitKind.LISTED_PROPERTY_TOUR):
        expected = "物件見学・入稿物件" if prop.portal_listed else "物件見学・入稿なし物件"
        raise Invalid(f"この物件の予定は「{expected}」として登録してください。", field="kind")
    return prop


async def get_visit(*, visit_id: UUID, uow: BookingUnitOfWork) -> Visit:
    visit = await uow.visits.get(visit_id=visit_id)
    if visit is None:
        raise NotFound("予定が見つかりません。")
    return visit
