"""Events produced by the customer service (顧客)."""

from datetime import datetime
from uuid import UUID

from contracts.base import Event


class CustomerMergedV1(Event):
    """The source customer was merged into the target (統合): move the source's records."""

    event_type = "customer.merged"
    version = 1
    producer = "customer"

    source_customer_id: UUID
    target_customer_id: UUID
    merged_at: datetime
    merged_by: UUID | None = None


class InquiryLinkedV1(Event):
    """An inquiry was linked to a customer (名寄せ): by the first inquiry's email, or new."""

    event_type = "customer.inquiry_linked"
    version = 1
    producer = "customer"

    inquiry_id: UUID
    customer_id: UUID
    new_customer: bool


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (
    CustomerMergedV1,
    InquiryLinkedV1,
)
