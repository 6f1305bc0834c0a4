"""Events the orders service consumes → its use cases."""

from contracts import CustomerMergedV1
from kit.customer_refs import repoint_merged_customer

HANDLERS = {
    CustomerMergedV1: [repoint_merged_customer],
}
