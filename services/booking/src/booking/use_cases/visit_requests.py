"""Portal visit requests (INQ-5): kept from InquiryReceived, tied to the customer found by
名寄せ, and turned into a visit as soon as both are known. The consumer owns the transaction."""

from dataclasses import asdict
from datetime import UTC, datetime
from uuid import UUID

from booking.adapters.orm import VisitRequest
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.model import NewVisitRequest
from booking.use_cases.portal_visits import place_portal_visit


async def record_visit_request(request: NewVisitRequest, *, uow: BookingUnitOfWork) -> bool:
    await uow.links.lock(inquiry_id=request.inquiry_id)
    customer_id = await uow.links.customer_of(inquiry_id=request.inquiry_id)
    values = asdict(request) | {"status": request.status.value, "customer_id": customer_id}
    added = await uow.visit_requests.add_if_new(values=values)
    if added and customer_id is not None:
        await _place(inquiry_id=request.inquiry_id, uow=uow)
    return added


async def link_customer(*, inquiry_id: UUID, customer_id: UUID, uow: BookingUnitOfWork) -> None:
    await uow.links.lock(inquiry_id=inquiry_id)
    await uow.links.put(inquiry_id=inquiry_id, customer_id=customer_id)
    await uow.customers.known(customer_id=customer_id)
    await uow.visit_requests.set_customer(inquiry_id=inquiry_id, customer_id=customer_id)
    await _place(inquiry_id=inquiry_id, uow=uow)


async def _place(*, inquiry_id: UUID, uow: BookingUnitOfWork) -> None:
    request = await uow.visit_requests.get(inquiry_id=inquiry_id)
    if request is None or request.customer_id is None:
        return
    if await uow.visits.exists_for_inquiry(inquiry_id=inquiry_id):
        return
    status = await place_portal_visit(request, now=datetime.now(UTC), uow=uow)
    await uow.visit_requests.set_status(inquiry_id=inquiry_id, status=status)


async def repoint_customer(*, source_id: UUID, target_id: UUID, uow: BookingUnitOfWork) -> None:
    await uow.links.repoint_customer(source_id=source_id, target_id=target_id)
    await uow.visit_requests.repoint_customer(source_id=source_id, target_id=target_id)


async def find_visit_requests(
    *, page: int, per_page: int, uow: BookingUnitOfWork
) -> tuple[list[VisitRequest], int]:
    return await uow.visit_requests.page(limit=per_page, offset=(page - 1) * per_page)
