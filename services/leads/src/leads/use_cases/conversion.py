"""LEAD-8: conversion by level and next month's expected contracts (domain.conversion),
from the tenant's views, opens and follow-up status changes (成約 by FollowUpChanged)."""

from datetime import datetime, timedelta
from uuid import UUID

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.activity import CONTRACTED
from leads.domain.conversion import Conversion, conversion
from leads.domain.levels import MAX_PERIOD_DAYS, Level
from leads.use_cases import level_settings
from leads.use_cases.scoring import group_facts


async def level_conversion(
    *, now: datetime, days: int, lookback_days: int, uow: LeadsUnitOfWork
) -> Conversion:
    settings = (await level_settings.current(uow=uow)).settings
    # Facts old enough to make a level at the period's start count too.
    since = now - timedelta(days=days + lookback_days + MAX_PERIOD_DAYS)
    histories = group_facts(await uow.views.facts(since=since), await uow.opens.facts(since=since))
    contracts: dict[UUID, list[datetime]] = {}
    status: dict[UUID, str] = {}
    for customer_id, at, new in await uow.activities.follow_ups():
        status[customer_id] = new  # oldest first: the last one stays
        if new == CONTRACTED:
            contracts.setdefault(customer_id, []).append(at)
    current: dict[Level, int] = {}
    for customer_id, level in await uow.levels.current():
        if status.get(customer_id) != CONTRACTED:
            current[Level(level)] = current.get(Level(level), 0) + 1
    return conversion(
        histories=histories,
        contracts=contracts,
        current=current,
        settings=settings,
        now=now,
        days=days,
        lookback_days=lookback_days,
    )
