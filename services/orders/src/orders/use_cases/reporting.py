"""ORD-6: the reporting model fed by this service's own events (OrderPlaced, OrderCancelled,
OrderReturned, SurveyAnswered) through its consumer, and by the customer service's merges and
contacts (CustomerMerged, ContactRecorded). Each handler runs in the consumer's
transaction with the inbox claim of its event id, so that a redelivered event counts once;
an event about an order the model has not seen yet (its OrderPlaced still on its way) is
refused, and the bus retries it."""

from dataclasses import replace
from uuid import UUID

from contracts import CustomerMergedV1, Envelope
from contracts.customer import ContactRecordedV1
from contracts.orders import OrderCancelledV1, OrderPlacedV1, OrderReturnedV1, SurveyAnsweredV1

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain import bundles
from orders.domain import reporting as model
from orders.domain.reporting import NONE, LineFact, OrderFact, Returned, month_of


class OrderNotYetSeen(RuntimeError):
    """A cancel or a return arrived before its order: retried by the bus."""


async def _fact(event: OrderPlacedV1, uow: OrdersUnitOfWork) -> OrderFact:
    """The order as the model keeps it: a bundle line as its items (``domain/bundles.py``),
    read from the order's own lines since the event names the set only."""
    sets = iter(await uow.reports.bundle_lines(order_id=event.order_id)
                if any(ln.kind == "bundle" for ln in event.lines) else [])  # fmt: skip
    lines: list[LineFact] = []
    for ln in event.lines:
        found = next(sets, None) if ln.kind == "bundle" else None
        if found and found[1]:
            lines += bundles.split(*found)
        else:  # a product (or a set whose items are not known here: counted as the set)
            lines.append(LineFact(ln.product_id, ln.product_name, ln.quantity, ln.amount_yen,
                                  ln.cost_yen or 0))  # fmt: skip
    return OrderFact(
        order_id=event.order_id, customer_id=event.customer_id, ordered_at=event.ordered_at,
        medium_key=event.medium_id or NONE, staff_key=event.staff_id or NONE,
        prefecture=event.delivery_prefecture or "", discount_yen=event.discount_yen,
        shipping_yen=event.shipping_fee_yen, lines=tuple(lines),
    )  # fmt: skip


async def report_order_placed(
    event: OrderPlacedV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    fact = await _fact(event, uow)
    # an event published before a merge and delivered after it names the merged-away customer
    fact = replace(fact, customer_id=await uow.reports.survivor(customer_id=fact.customer_id))
    await uow.reports.put_order(fact)
    await uow.reports.apply(fact, model.placed(fact))
    await uow.reports.seen(envelope)


async def report_order_cancelled(
    event: OrderCancelledV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    fact = await _order(event.order_id, uow)
    if fact.status != "cancelled":
        await uow.reports.apply(fact, model.cancelled(fact))
        await uow.reports.put_order(replace(fact, status="cancelled",
                                                  outcome=f"キャンセル: {event.reason}"))  # fmt: skip
    await uow.reports.seen(envelope)


async def report_order_returned(
    event: OrderReturnedV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    fact = await _order(event.order_id, uow)
    items = [Returned(ln.product_id, ln.quantity, ln.amount_yen) for ln in event.lines]
    after, deltas = model.returned(fact, items)
    if fact.status != "cancelled":
        await uow.reports.apply(fact, deltas)
    await uow.reports.put_order(replace(after, outcome=f"返品: {event.reason}"))
    await uow.reports.seen(envelope)


async def report_survey_answered(
    event: SurveyAnsweredV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    rows = [
        {"question_id": a.question_id, "question_text": a.question_text, "answer": a.answer,
         "product_id": p.product_id, "product_name": p.product_name}
        for a in event.answers for p in event.products
    ]  # fmt: skip
    await uow.reports.count_answers(month=month_of(event.ordered_at), rows=rows)
    await uow.reports.seen(envelope)


async def report_customer_merged(
    event: CustomerMergedV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    """統合: the reports count the merged customer's orders as the target's (顧客別, 離脱), and
    every later event naming the merged customer too (decision 95)."""
    await uow.reports.merge_customer(
        source_id=event.source_customer_id, target_id=event.target_customer_id
    )


async def report_contact_recorded(
    event: ContactRecordedV1, *, envelope: Envelope, uow: OrdersUnitOfWork
) -> None:
    """離脱分析's contacts (decision 93): the interaction or action as the customer service
    last stated it, under the survivor of the customer's merges. The freshness line stays the
    orders' own events' (as for merges): it tells how far the orders were counted."""
    customer_id = await uow.reports.survivor(customer_id=event.customer_id)
    await uow.reports.put_contact({
        "contact_id": event.contact_id, "customer_id": customer_id, "kind": event.kind,
        "kind_label": event.kind_label, "occurred_at": event.occurred_at,
        "deleted": event.deleted, "changed_at": event.changed_at,
    })  # fmt: skip


async def _order(order_id: UUID, uow: OrdersUnitOfWork) -> OrderFact:
    fact = await uow.reports.order(order_id=order_id)
    if fact is None:
        raise OrderNotYetSeen(f"order {order_id} not in the reporting model yet")
    return fact
