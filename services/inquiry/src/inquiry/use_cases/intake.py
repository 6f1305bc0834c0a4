"""INQ-1/INQ-3: take a portal inquiry, keep it (raw payload too), emit InquiryReceived."""

from dataclasses import dataclass
from uuid import UUID

from contracts import InquiryReceivedV1
from contracts.envelope import new_event_id
from contracts.inquiry import Contact, PropertyRef, RequestedVisit

from inquiry.adapters.unit_of_work import InquiryUnitOfWork
from inquiry.domain.model import PortalInquiry

PORTAL_MEDIUM = "portal"


@dataclass(frozen=True)
class IntakeResult:
    inquiry_id: UUID
    created: bool


async def receive_portal_inquiry(
    payload: PortalInquiry, *, raw: str, store_id: UUID | None, uow: InquiryUnitOfWork
) -> IntakeResult:
    inquiry_id = new_event_id()
    visit = payload.requested_visit
    created_id = await uow.inquiries.add_if_new(
        values={
            "id": inquiry_id,
            "external_id": payload.inquiry_id,
            "medium": PORTAL_MEDIUM,
            "kind": payload.kind,
            "received_at": payload.received_at,
            "store_id": store_id,
            "contact": payload.customer.model_dump(mode="json"),
            "property": payload.property.model_dump(mode="json") if payload.property else None,
            "requested_visit_starts_at": visit.starts_at if visit else None,
            "requested_visit_ends_at": visit.ends_at if visit else None,
            "message": payload.message,
            "raw_payload": raw,
        }
    )
    if created_id is None:  # the portal resent it: same answer, no second effect
        existing = await uow.inquiries.get_by_external(
            medium=PORTAL_MEDIUM, external_id=payload.inquiry_id
        )
        assert existing is not None
        return IntakeResult(inquiry_id=existing.id, created=False)
    await uow.add_event(
        InquiryReceivedV1(
            inquiry_id=created_id,
            external_id=payload.inquiry_id,
            medium=PORTAL_MEDIUM,
            kind=payload.kind,
            received_at=payload.received_at,
            store_id=store_id,
            contact=Contact(**payload.customer.model_dump(mode="json")),
            property=PropertyRef(**payload.property.model_dump()) if payload.property else None,
            requested_visit=RequestedVisit(**visit.model_dump()) if visit else None,
            message=payload.message,
        ),
        correlation_id=created_id,
    )
    await uow.commit()
    return IntakeResult(inquiry_id=created_id, created=True)
