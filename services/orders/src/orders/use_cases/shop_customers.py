"""A web-shop order of a customer this tenant does not know by id (decision 64): the order is
made at once with the shop's facts of its customer and no customer id, and asks the customer
service, by ``ShopOrderReceived``, to resolve who placed it by the identity rule of inquiries
(名寄せ by the first contact's email; a new customer otherwise). The answer,
``ShopCustomerLinked``, fills the order's customer and only then announces the order
(``OrderPlaced``): the customer's purchase history and the leads timeline see it on the
right customer. Nothing is lost while a service is down (outbox, quorum queues, inbox) and a
redelivered answer changes nothing. Callers own the transaction."""

from datetime import datetime

from contracts import Envelope
from contracts.customer import ShopCustomerLinkedV1
from contracts.orders import ShopCustomer, ShopOrderReceivedV1
from kit.logging import get_logger

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.placing import order_placed, unit_costs

log = get_logger("orders.shop_customers")


async def ask_for_customer(
    order: orm.Order, *, customer: ShopCustomer, received_at: datetime, uow: OrdersUnitOfWork
) -> None:
    """The order is written (its number known): ask who placed it."""
    await uow.add_event(
        ShopOrderReceivedV1(
            order_id=order.id,
            order_number=order.order_number,
            shop_order_number=order.shop_order_number or "",
            received_at=received_at,
            customer=customer,
        )
    )


async def fill_customer(
    event: ShopCustomerLinkedV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    """The customer service's answer: the order gets its customer (the merge target if the
    customer was merged away since) and ``OrderPlaced`` goes out now, once."""
    customer_id = await uow.customer_refs.hold(customer_id=event.customer_id)
    await uow.customer_refs.know(customer_id=customer_id)  # first-hand: it was just linked
    order = await uow.orders.get(order_id=event.order_id, lock=True)
    if order is None or order.customer_id is not None:  # not ours, or linked already
        log.info("shop customer link left alone", linked=order is not None)
        return
    order.customer_id = customer_id
    await uow.orders.flush()
    lines = (await uow.orders.lines(order_ids=[order.id]))[order.id]
    costs = await unit_costs(lines, uow=uow)
    await uow.add_event(
        order_placed(order, lines, costs=costs), correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
    )  # fmt: skip
