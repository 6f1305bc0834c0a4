"""商品マスタ (ORD-1) in the web client: the products (retired ones on request), add, edit
and retire. Staff read; the admin changes (the service's rule: a general user is refused
in Japanese). A retired product stays on the orders that have it. Each error is shown beside
its input (the inputs are named as the service's fields) and all of them in the box above
the form; the 商品カテゴリ is chosen from the categories master."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.clients.base import Reply
from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of
from gateway.web.orders.masters import field_errors

router = APIRouter(include_in_schema=False)
FLAGS = {"subscription_eligible": "定期の対象", "is_present": "プレゼント品",
         "discontinued": "販売終了"}  # fmt: skip


def _body(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The product as the service takes it; numbers the form cannot read are named here."""
    problems = {}
    numbers = {}
    for name, label in (("price_yen", "価格"), ("cost_yen", "原価")):
        value = form.get(name, "").replace(",", "").strip() or ("0" if name == "cost_yen" else "")
        if not value.isdigit():
            problems[name] = f"{label}は0以上の数字（円）で入力してください。"
        else:
            numbers[name] = int(value)
    body = {"code": form.get("code", "").strip(), "name": form.get("name", "").strip(),
            "category_id": form.get("category_id") or None,
            "tax_rate": 8 if form.get("tax_rate") == "8" else 10, **numbers,
            **{flag: form.get(flag) == "on" for flag in FLAGS}}  # fmt: skip
    return body, problems


def _errors(reply: Reply | None, problems: dict[str, str], fallback: str) -> dict[str, str]:
    """By field (``_`` for none); the page's own problems first, else the service's."""
    if problems or reply is None:
        return problems
    return field_errors(reply) or {"_": " ".join(reasons_of(reply, fallback))}


async def _categories(clients: Clients) -> list[tuple[str, str]]:
    found = await clients.orders.entries("product-categories", include_retired=True) or []
    return [(str(c.id), str(c.get("name")) + ("（廃止）" if c.retired_at else "")) for c in found]


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.get("/orders/products", response_class=HTMLResponse)
async def products(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    retired: Annotated[bool, Query()] = False,
) -> Response:
    found = await clients.orders.products(include_retired=retired)
    context = {"staff": staff, "products": found, "retired": retired, "flags": FLAGS,
               "form": {}, "errors": {}, "categories": await _categories(clients)}  # fmt: skip
    return page(request, "products.html", context)


@router.post("/orders/products")
async def add_product(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await _form(request)
    body, problems = _body(form)
    reply = None if problems else await clients.orders.add_product(body)
    if reply is not None and reply.ok:
        return back("/orders/products", notice=f"「{body['name']}」を登録しました。")
    errors = _errors(reply, problems, "登録できませんでした。")
    context = {"staff": staff, "products": await clients.orders.products(), "retired": False,
               "flags": FLAGS, "form": form, "errors": errors,
               "categories": await _categories(clients)}  # fmt: skip
    return page(request, "products.html", context, 422)


@router.get("/orders/products/{entry_id}", response_class=HTMLResponse)
async def product_page(
    entry_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    product = await clients.orders.product(entry_id)
    if product is None:  # another tenant's id too
        return not_found(request, staff, "商品が見つかりません。", nav="orders")
    form = {**product.model_dump(mode="json"), "tax_rate": str(product.tax_rate)}
    form |= {flag: "on" if getattr(product, flag) else "" for flag in FLAGS}
    form["category_id"] = str(product.get("category_id") or "")
    context = {"staff": staff, "p": product, "form": form, "errors": {}, "flags": FLAGS,
               "categories": await _categories(clients)}  # fmt: skip
    return page(request, "product.html", context)


@router.post("/orders/products/{entry_id}")
async def update_product(
    entry_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    form = await _form(request)
    body, problems = _body(form)
    reply = None if problems else await clients.orders.update_product(entry_id, body)
    if reply is not None and reply.status_code == 404:
        return not_found(request, staff, "商品が見つかりません。", nav="orders")
    if reply is not None and reply.ok:
        return back(f"/orders/products/{entry_id}", notice="変更を保存しました。")
    product = await clients.orders.product(entry_id)
    if product is None:
        return not_found(request, staff, "商品が見つかりません。", nav="orders")
    errors = _errors(reply, problems, "保存できませんでした。")
    context = {"staff": staff, "p": product, "form": form, "errors": errors, "flags": FLAGS,
               "categories": await _categories(clients)}  # fmt: skip
    return page(request, "product.html", context, 422)


@router.post("/orders/products/{entry_id}/retire")
async def retire_product(
    entry_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    reply = await clients.orders.retire_product(entry_id)
    if reply.status_code == 404:
        return not_found(request, staff, "商品が見つかりません。", nav="orders")
    where = f"/orders/products/{entry_id}"
    if not reply.ok:
        return back(where, error=" ".join(reasons_of(reply, "廃止できませんでした。")))
    return back(where, notice="廃止しました。過去の受注には残ります。")
