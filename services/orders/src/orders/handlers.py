"""Events the orders service consumes → its use cases: customer merges and contacts, and its
own order events for the reporting model, the tenant's known customers and the web shop's links (ORD-6, ``use_cases/reporting.py``)."""

from contracts import CustomerMergedV1, CustomerProfileChangedV1
from contracts.customer import ContactRecordedV1, CustomerDeletedV1, ShopCustomerLinkedV1
from contracts.orders import OrderCancelledV1, OrderPlacedV1, OrderReturnedV1, SurveyAnsweredV1
from kit.customer_refs import forget_customer, know_customer, repoint_merged_customer

from orders.use_cases.reporting import (
    report_contact_recorded,
    report_customer_merged,
    report_order_cancelled,
    report_order_placed,
    report_order_returned,
    report_survey_answered,
)
from orders.use_cases.shop_customers import fill_customer

HANDLERS = {
    CustomerMergedV1: [repoint_merged_customer, report_customer_merged],
    # The tenant's customers, so that another tenant's id answers 404 (kit.customer_refs).
    CustomerProfileChangedV1: [know_customer],
    CustomerDeletedV1: [forget_customer],
    # A web-shop order's unknown customer, resolved by the customer service (decision 64).
    ShopCustomerLinkedV1: [fill_customer],
    # Its own order events feed the reporting model (ORD-6).
    OrderPlacedV1: [report_order_placed],
    OrderCancelledV1: [report_order_cancelled],
    OrderReturnedV1: [report_order_returned],
    SurveyAnsweredV1: [report_survey_answered],
    # The customers' contacts (対応・アクション): 離脱分析 by the last one (decision 93).
    ContactRecordedV1: [report_contact_recorded],
}
