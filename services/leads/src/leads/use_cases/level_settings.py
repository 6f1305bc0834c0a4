"""LEAD-2: the office's thresholds. Anyone reads them; admins change them (the route checks
the role) and every change is kept: who, when, before, after. A change makes every level of
the tenant due, so the level worker re-scores them (woken at commit)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts.envelope import new_event_id
from kit.errors import Invalid

from leads.adapters.orm import LevelSettingsChange
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain.levels import DEFAULT_PRESET, PRESETS, LevelSettings

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class CurrentSettings:
    settings: LevelSettings
    updated_at: datetime | None
    updated_by: UUID | None


async def current(*, uow: LeadsUnitOfWork) -> CurrentSettings:
    row = await uow.level_settings.get()
    if row is None:
        return CurrentSettings(PRESETS[DEFAULT_PRESET], None, None)
    return CurrentSettings(LevelSettings.from_dict(row.rules), row.updated_at, row.updated_by)


async def change(
    *,
    rules: dict | None,
    preset: str | None,
    by: UUID | None,
    now: datetime,
    uow: LeadsUnitOfWork,
) -> CurrentSettings:
    if preset is not None:
        if preset not in PRESETS:
            raise Invalid("初期値の種類が正しくありません。", code="unknown_preset", field="preset")
        wanted = PRESETS[preset]
    else:
        wanted = LevelSettings.from_dict(rules or {})
    await uow.level_settings.guard(change=True)
    row = await uow.level_settings.get(for_update=True)
    before = row.rules if row is not None else PRESETS[DEFAULT_PRESET].to_dict()
    after = wanted.to_dict()
    if before != after:
        await uow.level_settings.put(rules=after, at=now, by=by)
        await uow.level_settings.add_change(
            values={"id": new_event_id(), "changed_at": now, "changed_by": by,
                    "before": before, "after": after}
        )  # fmt: skip
        await uow.levels.mark_all_due(now=now)
        return CurrentSettings(wanted, now, by)
    return await current(uow=uow)


async def changes(*, uow: LeadsUnitOfWork) -> list[LevelSettingsChange]:
    return await uow.level_settings.changes(limit=HISTORY_LIMIT)
