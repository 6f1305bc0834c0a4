"""The leads service as the gateway reads it: the hot-lead list, a customer's engagement and
activity, the office's level settings, conversion by level (LEAD-8), and the mails."""

from datetime import datetime
from typing import Any
from uuid import UUID

from gateway.clients.base import Read, Reply, ServiceClient


class HotLead(Read):
    customer_id: UUID
    level: str  # red / orange / yellow
    level_label: str  # 赤 / 橙 / 黄
    reason: str
    last_activity_at: datetime
    attention: bool


class HotLeadList(Read):
    counts: dict[str, int]
    items: list[HotLead]


class Engagement(Read):
    customer_id: UUID
    target: bool
    level: str | None = None
    level_label: str | None = None
    reason: str | None = None
    attention: bool = False


class Activity(Read):
    kind: str
    occurred_at: datetime
    detail: dict[str, Any]


class ActivityList(Read):
    items: list[Activity]


class LevelSettings(Read):
    rules: dict[str, dict[str, Any]]
    labels: dict[str, str]
    updated_at: datetime | None = None
    updated_by: UUID | None = None


class SettingsChange(Read):
    changed_at: datetime
    changed_by: UUID | None = None
    before: dict[str, Any]
    after: dict[str, Any]


class LeadsClient(ServiceClient):
    service = "leads"

    async def hot_leads(self, *, level: str | None = None) -> HotLeadList | None:
        return await self.read("/hot-leads", HotLeadList, {"level": level})

    async def conversion(self, *, days: int) -> Read | None:
        return await self.read("/hot-leads/conversion", Read, {"days": days})

    async def engagement(self, customer_id: UUID) -> Engagement | None:
        return await self.read(f"/customers/{customer_id}/engagement", Engagement)

    async def activities(self, customer_id: UUID) -> ActivityList | None:
        return await self.read(f"/customers/{customer_id}/activities", ActivityList)

    async def settings(self) -> LevelSettings | None:
        return await self.read("/hot-leads/settings", LevelSettings)

    async def settings_changes(self) -> list[SettingsChange] | None:
        return await self.read("/hot-leads/settings/changes", list[SettingsChange])

    async def change_settings(self, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", "/hot-leads/settings", body)

    async def exclude(self, customer_ids: list[str]) -> Reply:
        return await self.send("POST", "/hot-leads/exclusions", {"customer_ids": customer_ids})

    async def set_target(self, customer_id: UUID, *, target: bool) -> Reply:
        path = f"/customers/{customer_id}/hot-lead-target"
        return await self.send("PUT", path, {"target": target})

    async def propose(self, customer_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/customers/{customer_id}/proposals", body)

    async def schedule_newsletter(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/newsletters", body)

    async def create_sequence(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/step-sequences", body)
