"""受注入力 (ORD-2), reached from the customer monitor: product lines, the delivery address
(the customer's home or another), and on placing, the order's page with the campaigns that
applied and why and the totals per tax rate as the service computed them. A refusal shows
the service's Japanese reasons beside the form, with what was typed kept."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of

router = APIRouter(include_in_schema=False)
LINES = 5  # product rows on the form
DELIVERY_FIELDS = ("name", "postal_code", "prefecture", "address", "phone")


def home_address(customer: Any) -> dict[str, str] | None:
    """The customer's home (自宅) as the order's delivery, or None when there is none."""
    for a in customer.get("addresses") or []:
        if a.get("kind") == "home" and a.get("prefecture"):
            street = "".join(a.get(k) or "" for k in ("city", "street"))
            building = a.get("building") or ""
            return {"kind": "home", "name": customer.name, "postal_code": a.get("postal_code") or "",
                    "prefecture": a["prefecture"],
                    "address": f"{street} {building}".strip()}  # fmt: skip
    return None


async def _form(
    request: Request, staff: Any, clients: Clients, customer_id: UUID, form: dict[str, Any],
    errors: list[str], status_code: int = 200,
) -> Response:  # fmt: skip
    customer = await clients.customer.customer(customer_id)
    if customer is None:  # another tenant's id too
        return not_found(request, staff, "お客様が見つかりません。", nav="orders")
    products = [p for p in await clients.orders.products() or [] if not p.discontinued]
    context = {"staff": staff, "customer": customer, "products": products,
               "home": home_address(customer), "form": form, "errors": errors,
               "rows": range(LINES)}  # fmt: skip
    return page(request, "order_new.html", context, status_code)


@router.get("/orders/new", response_class=HTMLResponse)
async def new_order(
    request: Request, staff: StaffPage, clients: ClientsDep, customer_id: UUID
) -> Response:
    return await _form(request, staff, clients, customer_id, {}, [])


@router.post("/orders/new")
async def place_order(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    customer_id: Annotated[UUID, Query()],
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    lines, problems = [], []
    for i in range(LINES):
        product_id, quantity = form.get(f"product_{i}", ""), form.get(f"quantity_{i}", "").strip()
        if not product_id:
            continue
        if not quantity.lstrip("-").isdigit():
            problems.append(f"{i + 1}行目の数量を数字で入力してください。")
            continue
        lines.append({"product_id": product_id, "quantity": int(quantity)})
    if not lines and not problems:
        problems.append("商品を1つ以上選んでください。")
    customer = await clients.customer.customer(customer_id)
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。", nav="orders")
    if form.get("delivery") == "other":
        delivery = {"kind": "gift", **{k: form.get(f"to_{k}", "").strip() for k in DELIVERY_FIELDS}}
        delivery["phone"] = delivery["phone"] or None
    else:
        delivery = home_address(customer)
        if delivery is None:
            problems.append("ご自宅の住所が登録されていません。「別の住所」を入力してください。")
    if problems:
        return await _form(request, staff, clients, customer_id, form, problems, 422)
    body = {"customer_id": str(customer_id), "lines": lines, "delivery": delivery}
    reply = await clients.orders.place(body)
    if not reply.ok:
        reasons = reasons_of(reply, "受注できませんでした。入力内容をご確認ください。")
        return await _form(request, staff, clients, customer_id, form, reasons, 422)
    number = reply.data["order_number"]
    return back(f"/orders/{reply.data['id']}", notice=f"受注番号 {number} で受け付けました。")
