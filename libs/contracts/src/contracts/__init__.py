"""Event contracts: schemas only, no behaviour."""

from contracts.base import Event
from contracts.booking import (
    PropertyChangedV1,
    PropertyListedV1,
    VisitCancelledV1,
    VisitChangedV1,
    VisitScheduledV1,
)
from contracts.customer import (
    CustomerMergedV1,
    CustomerProfileChangedV1,
    CustomerWishesChangedV1,
    FollowUpChangedV1,
    InquiryLinkedV1,
    InquiryLinkedV2,
)
from contracts.envelope import Envelope, new_event_id
from contracts.gateway import StoreChangedV1
from contracts.inquiry import PORTAL_MEDIUM, InquiryReceivedV1
from contracts.leads import EmailOpenedV1, EmailSentV1, PageViewedV1
from contracts.orders import (
    OrderCancelledV1,
    OrderPlacedV1,
    OrderReturnedV1,
    SurveyAnsweredV1,
)

__all__ = [
    "PORTAL_MEDIUM",
    "CustomerMergedV1",
    "CustomerProfileChangedV1",
    "CustomerWishesChangedV1",
    "EmailOpenedV1",
    "EmailSentV1",
    "Envelope",
    "Event",
    "FollowUpChangedV1",
    "InquiryLinkedV1",
    "InquiryLinkedV2",
    "InquiryReceivedV1",
    "OrderCancelledV1",
    "OrderPlacedV1",
    "OrderReturnedV1",
    "PageViewedV1",
    "PropertyChangedV1",
    "PropertyListedV1",
    "StoreChangedV1",
    "SurveyAnsweredV1",
    "VisitCancelledV1",
    "VisitChangedV1",
    "VisitScheduledV1",
    "new_event_id",
]
