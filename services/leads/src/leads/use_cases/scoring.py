"""LEAD-7: the materialized level of each customer. Its due-at is the earliest moment it can
change: a window ending (domain.decay.next_change), or now — a new open or page view (when
leads consumes its event) and a settings change (the whole tenant) make it due at once. The
level worker, woken at those commits and polling for windows, re-scores due customers in
batches. The level is still the pure function of the event log, the settings and the
moment (domain.levels.assess): this only decides when it is computed and keeps the answer."""

from datetime import datetime, timedelta
from uuid import UUID

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.decay import next_change
from leads.domain.levels import MAX_PERIOD_DAYS, OpenFact, ViewFact, assess
from leads.use_cases import level_settings

ViewsAndOpens = tuple[list[ViewFact], list[OpenFact]]


def group_facts(
    views: list[tuple[UUID, ViewFact]], opens: list[tuple[UUID, OpenFact]]
) -> dict[UUID, ViewsAndOpens]:
    grouped: dict[UUID, ViewsAndOpens] = {}
    for customer_id, v in views:
        grouped.setdefault(customer_id, ([], []))[0].append(v)
    for customer_id, o in opens:
        grouped.setdefault(customer_id, ([], []))[1].append(o)
    return grouped


async def _score(*, customer_ids: list[UUID], now: datetime, uow: LeadsUnitOfWork) -> None:
    """The caller holds the settings guard, then the customers' rows (lock / lock_due): in
    that order everywhere, as a settings change takes the guard before the rows."""
    if not customer_ids:
        return
    settings = (await level_settings.current(uow=uow)).settings
    since = now - timedelta(days=MAX_PERIOD_DAYS)
    grouped = group_facts(
        await uow.views.facts(since=since, customer_ids=customer_ids),
        await uow.opens.facts(since=since, customer_ids=customer_ids),
    )
    rows = []
    for customer_id in customer_ids:
        views, opens = grouped.get(customer_id, ([], []))
        found = assess(views=views, opens=opens, settings=settings, now=now)
        rows.append({
            "customer_id": customer_id,
            "level": found.level.value if found.level else None,
            "reason": found.reason,
            "last_activity_at": found.last_activity_at,
            "due_at": next_change(views=views, opens=opens, settings=settings, now=now),
            "scored_at": now,
        })  # fmt: skip
    await uow.levels.put_many(values=rows)


async def customer_changed(*, customer_id: UUID, now: datetime, uow: LeadsUnitOfWork) -> None:
    """A new event of the customer: the level worker re-scores them next (woken at commit)."""
    await uow.levels.mark_due(customer_id=customer_id, now=now)


async def rescore_customer(*, customer_id: UUID, now: datetime, uow: LeadsUnitOfWork) -> UUID:
    """At once, in this transaction (a merge into the customer); returns whom it scored: the
    merge target if the customer was merged away meanwhile."""
    customer_id = await uow.customer_refs.hold(customer_id=customer_id)
    await uow.level_settings.guard(change=False)
    await uow.levels.lock(customer_id=customer_id, now=now)
    await _score(customer_ids=[customer_id], now=now, uow=uow)
    return customer_id


async def rescore_due(*, customer_ids: list[UUID], now: datetime, uow: LeadsUnitOfWork) -> int:
    """The worker's round for one tenant: those still due and not being scored elsewhere."""
    await uow.level_settings.guard(change=False)
    locked = await uow.levels.lock_due(customer_ids=customer_ids, now=now)
    await _score(customer_ids=locked, now=now, uow=uow)
    return len(locked)


async def due(*, now: datetime, limit: int, uow: LeadsUnitOfWork) -> dict[UUID, list[UUID]]:
    """Customers due, by tenant (the worker's look across tenants)."""
    by_tenant: dict[UUID, list[UUID]] = {}
    for tenant_id, customer_id in await uow.levels.due(now=now, limit=limit):
        by_tenant.setdefault(tenant_id, []).append(customer_id)
    return by_tenant
