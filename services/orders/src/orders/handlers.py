"""Events the orders service consumes → its use cases."""

from contracts import CustomerMergedV1, Envelope

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases import orders


async def repoint_merged_customer(
    event: CustomerMergedV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    await orders.repoint_customer(
        source_id=event.source_customer_id, target_id=event.target_customer_id, uow=uow
    )


HANDLERS = {
    CustomerMergedV1: [repoint_merged_customer],
}
