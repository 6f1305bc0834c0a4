"""CUS-10 ランク: the tenant's rank master and each customer's rank. Bounds:
- one customer's rank is recomputed in the very transaction that records an order event of
  theirs (OrderPlaced, OrderCancelled, OrderReturned) and a merge: it is current as soon as
  the purchase is;
- a master change ranks the first ``BATCH`` customers in its own transaction (a tenant of
  that size is done when the save answers); a larger tenant's rest is ranked by the rank
  worker in transactions of ``BATCH`` customers, woken at the save's commit;
- periods and days since the last purchase move with the calendar: the rank worker ranks
  every tenant with ranks again once a Japan day (entrypoints/rank_worker.py)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID, uuid4

from kit import clock

from customer.adapters.orm_histories import Rank
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.ranks import RankRule, check_master

EPOCH = datetime(1970, 1, 1, tzinfo=clock.JST)
BATCH = 20_000  # customers a transaction ranks (bench/customer_ranks.py: ~1.3 s on 2 cores)
RULE_FIELDS = ("min_orders", "max_orders", "min_amount_yen", "max_amount_yen",
               "min_days_since", "max_days_since")  # fmt: skip


@dataclass(frozen=True)
class RankMasterView:
    period_days: int | None
    ranks: list[Rank]
    recomputed: int = 0
    complete: bool = True  # False: the rank worker ranks the rest of the customers


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
    changed, done = await rank_batch(after=None, period_days=period_days, uow=uow)
    return RankMasterView(period_days=period_days, ranks=saved, recomputed=changed,
                          complete=done is None)  # fmt: skip


def _since(period_days: int | None) -> datetime:
    if not period_days:
        return EPOCH
    return datetime.combine(clock.today() - timedelta(days=period_days - 1), time(),
                            tzinfo=clock.JST)  # fmt: skip


async def recompute(*, customer_id: UUID, uow: CustomerUnitOfWork) -> int:
    """One customer's rank (an order event, a merge); 1 if it changed."""
    head, _ = await uow.ranks.master()
    since = _since(head.period_days if head else None)
    return await uow.ranks.recompute(today=clock.today(), since=since, customer_id=customer_id)


async def rank_batch(
    *, after: UUID | None, period_days: int | None, uow: CustomerUnitOfWork
) -> tuple[int, UUID | None]:
    """The next ``BATCH`` customers after ``after`` (the start: None); records where the
    tenant's run stands. Returns (changed, the last id done or None at the end)."""
    changed, upper = await uow.ranks.recompute_batch(
        today=clock.today(), since=_since(period_days), after=after, limit=BATCH
    )
    await uow.ranks.progress(on=clock.today() if upper is None else None, after=upper)
    return changed, upper


async def stale_tenants(*, limit: int, uow: CustomerUnitOfWork) -> list[UUID]:
    return await uow.ranks.stale_tenants(today=clock.today(), limit=limit)


async def continue_run(*, uow: CustomerUnitOfWork) -> tuple[int, bool]:
    """One batch of the tenant's run: a run under way goes on where it stands, a tenant not
    ranked today starts from its first customer. Returns (changed, finished)."""
    await uow.ranks.lock_master()
    head, _ = await uow.ranks.master()
    if head is None or (head.recomputed_on == clock.today() and head.recompute_after is None):
        return 0, True  # another replica finished it
    changed, upper = await rank_batch(after=head.recompute_after, period_days=head.period_days,
                                      uow=uow)  # fmt: skip
    return changed, upper is None
