"""Booking rules that need no I/O."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from contracts import PORTAL_MEDIUM, InquiryReceivedV1


class VisitRequestStatus(StrEnum):
    """Where a portal visit request stands; later issues add the steps after "pending"."""

    PENDING = "pending"  # 未対応: asked for on the portal, no slot taken yet


@dataclass(frozen=True)
class NewVisitRequest:
    inquiry_id: UUID
    store_id: UUID | None
    property_code: str | None
    property_name: str | None
    starts_at: datetime
    ends_at: datetime
    received_at: datetime
    status: VisitRequestStatus = VisitRequestStatus.PENDING


def visit_request_from(event: InquiryReceivedV1) -> NewVisitRequest | None:
    """Only a portal reservation that names a time becomes a request; other inquiries are
    the customer and leads services' business. Seed 000: only the portal's reservations link
    by themselves; for any other medium staff add the visit from the customer (予定を追加)."""
    visit = event.requested_visit
    if event.medium != PORTAL_MEDIUM or event.kind != "visit_reservation" or visit is None:
        return None
    prop = event.property
    return NewVisitRequest(
        inquiry_id=event.inquiry_id,
        store_id=event.store_id,
        property_code=prop.code if prop else None,
        property_name=prop.name if prop else None,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        received_at=event.received_at,
    )
