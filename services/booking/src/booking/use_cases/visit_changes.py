"""Moving, re-stating and cancelling visits (BKG-5). Each locks the visit row first, so that
two concurrent cancellations cannot both give its slots back."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contracts import VisitCancelledV1, VisitChangedV1
from kit.errors import NotFound

from booking.adapters.orm import Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import NotAllowedTransition
from booking.domain.slots import check_visit_time, is_last_minute
from booking.domain.visits import (
    HOLDING,
    CancelReason,
    VisitKind,
    VisitStatus,
    cancel_outcome,
    check_transition,
)
from booking.use_cases.capacity import give_back, take_slots
from booking.use_cases.salon import check_member_time, salon_names
from booking.use_cases.stores import rules_of
from booking.use_cases.visits import bookable_customer, property_for_visit, store_for_visit


@dataclass(frozen=True)
class MoveVisit:
    visit_id: UUID
    starts_at: datetime
    ends_at: datetime | None  # None: see _default_end
    property_id: UUID | None = None
    keep_property: bool = True  # False: property_id replaces the visit's property


async def move_visit(cmd: MoveVisit, *, now: datetime, uow: BookingUnitOfWork) -> Visit:
    """A new time (or property) takes its slots before the old ones count as free; a portal
    conflict is resolved the same way: the move takes real slots and clears the flag."""
    visit = await _locked(cmd.visit_id, uow=uow)
    status = VisitStatus(visit.status)
    if status not in HOLDING or status is VisitStatus.VISITED:
        raise NotAllowedTransition("キャンセル済み・来店済みの予定は変更できません。")
    await bookable_customer(customer_id=visit.customer_id, uow=uow)
    store = await store_for_visit(store_id=visit.store_id, uow=uow)
    kind = VisitKind(visit.kind)
    property_id = visit.property_id if cmd.keep_property else cmd.property_id
    prop = await property_for_visit(
        kind=kind, store_id=visit.store_id, property_id=property_id, uow=uow
    )
    ends_at = cmd.ends_at or await _default_end(visit, starts_at=cmd.starts_at, uow=uow)
    check_visit_time(rules_of(store), starts_at=cmd.starts_at, ends_at=ends_at)
    if kind is VisitKind.SALON:
        member = await uow.salon.staff_member(staff_member_id=visit.staff_member_id)  # type: ignore[arg-type]
        assert member is not None
        check_member_time(store, member, starts_at=cmd.starts_at, ends_at=ends_at)
    await give_back(visit.held_slots, uow=uow)
    visit.held_slots = await take_slots(
        kind=kind, store=store, prop=prop, starts_at=cmd.starts_at, ends_at=ends_at, uow=uow,
        staff_member_id=visit.staff_member_id,
    )  # fmt: skip
    visit.starts_at, visit.ends_at = cmd.starts_at, ends_at
    visit.property_id = prop.id if prop else None
    visit.conflict, visit.conflict_reason = False, None
    visit.updated_at = now
    await uow.add_event(await changed_event(visit, now=now, uow=uow))
    return visit


async def _default_end(visit: Visit, *, starts_at: datetime, uow: BookingUnitOfWork) -> datetime:
    """A salon reservation ends when its menu does, as when it was booked; any other visit
    keeps its length."""
    if visit.kind == VisitKind.SALON.value and visit.menu_id is not None:
        menu = await uow.salon.menu(menu_id=visit.menu_id)
        if menu is not None:
            return starts_at + timedelta(minutes=menu.duration_minutes)
    return starts_at + (visit.ends_at - visit.starts_at)


async def set_status(
    *, visit_id: UUID, status: VisitStatus, now: datetime, uow: BookingUnitOfWork
) -> Visit:
    visit = await _locked(visit_id, uow=uow)
    store = await store_for_visit(store_id=visit.store_id, uow=uow)
    check_transition(VisitStatus(visit.status), status, prepayment=store.prepayment)
    return await _apply(visit, status=status, last_minute=False, no_show=False, now=now, uow=uow)


async def cancel_visit(
    *, visit_id: UUID, reason: CancelReason, now: datetime, uow: BookingUnitOfWork
) -> Visit:
    visit = await _locked(visit_id, uow=uow)
    store = await store_for_visit(store_id=visit.store_id, uow=uow)
    outcome = cancel_outcome(
        current=VisitStatus(visit.status),
        reason=reason,
        last_minute=is_last_minute(
            starts_at=visit.starts_at, now=now, hours=store.last_minute_cancel_hours
        ),
        prepayment=store.prepayment,
    )
    return await _apply(
        visit,
        status=outcome.status,
        last_minute=outcome.last_minute,
        no_show=outcome.no_show,
        now=now,
        uow=uow,
    )


async def _apply(
    visit: Visit,
    *,
    status: VisitStatus,
    last_minute: bool,
    no_show: bool,
    now: datetime,
    uow: BookingUnitOfWork,
) -> Visit:
    was_holding = VisitStatus(visit.status) in HOLDING
    visit.status = status.value
    visit.updated_at = now
    if was_holding and status not in HOLDING:  # the slot is free again
        await give_back(visit.held_slots, uow=uow)
        visit.held_slots = []
        visit.cancelled_at = now
        visit.last_minute_cancel, visit.no_show = last_minute, no_show
        await uow.add_event(
            VisitCancelledV1(
                visit_id=visit.id,
                customer_id=visit.customer_id,
                store_id=visit.store_id,
                starts_at=visit.starts_at,
                cancelled_at=now,
                status=visit.status,
                last_minute=last_minute,
                no_show=no_show,
            )
        )
    else:
        await uow.add_event(await changed_event(visit, now=now, uow=uow))
    return visit


async def _locked(visit_id: UUID, *, uow: BookingUnitOfWork) -> Visit:
    visit = await uow.visits.get_for_update(visit_id=visit_id)
    if visit is None:
        raise NotFound("予定が見つかりません。")
    return visit


async def changed_event(visit: Visit, *, now: datetime, uow: BookingUnitOfWork) -> VisitChangedV1:
    menu_name, staff_member_name = await salon_names(visit, uow=uow)
    return VisitChangedV1(
        visit_id=visit.id,
        kind=visit.kind,  # type: ignore[arg-type]
        customer_id=visit.customer_id,
        store_id=visit.store_id,
        property_id=visit.property_id,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        status=visit.status,
        changed_at=now,
        menu_id=visit.menu_id,
        menu_name=menu_name,
        staff_member_id=visit.staff_member_id,
        staff_member_name=staff_member_name,
    )
