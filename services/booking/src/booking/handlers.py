"""Events the booking service consumes → its use cases."""

from contracts import (
    PORTAL_MEDIUM,
    CustomerMergedV1,
    CustomerProfileChangedV1,
    Envelope,
    InquiryLinkedV1,
    InquiryLinkedV2,
    InquiryReceivedV1,
)

from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.model import visit_request_from
from booking.use_cases import customers, notifications, visit_requests


async def record_portal_reservation(
    event: InquiryLinkedV2, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    request = visit_request_from(event.inquiry)
    if request is not None:
        await visit_requests.record_visit_request(request, customer_id=event.customer_id, uow=uow)


async def notify_portal_inquiry(
    event: InquiryLinkedV2, *, envelope: Envelope, uow: BookingUnitOfWork
) -> None:
    if event.inquiry.medium == PORTAL_MEDIUM:  # other media are registered by staff themselves
        await notifications.notify_new_inquiry(event.inquiry, uow=uow)


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
    # the linked inquiry alone: its customer is known as the request is recorded (decision 97)
    InquiryLinkedV2: [record_portal_reservation, notify_portal_inquiry],
    InquiryReceivedV1: [],  # retired (decision 97): unbound
    InquiryLinkedV1: [],  # retired (decision 97): unbound
    CustomerMergedV1: [repoint_merged_customer],
    CustomerProfileChangedV1: [record_customer_profile],
}
