"""Read-only look-ups behind the API's lists (no rules beyond tenant scoping). A list of a
store's or a customer's things first finds that store or customer: another tenant's id is
not found (404) rather than an empty list."""

from uuid import UUID

import sqlalchemy as sa

from booking.adapters.orm import (
    BookingCustomer,
    Menu,
    NotificationTarget,
    StaffMember,
    Visit,
)
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.use_cases.customers import get_customer
from booking.use_cases.stores import get_store
from booking.use_cases.visits import get_visit

VisitWithCustomer = tuple[Visit, BookingCustomer | None]


async def visit_detail(*, visit_id: UUID, uow: BookingUnitOfWork) -> VisitWithCustomer:
    visit = await get_visit(visit_id=visit_id, uow=uow)
    return visit, await uow.customers.get(customer_id=visit.customer_id)


async def customer_visits(*, customer_id: UUID, uow: BookingUnitOfWork) -> list[VisitWithCustomer]:
    """Each visit with the customer's name and flags, as the detail and the calendar give them;
    another tenant's customer answers 404, not []."""
    customer = await get_customer(customer_id=customer_id, uow=uow)
    found = await uow.visits.of_customer(customer_id=customer_id)
    return [(v, customer) for v in found]


async def customers(
    *, customer_ids: set[UUID], uow: BookingUnitOfWork
) -> dict[UUID, BookingCustomer]:
    """The read model's name and flags (❗ caution, blacklist) of the customers listed."""
    return await uow.customers.many(customer_ids=customer_ids)


async def conflicts(*, limit: int, uow: BookingUnitOfWork) -> list[VisitWithCustomer]:
    """Portal reservations kept without a slot, for staff to move or cancel."""
    found = await uow.visits.conflicts(limit=limit)
    names = await uow.customers.many(customer_ids={v.customer_id for v in found})
    return [(v, names.get(v.customer_id)) for v in found]


async def notification_targets(
    *, store_id: UUID, uow: BookingUnitOfWork
) -> list[NotificationTarget]:
    await get_store(store_id=store_id, uow=uow)  # another tenant's store: 404, not []
    return await uow.notifications.targets(store_id=store_id)


async def notifications(
    *,
    uow: BookingUnitOfWork,
    visit_id: UUID | None = None,
    store_id: UUID | None = None,
    limit: int = 200,
) -> list[sa.Row]:
    return await uow.notifications.with_mail_status(
        visit_id=visit_id, store_id=store_id, limit=limit
    )


async def menus(
    *, store_id: UUID, uow: BookingUnitOfWork, include_retired: bool = False
) -> list[Menu]:
    await get_store(store_id=store_id, uow=uow)
    return await uow.salon.menus(store_id=store_id, include_retired=include_retired)


async def staff_members(
    *, store_id: UUID, uow: BookingUnitOfWork, include_retired: bool = False
) -> list[StaffMember]:
    await get_store(store_id=store_id, uow=uow)
    return await uow.salon.staff_members(store_id=store_id, include_retired=include_retired)
