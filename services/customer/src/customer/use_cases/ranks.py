"""CUS-10 ランク: the tenant's rank master and each customer's rank. Bound: a customer's rank
is recomputed in the very transaction that records an order event of theirs (OrderPlaced,
OrderCancelled, OrderReturned) and a merge, so it is current as soon as the purchase is; a
master change recomputes every customer in its own transaction (one set-based statement);
recency (days since the last purchase) moves with the calendar, which the daily recompute of
the rank worker follows (entrypoints/jobs.py)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID, uuid4

from kit import clock

from customer.adapters.orm_histories import Rank
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.ranks import RankRule, check_master

EPOCH = datetime(1970, 1, 1, tzinfo=clock.JST)
RULE_FIELDS = ("min_orders", "max_orders", "min_amount_yen", "max_amount_yen",
               "min_days_since", "max_days_since")  # fmt: skip


@dataclass(frozen=True)
class RankMasterView:
    period_days: int | None
    ranks: list[Rank]
    recomputed: int = 0


async def show_master(*, uow: CustomerUnitOfWork) -> RankMasterView:
    head, ranks = await uow.ranks.master()
    return RankMasterView(period_days=head.period_days if head else None, ranks=ranks)


async def replace_master(
    *, period_days: int | None, ranks: list[dict], by: UUID | None, uow: CustomerUnitOfWork
) -> RankMasterView:
    """The whole master at once (the page edits it as one table); overlapping ranks are
    refused; then every customer of the tenant is ranked again."""
    rules = [RankRule(name=r["name"].strip(), **{k: r.get(k) for k in RULE_FIELDS}) for r in ranks]
    check_master(rules, period_days=period_days)
    await uow.ranks.lock_master()
    _, current = await uow.ranks.master()
    known = {r.id for r in current}
    values = [
        {"id": r.get("id") if r.get("id") in known else uuid4(), "name": rule.name,
         **{k: getattr(rule, k) for k in RULE_FIELDS}}
        for r, rule in zip(ranks, rules, strict=True)
    ]  # fmt: skip
    saved = await uow.ranks.replace(period_days=period_days, ranks=values, by=by)
    changed = await recompute(uow=uow, period_days=period_days)
    await uow.ranks.mark_recomputed(today=clock.today())
    return RankMasterView(period_days=period_days, ranks=saved, recomputed=changed)


async def recompute(
    *, uow: CustomerUnitOfWork, customer_id: UUID | None = None, period_days: object = ...
) -> int:
    """The rank of one customer (an order event, a merge) or of all (a master change, the
    daily run). Returns how many customers' ranks changed."""
    if period_days is ...:
        head, _ = await uow.ranks.master()
        period_days = head.period_days if head else None
    today = clock.today()
    since = (
        datetime.combine(today - timedelta(days=int(period_days) - 1), time(), tzinfo=clock.JST)  # type: ignore[arg-type]
        if period_days
        else EPOCH
    )
    return await uow.ranks.recompute(today=today, since=since, customer_id=customer_id)


async def stale_tenants(*, limit: int, uow: CustomerUnitOfWork) -> list[UUID]:
    return await uow.ranks.stale_tenants(today=clock.today(), limit=limit)


async def recompute_tenant(*, uow: CustomerUnitOfWork) -> int:
    """The daily run for one tenant: every customer ranked for today's calendar."""
    await uow.ranks.lock_master()
    changed = await recompute(uow=uow)
    await uow.ranks.mark_recomputed(today=clock.today())
    return changed
