"""A customer's activities (反響, 来場予約, 注文, 追客状況) as the leads service keeps them: the facts that
later issues score into hot-lead levels. Contact details stay with the customer service."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contracts import FollowUpChangedV1, InquiryReceivedV1, OrderPlacedV1, VisitScheduledV1


class ActivityKind(StrEnum):
    INQUIRY = "inquiry"
    VISIT = "visit"
    ORDER = "order"
    FOLLOW_UP = "follow_up"  # 追客状況 changed; status "contracted" is 成約


CONTRACTED = "contracted"


@dataclass(frozen=True)
class Activity:
    event_id: UUID  # the consumed event's id: one activity per event, however often delivered
    kind: ActivityKind
    occurred_at: datetime
    customer_id: UUID | None = None
    inquiry_id: UUID | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def inquiry_activity(event: InquiryReceivedV1, *, customer_id: UUID, event_id: UUID) -> Activity:
    """The inquiry as received, of the customer 名寄せ linked it to (InquiryLinked v2)."""
    detail = event.model_dump(
        mode="json", include={"medium", "kind", "store_id", "property", "requested_visit"}
    )
    return Activity(
        event_id=event_id,
        kind=ActivityKind.INQUIRY,
        occurred_at=event.received_at,
        customer_id=customer_id,
        inquiry_id=event.inquiry_id,
        detail=detail,
    )


def visit_activity(event: VisitScheduledV1, *, event_id: UUID, scheduled_at: datetime) -> Activity:
    """Dated when it was booked, not when the visit happens: that is the prospect's signal."""
    detail = event.model_dump(
        mode="json",
        include={"visit_id", "kind", "store_id", "property_name", "starts_at", "ends_at", "status"},
    )
    return Activity(
        event_id=event_id,
        kind=ActivityKind.VISIT,
        occurred_at=scheduled_at,
        customer_id=event.customer_id,
        inquiry_id=event.source_inquiry_id,
        detail=detail,
    )


def order_activity(event: OrderPlacedV1, *, event_id: UUID) -> Activity:
    detail = event.model_dump(
        mode="json", include={"order_id", "channel", "total_yen", "subscription_id"}
    )
    detail["line_count"] = len(event.lines)
    return Activity(
        event_id=event_id,
        kind=ActivityKind.ORDER,
        occurred_at=event.ordered_at,
        customer_id=event.customer_id,
        detail=detail,
    )


def follow_up_activity(event: FollowUpChangedV1, *, event_id: UUID) -> Activity:
    return Activity(
        event_id=event_id,
        kind=ActivityKind.FOLLOW_UP,
        occurred_at=event.changed_at,
        customer_id=event.customer_id,
        detail={"status": event.status, "previous_status": event.previous_status},
    )
