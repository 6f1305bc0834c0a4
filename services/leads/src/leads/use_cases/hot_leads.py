"""LEAD-3: the hot-lead list, ordered by level then the latest activity, with counts per
level; customers kept off it in bulk or one by one (対象者 ON/OFF). Levels are computed from
the event log at ``now``, so a lead leaves 赤 the moment its window passes (LEAD-7)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.levels import (
    LEVELS,
    MAX_PERIOD_DAYS,
    RANK,
    Level,
    OpenFact,
    ViewFact,
    assess,
)
from leads.use_cases import level_settings

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


def group_facts(
    views: list[tuple[UUID, ViewFact]], opens: list[tuple[UUID, OpenFact]]
) -> dict[UUID, tuple[list[ViewFact], list[OpenFact]]]:
    grouped: dict[UUID, tuple[list[ViewFact], list[OpenFact]]] = {}
    for customer_id, v in views:
        grouped.setdefault(customer_id, ([], []))[0].append(v)
    for customer_id, o in opens:
        grouped.setdefault(customer_id, ([], []))[1].append(o)
    return grouped


async def hot_leads(
    *, now: datetime, level: Level | None = None, uow: LeadsUnitOfWork
) -> HotLeadList:
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
    if target:
        await uow.exclusions.include(customer_ids=customer_ids)
    else:
        await uow.exclusions.exclude(customer_ids=customer_ids, at=now, by=by)
