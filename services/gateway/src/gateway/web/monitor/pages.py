"""The customer monitor (顧客モニタ, CUS-13, seed 002): reached by typing any phone number
or a name while the phone rings; one match opens the monitor, several make a short pick
list. The monitor is one screen with tabs (UI.md); the lookup field stays on top, focused,
for the next call."""

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.clients.base import Reply
from gateway.clients.transport import ServiceUnavailable
from gateway.use_cases.customer_monitor import CustomerNotFound, load_monitor
from gateway.use_cases.monitor_orders import load_order_panes
from gateway.web.common.answers import not_found, refusal
from gateway.web.common.business import uses
from gateway.web.common.deps import ClientsDep, StaffPage, tenant_uow
from gateway.web.common.templating import render
from gateway.web.monitor.histories import Histories, load_histories
from gateway.web.orders.common import ORDER_STATUS, SUBSCRIPTION_STATUS, cycle_label

router = APIRouter(include_in_schema=False)
PICK_LIST = 10
TABS = {
    "basic": "基本情報", "interactions": "対応履歴", "actions": "アクション履歴",
    "subscriptions": "定期", "purchases": "購入履歴", "visits": "予約", "inquiries": "反響",
}  # fmt: skip


@router.get("/monitor", response_class=HTMLResponse)
async def lookup(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    q: Annotated[str, Query(max_length=1000)] = "",  # the customer service says what is too long
) -> Response:
    context = {"staff": staff, "q": q, "found": None, "error": None}
    if not q.strip():  # the day's start: what the leader wrote for this member yesterday
        try:
            context["told"] = await clients.histories.my_instruction()
        except ServiceUnavailable:
            context["told"] = None
        return render(request, "monitor_lookup.html", context)
    found = await clients.customer.lookup(q, limit=PICK_LIST)
    if isinstance(found, Reply):
        context["error"] = refusal(found, "電話番号またはお名前を確認してください。")
        return render(request, "monitor_lookup.html", context, 422)
    if found.total == 1:
        return RedirectResponse(f"/monitor/{found.items[0].id}", status_code=303)
    context["found"] = found
    return render(request, "monitor_lookup.html", context)


@router.get("/monitor/{customer_id}", response_class=HTMLResponse)
async def monitor(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    tab: str = "basic",
    notice: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    return await show_monitor(request, staff, clients, customer_id, tab=tab, notice=notice)


async def show_monitor(
    request: Request,
    staff: Any,
    clients: Any,
    customer_id: UUID,
    *,
    tab: str,
    notice: str = "",
    histories: Histories | None = None,
    status_code: int = 200,
) -> Response:
    """The monitor; a refused pane form (histories.py) shows it again with its errors."""
    # The customer service down is the whole screen's answer (the common 「ただいま…」 page).
    try:
        async with tenant_uow(request, staff) as uow:
            data, panes = await asyncio.gather(
                load_monitor(customer_id, principal=clients.principal,
                             services=clients.transport, uow=uow),
                load_order_panes(customer_id, principal=clients.principal,
                                 services=clients.transport,
                                 hot_leads=uses(staff.business_types, "monitor.hot_lead")),
            )  # fmt: skip
    except CustomerNotFound:
        return not_found(request, staff, "お客様が見つかりません。")
    h = histories or await load_histories(customer_id, clients)
    # The panes the tenant's business types use (and that are built): uses('monitor.<key>').
    tabs = {k: v for k, v in TABS.items()
            if k == "basic" or uses(staff.business_types, f"monitor.{k}")}  # fmt: skip
    context = {"staff": staff, "m": data, "c": data.customer, "q": "", "h": h, "notice": notice,
               "tabs": tabs, "tab": tab if tab in tabs else "basic",
               "o": panes, "order_status": ORDER_STATUS | {"returned": "返品"},
               "subscription_status": SUBSCRIPTION_STATUS, "cycle_label": cycle_label}  # fmt: skip
    return render(request, "monitor.html", context, status_code)
