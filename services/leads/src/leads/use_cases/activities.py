"""Record a customer's activities and list them (merges are followed by kit.customer_refs).
The consumer (kit) owns the transaction."""

from uuid import UUID

from contracts.envelope import new_event_id

from leads.adapters.orm import LeadActivity
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.activity import Activity

TIMELINE_LIMIT = 100


async def record_activity(activity: Activity, *, uow: LeadsUnitOfWork) -> bool:
    refs = uow.customer_refs
    customer_id = activity.customer_id
    if customer_id is not None:
        # Held: a customer merged away lands on the target, and a merge running now moves
        # this row too. An event of the tenant's that names a customer makes it known.
        customer_id = await refs.hold(customer_id=customer_id)
        await refs.know(customer_id=customer_id)
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


async def customer_timeline(*, customer_id: UUID, uow: LeadsUnitOfWork) -> list[LeadActivity]:
    """Newest first; a customer leads has never heard of in this tenant is not found."""
    await uow.customer_refs.require(customer_id=customer_id)
    return await uow.activities.of_customer(customer_id=customer_id, limit=TIMELINE_LIMIT)
