"""Booking events → the customer's booking figures (visit and cancel counts, last visit,
latest visit 「接客n回目」). Events for a merged customer land on the merge target."""

from uuid import UUID

from contracts import Envelope, VisitCancelledV1, VisitChangedV1, VisitScheduledV1
from kit import clock

from customer.adapters.unit_of_work import CustomerUnitOfWork


async def record_visit_scheduled(
    event: VisitScheduledV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    await _record(event, envelope, property_name=event.property_name, uow=uow)


async def record_visit_changed(
    event: VisitChangedV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    await _record(event, envelope, property_name=None, uow=uow)


async def _record(
    event: VisitScheduledV1 | VisitChangedV1,
    envelope: Envelope,
    *,
    property_name: str | None,
    uow: CustomerUnitOfWork,
) -> None:
    """Scheduled and changed visits are the same upsert; the customer row is locked first so
    that one customer's events, handled concurrently, recompute one after the other."""
    customer_id = await uow.merges.resolve(customer_id=event.customer_id)
    await uow.visits.lock_customer(customer_id=customer_id)
    previous = await uow.visits.upsert(
        visit_id=event.visit_id,
        customer_id=customer_id,
        store_id=event.store_id,
        kind=event.kind,
        property_name=property_name,
        starts_at=event.starts_at,
        status=event.status,
        event_at=envelope.occurred_at,
        salon=_salon(event),
    )
    # 長期放置: a booking is a contact now, a visit of the past one at its time.
    at = min(event.starts_at, clock.now())
    await uow.activity.touch(customer_id=customer_id, at=at, kind="visit")
    await _recompute(customer_id, previous, uow=uow)


def _salon(event: VisitScheduledV1 | VisitChangedV1) -> dict[str, object] | None:
    """Menu and staff member of a salon visit; None when the event names neither (another
    kind, or a producer from before these fields)."""
    if event.menu_id is None and event.staff_member_id is None:
        return None
    return {
        "menu_id": event.menu_id,
        "menu_name": event.menu_name,
        "staff_member_id": event.staff_member_id,
        "staff_member_name": event.staff_member_name,
    }


async def record_visit_cancelled(
    event: VisitCancelledV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    customer_id = await uow.merges.resolve(customer_id=event.customer_id)
    await uow.visits.lock_customer(customer_id=customer_id)
    await uow.visits.cancel(
        visit_id=event.visit_id,
        customer_id=customer_id,
        store_id=event.store_id,
        starts_at=event.starts_at,
        status=event.status,
        last_minute=event.last_minute,
        no_show=event.no_show,
        event_at=envelope.occurred_at,
    )
    await uow.visits.recompute(customer_id=customer_id)


async def _recompute(customer_id: UUID, previous: UUID | None, *, uow: CustomerUnitOfWork) -> None:
    await uow.visits.recompute(customer_id=customer_id)
    if previous is not None and previous != customer_id:
        await uow.visits.recompute(customer_id=previous)
