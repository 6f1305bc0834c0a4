"""受注一覧 (the day's orders, Japan's today by default, any day by the date filter) and an
order's page: lines, totals per tax rate, the campaigns that applied and why, its status,
and 取消 / 返品 / 再注文."""

import asyncio
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from kit import clock

from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of

router = APIRouter(include_in_schema=False)


@router.get("/orders", response_class=HTMLResponse)
async def order_list(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    day: Annotated[str, Query(max_length=10)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    error = None
    try:
        chosen = date.fromisoformat(day) if day else clock.today()
    except ValueError:
        chosen, error = clock.today(), "日付は 2026-01-31 の形で入力してください。"
    found = await clients.orders.orders(day=chosen, page=page_no)
    items = found.items if found else []
    names = await _names(clients, list({o.customer_id for o in items if o.customer_id}))
    context = {"staff": staff, "found": found, "items": items, "day": chosen, "names": names,
               "error": error, "is_today": chosen == clock.today(),
               "total_yen": sum(o.total_yen for o in items if o.status == "placed")}  # fmt: skip
    return page(request, "orders.html", context)


async def _names(clients, ids: list[UUID]) -> dict[UUID, str]:  # type: ignore[no-untyped-def]
    found = await asyncio.gather(*(clients.customer.customer(i) for i in ids))
    return {c.id: c.name for c in found if c is not None}


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def order_page(
    order_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    order = await clients.orders.order(order_id)
    if order is None:  # another tenant's id too
        return not_found(request, staff, "受注が見つかりません。", nav="orders")
    customer = await clients.customer.customer(order.customer_id) if order.customer_id else None
    reasons = await clients.orders.reasons() or []
    # 担当者 and 広告 by id: a retired one still answers, and the old order still names it.
    staff_id, medium_id = order.get("staff_id"), order.get("medium_id")
    handler = await clients.orders.entry("staff", UUID(str(staff_id))) if staff_id else None
    medium = await clients.orders.entry("media", UUID(str(medium_id))) if medium_id else None
    context = {"staff": staff, "o": order, "customer": customer, "handler": handler, "medium": medium,
               "cancel_reasons": [r for r in reasons if r.kind == "cancel"],
               "return_reasons": [r for r in reasons if r.kind == "return"]}  # fmt: skip
    return page(request, "order.html", context)


@router.post("/orders/{order_id}/cancel")
async def cancel(
    order_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    reason_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    where = f"/orders/{order_id}"
    if not reason_id:
        return back(where, error="取消の理由を選んでください。")
    reply = await clients.orders.cancel(order_id, reason_id=reason_id)
    if reply.status_code == 404:
        return not_found(request, staff, "受注が見つかりません。", nav="orders")
    if not reply.ok:
        return back(where, error=" ".join(reasons_of(reply, "取消できませんでした。")))
    return back(where, notice="受注を取り消しました。")


@router.post("/orders/{order_id}/returns")
async def give_back(
    order_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    """返品: the quantity returned of each line (blank or 0: none), with a reason."""
    where = f"/orders/{order_id}"
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    lines = []
    for name, value in form.items():
        if name.startswith("line_") and value.strip() not in ("", "0"):
            if not value.strip().isdigit():
                return back(where, error="返品数は数字で入力してください。")
            lines.append({"line_no": int(name.removeprefix("line_")), "quantity": int(value)})
    if not form.get("reason_id"):
        return back(where, error="返品の理由を選んでください。")
    if not lines:
        return back(where, error="返品する数量を入力してください。")
    body = {"reason_id": form["reason_id"], "lines": lines, "note": form.get("note", "")[:500]}
    reply = await clients.orders.give_back(order_id, body)
    if reply.status_code == 404:
        return not_found(request, staff, "受注が見つかりません。", nav="orders")
    if not reply.ok:
        return back(where, error=" ".join(reasons_of(reply, "返品を登録できませんでした。")))
    return back(where, notice="返品を登録しました。")


@router.post("/orders/{order_id}/reorder")
async def reorder(
    order_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    """再注文: the same lines and address, priced today, in one step."""
    reply = await clients.orders.reorder(order_id)
    if reply.status_code == 404:
        return not_found(request, staff, "受注が見つかりません。", nav="orders")
    if not reply.ok:
        error = " ".join(reasons_of(reply, "再注文できませんでした。"))
        return back(f"/orders/{order_id}", error=error)
    new = reply.data
    return back(
        f"/orders/{new['id']}", notice=f"再注文を受け付けました（受注番号 {new['order_number']}）。"
    )
