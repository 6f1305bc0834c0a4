"""LEAD-3: the hot-lead list, ordered by level then the latest activity, with counts per
level; customers kept off it in bulk or one by one (対象者 ON/OFF). The list reads the
materialized levels (use_cases.scoring, kept within the bound of docs/leads.md); a moment
asked for (``at``) is recomputed from the event log instead."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.levels import LEVELS, MAX_PERIOD_DAYS, RANK, Level, assess
from leads.use_cases import level_settings
from leads.use_cases.scoring import group_facts

LIST_LIMIT = 500


@dataclass(frozen=True)
class HotLead:
    customer_id: UUID
    level: Level
    reason: str
    last_activity_at: datetime
    attention: bool  # some of their opens were a machine's (seed 001's attention mark)


@dataclass(frozen=True)
class HotLeadList:
    counts: dict[Level, int]
    items: list[HotLead]


async def hot_leads(*, level: Level | None = None, uow: LeadsUnitOfWork) -> HotLeadList:
    """As materialized now."""
    rows = await uow.levels.listed(level=level.value if level else None, limit=LIST_LIMIT)
    found = await uow.levels.counts()
    counts = {lv: found.get(lv.value, 0) for lv in LEVELS}
    attention = await uow.opens.customers_with_machine_opens(
        customer_ids=[r.customer_id for r in rows]
    )
    items = [
        HotLead(r.customer_id, Level(r.level), r.reason or "", r.last_activity_at,  # type: ignore[arg-type]
                r.customer_id in attention)
        for r in rows
    ]  # fmt: skip
    return HotLeadList(counts=counts, items=items)


async def hot_leads_at(
    *, now: datetime, level: Level | None = None, uow: LeadsUnitOfWork
) -> HotLeadList:
    """Recomputed from the event log at any moment, past or future."""
    settings = (await level_settings.current(uow=uow)).settings
    since = now - timedelta(days=MAX_PERIOD_DAYS)
    grouped = group_facts(await uow.views.facts(since=since), await uow.opens.facts(since=since))
    excluded = await uow.exclusions.excluded(customer_ids=list(grouped))
    assessed = []
    for customer_id, (views, opens) in grouped.items():
        if customer_id in excluded:
            continue
        result = assess(views=views, opens=opens, settings=settings, now=now)
        if result.level is not None:
            assessed.append((customer_id, result))
    counts = {lv: sum(1 for _, r in assessed if r.level is lv) for lv in LEVELS}
    chosen = [(c, r) for c, r in assessed if level is None or r.level is level]
    chosen.sort(
        key=lambda cr: (
            -RANK[cr[1].level],  # type: ignore[index]
            -(cr[1].last_activity_at or datetime.min.replace(tzinfo=UTC)).timestamp(),
            str(cr[0]),
        )
    )
    chosen = chosen[:LIST_LIMIT]
    attention = await uow.opens.customers_with_machine_opens(customer_ids=[c for c, _ in chosen])
    items = [
        HotLead(c, r.level, r.reason, r.last_activity_at, c in attention)  # type: ignore[arg-type]
        for c, r in chosen
    ]
    return HotLeadList(counts=counts, items=items)


async def set_targets(
    *, customer_ids: list[UUID], target: bool, by: UUID | None, now: datetime,
    uow: LeadsUnitOfWork,
) -> None:  # fmt: skip
    for customer_id in customer_ids:  # another tenant's id is not found, and nothing changes
        await uow.customer_refs.require(customer_id=customer_id)
    if target:
        await uow.exclusions.include(customer_ids=customer_ids)
    else:
        await uow.exclusions.exclude(customer_ids=customer_ids, at=now, by=by)
