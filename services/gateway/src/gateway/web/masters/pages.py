"""マスタ・設定: 必須項目 (the customer service's setting), 媒体 (the inquiry service's media),
流入経路 (the customer service's inflow sources), 店舗 (name, code, address, phone and 廃止: the gateway's own). Everyone may look; the services refuse a
一般 user's change (AdminOnly there), and the pages show no buttons to one. A retirement asks
for confirmation first (the page posts again with ``confirm``)."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from kit.errors import DomainError
from kit.japanese import PREFECTURES

from gateway.clients.base import Reply
from gateway.domain import store_contact
from gateway.domain.store_contact import StoreContact
from gateway.use_cases import account_admin
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, not_found, refusal
from gateway.web.common.deps import ClientsDep, StaffPage, tenant_uow
from gateway.web.common.retiring import Retirable, restore_step, retire_step
from gateway.web.common.templating import render
from gateway.web.customers.profile_form import field_errors

router = APIRouter(include_in_schema=False)
# The customer service's REQUIRABLE, in the order of the form.
REQUIRABLE = (("family_kana", "セイ"), ("given_kana", "メイ"), ("family_name", "姓"),
              ("given_name", "名"), ("phone", "電話番号"), ("email", "メールアドレス"),
              ("birth_date", "生年月日"), ("gender", "性別"), ("address", "住所"))  # fmt: skip
HINT = "入力内容を確認してください。"


def _page(request: Request, staff: Staff, template: str, tab: str, context: dict,
          status_code: int = 200) -> Response:  # fmt: skip
    base = {"staff": staff, "tab": tab, "nav": "settings",
            "notice": request.query_params.get("notice", "")[:200],
            "error": request.query_params.get("error", "")[:200]}  # fmt: skip
    return render(request, template, {**base, **context}, status_code)


@router.get("/settings")
async def settings_home() -> Response:
    return back("/settings/required-fields")


@router.get("/settings/required-fields")
async def required_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    required = await clients.customer.required_fields() or []
    return _page(request, staff, "settings_required.html", "required",
                 {"fields": REQUIRABLE, "required": set(required)})  # fmt: skip


@router.post("/settings/required-fields")
async def save_required(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    chosen = [str(v) for v in (await request.form()).getlist("required")]
    reply = await clients.customer.set_required_fields(chosen)
    if reply.ok:
        return back("/settings/required-fields", notice="必須項目を保存しました。")
    return back("/settings/required-fields", error=refusal(reply, "保存できませんでした。"))


# 媒体 ---------------------------------------------------------------------------------------


async def _media(request: Request, staff: Staff, clients: Any, *, entered: dict,
                 form_error: str | None = None, status_code: int = 200) -> Response:  # fmt: skip
    media = await clients.inquiry.media() or []
    return _page(request, staff, "settings_media.html", "media",
                 {"media": media, "entered": entered, "form_error": form_error}, status_code)  # fmt: skip


@router.get("/settings/media")
async def media_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _media(request, staff, clients, entered={})


@router.post("/settings/media")
async def add_medium(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await request.form()
    entered = {"name": str(form.get("name") or "").strip(),
               "code": str(form.get("code") or "").strip()}  # fmt: skip
    reply = await clients.inquiry.add_medium(entered)
    if reply.ok:
        return back("/settings/media", notice=f"媒体「{entered['name']}」を追加しました。")
    message = refusal(reply, HINT)
    if reply.status_code == 422 and not reply.message:
        message = "媒体名と、コード（半角英小文字・数字・_）を確認してください。"
    return await _media(request, staff, clients, entered=entered, form_error=message,
                        status_code=reply.status_code)  # fmt: skip


async def _medium(clients: Any, medium_id: UUID) -> Any:
    return next((m for m in await clients.inquiry.media() or [] if m.id == medium_id), None)


def _medium_form(request: Request, staff: Staff, medium: Any, *, name: str,
                 reply: Reply | None = None) -> Response:  # fmt: skip
    errors = field_errors(reply) if reply is not None else {}
    context = {
        "staff": staff, "nav": "settings", "kind": "媒体", "title": f"媒体「{medium.name}」の変更",
        "back_href": "/settings/media", "back_label": "媒体",
        "action": f"/settings/media/{medium.id}/edit", "errors": errors,
        "error": refusal(reply, HINT) if reply is not None else None,
        "fields": [{"name": "name", "label": "媒体名", "value": name, "required": True,
                    "placeholder": "例) チラシ"},
                   {"name": "code_shown", "label": "コード（変更できません）", "value": medium.code,
                    "readonly": True}],
        "retired": not medium.active,
        "retire_action": None if medium.auto_linked else f"/settings/media/{medium.id}/retire",
    }  # fmt: skip
    return render(request, "master_edit.html", context, reply.status_code if reply else 200)


@router.get("/settings/media/{medium_id}/edit")
async def medium_edit(
    medium_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    medium = await _medium(clients, medium_id)
    if medium is None:
        return not_found(request, staff, "媒体が見つかりません。")
    return _medium_form(request, staff, medium, name=medium.name)


@router.post("/settings/media/{medium_id}/edit")
async def medium_save(
    medium_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    medium = await _medium(clients, medium_id)
    if medium is None:
        return not_found(request, staff, "媒体が見つかりません。")
    name = str((await request.form()).get("name") or "").strip()
    reply = await clients.inquiry.rename_medium(medium_id, name=name)
    if reply.ok:
        return back("/settings/media", notice=f"媒体「{name}」を保存しました。")
    if reply.status_code == 422:
        reply = _named(reply, "name", "媒体名を入力してください（60文字まで）。")
    return _medium_form(request, staff, medium, name=name, reply=reply)


def _named(reply: Reply, field: str, message: str) -> Reply:
    """A validation refusal in the page's own words, beside ``field``."""
    detail = {"code": "invalid", "message": message, "field": field}
    return Reply(422, {"detail": {**detail, "errors": [detail]}})


def _medium_entry(medium_id: UUID, name: str) -> Retirable:
    return Retirable("媒体", name, action=f"/settings/media/{medium_id}/retire",
                     back_to="/settings/media", nav="settings")  # fmt: skip


@router.post("/settings/media/{medium_id}/retire")
async def medium_retire(
    medium_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    medium = await _medium(clients, medium_id)
    if medium is None:
        return not_found(request, staff, "媒体が見つかりません。")
    return await retire_step(request, staff, _medium_entry(medium_id, medium.name),
                             lambda: clients.inquiry.retire_medium(medium_id))  # fmt: skip


@router.post("/settings/media/{medium_id}/restore")
async def medium_restore(
    medium_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    medium = await _medium(clients, medium_id)
    if medium is None:
        return not_found(request, staff, "媒体が見つかりません。")
    return await restore_step(_medium_entry(medium_id, medium.name),
                              lambda: clients.inquiry.restore_medium(medium_id))  # fmt: skip


# 流入経路 ------------------------------------------------------------------------------------


async def _sources(request: Request, staff: Staff, clients: Any, *, entered: dict,
                   form_error: str | None = None, status_code: int = 200) -> Response:  # fmt: skip
    sources = await clients.customer.inflow_sources() or []
    return _page(request, staff, "settings_inflow.html", "inflow",
                 {"sources": sources, "entered": entered, "form_error": form_error},
                 status_code)  # fmt: skip


@router.get("/settings/inflow-sources")
async def sources_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _sources(request, staff, clients, entered={})


@router.post("/settings/inflow-sources")
async def add_source(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    name = str((await request.form()).get("name") or "").strip()
    reply = await clients.customer.add_inflow_source(name=name)
    if reply.ok:
        return back("/settings/inflow-sources", notice=f"流入経路「{name}」を追加しました。")
    return await _sources(request, staff, clients, entered={"name": name},
                          form_error=refusal(reply, HINT), status_code=reply.status_code)  # fmt: skip


async def _source(clients: Any, source_id: UUID) -> Any:
    found = await clients.customer.inflow_sources() or []
    return next((s for s in found if s.id == source_id), None)


def _source_form(request: Request, staff: Staff, source: Any, *, name: str,
                 reply: Reply | None = None) -> Response:  # fmt: skip
    context = {
        "staff": staff, "nav": "settings", "kind": "流入経路",
        "title": f"流入経路「{source.name}」の変更",
        "back_href": "/settings/inflow-sources", "back_label": "流入経路",
        "action": f"/settings/inflow-sources/{source.id}/edit",
        "errors": field_errors(reply) if reply is not None else {},
        "error": refusal(reply, HINT) if reply is not None else None,
        "fields": [{"name": "name", "label": "流入経路", "value": name, "required": True}],
        "retired": source.retired_at is not None,
        "retire_action": f"/settings/inflow-sources/{source.id}/retire",
    }  # fmt: skip
    return render(request, "master_edit.html", context, reply.status_code if reply else 200)


@router.get("/settings/inflow-sources/{source_id}/edit")
async def source_edit(
    source_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    source = await _source(clients, source_id)
    if source is None:
        return not_found(request, staff, "流入経路が見つかりません。")
    return _source_form(request, staff, source, name=source.name)


@router.post("/settings/inflow-sources/{source_id}/edit")
async def source_save(
    source_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    source = await _source(clients, source_id)
    if source is None:
        return not_found(request, staff, "流入経路が見つかりません。")
    name = str((await request.form()).get("name") or "").strip()
    reply = await clients.customer.rename_inflow_source(source_id, name=name)
    if reply.ok:
        return back("/settings/inflow-sources", notice=f"流入経路「{name}」を保存しました。")
    return _source_form(request, staff, source, name=name, reply=reply)


def _source_entry(source_id: UUID, name: str) -> Retirable:
    return Retirable("流入経路", name, action=f"/settings/inflow-sources/{source_id}/retire",
                     back_to="/settings/inflow-sources", nav="settings")  # fmt: skip


@router.post("/settings/inflow-sources/{source_id}/retire")
async def source_retire(
    source_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    source = await _source(clients, source_id)
    if source is None:
        return not_found(request, staff, "流入経路が見つかりません。")
    return await retire_step(request, staff, _source_entry(source_id, source.name),
                             lambda: clients.customer.retire_inflow_source(source_id))  # fmt: skip


@router.post("/settings/inflow-sources/{source_id}/restore")
async def source_restore(
    source_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    source = await _source(clients, source_id)
    if source is None:
        return not_found(request, staff, "流入経路が見つかりません。")
    return await restore_step(_source_entry(source_id, source.name),
                              lambda: clients.customer.restore_inflow_source(source_id))  # fmt: skip


# 店舗 (the gateway's own data) -----------------------------------------------------------


@dataclass(frozen=True)
class StoreRow:
    id: UUID
    code: str
    name: str
    contact: dict[str, str]
    active: bool

    @property
    def lines(self) -> list[str]:
        return StoreContact(**self.contact).lines


CONTACT_FIELDS = ("postal_code", "prefecture", "city", "street", "building", "phone")


async def _stores(request: Request, staff: Staff) -> list[StoreRow]:
    async with tenant_uow(request, staff) as uow:
        return [StoreRow(s.id, s.code, s.name, {f: getattr(s, f) for f in CONTACT_FIELDS},
                         s.active) for s in await uow.accounts.stores()]  # fmt: skip


async def _store(request: Request, staff: Staff, store_id: UUID) -> StoreRow | None:
    return next((s for s in await _stores(request, staff) if s.id == store_id), None)


@router.get("/settings/stores")
async def stores_page(request: Request, staff: StaffPage) -> Response:
    return _page(request, staff, "settings_stores.html", "stores",
                 {"stores": await _stores(request, staff)})  # fmt: skip


def _store_form(request: Request, staff: Staff, store: StoreRow, values: dict,
                errors: dict | None = None, status_code: int = 200) -> Response:  # fmt: skip
    def text(name: str, label: str, placeholder: str, **more: Any) -> dict:
        return {
            "name": name,
            "label": label,
            "value": values.get(name),
            "placeholder": placeholder,
            **more,
        }

    context = {
        "staff": staff, "nav": "settings", "kind": "店舗", "title": f"店舗「{store.name}」の変更",
        "back_href": "/settings/stores", "back_label": "店舗",
        "action": f"/settings/stores/{store.id}/edit", "errors": errors or {},
        "error": f"入力内容を確認してください（{len(errors)}件）。" if errors else None,
        "fields": [text("name", "店舗名", "例) 田町支店", required=True),
                   text("code", "店舗コード（ポータル連携）", "例) 00000100101", required=True,
                        mode="numeric"),
                   {"type": "legend", "label": "住所・電話番号（予約サイトと予約確認メールに表示）"},
                   text("store.postal_code", "郵便番号", "例) 108-0023", mode="numeric",
                        postal=True),
                   text("store.prefecture", "都道府県", "", options=[(p, p) for p in PREFECTURES]),
                   text("store.city", "市区町村", "例) 港区"),
                   text("store.street", "町域・番地", "例) 芝浦3-1-1"),
                   text("store.building", "建物名・部屋番号", "例) 田町ビル5F"),
                   text("phone", "電話番号", "例) 03-1234-5678", mode="tel")],
        "postal": True, "retired": not store.active,
        "retire_action": f"/settings/stores/{store.id}/retire",
        "restore_action": f"/settings/stores/{store.id}/restore",
    }  # fmt: skip
    return render(request, "master_edit.html", context, status_code)


def _store_values(store: StoreRow) -> dict[str, str]:
    contact = {("phone" if f == "phone" else f"store.{f}"): v for f, v in store.contact.items()}
    return {"name": store.name, "code": store.code, **contact}


@router.get("/settings/stores/{store_id}/edit")
async def store_edit(store_id: UUID, request: Request, staff: StaffPage) -> Response:
    store = await _store(request, staff, store_id)
    if store is None:
        return not_found(request, staff, "店舗が見つかりません。")
    return _store_form(request, staff, store, _store_values(store))


@router.post("/settings/stores/{store_id}/edit")
async def store_save(store_id: UUID, request: Request, staff: StaffPage) -> Response:
    store = await _store(request, staff, store_id)
    if store is None:
        return not_found(request, staff, "店舗が見つかりません。")
    form = await request.form()
    names = ["name", "code", "phone", *(f"store.{f}" for f in CONTACT_FIELDS[:-1])]
    values = {n: str(form.get(n) or "") for n in names}
    code = unicodedata.normalize("NFKC", values["code"]).strip()
    errors: dict[str, str] = {}
    if code and not re.fullmatch(r"[0-9A-Za-z_-]{1,20}", code):
        errors["code"] = "店舗コードは半角英数字20文字以内で入力してください。"
    if len(values["name"].strip()) > 100:
        errors["name"] = "店舗名は100文字以内で入力してください。"
    contact = None
    try:
        contact = store_contact.checked(
            phone=values["phone"], **{f: values[f"store.{f}"] for f in CONTACT_FIELDS[:-1]}
        )
    except DomainError as exc:
        for e in exc.errors or []:
            errors["phone" if e["field"] == "phone" else f"store.{e['field']}"] = e["message"]
    if not errors:
        tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
        try:
            await tx.run(lambda uow: account_admin.change_store(
                staff, store_id=store_id, code=code, name=values["name"], contact=contact,
                uow=uow))  # fmt: skip
        except DomainError as exc:
            if exc.status_code == 403:
                return back("/settings/stores", error=exc.message)
            errors[exc.field or "name"] = exc.message
        else:
            return back(
                "/settings/stores", notice=f"店舗「{values['name'].strip()}」を保存しました。"
            )
    return _store_form(request, staff, store, values, errors, 422)


STORE_RETIRE_NOTE = (
    "ヘッダーの店舗切替・お客様とアカウントの所属店舗で選べなくなり、予約サイトには"
    "「この店舗の予約受付は終了しました」と表示されます。この店舗だけに所属する一般ユーザーは、"
    "別の店舗に所属させるまで店舗のデータを見られません。あとから再開できます。"
)


def _store_entry(store: Any) -> Retirable:
    return Retirable("店舗", store.name, action=f"/settings/stores/{store.id}/retire",
                     back_to="/settings/stores", cancel_href=f"/settings/stores/{store.id}/edit",
                     note=STORE_RETIRE_NOTE, nav="settings")  # fmt: skip


def _in_gateway(request: Request, staff: Staff, work: Any) -> Any:
    """A change of the gateway's own data (its stores) as the steps call an owner: a Reply."""

    async def call() -> Reply:
        tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
        try:
            await tx.run(work)
        except DomainError as exc:
            return Reply(exc.status_code, {"detail": {"code": exc.code, "message": exc.message}})
        return Reply(200, {})

    return call


@router.post("/settings/stores/{store_id}/retire")
async def store_retire(store_id: UUID, request: Request, staff: StaffPage) -> Response:
    store = await _store(request, staff, store_id)
    if store is None:
        return not_found(request, staff, "店舗が見つかりません。")
    return await retire_step(request, staff, _store_entry(store), _in_gateway(
        request, staff, lambda uow: account_admin.retire_store(
            staff, store_id=store_id, now=datetime.now(UTC), uow=uow)))  # fmt: skip


@router.post("/settings/stores/{store_id}/restore")
async def store_restore(store_id: UUID, request: Request, staff: StaffPage) -> Response:
    store = await _store(request, staff, store_id)
    if store is None:
        return not_found(request, staff, "店舗が見つかりません。")
    return await restore_step(_store_entry(store), _in_gateway(
        request, staff, lambda uow: account_admin.restore_store(staff, store_id=store_id, uow=uow)))  # fmt: skip
