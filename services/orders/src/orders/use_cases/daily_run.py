"""ORD-3 the daily run: each due subscription's order made exactly once per subscription and
cycle, whatever happens (a second run, a crash midway, two replicas at once).

Each chunk is one transaction: it locks due subscriptions (``FOR UPDATE SKIP LOCKED``: a run
beside it takes others), records the cycle (the unique key on subscription and cycle), places
the order through the same placement as a phone order (``OrderPlaced`` in the outbox,
channel ``subscription``) and moves the subscription to its next cycle, all committed
together, or none of it. A crash loses at most the chunk in flight, which the next run does.
A cycle whose delivery day has already passed is recorded as missed, never ordered late;
an order the placement refuses (a discontinued product) is recorded as failed with its
reason, for a person, and the subscription moves on. Callers own the transactions."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from kit import clock
from kit.errors import DomainError

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.placing import Delivery, LineRequest, PlaceOrder, place_order
from orders.use_cases.subscription_calendar import current_plan
from orders.use_cases.subscriptions import advance

CHUNK = 200


@dataclass(frozen=True)
class ChunkDone:
    claimed: int  # subscriptions this chunk moved on (0: nothing left due)
    created: int
    skipped: int
    failed: int


async def start_run(*, today: date, uow: OrdersUnitOfWork) -> orm.SubscriptionRun:
    run = orm.SubscriptionRun(id=uuid4(), run_on=today, started_at=clock.now(), created=0,
                              skipped=0, failed=0)  # fmt: skip
    uow.subscriptions.add(run)
    await uow.subscriptions.flush()
    return run


async def finish_run(
    *, run_id: UUID, error: str | None, uow: OrdersUnitOfWork
) -> orm.SubscriptionRun:
    run = await uow.subscriptions.run(run_id=run_id)
    assert run is not None
    run.finished_at, run.error = clock.now(), error
    await uow.subscriptions.flush()
    return run


def _order(sub: orm.Subscription) -> PlaceOrder:
    return PlaceOrder(
        customer_id=sub.customer_id,
        lines=tuple(LineRequest(UUID(ln["product_id"]), ln["quantity"]) for ln in sub.lines),
        delivery=Delivery(**sub.delivery), channel="subscription", staff_id=sub.staff_id,
        medium_id=sub.medium_id, ships_on=sub.next_delivers_on, subscription_id=sub.id,
    )  # fmt: skip


async def run_chunk(
    *, run_id: UUID, today: date, uow: OrdersUnitOfWork, limit: int = CHUNK
) -> ChunkDone:
    """One transaction's worth of due subscriptions."""
    plan = await current_plan(uow=uow)
    created = skipped = failed = 0
    claimed = await uow.subscriptions.claim_due(today=today, limit=limit)
    for sub in claimed:
        if sub.next_delivers_on < today:
            if await uow.subscriptions.claim_cycle(
                sub, status="missed", delivers_on=sub.next_delivers_on,
                note="受注日を過ぎていたため作成しませんでした",
            ) is not None:  # fmt: skip
                skipped += 1
        else:
            outcome = await _place(sub, today, uow)
            created += outcome == "ordered"
            failed += outcome == "failed"
        advance(sub, plan)
    await uow.subscriptions.flush()
    await uow.subscriptions.count_run(run_id=run_id, created=created, skipped=skipped,
                                      failed=failed)  # fmt: skip
    return ChunkDone(len(claimed), created, skipped, failed)


async def _place(sub: orm.Subscription, today: date, uow: OrdersUnitOfWork) -> str:
    delivery_id = await uow.subscriptions.claim_cycle(sub, status="ordered",
                                                      delivers_on=sub.next_delivers_on)  # fmt: skip
    if delivery_id is None:
        return "already"  # recorded by an earlier run: the subscription only moves on
    try:
        async with uow.subscriptions.savepoint():
            placed = await place_order(_order(sub), uow=uow, now=clock.now())
    except DomainError as exc:
        await uow.subscriptions.mark_failed(delivery_id=delivery_id, note=exc.message)
        return "failed"
    await uow.subscriptions.attach_order(delivery_id=delivery_id, order_id=placed.order.id)
    return "ordered"
