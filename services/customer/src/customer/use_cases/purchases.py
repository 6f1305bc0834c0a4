"""Orders events → the customer's purchase history (購入履歴). Orders of a merged customer land
on the merge target; a cancelled or returned order stays in the history, marked."""

from dataclasses import dataclass
from uuid import UUID

from contracts import Envelope, OrderCancelledV1, OrderPlacedV1, OrderReturnedV1
from kit.errors import NotFound

from customer.adapters.orm import CustomerPurchase
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.exports import product_key
from customer.use_cases.actions import credit_order
from customer.use_cases.ranks import recompute

HISTORY_LIMIT = 100


async def record_order_placed(
    event: OrderPlacedV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    customer_id = await uow.merges.resolve(customer_id=event.customer_id)
    await uow.visits.lock_customer(customer_id=customer_id)  # one customer's orders in turn
    lines = [{"product_id": str(line.product_id), "product_name": line.product_name,
              "quantity": line.quantity, "amount_yen": line.amount_yen}
             for line in event.lines]  # fmt: skip
    keys = sorted({product_key(line.product_name) for line in event.lines} - {""})
    await uow.purchases.add(values={
        "order_id": event.order_id, "customer_id": customer_id,
        "order_number": event.order_number, "channel": event.channel,
        "ordered_at": event.ordered_at, "total_yen": event.total_yen, "lines": lines,
        "product_keys": keys,
        "subscription_id": event.subscription_id, "status": "placed",
    })  # fmt: skip
    # In this transaction (the bounds of docs/customer.md): the action it credits, the last
    # activity of 長期放置, the rank.
    await credit_order(event, customer_id=customer_id, uow=uow)
    await uow.activity.touch(customer_id=customer_id, at=event.ordered_at, kind="purchase")
    await recompute(uow=uow, customer_id=customer_id)


async def record_order_cancelled(
    event: OrderCancelledV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    customer_id = await uow.purchases.set_status(order_id=event.order_id, status="cancelled")
    if customer_id is not None:
        await uow.visits.lock_customer(customer_id=customer_id)
        await recompute(uow=uow, customer_id=customer_id)


async def record_order_returned(
    event: OrderReturnedV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    customer_id = await uow.purchases.set_status(order_id=event.order_id, status="returned")
    if customer_id is not None:
        await uow.visits.lock_customer(customer_id=customer_id)
        await recompute(uow=uow, customer_id=customer_id)


@dataclass(frozen=True)
class PurchaseHistory:
    items: list[CustomerPurchase]
    orders: int  # that stand (not cancelled or returned)
    total_yen: int


async def purchase_history(*, customer_id: UUID, uow: CustomerUnitOfWork) -> PurchaseHistory:
    # the totals and the items from one snapshot: read apart, a cancel committed between them
    # showed the order cancelled and still counted
    await uow.read_snapshot()
    if await uow.customers.row(customer_id=customer_id) is None:  # another tenant's too
        raise NotFound("お客様が見つかりません。")
    orders, total = await uow.purchases.totals(customer_id=customer_id)
    items = await uow.purchases.of_customer(customer_id=customer_id, limit=HISTORY_LIMIT)
    return PurchaseHistory(items=items, orders=orders, total_yen=total)
