"""LEAD-4/5: one customer's level with its reason, reactions per property, browsing
history with dwell and likes, views by weekday and hour, and the proposal open rate."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from leads.adapters.orm import PageView
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.engagement import (
    HeatMap,
    OpenRate,
    PropertyReaction,
    heat_map,
    proposal_open_rate,
    reactions,
)
from leads.domain.levels import Assessment, Level, assess
from leads.use_cases import level_settings

HISTORY_LIMIT = 100
EVER = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


@dataclass(frozen=True)
class Engagement:
    customer_id: UUID
    target: bool
    assessment: Assessment
    attention: bool
    reactions: list[PropertyReaction]
    history: list[PageView]
    heat_map: HeatMap
    proposal_open_rate: OpenRate
    proposal_views: int


async def _materialized(*, customer_id: UUID, uow: LeadsUnitOfWork) -> Assessment:
    row = await uow.levels.get(customer_id=customer_id)
    if row is None:
        return Assessment(None, None, None)
    return Assessment(Level(row.level) if row.level else None, row.reason, row.last_activity_at)


async def customer_engagement(
    *, customer_id: UUID, at: datetime | None, uow: LeadsUnitOfWork
) -> Engagement:
    """The level as materialized, or recomputed at the moment ``at``. A customer leads has
    never heard of in this tenant (another tenant's, or none) is not found."""
    await uow.customer_refs.require(customer_id=customer_id)
    settings = (await level_settings.current(uow=uow)).settings
    views = [v for _, v in await uow.views.facts(since=EVER, customer_id=customer_id)]
    opens = [o for _, o in await uow.opens.facts(since=EVER, customer_id=customer_id)]
    sent = await uow.sends.message_ids(customer_id=customer_id, kind="proposal")
    if at is None:
        assessment = await _materialized(customer_id=customer_id, uow=uow)
    else:
        assessment = assess(views=views, opens=opens, settings=settings, now=at)
    return Engagement(
        customer_id=customer_id,
        target=not await uow.exclusions.excluded(customer_ids=[customer_id]),
        assessment=assessment,
        attention=bool(await uow.opens.customers_with_machine_opens(customer_ids=[customer_id])),
        reactions=reactions(views),
        history=await uow.views.history(customer_id=customer_id, limit=HISTORY_LIMIT),
        heat_map=heat_map(views),
        proposal_open_rate=proposal_open_rate(sent_message_ids=sent, opens=opens),
        proposal_views=await uow.views.count_from_kind(customer_id=customer_id, kind="proposal"),
    )
