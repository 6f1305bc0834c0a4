from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from contracts.leads import MessageKind
from pydantic import BaseModel, ConfigDict, Field

from leads.domain.levels import LABELS, Level


class SendCreate(BaseModel):
    message_id: UUID
    customer_id: UUID
    message_kind: MessageKind
    sent_at: datetime | None = None  # now when left out


class SendRead(BaseModel):
    token: str
    pixel_path: str  # behind the gateway's public prefix
    beacon_path: str


class HotLeadRead(BaseModel):
    customer_id: UUID
    level: Level
    level_label: str
    reason: str
    last_activity_at: datetime
    attention: bool


class HotLeadListRead(BaseModel):
    at: datetime
    counts: dict[Level, int]
    items: list[HotLeadRead]


class TargetsWrite(BaseModel):
    customer_ids: Annotated[list[UUID], Field(min_length=1, max_length=1000)]


class TargetWrite(BaseModel):
    target: bool


class SettingsWrite(BaseModel):
    """Either a preset (``standard``, ``no_proposals``) or the three rules."""

    preset: str | None = None
    rules: dict[str, Any] | None = None


class SettingsRead(BaseModel):
    rules: dict[str, Any]
    labels: dict[str, str] = {lv.value: label for lv, label in LABELS.items()}
    updated_at: datetime | None
    updated_by: UUID | None


class SettingsChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    changed_at: datetime
    changed_by: UUID | None
    before: dict[str, Any]
    after: dict[str, Any]


class PageViewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    viewed_at: datetime
    page: Literal["property_detail", "nearby_report"]
    property_code: str
    property_name: str
    dwell_s: int
    liked: bool


class ReactionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    property_code: str
    property_name: str
    views: int
    dwell_s: int
    liked: bool


class HeatMapRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    cells: list[list[int]]
    by_weekday: list[int]
    by_hour: list[int]


class OpenRateRead(BaseModel):
    opened: int
    sent: int
    percent: int
    label: str  # 「50% (1/2)」


class EngagementRead(BaseModel):
    customer_id: UUID
    target: bool
    level: Level | None
    level_label: str | None
    reason: str | None
    last_activity_at: datetime | None
    attention: bool
    reactions: list[ReactionRead]
    history: list[PageViewRead]
    heat_map: HeatMapRead
    proposal_open_rate: OpenRateRead
    proposal_views: int


class LevelConversionRead(BaseModel):
    level: Level
    level_label: str
    leads: int  # reached the level in the period
    contracted: int  # of them, 成約 within ``days`` of reaching it
    rate_percent: float | None  # None without leads
    current: int  # at the level now, not contracted yet
    forecast: float  # current × rate


class ConversionRead(BaseModel):
    """LEAD-8: conversion by level and next month's expected contracts, with the method."""

    at: datetime
    since: datetime
    until: datetime
    days: int
    levels: list[LevelConversionRead]
    forecast_contracts: float  # 来月の成約見込み
    method: str  # how it is counted, in Japanese, for the page
