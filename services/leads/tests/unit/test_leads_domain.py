from datetime import UTC, datetime
from uuid import uuid4

from contracts import InquiryReceivedV1, OrderPlacedV1, VisitScheduledV1
from contracts.inquiry import Contact, PropertyRef
from contracts.orders import OrderLine
from leads.domain.activity import (
    ActivityKind,
    inquiry_activity,
    order_activity,
    visit_activity,
)

AT = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def test_an_inquiry_is_its_linked_customers_and_keeps_no_contact_details() -> None:
    event = InquiryReceivedV1(
        inquiry_id=uuid4(),
        medium="portal",
        kind="question",
        received_at=AT,
        contact=Contact(name="住まい 花子", email="hanako@example.jp", phone="090-1234-5678"),
        property=PropertyRef(code="P-001", name="グランメゾン川崎 402"),
    )
    event_id, customer_id = uuid4(), uuid4()
    activity = inquiry_activity(event, customer_id=customer_id, event_id=event_id)
    assert activity.kind is ActivityKind.INQUIRY
    assert (activity.event_id, activity.inquiry_id, activity.customer_id) == (
        event_id,
        event.inquiry_id,
        customer_id,
    )
    assert activity.occurred_at == AT
    assert activity.detail["property"]["code"] == "P-001"
    assert "contact" not in activity.detail


def test_a_visit_is_dated_when_it_was_booked() -> None:
    booked = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    event = VisitScheduledV1(
        visit_id=uuid4(),
        kind="store_consultation",
        customer_id=uuid4(),
        store_id=uuid4(),
        starts_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
        status="scheduled",
        source_inquiry_id=uuid4(),
    )
    activity = visit_activity(event, event_id=uuid4(), scheduled_at=booked)
    assert activity.kind is ActivityKind.VISIT
    assert activity.occurred_at == booked
    assert activity.customer_id == event.customer_id
    assert activity.inquiry_id == event.source_inquiry_id
    assert activity.detail["starts_at"] == "2026-12-01T01:00:00Z"


def test_an_order_keeps_its_total_and_line_count() -> None:
    line = OrderLine(
        product_id=uuid4(),
        product_name="天然水 12L",
        quantity=2,
        unit_price_yen=1_500,
        tax_rate_percent=8,
        amount_yen=3_000,
    )
    event = OrderPlacedV1(
        order_id=uuid4(),
        customer_id=uuid4(),
        channel="phone",
        ordered_at=AT,
        lines=[line],
        subtotal_yen=3_000,
        tax_yen=240,
        shipping_fee_yen=0,
        discount_yen=0,
        total_yen=3_240,
    )
    activity = order_activity(event, event_id=uuid4())
    assert activity.kind is ActivityKind.ORDER
    assert activity.customer_id == event.customer_id and activity.inquiry_id is None
    assert activity.detail["total_yen"] == 3_240
    assert activity.detail["line_count"] == 1
