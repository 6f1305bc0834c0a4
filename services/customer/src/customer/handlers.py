"""Events the customer service consumes → its use cases."""

from contracts import (
    EmailSentV1,
    InquiryReceivedV1,
    OrderCancelledV1,
    OrderPlacedV1,
    OrderReturnedV1,
    VisitCancelledV1,
    VisitChangedV1,
    VisitScheduledV1,
)
from contracts.orders import ShopOrderReceivedV1

from customer.use_cases.actions import record_email_sent
from customer.use_cases.linking import link_inquiry_to_customer, link_shop_order
from customer.use_cases.purchases import (
    record_order_cancelled,
    record_order_placed,
    record_order_returned,
)
from customer.use_cases.visits import (
    record_visit_cancelled,
    record_visit_changed,
    record_visit_scheduled,
)

HANDLERS = {
    InquiryReceivedV1: [link_inquiry_to_customer],
    ShopOrderReceivedV1: [link_shop_order],
    VisitScheduledV1: [record_visit_scheduled],
    VisitChangedV1: [record_visit_changed],
    VisitCancelledV1: [record_visit_cancelled],
    OrderPlacedV1: [record_order_placed],
    OrderCancelledV1: [record_order_cancelled],
    OrderReturnedV1: [record_order_returned],
    EmailSentV1: [record_email_sent],
}
