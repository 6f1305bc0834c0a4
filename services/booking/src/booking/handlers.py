"""Events the booking service consumes → its use cases."""

from contracts import (
    PORTAL_MEDIUM,
    CustomerMergedV1,
    CustomerProfileChangedV1,
    Envelope,
    InquiryLinkedV1,
    InquiryReceivedV1,
)

from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.model import visit_request_from
from booking.use_cases import customers, notifications, visit_requests


async def record_portal_reservation(
    event: InquiryReceivedV1, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    request = visit_request_from(event)
    if request is not None:
        await visit_requests.record_visit_request(request, uow=uow)


async def notify_portal_inquiry(
    event: InquiryReceivedV1, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    if event.medium == PORTAL_MEDIUM:  # other media are registered by staff themselves
        await notifications.notify_new_inquiry(event, uow=uow)


async def record_customer_link(
    event: InquiryLinkedV1, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    await visit_requests.link_customer(
        inquiry_id=event.inquiry_id, customer_id=event.customer_id, uow=uow
    )


async def repoint_merged_customer(
    event: CustomerMergedV1, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    await customers.merge_customers(
        source_id=event.source_customer_id, target_id=event.target_customer_id, uow=uow
    )


async def record_customer_profile(
    event: CustomerProfileChangedV1, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    await customers.record_profile(event, uow=uow)


HANDLERS = {
    InquiryReceivedV1: [record_portal_reservation, notify_portal_inquiry],
    InquiryLinkedV1: [record_customer_link],
    CustomerMergedV1: [repoint_merged_customer],
    CustomerProfileChangedV1: [record_customer_profile],
}
