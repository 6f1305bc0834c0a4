"""The customers read model (names, ❗ caution, blacklist) and merges (CUS-7)."""

from datetime import UTC, datetime
from uuid import UUID

from contracts import CustomerProfileChangedV1
from kit.errors import NotFound

from booking.adapters.orm import BookingCustomer, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.use_cases.visit_changes import changed_event


async def get_customer(*, customer_id: UUID, uow: BookingUnitOfWork) -> BookingCustomer:
    """A customer of the caller's tenant as booking knows it; another tenant's is not found."""
    customer = await uow.customers.get(customer_id=customer_id)
    if customer is None:
        raise NotFound("お客様が見つかりません。")
    return customer


async def record_profile(event: CustomerProfileChangedV1, *, uow: BookingUnitOfWork) -> None:
    await uow.customers.put_profile(
        customer_id=event.customer_id,
        values={
            "name": event.name,
            "caution": event.caution,
            "blacklisted": event.blacklisted,
            "withdrawn": event.withdrawn,
        },
        changed_at=event.changed_at,
    )


async def merge_customers(*, source_id: UUID, target_id: UUID, uow: BookingUnitOfWork) -> int:
    """The source's visit requests, coupons, visits and reports become the target's
    (kit.customer_refs); each moved visit is announced as changed so that the customer
    service's visit counts follow."""
    merged = await uow.customer_refs.repoint(source_id=source_id, target_id=target_id)
    if merged is None:
        return 0
    await uow.customers.known(customer_id=merged.target_id)
    moved = merged.rows(Visit)
    now = datetime.now(UTC)
    for visit in moved:
        # The moved rows already name the target (the UPDATE returns them updated).
        await uow.add_event(await changed_event(visit, now=now, uow=uow))
    return len(moved)
