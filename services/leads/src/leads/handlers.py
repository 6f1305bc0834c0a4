"""Events the leads service consumes → its use cases."""

from contracts import (
    CustomerMergedV1,
    CustomerProfileChangedV1,
    CustomerWishesChangedV1,
    EmailOpenedV1,
    Envelope,
    FollowUpChangedV1,
    InquiryLinkedV1,
    InquiryLinkedV2,
    InquiryReceivedV1,
    OrderPlacedV1,
    PageViewedV1,
    PropertyChangedV1,
    PropertyListedV1,
    VisitScheduledV1,
)
from contracts.customer import CustomerDeletedV1
from kit import clock
from kit.customer_refs import forget_customer, know_customer, repoint_merged_customer

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.activity import (
    follow_up_activity,
    inquiry_activity,
    order_activity,
    visit_activity,
)
from leads.use_cases import activities, mails, scoring


async def record_inquiry(
    event: InquiryLinkedV2, *, envelope: Envelope, uow: LeadsUnitOfWork
) -> None:
    activity = inquiry_activity(event.inquiry, customer_id=event.customer_id,
                                event_id=envelope.event_id)  # fmt: skip
    await activities.record_activity(activity, uow=uow)


async def record_visit(
    event: VisitScheduledV1, *, envelope: Envelope, uow: LeadsUnitOfWork
) -> None:
    activity = visit_activity(event, event_id=envelope.event_id, scheduled_at=envelope.occurred_at)
    await activities.record_activity(activity, uow=uow)


async def record_order(event: OrderPlacedV1, *, envelope: Envelope, uow: LeadsUnitOfWork) -> None:
    await activities.record_activity(order_activity(event, event_id=envelope.event_id), uow=uow)


async def record_follow_up(
    event: FollowUpChangedV1, *, envelope: Envelope, uow: LeadsUnitOfWork
) -> None:
    """成約 and the other statuses, in the timeline; LEAD-8 dates contracts by them."""
    activity = follow_up_activity(event, event_id=envelope.event_id)
    await activities.record_activity(activity, uow=uow)


async def score_open(event: EmailOpenedV1, *, envelope: Envelope, uow: LeadsUnitOfWork) -> None:
    await scoring.customer_changed(customer_id=event.customer_id, now=clock.now(), uow=uow)


async def score_view(event: PageViewedV1, *, envelope: Envelope, uow: LeadsUnitOfWork) -> None:
    await scoring.customer_changed(customer_id=event.customer_id, now=clock.now(), uow=uow)


async def rescore_merge_target(
    event: CustomerMergedV1, *, envelope: Envelope, uow: LeadsUnitOfWork
) -> None:
    """After repoint_merged_customer moved the source's rows (its own transaction, before)."""
    await scoring.rescore_customer(customer_id=event.target_customer_id, now=clock.now(), uow=uow)


HANDLERS = {
    # the linked inquiry alone: its customer is known as it is recorded (decision 97)
    InquiryLinkedV2: [record_inquiry, mails.start_steps],
    InquiryReceivedV1: [],  # retired (decision 97): unbound
    InquiryLinkedV1: [],  # retired (decision 97): unbound
    VisitScheduledV1: [record_visit],
    OrderPlacedV1: [record_order],
    FollowUpChangedV1: [record_follow_up],
    EmailOpenedV1: [score_open],
    PageViewedV1: [score_view],
    CustomerMergedV1: [repoint_merged_customer, rescore_merge_target],
    # The tenant's customers, so that another tenant's id answers 404 (kit.customer_refs).
    CustomerProfileChangedV1: [know_customer],
    CustomerDeletedV1: [forget_customer],
    # LEAD-6 mails (use_cases.mails)
    PropertyListedV1: [mails.keep_listing],
    PropertyChangedV1: [mails.keep_listing],
    CustomerWishesChangedV1: [mails.keep_buyer],
}
