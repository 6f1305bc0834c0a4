"""Record a customer's activities, tie inquiries to their customer, follow merges, list them.
The consumer (kit) owns the transaction."""

from uuid import UUID

from contracts.envelope import new_event_id

from leads.adapters.orm import LeadActivity
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.activity import Activity

TIMELINE_LIMIT = 100


async def record_activity(activity: Activity, *, uow: LeadsUnitOfWork) -> bool:
    customer_id = activity.customer_id
    if customer_id is None and activity.inquiry_id is not None:
        await uow.links.lock(inquiry_id=activity.inquiry_id)
        customer_id = await uow.links.customer_of(inquiry_id=activity.inquiry_id)
    return await uow.activities.add_if_new(
        values={
            "id": new_event_id(),
            "event_id": activity.event_id,
            "customer_id": customer_id,
            "inquiry_id": activity.inquiry_id,
            "kind": activity.kind.value,
            "occurred_at": activity.occurred_at,
            "detail": activity.detail,
        }
    )


async def link_customer(*, inquiry_id: UUID, customer_id: UUID, uow: LeadsUnitOfWork) -> None:
    await uow.links.lock(inquiry_id=inquiry_id)
    await uow.links.put(inquiry_id=inquiry_id, customer_id=customer_id)
    await uow.activities.set_inquiry_customer(inquiry_id=inquiry_id, customer_id=customer_id)


async def repoint_customer(*, source_id: UUID, target_id: UUID, uow: LeadsUnitOfWork) -> None:
    """The target's level follows by itself: levels are computed from the rows moved here."""
    await uow.links.repoint_customer(source_id=source_id, target_id=target_id)
    await uow.activities.repoint_customer(source_id=source_id, target_id=target_id)
    for rows in (uow.sends, uow.opens, uow.views):
        await rows.repoint_customer(source_id=source_id, target_id=target_id)
    await uow.exclusions.drop(customer_id=source_id)
    await uow.sends.remember_merge(source_id=source_id, target_id=target_id)


async def customer_timeline(*, customer_id: UUID, uow: LeadsUnitOfWork) -> list[LeadActivity]:
    """Newest first; a customer of another tenant simply has none (scoped session)."""
    return await uow.activities.of_customer(customer_id=customer_id, limit=TIMELINE_LIMIT)
