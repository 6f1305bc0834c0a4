"""受注入力 (ORD-2, ORD-7), reached from the customer monitor: the customer's flags, alert and
karte stay at the top; product lines by code (set products by their name), 担当者, 媒体,
振込名義, the survey's questions, the delivery among the customer's addresses or a new gift
address, the presents already given; the live totals (subtotal, tax per rate, the campaigns
that would apply and why) are the orders service's quote of the same body, refreshed by
order_entry.js as lines change and by the 金額を計算 button without it. Enter never places:
it adds a line and recomputes (the form's first button); 受注する places. A refusal shows
every reason beside its field, with what was typed kept."""

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.clients.base import Reply
from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of
from gateway.web.orders.entry_form import (
    MIN_ROWS,
    Choices,
    EntryForm,
    addresses_of,
    default_delivery,
    read_form,
)

router = APIRouter(include_in_schema=False)
REFUSED = "受注できませんでした。入力内容をご確認ください。"


async def _choices(clients: Clients, *, quoting: bool = False) -> Choices:
    """The masters the form offers; a quote needs only what resolves the lines."""
    o = clients.orders
    wanted = (
        ("set-products",) if quoting else ("set-products", "staff", "media", "survey-questions")
    )
    products, *rest = await asyncio.gather(o.products(), *(o.entry_choices(k) for k in wanted))
    sets, staff, media, questions = (*rest, [], [], [])[:4]  # a quote's: none of the last
    return Choices(
        products=[p for p in products or [] if not p.discontinued],
        sets=[s for s in sets or [] if s.get("kind") == "bundle"],
        staff=staff or [], media=media or [], questions=questions or [],
    )  # fmt: skip


def _own_staff_entry(staff: Any, choices: Choices) -> str:
    """The 担当者 master's entry of the signed-in operator (same name), else none."""
    for s in choices.staff:
        if s.get("name") == staff.display_name:
            return str(s.get("id"))
    return ""


async def _form(
    request: Request, staff: Any, clients: Clients, customer: Any, form: dict[str, str],
    entry: EntryForm | None = None, quote: Reply | None = None, status_code: int = 200,
    choices: Choices | None = None,
) -> Response:  # fmt: skip
    if choices is None:
        choices = await _choices(clients)
    presents = await clients.orders.presents(customer.id)
    if not form:  # a new form: the customer's home, the operator, their フリガナ
        form = {"delivery": default_delivery(customer), "staff_id": _own_staff_entry(staff, choices),
                "payer_kana": customer.get("name_kana") or ""}  # fmt: skip
    rows = entry.rows if entry else []
    rows = rows + [{"code": "", "quantity": "1"}] * max(0, MIN_ROWS - len(rows))
    context = {"staff": staff, "customer": customer, "c": customer, "choices": choices,
               "addresses": addresses_of(customer), "form": form, "rows": rows,
               "entry": entry, "presents": presents or [], **_quoted(quote),
               "focus_row": len(rows) - 1 if form.get("action") == "quote" else 0}  # fmt: skip
    return page(request, "order_new.html", context, status_code)


def _quoted(reply: Reply | None) -> dict[str, Any]:
    """The quote as the template shows it: the service's answer, or its reasons."""
    if reply is None:
        return {"quote": None, "quote_reasons": []}
    if reply.ok:
        return {"quote": reply.data, "quote_reasons": []}
    return {"quote": None, "quote_reasons": reasons_of(reply, "金額を計算できませんでした。")}


async def _customer(clients: Clients, customer_id: UUID) -> Any:
    return await clients.customer.customer(customer_id)  # another tenant's: None


async def _read(
    request: Request, clients: Clients, customer: Any, *, quoting: bool = False
) -> tuple[dict, EntryForm, Choices]:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    choices = await _choices(clients, quoting=quoting)
    return form, read_form(form, customer=customer, choices=choices), choices


@router.get("/orders/new", response_class=HTMLResponse)
async def new_order(
    request: Request, staff: StaffPage, clients: ClientsDep, customer_id: UUID
) -> Response:
    customer = await _customer(clients, customer_id)
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。", nav="orders")
    return await _form(request, staff, clients, customer, {})


@router.post("/orders/new/quote", response_class=HTMLResponse)
async def quote(
    request: Request, staff: StaffPage, clients: ClientsDep,
    customer_id: Annotated[UUID, Query()],
) -> Response:  # fmt: skip
    """The live totals (order_entry.js): the quote's part of the page, nothing placed."""
    customer = await _customer(clients, customer_id)
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。", nav="orders")
    _, entry, _ = await _read(request, clients, customer, quoting=True)
    body = entry.quotable()
    reply = None if body is None else await clients.orders.quote(body)
    return page(request, "_order_quote.html", {"entry": entry, **_quoted(reply)})


@router.post("/orders/new")
async def place_order(
    request: Request, staff: StaffPage, clients: ClientsDep,
    customer_id: Annotated[UUID, Query()],
) -> Response:  # fmt: skip
    customer = await _customer(clients, customer_id)
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。", nav="orders")
    form, entry, choices = await _read(request, clients, customer)
    if form.get("action") == "quote":  # 金額を計算 / Enter: one more row and the totals
        body = entry.quotable()
        reply = None if body is None else await clients.orders.quote(body)
        return await _form(request, staff, clients, customer, form, entry, reply, 200, choices)
    if entry.problems:
        return await _form(request, staff, clients, customer, form, entry, None, 422, choices)
    reply = await clients.orders.place(entry.body)
    if not reply.ok:
        entry.refused(reply.data, REFUSED)
        return await _form(request, staff, clients, customer, form, entry, None, 422, choices)
    number = reply.data["order_number"]
    return back(f"/orders/{reply.data['id']}", notice=f"受注番号 {number} で受け付けました。")
