"""対応履歴 and アクション履歴 (CUS-9), アクション別売上集計, 長期放置 (CUS-11); thin routes."""

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import StreamingResponse
from kit.auth import CurrentPrincipal, admin_only
from kit.clock import JstDatetime
from kit.excel_csv import excel_csv
from kit.http import CSV, file_answer
from pydantic import BaseModel, ConfigDict, Field

from customer.domain.histories import ACTION_KINDS, ACTIVITY_KINDS, INTERACTION_KINDS, MAX_BODY
from customer.entrypoints.deps import TxDep, UowDep
from customer.use_cases import actions, corrections, interactions, neglected

# An action's id is a bigint (identity): a larger number is refused by validation (422),
# never sent to the database to overflow there (a 500).
ActionId = Annotated[int, Path(ge=1, le=2**63 - 1)]

router = APIRouter()
LEADER_ONLY = admin_only(interactions.LEADER_ONLY)


class InteractionWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="call_in 電話受信 / call_out 電話発信 / inquiry 問合せ / "
                      "complaint クレーム / sales_talk 商談 / other その他")  # fmt: skip
    body: str = Field(max_length=MAX_BODY + 100)
    occurred_at: JstDatetime | None = Field(None, description="省略時は現在（日本時間）")
    next_step: str | None = Field(None, max_length=600)
    next_due: date | None = None


class InteractionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    customer_id: UUID
    kind: str
    kind_label: str = ""
    occurred_at: JstDatetime
    staff_id: UUID | None
    body: str
    next_step: str | None
    next_due: date | None
    instruction: str | None
    instruction_by: UUID | None
    instruction_at: JstDatetime | None
    corrected_at: JstDatetime | None = None  # the last correction (the text before is kept)
    corrected_by: UUID | None = None

    @classmethod
    def of(cls, row: object) -> "InteractionRead":
        read = cls.model_validate(row)
        read.kind_label = INTERACTION_KINDS.get(read.kind, read.kind)
        return read


class DailyInteraction(InteractionRead):
    customer_name: str = ""


class StaffInstructionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    staff_id: UUID
    day: date  # the Japan day it is about; shown to the member the day after
    instruction: str
    written_by: UUID | None
    written_at: JstDatetime


class DailyRead(BaseModel):
    day: date
    items: list[DailyInteraction]  # oldest first, at most 2,000
    staff_instructions: list[StaffInstructionRead] = []  # one per staff member


class StaffInstructionWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: UUID
    day: date | None = Field(None, description="一覧表の日付（省略時は今日、日本時間）")
    instruction: str | None = Field(None, max_length=600)


class MyInstruction(BaseModel):
    day: date  # yesterday (Japan)
    instruction: StaffInstructionRead | None


class InstructionWrite(BaseModel):
    instruction: str | None = Field(None, max_length=600)


class InteractionCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    body: str = Field(max_length=MAX_BODY + 100)
    next_step: str | None = Field(None, max_length=600)
    next_due: date | None = None


class ActionCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    note: str | None = Field(None, max_length=600)


class ActionWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="phone_sales 電話営業 / dm DM / newsletter メルマガ / "
                      "catalogue カタログ送付")  # fmt: skip
    note: str | None = Field(None, max_length=600)
    occurred_at: JstDatetime | None = None


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: UUID
    kind: str
    kind_label: str = ""
    occurred_at: JstDatetime
    staff_id: UUID | None
    source: str  # staff / leads
    note: str | None
    led_to_order_id: UUID | None  # the order credited to it (the attribution rule)
    corrected_at: JstDatetime | None = None
    corrected_by: UUID | None = None

    @classmethod
    def of(cls, row: object) -> "ActionRead":
        read = cls.model_validate(row)
        read.kind_label = ACTION_KINDS.get(read.kind, read.kind)
        return read


class SalesRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    label: str
    actions: int
    led_to_sale: int
    sales_yen: int


class SalesRead(BaseModel):
    start: date
    end: date
    attribution_days: int
    items: list[SalesRow]


class NeglectedRow(BaseModel):
    id: UUID
    name: str
    name_kana: str | None
    phones: list[str]
    rank_id: UUID | None
    rank_name: str | None
    last_activity_at: JstDatetime | None
    last_activity_kind: str | None
    last_activity_label: str | None
    days: int | None  # since the last activity (Japan dates); null: never any


class NeglectedRead(BaseModel):
    items: list[NeglectedRow]
    total: int
    page: int
    per_page: int


@router.post("/customers/{customer_id}/interactions", status_code=status.HTTP_201_CREATED)
async def add_interaction(
    customer_id: UUID, body: InteractionWrite, principal: CurrentPrincipal, tx: TxDep
) -> InteractionRead:
    cmd = interactions.NewInteraction(customer_id=customer_id, **body.model_dump())
    row = await tx.run(lambda uow: interactions.add_interaction(cmd, by=principal.user_id, uow=uow))
    return InteractionRead.of(row)


@router.get("/customers/{customer_id}/interactions")
async def interaction_timeline(customer_id: UUID, uow: UowDep) -> list[InteractionRead]:
    """Newest first, at most 200."""
    rows = await interactions.timeline(customer_id=customer_id, uow=uow)
    return [InteractionRead.of(r) for r in rows]


@router.get("/interactions/daily", dependencies=[LEADER_ONLY])
async def daily_interactions(uow: UowDep, day: date | None = None) -> DailyRead:
    """対応履歴一覧表: the Japan day's interactions of all customers (today by default)."""
    found_day, rows = await interactions.daily(day=day, uow=uow)
    items = [DailyInteraction(**InteractionRead.of(r).model_dump(), customer_name=name)
             for r, name in rows]  # fmt: skip
    said = await interactions.staff_instructions(day=found_day, uow=uow)
    return DailyRead(day=found_day, items=items,
                     staff_instructions=[StaffInstructionRead.model_validate(i) for i in said])  # fmt: skip


@router.put("/staff-instructions", status_code=status.HTTP_204_NO_CONTENT)
async def instruct_staff(
    body: StaffInstructionWrite, principal: CurrentPrincipal, tx: TxDep
) -> None:
    """The leader's (管理者's) instruction to one staff member for the next day, one per
    member and day (empty: cleared)."""
    await tx.run(lambda uow: interactions.instruct_staff(
        **body.model_dump(), principal=principal, uow=uow))  # fmt: skip


@router.get("/staff-instructions/mine")
async def my_instruction(principal: CurrentPrincipal, uow: UowDep) -> MyInstruction:
    """What the leader wrote for the caller yesterday (Japan), if anything."""
    day, found = await interactions.my_instruction(principal=principal, uow=uow)
    read = StaffInstructionRead.model_validate(found) if found else None
    return MyInstruction(day=day, instruction=read)


@router.put("/interactions/{interaction_id}/instruction")
async def instruct(
    interaction_id: UUID, body: InstructionWrite, principal: CurrentPrincipal, tx: TxDep
) -> InteractionRead:
    """The leader's (管理者's) instruction for the next day on one interaction (empty:
    cleared); another tenant's interaction is 404 before the role is looked at."""
    text = body.instruction
    row = await tx.run(lambda uow: interactions.instruct(
        interaction_id=interaction_id, instruction=text, principal=principal, uow=uow))  # fmt: skip
    return InteractionRead.of(row)


@router.put("/interactions/{interaction_id}")
async def correct_interaction(
    interaction_id: UUID, body: InteractionCorrection, principal: CurrentPrincipal, tx: TxDep
) -> InteractionRead:
    """Corrected by its author or an administrator; the text before is kept."""
    row = await tx.run(lambda uow: corrections.correct_interaction(
        interaction_id=interaction_id, **body.model_dump(), principal=principal, uow=uow))  # fmt: skip
    return InteractionRead.of(row)


@router.delete("/interactions/{interaction_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_interaction(interaction_id: UUID, principal: CurrentPrincipal, tx: TxDep) -> None:
    """Deleted by its author or an administrator: a tombstone the lists leave out."""
    await tx.run(lambda uow: corrections.delete_interaction(
        interaction_id=interaction_id, principal=principal, uow=uow))  # fmt: skip


@router.put("/actions/{action_id}")
async def correct_action(
    action_id: ActionId, body: ActionCorrection, principal: CurrentPrincipal, tx: TxDep
) -> ActionRead:
    """A staff-entered action corrected by its author or an administrator (409 for one
    recorded from an event)."""
    row = await tx.run(lambda uow: corrections.correct_action(
        action_id=action_id, **body.model_dump(), principal=principal, uow=uow))  # fmt: skip
    return ActionRead.of(row)


@router.delete("/actions/{action_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_action(action_id: ActionId, principal: CurrentPrincipal, tx: TxDep) -> None:
    await tx.run(lambda uow: corrections.delete_action(
        action_id=action_id, principal=principal, uow=uow))  # fmt: skip


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    change: str  # corrected 修正 / deleted 削除
    change_label: str = ""
    changed_by: UUID | None
    changed_at: JstDatetime
    before: dict  # the entry before it: kind (+ kind_label), body / note, next_step …


class HistoryRead(BaseModel):
    entry: str  # interaction / action
    entry_id: str
    customer_id: UUID
    kind: str  # as it stands now
    kind_label: str
    text: str | None  # the body (対応履歴) or note (アクション履歴) as it stands now
    occurred_at: JstDatetime
    next_step: str | None = None  # 対応履歴 only
    next_due: date | None = None
    staff_id: UUID | None
    deleted_at: JstDatetime | None
    deleted_by: UUID | None
    changes: list[ChangeRead]  # oldest first


CHANGE_LABELS = {"corrected": "修正", "deleted": "削除"}


def _history(entry: str, row: object, found: list, kinds: dict[str, str]) -> HistoryRead:
    items = []
    for c in found:
        read = ChangeRead.model_validate(c)
        read.change_label = CHANGE_LABELS.get(read.change, read.change)
        kind = read.before.get("kind")
        read.before = {**read.before, "kind_label": kinds.get(kind, kind)}
        items.append(read)
    text = getattr(row, "body", None) if entry == "interaction" else getattr(row, "note", None)
    kind = row.kind  # type: ignore[attr-defined]
    return HistoryRead(
        entry=entry, entry_id=str(row.id), customer_id=row.customer_id,  # type: ignore[attr-defined]
        kind=kind, kind_label=kinds.get(kind, kind), text=text,
        occurred_at=row.occurred_at,  # type: ignore[attr-defined]
        next_step=getattr(row, "next_step", None), next_due=getattr(row, "next_due", None),
        staff_id=row.staff_id, deleted_at=row.deleted_at,  # type: ignore[attr-defined]
        deleted_by=row.deleted_by, changes=items,  # type: ignore[attr-defined]
    )  # fmt: skip


@router.get("/interactions/{interaction_id}/changes")
async def interaction_changes(
    interaction_id: UUID, principal: CurrentPrincipal, uow: UowDep
) -> HistoryRead:
    """修正履歴: who corrected or deleted the interaction, when, and its text before."""
    row, found = await corrections.history_of(entry="interaction", entry_id=interaction_id,
                                              principal=principal, uow=uow)  # fmt: skip
    return _history("interaction", row, found, INTERACTION_KINDS)


@router.get("/actions/{action_id}/changes")
async def action_changes(action_id: ActionId, principal: CurrentPrincipal, uow: UowDep
                         ) -> HistoryRead:  # fmt: skip
    """修正履歴 of a staff-entered action (an event-recorded one has none)."""
    row, found = await corrections.history_of(entry="action", entry_id=action_id,
                                              principal=principal, uow=uow)  # fmt: skip
    return _history("action", row, found, ACTION_KINDS)


@router.post("/customers/{customer_id}/actions", status_code=status.HTTP_201_CREATED)
async def add_action(
    customer_id: UUID, body: ActionWrite, principal: CurrentPrincipal, tx: TxDep
) -> ActionRead:
    row = await tx.run(lambda uow: actions.add_action(
        customer_id=customer_id, **body.model_dump(), by=principal.user_id, uow=uow))  # fmt: skip
    return ActionRead.of(row)


@router.get("/customers/{customer_id}/actions")
async def action_timeline(customer_id: UUID, uow: UowDep) -> list[ActionRead]:
    """Newest first, at most 200; staff's and those recorded from the leads service's sends."""
    return [ActionRead.of(r) for r in await actions.timeline(customer_id=customer_id, uow=uow)]


FromQuery = Annotated[date | None, Query(alias="from", description="開始日（日本時間、含む）")]
ToQuery = Annotated[date | None, Query(alias="to", description="終了日（日本時間、含む）")]
SALES_COLUMNS = ("アクション", "件数", "受注につながった件数", "受注率（%）", "売上（円）")


@router.get("/actions/sales")
async def sales_by_action(uow: UowDep, start: FromQuery = None, end: ToQuery = None) -> SalesRead:
    """アクション別売上集計: actions taken in the period (Japan dates, both included; the last
    30 days by default, at most 366 days), those credited with an order that stands, and its
    yen. Any staff (one rule with the CSV)."""
    first, last, items = await actions.sales_by_action(start=start, end=end, uow=uow)
    return SalesRead(start=first, end=last, attribution_days=actions.histories.ATTRIBUTION_DAYS,
                     items=[SalesRow.model_validate(i) for i in items])  # fmt: skip


def _rate(led: int, taken: int) -> object:
    return round(100 * led / taken, 1) if taken else ""


@router.get("/actions/sales.csv", **file_answer(CSV, "アクション別売上集計 (UTF-8 BOM)"))
async def sales_by_action_csv(
    uow: UowDep, start: FromQuery = None, end: ToQuery = None
) -> StreamingResponse:
    """The same figures for Excel (UTF-8 with BOM, CRLF), a 合計 row last."""
    first, last, items = await actions.sales_by_action(start=start, end=end, uow=uow)

    async def rows() -> AsyncIterator[list[object]]:
        for i in items:
            yield [i.label, i.actions, i.led_to_sale, _rate(i.led_to_sale, i.actions), i.sales_yen]
        taken, led = sum(i.actions for i in items), sum(i.led_to_sale for i in items)
        yield ["合計", taken, led, _rate(led, taken), sum(i.sales_yen for i in items)]

    name = f"action-sales-{first.isoformat()}-{last.isoformat()}.csv"
    return StreamingResponse(excel_csv(SALES_COLUMNS, rows()), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/neglected-customers")
async def neglected_customers(
    uow: UowDep,
    min_days: Annotated[int, Query(ge=0, le=neglected.MAX_DAYS)] = 90,
    rank_id: UUID | None = None,
    no_rank: bool = False,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=neglected.PER_PAGE_MAX)] = 50,
) -> NeglectedRead:
    """長期放置: no activity of any kind for ``min_days`` days or more, the longest first."""
    found = await neglected.neglected(min_days=min_days, rank_id=rank_id, no_rank=no_rank,
                                      page=page, per_page=per_page, uow=uow)  # fmt: skip
    views = await uow.customers.with_contacts(rows=found.items)
    items = [
        NeglectedRow(
            id=v.customer.id, name=v.customer.name, name_kana=v.customer.name_kana,
            phones=v.phones, rank_id=v.customer.rank_id, rank_name=v.customer.rank_name,
            last_activity_at=v.customer.last_activity_at,
            last_activity_kind=v.customer.last_activity_kind,
            last_activity_label=ACTIVITY_KINDS.get(v.customer.last_activity_kind or ""),
            days=neglected.days_since(v.customer.last_activity_at),
        )
        for v in views
    ]  # fmt: skip
    return NeglectedRead(items=items, total=found.total, page=page, per_page=per_page)
