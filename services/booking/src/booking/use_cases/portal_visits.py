"""A portal reservation becomes a visit by itself. The portal may have shown an older
availability: when the slot is gone (or the time no longer fits) the visit is still kept,
flagged ``conflict`` for staff, and takes no slot — never dropped, never overbooked."""

from datetime import datetime

from contracts.envelope import new_event_id
from kit.errors import DomainError

from booking.adapters.orm import Property, StoreSettings, Visit, VisitRequest
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.slots import check_visit_time
from booking.domain.visits import VisitKind, initial_status
from booking.use_cases.capacity import Held, take_slots
from booking.use_cases.notifications import notify_new_visit
from booking.use_cases.stores import rules_of
from booking.use_cases.visits import scheduled_event

PLACED = "scheduled"
CONFLICT = "conflict"
UNPLACED = "no_store"  # the store has no booking settings yet: staff place it by hand


async def place_portal_visit(
    request: VisitRequest, *, now: datetime, uow: BookingUnitOfWork
) -> str:
    assert request.customer_id is not None
    store = await uow.stores.get(store_id=request.store_id) if request.store_id else None
    if store is None:
        return UNPLACED
    prop = (
        await uow.properties.by_code(code=request.property_code) if request.property_code else None
    )
    if prop is not None and prop.store_id != store.store_id:
        prop = None
    kind = (
        VisitKind.UNLISTED_PROPERTY_TOUR
        if prop is not None and not prop.portal_listed
        else VisitKind.LISTED_PROPERTY_TOUR
    )
    held, reason = await _try_take(request, kind=kind, store=store, prop=prop, now=now, uow=uow)
    visit = Visit(
        id=new_event_id(),
        kind=kind.value,
        store_id=store.store_id,
        property_id=prop.id if prop else None,
        customer_id=request.customer_id,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        status=initial_status(tentative=False, prepayment=store.prepayment).value,
        held_slots=held,
        conflict=reason is not None,
        conflict_reason=reason,
        source_inquiry_id=request.inquiry_id,
        menu_id=None,
        staff_member_id=None,
        memo=None,
        created_at=now,
        updated_at=now,
        cancelled_at=None,
        last_minute_cancel=False,
        no_show=False,
    )
    uow.visits.add(visit)
    await uow.visits.flush()
    await uow.add_event(scheduled_event(visit, property_name=request.property_name))
    customer = await uow.customers.get(customer_id=request.customer_id)
    name = customer.name if customer else None
    await notify_new_visit(visit, customer_name=name, now=now, uow=uow)
    return CONFLICT if visit.conflict else PLACED


async def _try_take(
    request: VisitRequest,
    *,
    kind: VisitKind,
    store: StoreSettings,
    prop: Property | None,
    now: datetime,
    uow: BookingUnitOfWork,
) -> tuple[Held, str | None]:
    if request.starts_at <= now:  # the portal delivered it late: nobody can come then
        return (
            [],
            "ご希望の日時を過ぎてから届いた予約です。お客様に連絡して日時を決め直してください。",
        )
    if prop is None:
        return (
            [],
            f"物件「{request.property_name or request.property_code or '不明'}」が未登録です。",
        )
    customer = await uow.customers.get(customer_id=request.customer_id)  # type: ignore[arg-type]
    if customer is not None and customer.blacklisted:
        return [], "ブラックリストのお客様からの予約です。"
    try:
        # A savepoint: a full slot undoes only this attempt, not the visit we keep anyway.
        async with uow.session.begin_nested():
            check_visit_time(rules_of(store), starts_at=request.starts_at, ends_at=request.ends_at)
            held = await take_slots(
                kind=kind,
                store=store,
                prop=prop,
                starts_at=request.starts_at,
                ends_at=request.ends_at,
                uow=uow,
            )
    except DomainError as exc:
        return [], exc.message
    return held, None
