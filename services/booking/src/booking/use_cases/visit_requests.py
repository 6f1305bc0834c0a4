"""Portal visit requests (INQ-5): kept from the linked inquiry (InquiryLinked v2: the
inquiry with the customer 名寄せ found) and turned into a visit at once. The consumer owns the
transaction."""

from dataclasses import asdict
from datetime import UTC, datetime
from uuid import UUID

from booking.adapters.orm import VisitRequest
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.model import NewVisitRequest
from booking.use_cases.portal_visits import place_portal_visit


async def record_visit_request(
    request: NewVisitRequest, *, customer_id: UUID, uow: BookingUnitOfWork
) -> None:
    """A portal reservation of a linked inquiry, placed on the calendar when its slot allows
    (decision 97: the link carries the inquiry, so nothing waits for the other half)."""
    # Held: a customer merged away lands on the target, and a merge running now moves the
    # new rows too.
    customer_id = await uow.customer_refs.hold(customer_id=customer_id)
    await uow.customers.known(customer_id=customer_id)
    values = asdict(request) | {"status": request.status.value, "customer_id": customer_id}
    await uow.visit_requests.put(values=values)
    await _place(inquiry_id=request.inquiry_id, uow=uow)


async def _place(*, inquiry_id: UUID, uow: BookingUnitOfWork) -> None:
    request = await uow.visit_requests.get(inquiry_id=inquiry_id)
    if request is None or request.customer_id is None:
        return
    if await uow.visits.exists_for_inquiry(inquiry_id=inquiry_id):
        return
    status = await place_portal_visit(request, now=datetime.now(UTC), uow=uow)
    await uow.visit_requests.set_status(inquiry_id=inquiry_id, status=status)


async def find_visit_requests(
    *, page: int, per_page: int, uow: BookingUnitOfWork
) -> tuple[list[VisitRequest], int]:
    return await uow.visit_requests.page(limit=per_page, offset=(page - 1) * per_page)
