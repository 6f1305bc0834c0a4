"""修正履歴 and 削除された履歴 (CUS-9, decisions 94 and 96): the monitor's 「修正済み」 leads
to the entry's history — as it stands, then each earlier version oldest first with who
changed it and when, and its deletion — and an administrator reads a customer's deleted
entries. The customer service decides who may read (another tenant's id is 404 there before
the role), so a page asks it first and shows its 403 or 404 as a page."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.clients.base import Reply
from gateway.use_cases.staff_directory import staff_names
from gateway.web.common.answers import forbidden, not_found, refusal
from gateway.web.common.deps import Clients, ClientsDep, StaffPage, tenant_uow
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
NOT_OWN = "ご自身が入力した履歴の修正履歴のみ閲覧できます。"
ADMIN_ONLY = "削除された履歴は管理者のみ閲覧できます。"
MISSING = {
    "interaction": "対応履歴が見つかりません。",
    "action": "アクション履歴が見つかりません。",
}


@router.get("/monitor/{customer_id}/interactions/{interaction_id}/changes",
            response_class=HTMLResponse)  # fmt: skip
async def interaction_changes(
    customer_id: UUID, interaction_id: UUID, request: Request, staff: StaffPage,
    clients: ClientsDep,
) -> Response:  # fmt: skip
    found = clients.histories.interaction_changes(interaction_id)
    return await _history_page(request, staff, clients, customer_id, "interaction", found)


@router.get("/monitor/{customer_id}/actions/{action_id}/changes", response_class=HTMLResponse)
async def action_changes(
    customer_id: UUID, action_id: int, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    found = clients.histories.action_changes(action_id)
    return await _history_page(request, staff, clients, customer_id, "action", found)


async def _history_page(request: Request, staff: Any, clients: Clients, customer_id: UUID,
                        entry: str, read: Any) -> Response:  # fmt: skip
    found, customer = await asyncio.gather(read, clients.customer.customer(customer_id))
    if isinstance(found, Reply):
        if found.status_code == 403:
            return forbidden(request, staff, refusal(found, NOT_OWN), back=_monitor(customer))
        return not_found(request, staff, MISSING[entry])
    if customer is None or found.customer_id != customer_id:  # an id put in another's URL
        return not_found(request, staff, MISSING[entry])
    async with tenant_uow(request, staff) as uow:
        names = await staff_names(uow=uow)
    context = {"staff": staff, "nav": "monitor", "c": customer, "h": found, "names": names,
               "tab": "interactions" if entry == "interaction" else "actions"}  # fmt: skip
    return render(request, "monitor_changes.html", context)


def _monitor(customer: Any) -> tuple[str, str] | None:
    """Back to the customer's monitor from a refusal (the customer is one the caller sees)."""
    return (
        (f"/monitor/{customer.id}", f"{customer.name} 様の顧客モニタへ戻る") if customer else None
    )


@router.get("/monitor/{customer_id}/deleted", response_class=HTMLResponse)
async def deleted_entries(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    """削除された履歴 of one customer (管理者のみ), each linking to its 修正履歴."""
    found, customer = await asyncio.gather(clients.histories.deleted_entries(customer_id),
                                           clients.customer.customer(customer_id))  # fmt: skip
    if isinstance(found, Reply):
        if found.status_code == 403:
            return forbidden(request, staff, refusal(found, ADMIN_ONLY), back=_monitor(customer))
        return not_found(request, staff, "お客様が見つかりません。")
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。")
    async with tenant_uow(request, staff) as uow:
        names = await staff_names(uow=uow)
    context = {"staff": staff, "nav": "monitor", "c": customer, "d": found, "names": names}
    return render(request, "monitor_deleted.html", context)
