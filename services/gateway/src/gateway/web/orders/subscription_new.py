"""定期の新規登録 (ORD-3), reached from the customer monitor or an order's page: the products
(those the master allows on a subscription), the cycle (N日ごと, N週ごと, Nか月ごとの d日・末日・
第N週△曜日), the first delivery wanted and the address (the customer's home or another). The
next deliveries are previewed on the tenant's calendar, each with why its date moved, before
it is saved; a cycle the service refuses (0日, 毎週の31日) is shown beside its field."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import UNITS, WEEKDAYS, field_errors, page, read_cycle, reasons_of
from gateway.web.orders.entry_form import DELIVERY_FIELDS, home_address

router = APIRouter(include_in_schema=False)
LINES = 3  # product rows on the form
PREVIEW = 6


async def _form(
    request: Request, staff: Any, clients: Clients, customer_id: UUID, form: dict[str, str],
    errors: dict[str, str], preview: list[dict[str, Any]] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    customer = await clients.customer.customer(customer_id)
    if customer is None:  # another tenant's id too
        return not_found(request, staff, "お客様が見つかりません。", nav="subscriptions")
    products = [p for p in await clients.orders.products() or []
                if p.subscription_eligible and not p.discontinued]  # fmt: skip
    context = {"staff": staff, "customer": customer, "products": products, "form": form,
               "errors": errors, "preview": preview, "home": home_address(customer),
               "rows": range(LINES), "units": UNITS, "weekdays": WEEKDAYS}  # fmt: skip
    return page(request, "subscription_new.html", context, status_code, nav="subscriptions")


@router.get("/subscriptions/new", response_class=HTMLResponse)
async def new_subscription(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    customer_id: UUID,
    from_order_id: UUID | None = None,
) -> Response:
    form: dict[str, str] = {"unit": "months", "every": "1", "anchor": "day"}
    if from_order_id is not None:  # the order's products as the first rows
        order = await clients.orders.order(from_order_id)
        if order is not None and order.customer_id == customer_id:
            for i, line in enumerate(order.lines[:LINES]):
                form[f"product_{i}"], form[f"quantity_{i}"] = (
                    str(line.product_id),
                    str(line.quantity),
                )
            form["day_of_month"] = str(order.ships_on.day)
    return await _form(request, staff, clients, customer_id, form, {})


@router.post("/subscriptions/new", response_class=HTMLResponse)
async def save_subscription(
    request: Request, staff: StaffPage, clients: ClientsDep, customer_id: UUID = Query()
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    errors: dict[str, str] = {}
    cycle = read_cycle(form, errors)
    lines = []
    for i in range(LINES):
        product_id, quantity = form.get(f"product_{i}", ""), form.get(f"quantity_{i}", "").strip()
        if not product_id:
            continue
        if not quantity.isdigit() or int(quantity) < 1:
            errors[f"lines.{i}.quantity"] = "数量は1以上の数字で入力してください。"
            continue
        lines.append({"product_id": product_id, "quantity": int(quantity)})
    if not lines and "lines.0.quantity" not in errors:
        errors["lines"] = "商品を1つ以上選んでください。"
    customer = await clients.customer.customer(customer_id)
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。", nav="subscriptions")
    if form.get("delivery") == "other":
        delivery = {"kind": "gift", **{k: form.get(f"to_{k}", "").strip() for k in DELIVERY_FIELDS}}
        delivery["phone"] = delivery["phone"] or None
    else:
        delivery = home_address(customer)
        if delivery is None:
            errors["delivery"] = (
                "ご自宅の住所が登録されていません。「別の住所」を入力してください。"
            )
    starts_on = form.get("starts_on", "").strip() or None
    draft = {"cycle": cycle, "starts_on": starts_on, "count": PREVIEW}
    found = await clients.orders.draft_preview(draft)
    preview = found.data if found.ok else None
    if not found.ok:
        errors = {**field_errors(found), **errors} or {
            "": reasons_of(found, "確認できませんでした。")[0]
        }
    if errors or form.get("action") != "save":
        status = 422 if errors else 200
        return await _form(request, staff, clients, customer_id, form, errors, preview, status)
    body = {"customer_id": str(customer_id), "lines": lines, "delivery": delivery,
            "cycle": cycle, "starts_on": starts_on}  # fmt: skip
    reply = await clients.orders.subscribe(body)
    if not reply.ok:
        errors = field_errors(reply) or {"": reasons_of(reply, "登録できませんでした。")[0]}
        return await _form(request, staff, clients, customer_id, form, errors, preview, 422)
    return back(f"/subscriptions/{reply.data['id']}", notice="定期を登録しました。")
