"""Events the orders service consumes → its use cases."""

from contracts import CustomerMergedV1, CustomerProfileChangedV1
from contracts.customer import CustomerDeletedV1, ShopCustomerLinkedV1
from kit.customer_refs import forget_customer, know_customer, repoint_merged_customer

from orders.use_cases.shop_customers import fill_customer

HANDLERS = {
    CustomerMergedV1: [repoint_merged_customer],
    # The tenant's customers, so that another tenant's id answers 404 (kit.customer_refs).
    CustomerProfileChangedV1: [know_customer],
    CustomerDeletedV1: [forget_customer],
    # A web-shop order's unknown customer, resolved by the customer service (decision 64).
    ShopCustomerLinkedV1: [fill_customer],
}
