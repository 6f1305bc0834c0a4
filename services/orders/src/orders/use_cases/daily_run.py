"""ORD-3 the daily run: each due subscription's order made exactly once per subscription and
cycle, whatever happens (a second run, a crash midway, two replicas at once).

Each chunk is one transaction: it locks due subscriptions (``FOR UPDATE SKIP LOCKED``: a run
beside it takes others), builds their orders through the same placement as a phone order,
records every cycle with its order's id in one statement (the unique key on subscription and
cycle decides; the row's foreign key to its order is checked at commit), writes the orders
of the cycles it won in bulk (``OrderPlaced`` in the outbox, channel ``subscription``) and
moves the subscriptions to their next cycle, all committed together, or none of it
(decision 66). A crash loses at most the chunk in flight, which the next run does.
A cycle whose delivery day has already passed is recorded as missed, never ordered late;
an order the placement refuses (a discontinued product) is recorded as failed with its
reason, for a person, and the subscription moves on: the placement checks and prices every
order before anything is written (``build_order``), so a refusal needs no savepoint. Callers
own the transactions."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from kit import clock
from kit.clock import japan_date
from kit.errors import DomainError

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.catalogue import Catalogue
from orders.use_cases.placing import (
    BuiltOrder,
    Delivery,
    LineRequest,
    PlaceOrder,
    build_order,
    persist,
)
from orders.use_cases.subscription_calendar import current_plan
from orders.use_cases.subscriptions import advance

CHUNK = 500  # subscriptions per transaction: fewer round trips per order, short locks


@dataclass(frozen=True)
class ChunkDone:
    claimed: int  # subscriptions this chunk moved on (0: nothing left due)
    created: int
    skipped: int
    failed: int


async def start_run(
    *,
    today: date,
    uow: OrdersUnitOfWork,
    replica: str | None = None,
    started_by: UUID | None = None,
) -> orm.SubscriptionRun:
    """``replica``: the process that runs it; ``started_by``: the user who pressed 今すぐ実行
    (None: the worker's own pass)."""
    run = orm.SubscriptionRun(id=uuid4(), run_on=today, started_at=clock.now(), created=0,
                              skipped=0, failed=0, replica=replica, started_by=started_by)  # fmt: skip
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
    """One transaction's worth of due subscriptions: each order built and checked like a
    phone order (through one catalogue read for the chunk), then every cycle recorded in one
    statement (those an earlier run recorded are passed over), the orders written and their
    OrderPlaced events added for all at once, the subscriptions moved on."""
    plan = await current_plan(uow=uow)
    claimed = await uow.subscriptions.claim_due(today=today, limit=limit)
    now = clock.now()
    cat = Catalogue(uow, today=japan_date(now))
    await cat.know_customers({sub.customer_id for sub in claimed})
    cycles: list[tuple[orm.Subscription, str, str | None, UUID | None]] = []
    built: dict[UUID, BuiltOrder] = {}
    for sub in claimed:
        if sub.next_delivers_on < today:
            cycles.append((sub, "missed", "受注日を過ぎていたため作成しませんでした", None))
            continue
        try:
            built[sub.id] = order = await build_order(_order(sub), cat=cat, now=now)
        except DomainError as exc:  # refused like a phone order would be: for a person
            cycles.append((sub, "failed", exc.message, None))
            continue
        cycles.append((sub, "ordered", None, order.order_id))
    # every cycle with its order's id in one statement; the orders of the cycles won only
    # (the row's foreign key to its order is checked at commit: decision 66)
    recorded = await uow.subscriptions.claim_cycles(cycles)
    await persist([b for sub_id, b in built.items() if sub_id in recorded], uow=uow)
    for sub in claimed:
        advance(sub, plan)
    await uow.subscriptions.flush()
    statuses = [status for sub, status, _, _ in cycles if sub.id in recorded]
    done = ChunkDone(len(claimed), statuses.count("ordered"), statuses.count("missed"),
                     statuses.count("failed"))  # fmt: skip
    await uow.subscriptions.count_run(run_id=run_id, created=done.created, skipped=done.skipped,
                                      failed=done.failed)  # fmt: skip
    return done
