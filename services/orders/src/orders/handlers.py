"""Events the orders service consumes → its use cases: customer merges, and its own order
events for the reporting model (ORD-6, ``use_cases/reporting.py``)."""

from contracts import CustomerMergedV1
from contracts.orders import OrderCancelledV1, OrderPlacedV1, OrderReturnedV1, SurveyAnsweredV1
from kit.customer_refs import repoint_merged_customer

from orders.use_cases.reporting import (
    report_customer_merged,
    report_order_cancelled,
    report_order_placed,
    report_order_returned,
    report_survey_answered,
)

HANDLERS = {
    CustomerMergedV1: [repoint_merged_customer, report_customer_merged],
    OrderPlacedV1: [report_order_placed],
    OrderCancelledV1: [report_order_cancelled],
    OrderReturnedV1: [report_order_returned],
    SurveyAnsweredV1: [report_survey_answered],
}
