"""The customer service's histories as the gateway reads them (issue 14): interactions
(対応履歴) and the day's list with the leader's instructions, actions (アクション履歴) and
アクション別売上集計, 長期放置, the rank master, the FAQ."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from gateway.clients.base import Read, Reply, ServiceClient


class Interaction(Read):
    id: UUID
    customer_id: UUID
    kind: str
    kind_label: str
    occurred_at: datetime
    staff_id: UUID | None = None
    body: str
    next_step: str | None = None
    next_due: date | None = None
    instruction: str | None = None
    corrected_at: datetime | None = None


class StaffInstruction(Read):
    staff_id: UUID
    day: date
    instruction: str
    written_at: datetime


class MyInstruction(Read):
    day: date  # yesterday (Japan)
    instruction: StaffInstruction | None = None


class DailyInteractions(Read):
    day: date
    items: list[Interaction]
    staff_instructions: list[StaffInstruction] = Field(default_factory=list)


class Action(Read):
    id: int
    kind: str
    kind_label: str
    occurred_at: datetime
    staff_id: UUID | None = None
    source: str
    note: str | None = None
    led_to_order_id: UUID | None = None
    corrected_at: datetime | None = None


class Change(Read):
    """One correction or the deletion of an entry: who, when, the entry before it."""

    change: str  # corrected / deleted
    change_label: str
    changed_by: UUID | None = None
    changed_at: datetime
    before: dict[str, Any] = Field(default_factory=dict)  # kind_label, body / note, next_step …


class EntryHistory(Read):
    """修正履歴: the entry as it stands and its changes, oldest first (decision 94)."""

    entry: str  # interaction / action
    entry_id: str
    customer_id: UUID
    kind_label: str
    text: str | None = None
    occurred_at: datetime
    next_step: str | None = None
    next_due: date | None = None
    staff_id: UUID | None = None
    deleted_at: datetime | None = None
    deleted_by: UUID | None = None
    changes: list[Change] = Field(default_factory=list)


class DeletedInteraction(Interaction):
    deleted_at: datetime
    deleted_by: UUID | None = None


class DeletedAction(Action):
    deleted_at: datetime
    deleted_by: UUID | None = None


class DeletedEntries(Read):
    """削除された履歴 of one customer, the latest deletion first (管理者のみ, decision 96)."""

    interactions: list[DeletedInteraction]
    actions: list[DeletedAction]


class ActionSalesRow(Read):
    kind: str
    label: str
    actions: int
    led_to_sale: int
    sales_yen: int


class ActionSales(Read):
    start: date
    end: date
    attribution_days: int
    items: list[ActionSalesRow]


class Neglected(Read):
    items: list[Read]
    total: int
    page: int
    per_page: int


class Rank(Read):
    id: UUID
    name: str


class RankMaster(Read):
    period_days: int | None = None
    ranks: list[Rank]


class FaqCategory(Read):
    id: UUID
    name: str
    retired_at: datetime | None = None  # hidden from pickers; its entries still found


class FaqEntry(Read):
    id: UUID
    category_id: UUID
    question: str
    answer: str
    keywords: str = ""


class FaqPage(Read):
    items: list[FaqEntry]
    total: int


class CustomerHistoriesClient(ServiceClient):
    service = "customer"

    async def interactions(self, customer_id: UUID) -> list[Interaction] | None:
        return await self.read(f"/customers/{customer_id}/interactions", list[Interaction])

    async def add_interaction(self, customer_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/customers/{customer_id}/interactions", body)

    async def daily(self, day: date | None) -> DailyInteractions | Reply:
        params = {"day": day.isoformat()} if day else None
        return await self.answer("/interactions/daily", DailyInteractions, params)

    async def instruct(self, interaction_id: UUID, *, instruction: str) -> Reply:
        body = {"instruction": instruction}
        return await self.send("PUT", f"/interactions/{interaction_id}/instruction", body)

    async def correct_interaction(self, interaction_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/interactions/{interaction_id}", body)

    async def delete_interaction(self, interaction_id: UUID) -> Reply:
        return await self.send("DELETE", f"/interactions/{interaction_id}")

    async def correct_action(self, action_id: int, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/actions/{action_id}", body)

    async def delete_action(self, action_id: int) -> Reply:
        return await self.send("DELETE", f"/actions/{action_id}")

    async def interaction_changes(self, interaction_id: UUID) -> EntryHistory | Reply:
        return await self.answer(f"/interactions/{interaction_id}/changes", EntryHistory)

    async def action_changes(self, action_id: int) -> EntryHistory | Reply:
        return await self.answer(f"/actions/{action_id}/changes", EntryHistory)

    async def deleted_entries(self, customer_id: UUID) -> DeletedEntries | Reply:
        return await self.answer(f"/customers/{customer_id}/deleted-entries", DeletedEntries)

    async def instruct_staff(self, *, staff_id: UUID, day: date, instruction: str) -> Reply:
        body = {"staff_id": str(staff_id), "day": day.isoformat(), "instruction": instruction}
        return await self.send("PUT", "/staff-instructions", body)

    async def my_instruction(self) -> MyInstruction | None:
        return await self.read("/staff-instructions/mine", MyInstruction)

    async def actions(self, customer_id: UUID) -> list[Action] | None:
        return await self.read(f"/customers/{customer_id}/actions", list[Action])

    async def add_action(self, customer_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/customers/{customer_id}/actions", body)

    async def action_sales(self, params: dict[str, str]) -> ActionSales | Reply:
        return await self.answer("/actions/sales", ActionSales, params)

    async def neglected(self, params: dict[str, Any]) -> Neglected | Reply:
        return await self.answer("/neglected-customers", Neglected, params)

    async def rank_master(self) -> RankMaster | None:
        return await self.read("/ranks", RankMaster)

    async def save_rank_master(self, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", "/ranks", body)

    async def faq_categories(self) -> list[FaqCategory] | None:
        return await self.read("/faq/categories", list[FaqCategory])

    async def add_faq_category(self, *, name: str) -> Reply:
        return await self.send("POST", "/faq/categories", {"name": name})

    async def change_faq_category(self, category_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/faq/categories/{category_id}", body)

    async def faq_search(self, params: dict[str, str]) -> FaqPage | Reply:
        return await self.answer("/faq/entries", FaqPage, params)

    async def faq_entry(self, entry_id: UUID) -> FaqEntry | None:
        return await self.read(f"/faq/entries/{entry_id}", FaqEntry)

    async def save_faq_entry(self, entry_id: UUID | None, body: dict[str, Any]) -> Reply:
        if entry_id is None:
            return await self.send("POST", "/faq/entries", body)
        return await self.send("PUT", f"/faq/entries/{entry_id}", body)

    async def delete_faq_entry(self, entry_id: UUID) -> Reply:
        return await self.send("DELETE", f"/faq/entries/{entry_id}")
