"""店舗設定's masters, changed and retired (issue 13): a salon's menus and staff members, a
store's properties with their listing facts (種別・所在地・価格・間取り・面積). Each entry has a
変更 page; 廃止 asks for confirmation first (the page posts again with ``confirm``); the tabs
list the retired ones folded, with 再開. A retired
entry leaves the pickers and the availability; the visits that had it still name it. The
booking service decides (and refuses a 一般 user: AdminOnly there)."""

import unicodedata
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

from contracts.listings import PROPERTY_KIND_LABELS
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from kit.japanese import PREFECTURES

from gateway.clients.base import Reply
from gateway.use_cases.accounts import Staff
from gateway.web.booking.common import HINT, not_found, number, render, tenant_store_name
from gateway.web.common.answers import back, refusal
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.common.retiring import Retirable, restore_step, retire_step
from gateway.web.customers.profile_form import field_errors

router = APIRouter(include_in_schema=False)
MAN = 10_000
FACTS = ("kind", "prefecture", "city", "station", "price_yen", "layout", "size_m2")


class Master:
    """What differs between menus, staff members and properties on these pages."""

    def __init__(self, *, kind: str, tab: str, noun: str,
                 entries: Callable[[Clients, UUID], Awaitable[Any]],
                 fields: Callable[[dict], list[dict]],
                 body: Callable[[UUID, Any, dict], dict],
                 save: Callable[[Clients, UUID, dict], Awaitable[Reply]],
                 retire: Callable[[Clients, UUID], Awaitable[Reply]],
                 restore: Callable[[Clients, UUID], Awaitable[Reply]]) -> None:  # fmt: skip
        self.kind, self.tab, self.noun = kind, tab, noun
        self.entries, self.fields, self.body = entries, fields, body
        self.save, self.retire, self.restore = save, retire, restore


def _menu_fields(v: dict) -> list[dict]:
    return [
        {"name": "name", "label": "メニュー名", "value": v.get("name"), "required": True},
        {"name": "duration_minutes", "label": "所要時間（分）", "mode": "numeric",
         "value": v.get("duration_minutes"), "required": True},
        {"name": "price_yen", "label": "料金（円）", "mode": "numeric",
         "value": v.get("price_yen"), "required": True},
    ]  # fmt: skip


def _member_fields(v: dict) -> list[dict]:
    return [{"name": "name", "label": "スタッフ名", "value": v.get("name"), "required": True}]


def _property_fields(v: dict) -> list[dict]:
    return [
        {"name": "name", "label": "物件名", "value": v.get("name"), "required": True},
        {"name": "code", "label": "物件コード（ポータル）", "value": v.get("code")},
        {"name": "concurrent_groups", "label": "同時案内組数", "mode": "numeric",
         "value": v.get("concurrent_groups")},
        {"name": "portal_listed", "label": "ポータル入稿物件", "type": "checkbox",
         "value": v.get("portal_listed")},
        {"name": "_facts", "label": "物件の概要（ホットリードの提案に使います）", "type": "legend"},
        {"name": "facts.kind", "label": "種別", "value": v.get("facts.kind"),
         "options": list(PROPERTY_KIND_LABELS.items())},
        {"name": "facts.prefecture", "label": "都道府県", "value": v.get("facts.prefecture"),
         "options": [(p, p) for p in PREFECTURES]},
        {"name": "facts.city", "label": "市区町村", "value": v.get("facts.city"),
         "placeholder": "例) 港区"},
        {"name": "facts.station", "label": "最寄り駅", "value": v.get("facts.station"),
         "placeholder": "例) 田町"},
        {"name": "facts.price_yen", "label": "価格（万円。賃貸は月額の円）", "mode": "decimal",
         "value": v.get("facts.price_yen")},
        {"name": "facts.layout", "label": "間取り", "value": v.get("facts.layout"),
         "placeholder": "例) 3LDK"},
        {"name": "facts.size_m2", "label": "広さ（㎡）", "mode": "decimal",
         "value": v.get("facts.size_m2")},
    ]  # fmt: skip


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def property_values(p: Any) -> dict:
    facts = p.facts or {}
    values = {"name": p.name, "code": p.code or "", "concurrent_groups": p.concurrent_groups,
              "portal_listed": p.portal_listed}  # fmt: skip
    for part in FACTS:
        values[f"facts.{part}"] = _plain(facts.get(part))
    price = facts.get("price_yen")
    if price is not None and facts.get("kind") != "rental":
        values["facts.price_yen"] = _plain(price / MAN)
    return values


def _decimal(text: str, *, scale: int = 1) -> float | int | str | None:
    """「６８００」, 「6,800」: a number; what is not one goes on for the service to refuse."""
    clean = unicodedata.normalize("NFKC", text or "").replace(",", "").strip()
    if not clean:
        return None
    try:
        value = float(clean) * scale
    except ValueError:
        return clean
    return round(value) if scale != 1 or value.is_integer() else value


def _property_body(store_id: UUID, entry: Any, form: dict) -> dict:
    facts: dict[str, Any] = {p: (form.get(f"facts.{p}") or "").strip() or None for p in FACTS}
    rental = facts["kind"] == "rental"
    facts["price_yen"] = _decimal(form.get("facts.price_yen", ""), scale=1 if rental else MAN)
    facts["size_m2"] = _decimal(form.get("facts.size_m2", ""))
    if facts["layout"]:
        facts["layout"] = unicodedata.normalize("NFKC", facts["layout"]).upper()
    given = {k: v for k, v in facts.items() if v is not None}
    return {"store_id": str(store_id), "name": form.get("name", "").strip(),
            "code": form.get("code", "").strip() or None,
            "concurrent_groups": number(form.get("concurrent_groups")),
            "portal_listed": bool(form.get("portal_listed")),
            "facts": given or None}  # fmt: skip


def _find(entries: list | None, entry_id: UUID) -> Any:
    return next((e for e in entries or [] if e.id == entry_id), None)


MASTERS = {
    "menus": Master(
        kind="メニュー", tab="menus", noun="menus",
        entries=lambda c, s: c.booking.menus(s, retired=True),
        fields=_menu_fields,
        body=lambda s, e, f: {"name": f.get("name", "").strip(),
                              "duration_minutes": number(f.get("duration_minutes")),
                              "price_yen": number(f.get("price_yen"))},
        save=lambda c, i, b: c.booking.update_menu(i, b),
        retire=lambda c, i: c.booking.retire_menu(i),
        restore=lambda c, i: c.booking.restore_menu(i)),
    "staff": Master(
        kind="スタッフ", tab="staff", noun="staff",
        entries=lambda c, s: c.booking.staff_members(s, retired=True),
        fields=_member_fields,
        # The working hours stay as they are (they are set on 追加).
        body=lambda s, e, f: {"name": f.get("name", "").strip(), "hours": e.hours},
        save=lambda c, i, b: c.booking.update_staff_member(i, b),
        retire=lambda c, i: c.booking.retire_staff_member(i),
        restore=lambda c, i: c.booking.restore_staff_member(i)),
    "properties": Master(
        kind="物件", tab="settings", noun="properties",
        entries=lambda c, s: c.booking.properties(s, retired=True),
        fields=_property_fields,
        body=_property_body,
        save=lambda c, i, b: c.booking.update_property(i, b),
        retire=lambda c, i: c.booking.retire_property(i),
        restore=lambda c, i: c.booking.restore_property(i)),
}  # fmt: skip


def _retirable(store_id: UUID, noun: str, master: Master, entry: Any) -> Retirable:
    return Retirable(master.kind, entry.name, back_to=f"/booking/stores/{store_id}/{master.tab}",
                     action=f"/booking/stores/{store_id}/{noun}/{entry.id}/retire")  # fmt: skip


def _values(noun: str, entry: Any) -> dict:
    if noun == "properties":
        return property_values(entry)
    if noun == "menus":
        return {"name": entry.name, "duration_minutes": entry.duration_minutes,
                "price_yen": entry.price_yen}  # fmt: skip
    return {"name": entry.name}


async def _entry(request: Request, staff: Staff, clients: Clients, store_id: UUID,
                 noun: str, entry_id: UUID) -> tuple[Master, str, Any] | Response:  # fmt: skip
    master = MASTERS[noun]
    store_name = await tenant_store_name(request, staff, store_id)
    entry = _find(await master.entries(clients, store_id), entry_id) if store_name else None
    if entry is None:  # another tenant's store or entry
        return not_found(request, staff, f"{master.kind}が見つかりません。")
    return master, store_name or "", entry


def _form(request: Request, staff: Staff, store_id: UUID, master: Master, store_name: str,
          entry: Any, values: dict, reply: Reply | None = None) -> Response:  # fmt: skip
    base = f"/booking/stores/{store_id}"
    errors = field_errors(reply) if reply is not None else {}
    context = {
        "staff": staff, "kind": master.kind, "errors": errors,
        "title": f"{master.kind}「{entry.name}」の変更（{store_name}）",
        "back_href": f"{base}/{master.tab}", "back_label": "店舗設定",
        "action": f"{base}/{master.noun}/{entry.id}/edit", "fields": master.fields(values),
        "error": (f"入力内容を確認してください（{len(errors)}件）。" if errors
                  else refusal(reply, HINT)) if reply is not None else None,
        "retired": entry.retired_at is not None,
        "retire_action": f"{base}/{master.noun}/{entry.id}/retire",
    }  # fmt: skip
    return render(request, "master_edit.html", context, reply.status_code if reply else 200)


ID_PARAMS = {"menus": "menu_id", "staff": "staff_member_id", "properties": "property_id"}


def _routes(noun: str) -> None:
    EntryId = Annotated[UUID, Path(alias=ID_PARAMS[noun])]

    async def edit(store_id: UUID, entry_id: EntryId, request: Request, staff: StaffPage,
                   clients: ClientsDep) -> Response:  # fmt: skip
        found = await _entry(request, staff, clients, store_id, noun, entry_id)
        if isinstance(found, Response):
            return found
        master, store_name, entry = found
        return _form(request, staff, store_id, master, store_name, entry, _values(noun, entry))

    async def save(store_id: UUID, entry_id: EntryId, request: Request, staff: StaffPage,
                   clients: ClientsDep) -> Response:  # fmt: skip
        found = await _entry(request, staff, clients, store_id, noun, entry_id)
        if isinstance(found, Response):
            return found
        master, store_name, entry = found
        form = {k: str(v) for k, v in (await request.form()).items()}
        reply = await master.save(clients, entry_id, master.body(store_id, entry, form))
        if reply.ok:
            name = form.get("name", "").strip()
            return back(f"/booking/stores/{store_id}/{master.tab}",
                        notice=f"{master.kind}「{name}」を保存しました。")  # fmt: skip
        values = {**form, "portal_listed": bool(form.get("portal_listed"))}
        return _form(request, staff, store_id, master, store_name, entry, values, reply)

    async def retire(store_id: UUID, entry_id: EntryId, request: Request, staff: StaffPage,
                     clients: ClientsDep) -> Response:  # fmt: skip
        found = await _entry(request, staff, clients, store_id, noun, entry_id)
        if isinstance(found, Response):
            return found
        master, _, entry = found
        return await retire_step(request, staff, _retirable(store_id, noun, master, entry),
                                 lambda: master.retire(clients, entry_id))  # fmt: skip

    async def restore(store_id: UUID, entry_id: EntryId, request: Request, staff: StaffPage,
                      clients: ClientsDep) -> Response:  # fmt: skip
        found = await _entry(request, staff, clients, store_id, noun, entry_id)
        if isinstance(found, Response):
            return found
        master, _, entry = found
        return await restore_step(_retirable(store_id, noun, master, entry),
                                  lambda: master.restore(clients, entry_id))  # fmt: skip

    path = f"/booking/stores/{{store_id}}/{noun}/{{{ID_PARAMS[noun]}}}"
    router.add_api_route(f"{path}/edit", edit, methods=["GET"], name=f"edit_{noun}")
    router.add_api_route(f"{path}/edit", save, methods=["POST"], name=f"save_{noun}")
    router.add_api_route(f"{path}/retire", retire, methods=["POST"], name=f"retire_{noun}")
    router.add_api_route(f"{path}/restore", restore, methods=["POST"], name=f"restore_{noun}")


for _noun in MASTERS:
    _routes(_noun)
