"""Customer master screens (issue 5): registration, quick phone registration, flags,
withdrawal and deletion, merge with preview and confirmation. Forms post here; every change
goes to the customer service with the staff's token."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from kit.japanese import PREFECTURES

from gateway.clients.base import Reply
from gateway.clients.customer import CustomerClient, CustomerPage
from gateway.use_cases.accounts import Staff
from gateway.use_cases.customer_master import UNKNOWN_STORE
from gateway.use_cases.salon_catalog import tenant_stores
from gateway.web.common.answers import back, not_found, refusal
from gateway.web.common.deps import Clients, ClientsDep, StaffPage, tenant_uow
from gateway.web.common.templating import render
from gateway.web.customers.profile_form import (
    ADDRESS_KINDS,
    ADDRESS_ROWS,
    EMAIL_ROWS,
    PHONE_ROWS,
    PROPERTY_KINDS,
    customer_form,
    field_errors,
    profile_body,
    read_form,
)

# Seed 003's marks until the tenant's setting answers (the service's own default).
DEFAULT_REQUIRED = ("family_name", "given_name", "family_kana", "given_kana", "phone",
                    "birth_date", "email")  # fmt: skip

router = APIRouter(include_in_schema=False)
CHECK = "入力内容を確認してください。"  # field errors: the form shows which fields


def customer_refusal(reply: Reply, fallback: str) -> str:
    return refusal(reply, fallback, invalid=CHECK)


def _refused(request: Request, staff: Staff, response: Reply, path: str, fallback: str) -> Response:
    """Back to the page with the service's reason; what it cannot find (another tenant's
    customer or import) is the 404 page, not a redirect."""
    if response.status_code == 404:
        return not_found(request, staff, customer_refusal(response, "見つかりません。"))
    return back(path, error=customer_refusal(response, fallback))


async def _form_page(
    request: Request,
    staff: Staff,
    clients: Clients,
    *,
    form: dict[str, Any],
    customer: Any = None,
    reply: Reply | None = None,
) -> Response:
    """The registration or 更新 form; after a refusal, what was typed with every error
    beside its input (and the ones no input names at the top)."""
    errors = field_errors(reply) if reply is not None else {}
    error = None
    if reply is not None:
        fallback = "保存できませんでした。" if customer else "登録できませんでした。"
        error = customer_refusal(reply, fallback)
        if errors:
            error = f"入力内容を確認してください（{len(errors)}件）。"
    required = await clients.customer.required_fields()
    sources = await clients.customer.inflow_sources() or []
    async with tenant_uow(request, staff) as uow:
        every = await tenant_stores(uow=uow, retired=True)
        active = {s.id for s in await tenant_stores(uow=uow)}
    chosen = str(form.get("store_id") or "")  # a retired home store stays, marked （廃止）
    stores = [(str(s.id), s.name) for s in every if s.id in active or str(s.id) == chosen]
    context = {"staff": staff, "form": form, "error": error, "errors": errors,
               "customer": customer, "required": set(required or DEFAULT_REQUIRED),
               "rows": {"phones": PHONE_ROWS, "emails": EMAIL_ROWS, "addresses": ADDRESS_ROWS},
               "address_kinds": ADDRESS_KINDS, "property_kinds": PROPERTY_KINDS,
               "stores": stores, "inflow_options": inflow_options(sources, form),
               "prefecture_options": [(p, p) for p in PREFECTURES]}  # fmt: skip
    status = reply.status_code if reply is not None else 200
    return render(request, "customer_form.html", context, status)


def inflow_options(sources: list[Any], form: dict[str, Any]) -> list[tuple[str, str]]:
    """流入経路 to tick: the master's active entries, and what the customer already has even
    if retired since (kept, marked 廃止)."""
    chosen = list(form.get("inflow_sources") or [])
    retired = {s.name for s in sources if s.retired_at is not None}
    options = [(s.name, s.name) for s in sources if s.retired_at is None]
    offered = {name for name, _ in options}
    options += [(n, f"{n}（廃止）" if n in retired else n) for n in chosen if n not in offered]
    return options


async def _foreign_store(request: Request, staff: Staff, form: dict[str, Any]) -> Reply | None:
    """所属店舗 must be one of the tenant's stores (the gateway owns them): else the refusal
    the API's relay gives, shown beside the choice."""
    chosen = str(form.get("store_id") or "")
    if not chosen:
        return None
    async with tenant_uow(request, staff) as uow:
        ours = {str(s.id) for s in await tenant_stores(uow=uow, retired=True)}
    if chosen in ours:
        return None
    detail = {"code": "unknown_store", "message": UNKNOWN_STORE, "field": "store_id"}
    return Reply(422, {"detail": {**detail, "errors": [detail]}})


@router.get("/customers/new", response_class=HTMLResponse)
async def new_customer(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _form_page(request, staff, clients, form={})


@router.post("/customers/new", response_class=HTMLResponse)
async def create_customer(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = read_form(await request.form())
    if refused := await _foreign_store(request, staff, form):
        return await _form_page(request, staff, clients, form=form, reply=refused)
    r = await clients.customer.register(profile_body(form))
    if r.status_code == 201:
        return back(f"/customers/{r.data['id']}", notice="お客様を登録しました。")
    return await _form_page(request, staff, clients, form=form, reply=r)


@router.get("/customers/{customer_id}/edit", response_class=HTMLResponse)
async def edit_customer(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    """更新: every field of the profile, as it is now."""
    customer = await clients.customer.customer(customer_id)
    if customer is None:  # another tenant's customer is not found either
        return not_found(request, staff, "お客様が見つかりません。")
    return await _form_page(
        request, staff, clients, form=customer_form(customer), customer=customer
    )


@router.post("/customers/{customer_id}/edit", response_class=HTMLResponse)
async def save_customer(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    """保存: the whole profile at once; refused, the form comes back as it was typed."""
    customer = await clients.customer.customer(customer_id)
    if customer is None:
        return not_found(request, staff, "お客様が見つかりません。")
    form = read_form(await request.form())
    if refused := await _foreign_store(request, staff, form):
        return await _form_page(
            request, staff, clients, form=form, customer=customer, reply=refused
        )
    r = await clients.customer.update(customer_id, profile_body(form))
    if r.status_code == 204:
        return back(f"/customers/{customer_id}", notice="お客様の情報を保存しました。")
    if r.status_code == 404:
        return not_found(request, staff, "お客様が見つかりません。")
    return await _form_page(request, staff, clients, form=form, customer=customer, reply=r)


@router.get("/customers/phone-registration", response_class=HTMLResponse)
async def phone_form(request: Request, staff: StaffPage) -> Response:
    # From the monitor: a caller nobody knows yet is registered with the number typed there.
    form = {"phone": request.query_params.get("phone", "")[:30]}
    context = {"staff": staff, "form": form, "error": None, "errors": {}}
    return render(request, "customer_phone_form.html", context)


@router.post("/customers/phone-registration", response_class=HTMLResponse)
async def phone_register(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    body = {"family_name": form.get("family_name", ""), "given_name": form.get("given_name") or None,
            "phone": form.get("phone", "")}  # fmt: skip
    r = await clients.customer.register_phone(body)
    if r.status_code == 201:
        return back(f"/customers/{r.data['id']}", notice="電話番号で登録しました。")
    errors = field_errors(r)
    error = f"入力内容を確認してください（{len(errors)}件）。" if errors else None
    context = {"staff": staff, "form": form, "errors": errors,
               "error": error or customer_refusal(r, "登録できませんでした。")}  # fmt: skip
    return render(request, "customer_phone_form.html", context, r.status_code)


@router.post("/customers/{customer_id}/flags")
async def save_flags(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    form = await request.form()
    body = {
        "caution": form.get("caution") == "on",
        "caution_memo": form.get("caution_memo") or None,
        "blacklisted": form.get("blacklisted") == "on",
        "blacklist_memo": form.get("blacklist_memo") or None,
        "alert": form.get("alert") or "",
        "karte_notes": form.get("karte_notes") or "",
    }
    r = await clients.customer.save_flags(customer_id, body)
    if r.status_code == 204:
        return back(f"/customers/{customer_id}", notice="注意情報を保存しました。")
    return _refused(request, staff, r, f"/customers/{customer_id}", "保存できませんでした。")


@router.post("/customers/{customer_id}/withdraw")
async def withdraw(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    form = await request.form()
    reason = str(form.get("reason") or "")
    if form.get("confirmed") != "1":  # 退会 is a step of its own: what it means, then 退会する
        customer = await clients.customer.customer(customer_id)
        if customer is None:
            return not_found(request, staff, "お客様が見つかりません。")
        context = {"staff": staff, "customer": customer, "reason": reason.strip()}
        return render(request, "customer_withdraw_confirm.html", context)
    r = await clients.customer.withdraw(customer_id, reason=reason)
    if r.status_code == 204:
        return back(f"/customers/{customer_id}", notice="退会の手続きをしました。")
    return _refused(request, staff, r, f"/customers/{customer_id}", "退会できませんでした。")


@router.post("/customers/{customer_id}/delete")
async def delete(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    r = await clients.customer.delete(customer_id)
    if r.status_code == 204:
        return back("/customers", notice="お客様を削除しました。")
    return _refused(request, staff, r, f"/customers/{customer_id}", "削除できませんでした。")


@router.get("/customers/merge", response_class=HTMLResponse)
async def merge_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    log = await clients.customer.merges() or []
    context = {"staff": staff, "log": log, "notice": "", "error": None, "form": {}}
    return render(request, "customer_merge.html", context)


async def _by_number(customers: CustomerClient, number: str) -> str | None:
    found = await customers.customers({"customer_number": number.strip()})
    items = found.items if isinstance(found, CustomerPage) else []
    return str(items[0].id) if items else None


@router.post("/customers/merge", response_class=HTMLResponse)
async def merge_preview(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    """「保存」: show what moves and ask again — the merge cannot be undone."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    source = await _by_number(clients.customer, form.get("source_number", ""))
    target = await _by_number(clients.customer, form.get("target_number", ""))
    context: dict[str, Any] = {"staff": staff, "form": form, "notice": "", "log": []}
    if source is None or target is None:
        context["error"] = "お客様番号に該当するお客様が見つかりません。"
        return render(request, "customer_merge.html", context, 404)
    r = await clients.customer.preview_merge({"source_id": source, "target_id": target})
    if r.status_code != 200:
        context["error"] = customer_refusal(r, "統合できません。")
        return render(request, "customer_merge.html", context, status_code=r.status_code)
    context["preview"] = r.data
    return render(request, "customer_merge_confirm.html", context)


@router.post("/customers/merge/confirm")
async def merge_confirm(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await request.form()
    body = {"source_id": form.get("source_id"), "target_id": form.get("target_id"), "confirm": True}
    r = await clients.customer.merge(body)
    if r.status_code == 200:
        return back("/customers/merge", notice="統合しました。")
    return back("/customers/merge", notice=customer_refusal(r, "統合できませんでした。"))
