from datetime import UTC, datetime
from uuid import uuid4

from booking.domain.model import VisitRequestStatus, visit_request_from
from contracts import InquiryReceivedV1
from contracts.inquiry import Contact, PropertyRef, RequestedVisit

STARTS = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
ENDS = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def _inquiry(**overrides) -> InquiryReceivedV1:
    fields = {
        "inquiry_id": uuid4(),
        "medium": "portal",
        "kind": "visit_reservation",
        "received_at": datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
        "store_id": uuid4(),
        "contact": Contact(name="住まい 花子"),
        "property": PropertyRef(code="P-001", name="グランメゾン川崎 402"),
        "requested_visit": RequestedVisit(starts_at=STARTS, ends_at=ENDS),
    }
    return InquiryReceivedV1(**(fields | overrides))


def test_a_reservation_with_a_time_becomes_a_pending_request() -> None:
    event = _inquiry()
    request = visit_request_from(event)
    assert request is not None
    assert request.inquiry_id == event.inquiry_id
    assert (request.starts_at, request.ends_at) == (STARTS, ENDS)
    assert (request.property_code, request.property_name) == ("P-001", "グランメゾン川崎 402")
    assert request.status is VisitRequestStatus.PENDING


def test_a_reservation_without_property_keeps_the_time() -> None:
    request = visit_request_from(_inquiry(property=None))
    assert request is not None
    assert request.property_code is None and request.starts_at == STARTS


def test_other_inquiries_are_no_requests() -> None:
    assert visit_request_from(_inquiry(kind="document_request")) is None
    assert visit_request_from(_inquiry(requested_visit=None)) is None


def test_a_reservation_of_another_medium_is_no_request() -> None:
    """Seed 000: only portal reservations link by themselves; staff add the others' visits."""
    assert visit_request_from(_inquiry(medium="homes")) is None
    assert visit_request_from(_inquiry(medium="phone")) is None
