"""LEAD-1..5 for staff (through the gateway with a service token): sends, the hot-lead
list and its exclusions, the thresholds, one customer's engagement."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from kit import clock
from kit.auth import CurrentPrincipal
from kit.errors import Invalid

from leads.domain.levels import LABELS, Level
from leads.entrypoints.deps import AdminOnly, StaffOnly, TxDep, UowDep
from leads.entrypoints.lead_schemas import (
    ConversionRead,
    EngagementRead,
    HotLeadListRead,
    HotLeadRead,
    LevelConversionRead,
    OpenRateRead,
    PageViewRead,
    ReactionRead,
    SendCreate,
    SendRead,
    SettingsChangeRead,
    SettingsRead,
    SettingsWrite,
    TargetsWrite,
    TargetWrite,
)
from leads.use_cases import conversion, engagement, hot_leads, level_settings, tracking

router = APIRouter(dependencies=[StaffOnly])


def _aware(at: datetime | None, field: str = "at") -> datetime | None:
    """``at`` recomputes the levels as they were (or will be) then."""
    if at is not None and at.tzinfo is None:
        raise Invalid(
            "日時はタイムゾーン付きで指定してください。", code="naive_datetime", field=field
        )
    return at


def _moment(at: datetime | None, field: str = "at") -> datetime:
    return _aware(at, field) or clock.now()


@router.post("/sends", status_code=status.HTTP_201_CREATED)
async def record_send(
    body: SendCreate, request: Request, tx: TxDep, principal: CurrentPrincipal
) -> SendRead:
    kit = request.app.state.runtime.tracking
    cmd = tracking.RecordSend(**{**body.model_dump(), "sent_at": _moment(body.sent_at, "sent_at")})
    token = await tx.run(
        lambda uow: tracking.record_send(
            cmd,
            tenant_id=principal.tenant_id,
            secret=kit.secret,
            ttl_days=kit.token_ttl_days,
            uow=uow,
        )
    )
    return SendRead(token=token, pixel_path=f"/track/open/{token}.gif", beacon_path=f"/track/view/{token}")  # fmt: skip


@router.get("/hot-leads")
async def list_hot_leads(
    uow: UowDep, level: Level | None = None, at: datetime | None = None
) -> HotLeadListRead:
    """Without ``at``: the materialized levels; with it: recomputed from the event log."""
    if _aware(at) is None:
        found, now = await hot_leads.hot_leads(level=level, uow=uow), clock.now()
    else:
        found, now = await hot_leads.hot_leads_at(now=at, level=level, uow=uow), at  # type: ignore[arg-type]
    items = [HotLeadRead(**vars(i), level_label=LABELS[i.level]) for i in found.items]
    return HotLeadListRead(at=now, counts=found.counts, items=items)  # fmt: skip


@router.get("/hot-leads/conversion")
async def level_conversion(
    uow: UowDep,
    days: Annotated[int, Query(ge=1, le=180)] = 30,
    lookback_days: Annotated[int, Query(ge=30, le=730)] = 180,
) -> ConversionRead:
    """LEAD-8: how many leads of each level reached 成約 within ``days``, and the forecast."""
    now = clock.now()
    found = await conversion.level_conversion(now=now, days=days, lookback_days=lookback_days, uow=uow)  # fmt: skip
    levels = [
        LevelConversionRead(
            level=r.level, level_label=LABELS[r.level], leads=r.leads, contracted=r.contracted,
            rate_percent=None if r.rate is None else round(r.rate * 100, 1),
            current=r.current, forecast=round(r.forecast, 2),
        )
        for r in found.levels
    ]  # fmt: skip
    return ConversionRead(
        at=now, since=found.since, until=found.until, days=found.days, levels=levels,
        forecast_contracts=found.forecast, method=found.method,
    )  # fmt: skip


@router.post("/hot-leads/exclusions", status_code=status.HTTP_204_NO_CONTENT)
async def exclude(body: TargetsWrite, tx: TxDep, principal: CurrentPrincipal) -> None:
    now = clock.now()
    await tx.run(lambda uow: hot_leads.set_targets(
        customer_ids=body.customer_ids, target=False, by=principal.user_id, now=now, uow=uow))  # fmt: skip


@router.put("/customers/{customer_id}/hot-lead-target")
async def set_target(
    customer_id: UUID, body: TargetWrite, tx: TxDep, principal: CurrentPrincipal
) -> TargetWrite:
    now = clock.now()
    await tx.run(
        lambda uow: hot_leads.set_targets(
            customer_ids=[customer_id], target=body.target, by=principal.user_id, now=now, uow=uow
        )
    )
    return body  # fmt: skip


@router.get("/hot-leads/settings")
async def get_settings(uow: UowDep) -> SettingsRead:
    found = await level_settings.current(uow=uow)
    return SettingsRead(rules=found.settings.to_dict(), updated_at=found.updated_at, updated_by=found.updated_by)  # fmt: skip


@router.put("/hot-leads/settings", dependencies=[AdminOnly])
async def put_settings(body: SettingsWrite, tx: TxDep, principal: CurrentPrincipal) -> SettingsRead:
    now = clock.now()
    found = await tx.run(
        lambda uow: level_settings.change(
            rules=body.rules, preset=body.preset, by=principal.user_id, now=now, uow=uow
        )
    )
    return SettingsRead(rules=found.settings.to_dict(), updated_at=found.updated_at, updated_by=found.updated_by)  # fmt: skip


@router.get("/hot-leads/settings/changes")
async def settings_changes(uow: UowDep) -> list[SettingsChangeRead]:
    return [SettingsChangeRead.model_validate(c) for c in await level_settings.changes(uow=uow)]


@router.get("/customers/{customer_id}/engagement")
async def customer_engagement(
    customer_id: UUID, uow: UowDep, at: datetime | None = None
) -> EngagementRead:
    e = await engagement.customer_engagement(customer_id=customer_id, at=_aware(at), uow=uow)
    a, rate = e.assessment, e.proposal_open_rate
    return EngagementRead(
        customer_id=e.customer_id, target=e.target, level=a.level,
        level_label=LABELS[a.level] if a.level else None, reason=a.reason,
        last_activity_at=a.last_activity_at, attention=e.attention,
        reactions=[ReactionRead.model_validate(r) for r in e.reactions],
        history=[PageViewRead.model_validate(v) for v in e.history],
        heat_map=e.heat_map.__dict__,
        proposal_open_rate=OpenRateRead(opened=rate.opened, sent=rate.sent, percent=rate.percent, label=rate.label),
        proposal_views=e.proposal_views,
    )  # fmt: skip
