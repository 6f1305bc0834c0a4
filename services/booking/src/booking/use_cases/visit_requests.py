"""Portal visit requests: kept from InquiryReceived, tied to the customer found by 名寄せ,
moved along when customers merge. The consumer (kit) owns the transaction."""

from dataclasses import asdict
from uuid import UUID

from booking.adapters.orm import VisitRequest
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.model import NewVisitRequest


async def record_visit_request(request: NewVisitRequest, *, uow: BookingUnitOfWork) -> bool:
    await uow.links.lock(inquiry_id=request.inquiry_id)
    customer_id = await uow.links.customer_of(inquiry_id=request.inquiry_id)
    values = asdict(request) | {"status": request.status.value, "customer_id": customer_id}
    return await uow.visit_requests.add_if_new(values=values)


async def link_customer(*, inquiry_id: UUID, customer_id: UUID, uow: BookingUnitOfWork) -> None:
    await uow.links.lock(inquiry_id=inquiry_id)
    await uow.links.put(inquiry_id=inquiry_id, customer_id=customer_id)
    await uow.visit_requests.set_customer(inquiry_id=inquiry_id, customer_id=customer_id)


async def repoint_customer(*, source_id: UUID, target_id: UUID, uow: BookingUnitOfWork) -> None:
    await uow.links.repoint_customer(source_id=source_id, target_id=target_id)
    await uow.visit_requests.repoint_customer(source_id=source_id, target_id=target_id)


async def find_visit_requests(
    *, page: int, per_page: int, uow: BookingUnitOfWork
) -> tuple[list[VisitRequest], int]:
    return await uow.visit_requests.page(limit=per_page, offset=(page - 1) * per_page)
