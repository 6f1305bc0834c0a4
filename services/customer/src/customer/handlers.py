"""Events the customer service consumes → its use cases."""

from contracts import InquiryReceivedV1

from customer.use_cases.linking import link_inquiry_to_customer

HANDLERS = {
    InquiryReceivedV1: [link_inquiry_to_customer],
}
